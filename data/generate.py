"""Generate the example data of Norvik Precision Components (fictional).

Writes
    data/surveys/css/2024-Q1.csv ... 2025-Q4.csv   quarterly survey waves
    data/complaints.csv                            complaints log 2024-2025
    data/surveys/internal/2025-H1.csv, 2025-H2.csv  internal customer survey (own seed)
    data/surveys/css_benchmark/2024.csv, 2025.csv   supplier benchmark survey (own seed)
    data/surveys/lost/2025-H1.csv, 2025-H2.csv     lost-customer survey (generate_lost)
    data/customers.csv                             customer list per quarter (generate_customer_list)

Everything is invented: companies, people, e-mail addresses (example.com) and
phone numbers. The contact columns and free-text comments exist so that the
build can be tested for privacy: they must never appear in a published page.

The script is deterministic (fixed seeds, no clock, fixed output format):
running it twice gives byte-identical files. Only numpy and pandas are used.

    python data/generate.py

What is simulated
-----------------
Survey: each respondent has a latent satisfaction, a per-dimension deviation
and per-item noise; the sum is rounded and clipped to the 1..5 scale, so
answers are correlated within a respondent. Dimension means follow a planned
path (``DIMENSION_TARGETS``): a gentle upward trend of the satisfaction index
from about 72 to 79 points, and a poor delivery dimension that improves after
corrective action CA on delivery reliability, effective from 2025-Q1.
q_overall follows the respondent's weighted dimension levels, q_nps and
q_repurchase follow q_overall. Asia Pacific is deliberately small (11-18
responses per wave) so that it is suppressed by ``min_cell_n: 30``. A few
respondents submit twice in a wave. Blanks are skipped answers; 0 is the
"not applicable" code (complaints-handling items for customers without a
complaint, design-in support for distributors, ...).

Complaints: Poisson counts per quarter; a Pareto-like category mix dominated
by dimensional nonconformities and late deliveries; late deliveries fall after
the corrective action of 2025-Q1; acknowledgement mostly within 2 working
days; right-skewed resolution times; complaints received shortly before the
cut-off date are still open; some customers complain repeatedly.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 9001
HERE = Path(__file__).resolve().parent
END = np.datetime64("2025-12-31")  # data cut-off date

WAVES = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
# unique respondents per wave (duplicate submissions come on top)
WAVE_N = [412, 386, 351, 478, 455, 430, 398, 512]
# day the invitations went out (second month of the quarter)
FIELD_START = ["2024-02-12", "2024-05-13", "2024-08-19", "2024-11-11",
               "2025-02-10", "2025-05-12", "2025-08-18", "2025-11-10"]

REGIONS = ["Nordics", "DACH", "UK & Ireland", "North America"]
REGION_P = [0.27, 0.31, 0.16, 0.26]
SMALL_REGION = "Asia Pacific"
CUSTOMER_TYPES = ["OEM", "Distributor", "Aftermarket"]

DIMENSIONS = {
    "quality": ["q1", "q2", "q3", "q4"],
    "delivery": ["q5", "q6", "q7", "q8"],
    "support": ["q9", "q10", "q11"],
    "communication": ["q12", "q13", "q14", "q15"],
    "commercial": ["q16", "q17", "q18"],
    "complaints_handling": ["q19", "q20", "q21"],
}
WEIGHTS = {"quality": 0.30, "delivery": 0.25, "support": 0.15,
           "communication": 0.10, "commercial": 0.10, "complaints_handling": 0.10}
# planned dimension scores (0-100) per wave; the realised scores differ by sampling noise
DIMENSION_TARGETS = {
    "quality":             [81, 81, 82, 82, 83, 83, 84, 84],
    "delivery":            [61, 60, 61, 62, 68, 72, 75, 78],
    "support":             [81, 81, 82, 82, 83, 83, 84, 84],
    "communication":       [76, 76, 77, 77, 78, 79, 79, 80],
    "commercial":          [71, 71, 72, 72, 72, 73, 73, 74],
    "complaints_handling": [65, 66, 67, 68, 70, 71, 72, 74],
}
# item offsets from their dimension score (0-100 points)
ITEM_OFFSET = {
    "q1": 3, "q2": 0, "q3": -5, "q4": 2,
    "q5": -6, "q6": -3, "q7": 7, "q8": 2,
    "q9": 4, "q10": -1, "q11": -3,
    "q12": -2, "q13": 3, "q14": -3, "q15": 2,
    "q16": -6, "q17": 5, "q18": 1,
    "q19": 7, "q20": -6, "q21": -1,
}
ITEMS = [q for qs in DIMENSIONS.values() for q in qs]
SD_LATENT, SD_DIMENSION, SD_ITEM = 0.55, 0.35, 0.55
# share of skipped answers per item
BLANK_P = {q: p for q, p in zip(ITEMS, np.linspace(0.02, 0.04, len(ITEMS)).round(4))}


# ------------------------------------------------------------------ utilities


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def expected_answer(mu: float, sd: float, lo: int = 1, hi: int = 5) -> float:
    """Expected value of round(N(mu, sd)) clipped to lo..hi."""
    total = 0.0
    for k in range(lo, hi + 1):
        a = -math.inf if k == lo else (k - 0.5 - mu) / sd
        b = math.inf if k == hi else (k + 0.5 - mu) / sd
        total += k * (_phi(b) - _phi(a))
    return total


def latent_mean(score: float, sd: float) -> float:
    """Latent mean whose rounded, clipped answers average ``score`` on 0-100."""
    want = 1 + 4 * score / 100
    lo, hi = -2.0, 8.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if expected_answer(mid, sd) < want:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def to_scale(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return np.clip(np.rint(x), lo, hi).astype(np.int64)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


# ---------------------------------------------------------------- people names

FIRST = {
    "Nordics": ["Anders", "Kari", "Lars", "Ingrid", "Mikael", "Sofia", "Jukka", "Hanna", "Ole",
                "Maja", "Erik", "Liisa", "Nils", "Sanna", "Henrik", "Elin"],
    "DACH": ["Thomas", "Katrin", "Stefan", "Julia", "Markus", "Sabine", "Andreas", "Claudia",
             "Florian", "Petra", "Lukas", "Anja", "Matthias", "Nicole", "Reto", "Ursula"],
    "UK & Ireland": ["James", "Sarah", "David", "Emma", "Sean", "Claire", "Gareth", "Aoife",
                     "Paul", "Rachel", "Niall", "Fiona", "Mark", "Helen"],
    "North America": ["Michael", "Jennifer", "Robert", "Ashley", "Daniel", "Megan", "Carlos",
                      "Laura", "Kevin", "Brittany", "Jason", "Maria", "Tyler", "Dana"],
    "Asia Pacific": ["Wei", "Mei", "Hiroshi", "Yuki", "Rajesh", "Priya", "Liam", "Chloe",
                     "Min-jun", "Ji-woo", "Tan", "Siti"],
}
LAST = {
    "Nordics": ["Hansen", "Johansson", "Nilsen", "Virtanen", "Lindberg", "Berg", "Korhonen",
                "Dahl", "Andersson", "Larsen", "Halvorsen", "Nyberg"],
    "DACH": ["Mueller", "Schmidt", "Weber", "Fischer", "Wagner", "Becker", "Huber", "Keller",
             "Brunner", "Hofmann", "Gruber", "Zimmermann"],
    "UK & Ireland": ["Smith", "Jones", "Taylor", "Murphy", "Walsh", "Evans", "Byrne", "Wilson",
                     "Kelly", "Roberts", "Hughes", "Doyle"],
    "North America": ["Johnson", "Williams", "Brown", "Miller", "Davis", "Garcia", "Martinez",
                      "Anderson", "Thompson", "Moore", "Clark", "Lewis"],
    "Asia Pacific": ["Chen", "Wang", "Tanaka", "Sato", "Sharma", "Patel", "Nguyen", "Kim",
                     "Park", "Lim", "Wong", "Tan"],
}
NORVIK_STAFF = ["Ingrid Solberg", "Sophie Walsh", "Tobias Brenner", "Jonas Berg",
                "Marta Lindqvist", "Pawel Nowak", "Erik Haugen", "Dana Whitfield"]


def person(rng: np.random.Generator, region: str) -> tuple[str, str]:
    first = FIRST[region][rng.integers(len(FIRST[region]))]
    last = LAST[region][rng.integers(len(LAST[region]))]
    return first, last


def email_of(rng: np.random.Generator, first: str, last: str) -> str:
    f, l = first.lower().replace("-", ""), last.lower()
    style = rng.integers(4)
    local = [f"{f}.{l}", f"{f[0]}.{l}", f"{f}{l}", f"{l}.{f}{rng.integers(1, 99)}"][style]
    return f"{local}@example.com"


# ------------------------------------------------------------------- comments

# What customers write, per dimension and tone: sentences with slots ({part}, {qty}, {weeks}, {long_weeks},
# {days}, {month}, {pct}, {lot}) that the comments' own random stream fills, so that no two comments read
# alike; they use the words of the survey's theme dictionary (policy/surveys/css.yml) as people do.
COMMENTS_NEG = {
    "quality": [
        "Burrs in the cross-drillings of the {part} again, our assembly has to deburr every piece.",
        "{n} of {qty} {part} in lot {lot} were outside the drawing tolerance on the main bore.",
        "Surface finish on the {part} varies from batch to batch; Ra is sometimes twice the drawing value.",
        "Material certificates were missing with the {month} shipment and goods-in held the {part} for {days} days.",
        "Quality varies between deliveries from Kongsberg and Tczew for the same part number.",
        "Two batches of {part} had the ground diameter at the top of the tolerance. Within spec, but please "
        "centre the process.",
        "Quality.",
        "The 3.1 certificate for lot {lot} showed the wrong heat number, we only noticed at our own audit.",
        "Thread damage on {n} {part} from lot {lot}. Looks like handling after final inspection.",
    ],
    "delivery": [
        "Confirmed dates are not reliable. We now order {weeks} weeks earlier than we need to.",
        "The {part} arrived {days} days late in {month} and nobody told us in advance.",
        "Lead time of {long_weeks} weeks for {qty} {part} is too long for our planning.",
        "Partial deliveries without notice cause extra work in our warehouse.",
        "Late again.",
        "Three late deliveries this quarter; in {month} our line stood still for half a shift.",
        "The backlog report is useful, but the dates in it move every week.",
        "Dispatch dates slip by a week and we hear about it from our own goods-in.",
    ],
    "support": [
        "Technical answers take too long: we waited {days} days for a reply on a seal material question.",
        "We would like an application engineer on site for the design-in of the new {part}.",
        "Technical support is hard to reach since the reorganisation in {month}.",
        "The engineer who knew our project left and the new contact has to start from zero.",
    ],
    "communication": [
        "It is hard to reach anyone by phone on Friday afternoons.",
        "Order confirmations take {days} days; we need them within two days for our MRP.",
        "We were not informed about the change of the coating supplier for the {part}.",
        "Nobody answers the sales mailbox during the holiday weeks.",
        "Please call before you change the packaging, our receiving area is set up for the old boxes.",
    ],
    "commercial": [
        "Two price increases in one year are difficult for us as a distributor.",
        "Invoice lines do not match our PO lines, reconciliation takes our accounts team hours every month.",
        "Minimum order quantity of {qty} pcs is too high for aftermarket demand.",
        "Your price for the {part} is {pct} % above the second source we qualified last year.",
        "Freight cost is now charged separately, which was never agreed.",
    ],
    "complaints_handling": [
        "The 8D report for our claim on the {part} took {weeks} weeks.",
        "Our complaint was acknowledged, then we heard nothing for {weeks} weeks.",
        "The root cause in the last 8D was operator error again. That is not a root cause.",
        "Credit note for the rejected {part} still missing after {weeks} weeks.",
    ],
}
COMMENTS_POS = {
    "quality": ["Parts are always within tolerance, no incoming inspection issues this year.",
                "Very good surface finish on the {part}.",
                "Quality has been stable since the new grinding line, thank you.",
                "Zero rejects on {qty} {part} since {month}. Keep it up."],
    "delivery": ["Delivery performance has clearly improved since spring.",
                 "The early delay notices help us plan around problems.",
                 "Charlotte stock makes a real difference for our service business.",
                 "On time in full for the last {n} orders, that is new.",
                 "Lead times down to {weeks} weeks for the standard {part}, much better than last year."],
    "support": ["The application engineers are excellent.",
                "Great help with the new cylinder design-in.",
                "Quick technical support when we had the leakage problem on the {part}."],
    "communication": ["Always a quick and friendly answer from customer service.",
                      "Order confirmation now comes the same day.",
                      "Good that you informed us early about the {month} shutdown."],
    "commercial": ["Fair prices for the quality we get.",
                   "The new price list is clear and the invoices finally match our orders."],
    "complaints_handling": ["Claim was handled quickly and fairly, thank you.",
                            "The 8D on the {part} was thorough and the containment came within two days."],
}
# The survey's main random stream draws one number below this bound per comment of a tone (True:
# positive) and dimension, none where the bound is 1: the sizes of the example's first sentence pools.
# The wording comes from a stream of its own, so rewording the comments never moves an answer.
MAIN_STREAM_BOUND = {
    True: {"quality": 2, "delivery": 3, "support": 2, "communication": 1, "commercial": 1,
           "complaints_handling": 1},
    False: {"quality": 4, "delivery": 4, "support": 2, "communication": 3, "commercial": 3,
            "complaints_handling": 2},
}
# what some respondents put before or after their point, so that comments differ in length
COMMENT_OPENERS = ["", "", "", "", "Overall a reliable supplier, but: ", "As in the last survey: ",
                   "From our purchasing team: ", "One thing: ", "Honestly, "]
COMMENT_CLOSERS = ["", "", "", "", " Please fix this before our next supplier audit.",
                   " Otherwise we are satisfied.", " We have raised this with our account manager twice.",
                   " This matters more to us than price.", " Same as last year."]
COMMENT_PARTS = ["valve blocks", "manifolds", "ground shafts", "cylinder rods", "pump housings", "flanges",
                 "piston rods", "gear pump covers", "hydraulic cylinders", "bushings"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def write_comment(vrng: np.random.Generator, template: str, tone: bool | None = None) -> str:
    """One comment from ``template``, its slots filled and (``tone`` given) an opener or a closer of the
    tone added, from the comments' own random stream ``vrng``."""
    text = template.format(part=COMMENT_PARTS[vrng.integers(len(COMMENT_PARTS))], n=int(vrng.integers(3, 10)),
                           qty=int(vrng.choice([50, 120, 200, 250, 500, 800, 1000, 2500])),
                           weeks=int(vrng.integers(3, 11)), long_weeks=int(vrng.integers(8, 15)),
                           days=int(vrng.integers(3, 15)), month=MONTHS[vrng.integers(12)], pct=int(vrng.integers(8, 25)),
                           lot=f"L{int(vrng.integers(24000, 25999))}")
    if tone is None or len(text) < 15:
        return text
    if tone:
        closer = ([""] * 4 + [" Thank you.", " Keep it up.", " Well done to the team."])[vrng.integers(7)]
        return text if text.endswith(("Keep it up.", "thank you.")) else text + closer
    opener = COMMENT_OPENERS[vrng.integers(len(COMMENT_OPENERS))]
    if opener:
        text = text[0].lower() + text[1:]
    return opener + text + COMMENT_CLOSERS[vrng.integers(len(COMMENT_CLOSERS))]


COMMENTS_PII = [
    "This is {name} from {company}. Please call me back about the open claim: {email}",
    "{staff} in customer service is always quick to respond, please pass on our thanks.",
    "Contact me at {email} or {phone} to discuss the delivery schedule.",
    "My colleague {other} in purchasing can give you more details.",
    "Thanks to {staff} for sorting out the certificate problem.",
    "I am leaving the company, please send future surveys to {other} ({other_email}).",
    "Please send the revised drawings to {email}, the old purchasing address is no longer read.",
    "Our new buyer is {name}, direct line {phone}. Please update your contact list.",
]
# which of COMMENTS_PII the quality team would never publish (people not in the survey's personal columns)
PII_NEVER_PUBLISHED = {1, 3, 4, 5}
# answers to the delivery question (tone from the respondent's delivery level); {name}, {company},
# {email} and {phone} are the respondent's own, the other slots as in write_comment
DELIVERY_COMMENTS = {
    False: [
        "Please confirm dates we can rely on; in {month} two orders slipped by a week.",
        "Call our warehouse at {phone} before a partial delivery, not after.",
        "{name} at {company} needs the dispatch notes by e-mail to {email}, not on paper.",
        "Lead times of {long_weeks} weeks for {qty} pcs are too long for us.",
        "Packaging was damaged on {n} of the last 10 deliveries.",
        "Late.",
        "The {part} for our {month} build came in two partial deliveries, the second {days} days late.",
        "Deliveries to our Ohio site still take {days} days from Charlotte; could they go direct?",
        "Wrong delivery address twice this year although it is on every PO.",
        "We still get the delay notice on the day the goods were due.",
        "Backlog orders from {month} are still open and nobody can give us a date.",
    ],
    True: [
        "Deliveries arrive on time now, the weekly backlog report helps a lot.",
        "The delay notices come early enough for our planning.",
        "On time.",
        "Much better than last year. The {part} came on the confirmed date for every order since {month}.",
        "Charlotte stock cut our lead time to {days} days, that is what we needed.",
        "Fine, no delivery problems this quarter.",
        "{n} deliveries this quarter, all on the confirmed date.",
        "Good. The dispatch notes now match what is in the box.",
        "A lead time of {weeks} weeks for the {part} is acceptable, as long as the date holds.",
        "Reliable since {month}. Please keep the safety stock for the {part}.",
    ],
}
COMPANY_STEMS = ["Aurora", "Kestrel", "Fjell", "Alpen", "Teknova", "Granite", "Harbor", "Summit",
                 "Polaris", "Meridian", "Lindholm", "Bergmann", "Oakridge", "Atlas", "Vector", "Cascade"]
COMPANY_TRADES = ["Hydraulics", "Fluid Power", "Machinery", "Lift Systems", "Marine", "Automation"]


def mark_comments(w: int, comments: list[str], never: set[int]) -> list[str]:
    """The quality team's publishable marks (yes, no, blank: not reviewed), from a random stream of their own
    so that the other columns stay as they were; comments in ``never`` (row numbers) are marked no."""
    mrng = np.random.default_rng(SEED + 100 + w)
    marks = []
    for i, text in enumerate(comments):
        u = mrng.random()
        if not text:
            marks.append("")
        elif i in never:
            marks.append("no")
        else:
            marks.append("yes" if u < 0.4 else "no" if u < 0.8 else "")
    return marks


def company_names(w: int, region: np.ndarray) -> tuple[list[str], np.random.Generator]:
    """Each respondent's company, and the random stream of the delivery comments (their own stream)."""
    crng = np.random.default_rng(SEED + 200 + w)
    companies = [f"{COMPANY_STEMS[crng.integers(len(COMPANY_STEMS))]} "
                 f"{COMPANY_TRADES[crng.integers(len(COMPANY_TRADES))]} {LEGAL[r][crng.integers(len(LEGAL[r]))]}"
                 for r in region]
    return companies, crng


def delivery_comments(crng: np.random.Generator, names: list[str], companies: list[str], emails: list[str],
                      region: np.ndarray, delivery: np.ndarray) -> list[str]:
    """Answers to the delivery question: about one respondent in ten (a few write "None"), in the tone of
    their delivery level ``delivery`` (the 1..5 latent scale)."""
    out = []
    for i in range(len(names)):
        if crng.random() >= 0.10:
            out.append("")
            continue
        if crng.random() < 0.06:
            out.append("None")
            continue
        tone = bool(delivery[i] > 3.9)
        pool = DELIVERY_COMMENTS[tone]
        template = pool[crng.integers(len(pool))]
        phone = PHONE[region[i]].format(a=crng.integers(20, 99), b=crng.integers(10, 99), c=crng.integers(1000, 9999))
        text = template.replace("{name}", names[i]).replace("{company}", companies[i]) \
            .replace("{email}", emails[i]).replace("{phone}", phone)
        out.append(write_comment(crng, text, tone))
    return out


# ---------------------------------------------------------------------- survey


def simulate_wave(rng: np.random.Generator, w: int) -> pd.DataFrame:
    wave = WAVES[w]
    n_small = int(rng.integers(11, 19))
    n = WAVE_N[w]
    region = np.array(list(rng.choice(REGIONS, size=n - n_small, p=REGION_P)) + [SMALL_REGION] * n_small)
    region = region[rng.permutation(n)]
    ctype_p = {r: [0.45, 0.35, 0.20] for r in REGIONS}
    ctype_p[SMALL_REGION] = [0.30, 0.60, 0.10]
    ctype = np.array([rng.choice(CUSTOMER_TYPES, p=ctype_p[r]) for r in region])

    # customers with a complaint in the last 12 months answer the complaints items
    complainer_p = np.select([ctype == "OEM", ctype == "Distributor"], [0.32, 0.25], 0.18)
    complainer = rng.random(n) < complainer_p

    latent = rng.normal(0, SD_LATENT, n) - 0.15 * complainer
    after_ca = w >= 4
    x: dict[str, np.ndarray] = {}
    level: dict[str, np.ndarray] = {}  # respondent's continuous dimension level
    sd_total = math.sqrt(SD_LATENT**2 + SD_DIMENSION**2 + SD_ITEM**2)
    for d, qs in DIMENSIONS.items():
        shift = np.zeros(n)
        if d == "delivery":  # shipped from Europe; the Charlotte safety stock helps after the CA
            shift += np.where(region == "North America", -0.10 if after_ca else -0.30, 0.0)
            shift += np.where(region == SMALL_REGION, -0.35, 0.0)
        if d == "commercial":
            shift += np.where(ctype == "Distributor", -0.20, 0.0)
        if d == "support":
            shift += np.where(ctype == "Aftermarket", -0.15, 0.0)
        shift += np.where(region == "Nordics", 0.08, 0.0)
        shift -= shift.mean()  # segment effects move segments, not the planned total
        if d == "complaints_handling":
            shift += 0.15 * complainer  # only complainers answer; undo their latent shift
        dev = rng.normal(0, SD_DIMENSION, n)
        mus = []
        for q in qs:
            mu = latent_mean(DIMENSION_TARGETS[d][w] + ITEM_OFFSET[q], sd_total)
            mus.append(mu)
            x[q] = to_scale(mu + latent + dev + shift + rng.normal(0, SD_ITEM, n), 1, 5)
        level[d] = float(np.mean(mus)) + latent + dev + shift

    overall_c = sum(WEIGHTS[d] * level[d] for d in DIMENSIONS) + 0.05 + rng.normal(0, 0.45, n)
    q_overall = to_scale(overall_c, 1, 5)
    q_nps = to_scale(7.75 + 2.1 * (overall_c - 3.9) + rng.normal(0, 1.05, n), 0, 10)
    q_repurchase = to_scale(overall_c + 0.25 + rng.normal(0, 0.5, n), 1, 5)

    # not applicable (0)
    na = {q: np.zeros(n, dtype=bool) for q in ITEMS}
    for q in ["q19", "q20", "q21"]:
        na[q] = np.where(complainer, rng.random(n) < 0.08, rng.random(n) < 0.97)
    na["q10"] = rng.random(n) < np.select([ctype == "OEM"], [0.12], 0.55)
    na["q11"] = rng.random(n) < np.select([ctype == "OEM", ctype == "Distributor"], [0.05, 0.35], 0.45)
    na["q9"] = rng.random(n) < 0.04
    for q in ["q15", "q18"]:
        na[q] = rng.random(n) < 0.03
    na["q17"] = rng.random(n) < 0.02

    cols: dict[str, pd.Series] = {}
    for q in ITEMS:
        v = np.where(na[q], 0, x[q])
        blank = rng.random(n) < BLANK_P[q]
        cols[q] = pd.Series(v, dtype="Int64").mask(blank)
    cols["q_overall"] = pd.Series(q_overall, dtype="Int64").mask(rng.random(n) < 0.01)
    cols["q_nps"] = pd.Series(q_nps, dtype="Int64").mask(rng.random(n) < 0.02)
    cols["q_repurchase"] = pd.Series(q_repurchase, dtype="Int64").mask(rng.random(n) < 0.025)

    # submission dates: most answers in the first days, a bump after the reminder on day 7
    start = np.datetime64(FIELD_START[w])
    first_week = rng.exponential(2.0, n)
    after_reminder = 7 + rng.exponential(3.0, n)
    days = np.where(rng.random(n) < 0.62, first_week, after_reminder)
    days = np.minimum(np.floor(days), 20).astype(int)
    submitted = start + days.astype("timedelta64[D]")

    names = [person(rng, r) for r in region]
    emails = [email_of(rng, f, l) for f, l in names]

    # comments: about one respondent in eight
    comments = [""] * n
    contact_names = [f"{f} {l}" for f, l in names]
    companies, crng = company_names(w, region)
    vrng = np.random.default_rng(SEED + 400 + w)  # the wording of the comments: a stream of its own
    never: set[int] = set()
    rel = {d: level[d] - level[d].mean() for d in DIMENSIONS if d != "complaints_handling"}
    for i in np.flatnonzero(rng.random(n) < 0.125):
        u = rng.random()
        if u < 0.14:
            other_first, other_last = person(rng, region[i])
            k = int(rng.integers(len(COMMENTS_PII)))
            if k in PII_NEVER_PUBLISHED:
                never.add(int(i))
            comments[i] = COMMENTS_PII[k].format(
                name=contact_names[i], company=companies[i], email=emails[i],
                phone=PHONE[region[i]].format(a=rng.integers(20, 99), b=rng.integers(10, 99),
                                              c=rng.integers(1000, 9999)),
                staff=NORVIK_STAFF[rng.integers(len(NORVIK_STAFF))],
                other=f"{other_first} {other_last}",
                other_email=email_of(rng, other_first, other_last),
            )
            continue
        if complainer[i] and u < 0.30:
            d = "complaints_handling"
            positive = level[d][i] > 4.0
        elif overall_c[i] >= 4.2:
            positive = True
            d = max(rel, key=lambda k: rel[k][i])
        else:
            positive = False
            d = min(rel, key=lambda k: rel[k][i])
        if d == "delivery" and positive and not after_ca:
            d = "quality"
        rng.integers(MAIN_STREAM_BOUND[positive][d])  # keeps the main stream in step (see MAIN_STREAM_BOUND)
        pool = (COMMENTS_POS if positive else COMMENTS_NEG)[d]
        comments[i] = write_comment(vrng, pool[vrng.integers(len(pool))], positive)

    df = pd.DataFrame({
        "submitted": submitted,
        "region": region,
        "customer_type": ctype,
        "email": emails,
        "contact_name": contact_names,
        "company": companies,
        **cols,
        "comment": comments,
        "publishable": mark_comments(w, comments, never),
        "comment_delivery": delivery_comments(crng, contact_names, companies, emails, region, level["delivery"]),
    })
    df["publishable_delivery"] = mark_comments(w + 50, list(df["comment_delivery"]), set())
    df = df.sort_values("submitted", kind="stable").reset_index(drop=True)
    short = wave[2:4] + wave[5:]
    df.insert(0, "respondent_id", [f"R{short}-{i + 1:04d}" for i in range(n)])
    df.insert(1, "wave", wave)

    # duplicate submissions: the same respondent sends the form again, changing a few answers
    quarter_end = (pd.Period(wave, freq="Q").end_time.normalize()).to_datetime64()
    dups = df.iloc[sorted(rng.choice(n, size=int(rng.integers(1, 4)), replace=False))].copy()
    for label in dups.index:
        for q in rng.choice(ITEMS, size=int(rng.integers(2, 5)), replace=False):
            value = dups.at[label, q]
            if pd.notna(value) and value != 0:
                dups.at[label, q] = int(np.clip(value + rng.choice([-1, 1]), 1, 5))
        later = dups.at[label, "submitted"] + np.timedelta64(int(rng.integers(0, 3)), "D")
        dups.at[label, "submitted"] = min(later, quarter_end)
    df = pd.concat([df, dups], ignore_index=True)
    df = df.sort_values(["submitted", "respondent_id"], kind="stable").reset_index(drop=True)
    for q in ITEMS + ["q_overall", "q_nps", "q_repurchase"]:
        df[q] = df[q].astype("Int64")
    df["submitted"] = pd.to_datetime(df["submitted"]).dt.strftime("%Y-%m-%d")
    return df


# ------------------------------------------- expectations (service-quality gaps)

# the expectation columns of the delivery and communication items, asked beside their perception rating
EXPECTATION_ITEMS = {"q5": "e5", "q6": "e6", "q7": "e7", "q8": "e8",
                     "q12": "e12", "q13": "e13", "q14": "e14", "q15": "e15"}
# planned expectation scores (0-100) per wave: customers expect reliable delivery throughout, so the
# delivery gap is wide before corrective action CA-2024-080 (2025-Q1) and narrows after it
EXPECTATION_TARGETS = {"delivery": [80, 80, 80, 81, 81, 81, 81, 82],
                       "communication": [79, 79, 79, 79, 80, 80, 80, 80]}
SD_EXPECT_PERSON, SD_EXPECT_ITEM = 0.35, 0.45


def add_expectations(rng: np.random.Generator, df: pd.DataFrame, w: int) -> pd.DataFrame:
    """The expectation columns, drawn with their own random stream (the perception answers stay as
    they were): a respondent's expectation level plus item noise; not applicable where the perception is,
    skipped as often as the perception."""
    n = len(df)
    person_level = rng.normal(0, SD_EXPECT_PERSON, n)
    sd_total = math.sqrt(SD_EXPECT_PERSON**2 + SD_EXPECT_ITEM**2)
    out = df.copy()
    for q, e in EXPECTATION_ITEMS.items():
        d = "delivery" if q in DIMENSIONS["delivery"] else "communication"
        mu = latent_mean(EXPECTATION_TARGETS[d][w], sd_total)
        values = pd.Series(to_scale(mu + person_level + rng.normal(0, SD_EXPECT_ITEM, n), 1, 5), dtype="Int64")
        values = values.mask(df[q].fillna(-1).to_numpy() == 0, 0).mask(rng.random(n) < BLANK_P[q])
        out.insert(out.columns.get_loc("comment"), e, values.to_numpy())
    return out


def generate_surveys(rng: np.random.Generator, expect_rng: np.random.Generator) -> list[Path]:
    out = []
    for w, wave in enumerate(WAVES):
        path = HERE / "surveys" / "css" / f"{wave}.csv"
        write_csv(add_expectations(expect_rng, simulate_wave(rng, w), w), path)
        out.append(path)
    return out


# ------------------------------------------------------------------ complaints

STEMS = ["Aurora", "Brandt", "Kestrel", "Fjell", "Nordstrand", "Alpen", "Rhein", "Teknova",
         "Granite", "Harbor", "Summit", "Ironbridge", "Vale", "Polaris", "Meridian", "Hexa",
         "Lindholm", "Strand", "Falk", "Bergmann", "Oakridge", "Pioneer", "Atlas", "Corona",
         "Vector", "Delta", "Kraft", "Sorensen", "Thornton", "Blackwater", "Redwood", "Cascade",
         "Eastbay", "Pacifica", "Sakura", "Lotus", "Southern Cross", "Kiwi", "Orion", "Nova"]
TRADES = ["Hydraulics", "Fluid Power", "Machinery", "Lift Systems", "Agritech", "Marine",
          "Automation", "Industrial Supply", "Mobile Equipment", "Forestry Machines", "Cranes",
          "Service"]
LEGAL = {"Nordics": ["AS", "AB", "Oy", "A/S"], "DACH": ["GmbH", "AG", "GmbH & Co. KG"],
         "UK & Ireland": ["Ltd", "Ltd", "plc"], "North America": ["Inc.", "LLC", "Corp."],
         "Asia Pacific": ["Pty Ltd", "Pte Ltd", "Co., Ltd."]}
PHONE = {"Nordics": "+47 {a} {b} {c}", "DACH": "+49 {a} 555 {c}", "UK & Ireland": "+44 {a} 555 {c}",
         "North America": "+1 704 555 {c}", "Asia Pacific": "+61 {a} 555 {c}"}

CATEGORIES = ["Dimensional nonconformity", "Surface finish", "Documentation/certificates",
              "Wrong quantity/part", "Packaging/transport damage", "Invoicing", "Communication"]
CATEGORY_P = [0.34, 0.15, 0.14, 0.12, 0.10, 0.08, 0.07]
LATE = "Late delivery"
# expected complaints per quarter
LAMBDA_OTHER = [36, 37, 36, 35, 34, 33, 32, 32]
LAMBDA_LATE = [13, 14, 15, 16, 10, 6, 5, 5]
SEVERITY_P = {
    "Dimensional nonconformity": [0.35, 0.52, 0.13],
    "Surface finish": [0.55, 0.40, 0.05],
    LATE: [0.45, 0.50, 0.05],
    "Wrong quantity/part": [0.50, 0.45, 0.05],
    "Packaging/transport damage": [0.60, 0.38, 0.02],
    "Documentation/certificates": [0.75, 0.23, 0.02],
    "Invoicing": [0.97, 0.03, 0.00],
    "Communication": [0.92, 0.08, 0.00],
}
SEVERITIES = ["minor", "major", "critical"]
MACHINED = ["Turned parts", "Milled housings", "Ground shafts"]
HYDRAULIC = ["Valve manifolds", "Directional valves", "Compact cylinders", "Fittings and adapters"]
PRODUCT_CODE = {"Turned parts": "TP", "Milled housings": "MH", "Ground shafts": "GS",
                "Valve manifolds": "VM", "Directional valves": "DV", "Compact cylinders": "CC",
                "Fittings and adapters": "FA"}
PORTAL_FROM = np.datetime64("2024-06-17")      # PR-1020 rev. 3.1
REPEAT_RULE_FROM = np.datetime64("2025-02-17")  # PR-1020 rev. 3.2
DELIVERY_CA_FROM, DELIVERY_CA_TO = np.datetime64("2024-11-04"), np.datetime64("2025-03-31")


def make_customers(rng: np.random.Generator, count: int = 160) -> pd.DataFrame:
    regions = rng.choice(REGIONS + [SMALL_REGION], size=count, p=[0.26, 0.29, 0.15, 0.23, 0.07])
    types = rng.choice(CUSTOMER_TYPES, size=count, p=[0.40, 0.40, 0.20])
    used: set[str] = set()
    rows = []
    for k in range(count):
        r = str(regions[k])
        while True:
            name = (f"{STEMS[rng.integers(len(STEMS))]} {TRADES[rng.integers(len(TRADES))]} "
                    f"{LEGAL[r][rng.integers(len(LEGAL[r]))]}")
            if name not in used:
                used.add(name)
                break
        contacts = []
        for _ in range(int(rng.integers(1, 4))):
            f, l = person(rng, r)
            phone = PHONE[r].format(a=rng.integers(20, 99), b=rng.integers(10, 99), c=rng.integers(1000, 9999))
            contacts.append((f"{f} {l}", email_of(rng, f, l), phone))
        factor = {"OEM": 1.6, "Distributor": 1.0, "Aftermarket": 0.6}[str(types[k])]
        rows.append({"customer_id": f"CUST-{1001 + k}", "customer_name": name, "region": r,
                     "customer_type": str(types[k]), "contacts": contacts,
                     "weight": factor * min(rng.pareto(2.0) + 0.4, 4.0)})
    return pd.DataFrame(rows)


def random_day(rng: np.random.Generator, q: int) -> np.datetime64:
    start = pd.Period(WAVES[q], freq="Q").start_time.to_datetime64().astype("datetime64[D]")
    end = pd.Period(WAVES[q], freq="Q").end_time.to_datetime64().astype("datetime64[D]")
    days = np.arange(start, end + np.timedelta64(1, "D"))
    weight = np.where(np.is_busday(days), 1.0, 0.12)
    return days[rng.choice(len(days), p=weight / weight.sum())]


def describe_complaint(rng: np.random.Generator, category: str, product: str, contact: tuple,
                       received: np.datetime64) -> str:
    pn = f"NPC-{PRODUCT_CODE[product]}-{rng.integers(1000, 9999)}"
    po = f"PO {rng.integers(4500000, 4599999)}"
    n = int(rng.choice([20, 50, 100, 200, 250, 500, 1000]))
    k = int(max(1, round(n * rng.uniform(0.02, 0.3))))
    d = float(rng.choice([8, 10, 12, 16, 20, 25, 32]))
    late_days = int(rng.integers(3, 25))
    confirmed = pd.Timestamp(received - np.timedelta64(late_days, "D")).isocalendar()
    texts = {
        "Dimensional nonconformity": [
            f"Bore diameter {d:.0f} H7 measured {d + rng.uniform(0.021, 0.06):.3f} mm on {k} of {n} pcs "
            f"of {pn} at incoming inspection. Parts blocked at goods-in.",
            f"Thread M{int(d)}x1.5 on {pn} does not accept the go gauge, {k} pcs affected ({po}).",
            f"Position of cross-bore out of tolerance by {rng.uniform(0.05, 0.3):.2f} mm on {pn}, "
            f"found in our assembly. {k} pcs scrapped.",
        ],
        "Surface finish": [
            f"Ra {rng.uniform(1.0, 2.4):.1f} um measured on the sealing face of {pn}, drawing requires Ra 0.8.",
            f"Burrs in the cross-drillings of {pn}, found during assembly ({k} of {n} pcs).",
            f"Corrosion spots on {k} pcs of {pn} after two weeks in our store.",
        ],
        LATE: [
            f"{po} confirmed for week {confirmed.week}/{confirmed.year}, delivered {late_days} days late. "
            f"Our assembly line was waiting for {pn}.",
            f"Partial delivery only for {po}; the remaining {k} pcs of {pn} are still open without any notice.",
            f"Confirmed date for {pn} moved twice, no recovery plan received.",
        ],
        "Wrong quantity/part": [
            f"Delivery note says {n} pcs of {pn}, the box contained {n - k}.",
            f"Received {pn[:-4]}{rng.integers(1000, 9999)} instead of {pn} ({po}).",
            f"Mixed revisions in one delivery of {pn}: {k} pcs at the old drawing revision.",
        ],
        "Packaging/transport damage": [
            f"Pallet collapsed in transit, {k} pcs of {pn} with impact damage.",
            f"Ports of {pn} not capped, risk of contamination. {n} pcs returned for cleaning.",
            f"Wet cartons on arrival, corrosion on {k} pcs of {pn}.",
        ],
        "Documentation/certificates": [
            f"EN 10204 3.1 certificate missing for {pn}, heat number not traceable ({po}).",
            f"First-article inspection report not provided with the first delivery of {pn} as agreed.",
            f"Cleanliness report for {pn} shows the wrong ISO 4406 code.",
        ],
        "Invoicing": [
            f"Invoice for {po} priced at the old price list.",
            f"Freight charged twice on the invoice for {po}.",
            f"Invoice quantity {n} does not match the delivered quantity {n - k} ({po}).",
        ],
        "Communication": [
            f"No reply to three e-mails about {po}.",
            f"Order confirmation for {po} received only after the delivery.",
            f"Not informed about the change of coating supplier for {pn}.",
        ],
    }
    options = texts[category]
    text = options[rng.integers(len(options))]
    if rng.random() < 0.2:
        text += f" Reported by {contact[0]} ({contact[1]}, {contact[2]})."
    return text


def generate_complaints(rng: np.random.Generator) -> tuple[Path, str]:
    customers = make_customers(rng)
    cust_p = customers["weight"].to_numpy() / customers["weight"].sum()
    rows = []
    for q in range(len(WAVES)):
        cats = [LATE] * int(rng.poisson(LAMBDA_LATE[q])) + list(
            rng.choice(CATEGORIES, size=int(rng.poisson(LAMBDA_OTHER[q])), p=CATEGORY_P))
        for category in cats:
            c = customers.iloc[rng.choice(len(customers), p=cust_p)]
            received = random_day(rng, q)
            if c["customer_type"] == "OEM":
                family = MACHINED if rng.random() < 0.7 else HYDRAULIC
            else:
                family = HYDRAULIC if rng.random() < 0.85 else MACHINED
            product = family[rng.integers(len(family))]
            contact = c["contacts"][rng.integers(len(c["contacts"]))]
            channel = str(rng.choice(["e-mail", "phone", "portal", "visit"], p=[0.50, 0.20, 0.22, 0.08]))
            if channel == "portal" and received < PORTAL_FROM:
                channel = "e-mail"
            rows.append({"received": received, "customer": c, "category": category, "product": product,
                         "contact": contact, "channel": channel,
                         "severity": str(rng.choice(SEVERITIES, p=SEVERITY_P[category]))})
    rows.sort(key=lambda r: (r["received"], r["customer"]["customer_id"], r["category"]))

    out = []
    seq: dict[int, int] = {}
    ca_seq: dict[int, int] = {}
    recent_ca: dict[tuple, tuple[np.datetime64, str]] = {}
    last_seen: dict[tuple, np.datetime64] = {}
    delivery_ca = ""
    for r in rows:
        received = r["received"]
        year = int(str(received)[:4])
        seq[year] = seq.get(year, 0) + 1
        c = r["customer"]
        key = (c["customer_id"], r["category"], r["product"])
        severity = r["severity"]
        repeat = key in last_seen and (received - last_seen[key]) <= np.timedelta64(182, "D")
        if repeat and severity == "minor" and received >= REPEAT_RULE_FROM:
            severity = "major"
        last_seen[key] = received

        ca = ""
        if severity != "minor":
            systemic = r["category"] == LATE and DELIVERY_CA_FROM <= received <= DELIVERY_CA_TO
            if systemic and delivery_ca:
                ca = delivery_ca
            elif key in recent_ca and received - recent_ca[key][0] <= np.timedelta64(90, "D"):
                ca = recent_ca[key][1]
            else:
                # corrective actions are also opened from audits and internal findings: gaps in numbering
                ca_seq[year] = ca_seq.get(year, 0) + 1 + int(rng.random() < 0.25)
                ca = f"CA-{year}-{ca_seq[year]:03d}"
                if systemic:
                    delivery_ca = ca
            recent_ca[key] = (received, ca)

        # acknowledgement in working days (target: 2)
        ack_days = int(rng.choice([0, 1, 2, 3, 4, 6], p=[0.34, 0.45, 0.16, 0.03, 0.015, 0.005]))
        acknowledged = np.busday_offset(received, ack_days, roll="forward")
        if rng.random() < 0.006 or acknowledged > END:
            acknowledged = None

        median = {"minor": 7.0, "major": 11.0, "critical": 13.0}[severity]
        median *= {LATE: 0.8, "Invoicing": 0.7, "Communication": 0.7,
                   "Dimensional nonconformity": 1.15}.get(r["category"], 1.0)
        median *= 1.08 if year == 2024 else 0.95
        days = max(1, math.ceil(median * math.exp(rng.normal(0, 0.62))))
        due = received + np.timedelta64(days, "D")
        shutdown = np.datetime64(f"{year}-12-22")  # Christmas shutdown of the plants until 2 January
        if received < shutdown <= due:
            due += np.timedelta64(11, "D")
        resolved = np.busday_offset(due, 0, roll="forward")
        if acknowledged is not None and resolved < acknowledged:
            resolved = acknowledged
        if resolved > END:
            resolved = None

        out.append({
            "complaint_id": f"C-{year}-{seq[year]:04d}",
            "received": str(received),
            "acknowledged": "" if acknowledged is None else str(acknowledged),
            "resolved": "" if resolved is None else str(resolved),
            "customer_id": c["customer_id"],
            "customer_name": c["customer_name"],
            "contact_name": r["contact"][0],
            "contact_email": r["contact"][1],
            "contact_phone": r["contact"][2],
            "region": c["region"],
            "customer_type": c["customer_type"],
            "product": r["product"],
            "category": r["category"],
            "severity": severity,
            "channel": r["channel"],
            "corrective_action": ca,
            "description": describe_complaint(rng, r["category"], r["product"], r["contact"], received),
        })

    # two disputed complaints from mid-2025 are still open at the cut-off date
    disputed = [i for i, o in enumerate(out)
                if o["severity"] != "minor" and "2025-05-01" <= o["received"] <= "2025-09-30"]
    for i in sorted(rng.choice(disputed, size=2, replace=False)):
        out[i]["resolved"] = ""
        out[i]["description"] += " Customer disputes the root cause; joint measurement at the customer site pending."

    # a few complaints taken at visits were logged without recording the acknowledgement
    no_ack = [i for i, o in enumerate(out) if o["channel"] == "visit" and o["acknowledged"]]
    for i in sorted(rng.choice(no_ack, size=3, replace=False)):
        out[i]["acknowledged"] = ""

    path = HERE / "complaints.csv"
    write_csv(pd.DataFrame(out), path)
    return path, delivery_ca


# ============================================================ internal survey
# Internal customer survey (policy/surveys/internal.yml, SV-002), twice a year:
# every department rates the departments that supply its work. Its own seed, so
# that the other data files do not change when this simulation does.

INTERNAL_SEED = 9006
INTERNAL_WAVES = ["2025-H1", "2025-H2"]
INTERNAL_FIELD_START = ["2025-06-16", "2025-12-08"]
INTERNAL_DIMENSIONS = {
    "responsiveness": ["n01", "n02", "n03"],
    "work_quality": ["n04", "n05", "n06"],
    "cooperation": ["n07", "n08", "n09", "n10"],
    "know_how": ["n11", "n12", "n13"],
}
INTERNAL_WEIGHTS = {"responsiveness": 0.30, "work_quality": 0.30, "cooperation": 0.20, "know_how": 0.20}
INTERNAL_ITEMS = [q for qs in INTERNAL_DIMENSIONS.values() for q in qs]
# (supplier, internal customer): planned score (0-100) in H1 and H2
INTERNAL_PAIRS = {
    ("Sales", "Production Planning"): (62, 64),
    ("Sales", "Engineering"): (65, 67),
    ("Production Planning", "Production"): (67, 69),
    ("Production Planning", "Sales"): (65, 68),
    ("Purchasing", "Production Planning"): (61, 63),
    ("Purchasing", "Engineering"): (67, 68),
    ("Engineering", "Production"): (64, 66),
    ("Engineering", "Sales"): (70, 72),
    ("Production", "Logistics"): (69, 70),
    ("Production", "Quality"): (70, 71),
    ("Quality", "Production"): (71, 72),
    ("Quality", "Logistics"): (77, 78),
    ("Quality", "Sales"): (72, 74),
    ("Logistics", "Sales"): (59, 71),
}
# dimension offsets (0-100 points) of each supplying department
INTERNAL_OFFSET = {
    "Sales": {"responsiveness": 2, "work_quality": -6, "cooperation": 2, "know_how": 1},
    "Production Planning": {"responsiveness": -2, "work_quality": 0, "cooperation": -3, "know_how": 4},
    "Purchasing": {"responsiveness": -6, "work_quality": 1, "cooperation": 2, "know_how": 3},
    "Engineering": {"responsiveness": -5, "work_quality": 0, "cooperation": -1, "know_how": 8},
    "Production": {"responsiveness": 2, "work_quality": -3, "cooperation": 0, "know_how": 1},
    "Quality": {"responsiveness": 0, "work_quality": 2, "cooperation": -2, "know_how": 3},
    "Logistics": {"responsiveness": 3, "work_quality": 2, "cooperation": -7, "know_how": 0},
}
# From July 2025 the ERP e-mails every dispatch confirmation with the carrier's
# tracking number to Sales: Logistics' communication with Sales improves in H2.
INTERNAL_H2_STEP = {("Logistics", "Sales"): {"cooperation": 6}}
INTERNAL_COMMENTS = {
    ("Sales", "Production Planning"): [
        "Orders are entered without the drawing revision; we have to chase Sales before we can plan.",
        "Too many rush orders agreed with customers without checking capacity first."],
    ("Sales", "Engineering"): ["Customer requirements reach us in pieces; feasibility reviews need several loops."],
    ("Production Planning", "Production"): ["The plan changes several times a shift on the manifold line."],
    ("Purchasing", "Production Planning"): [
        "We hear about late bar stock only when the job is due to start.",
        "Supplier delays should be flagged at least three days before the material is needed."],
    ("Engineering", "Production"): [
        "Drawing changes are released without telling the shop floor; we machined to the old revision once.",
        "CNC programs for new parts arrive late for the first-article run."],
    ("Quality", "Logistics"): ["Inspection releases are quick and rarely hold up dispatch."],
    ("Quality", "Sales"): ["8D answers for customers could come faster."],
    ("Logistics", "Sales"): [
        "We do not get tracking numbers after dispatch and cannot answer customers who ask.",
        "Rush shipments need several phone calls before we know they have left."],
}
INTERNAL_COMMENTS_H2 = {
    ("Logistics", "Sales"): [
        "Since the dispatch e-mails started we can see straight away what has shipped.",
        "Much better this half-year: tracking numbers arrive the same day."],
}
INTERNAL_COMMENTS_PII = [
    "Thanks to {name} in {dept} for staying late to get our rush order out.",
    "Call me on extension {ext} if you want details. {name}",
    "{name} from {dept} is a great contact, we would like more of that.",
]


def _internal_pair(rng: np.random.Generator, supplier: str, customer: str, w: int) -> pd.DataFrame:
    """The rating forms of one (supplier, internal customer) pair in one wave."""
    n = int(rng.integers(8, 16))
    sd_total = math.sqrt(0.5**2 + 0.3**2 + 0.5**2)
    rater = rng.normal(0, 0.5, n)
    planned = INTERNAL_PAIRS[(supplier, customer)][w]
    cols: dict[str, pd.Series] = {}
    level: dict[str, np.ndarray] = {}
    for d, qs in INTERNAL_DIMENSIONS.items():
        offset = INTERNAL_OFFSET[supplier][d]
        if w == 1:
            offset += INTERNAL_H2_STEP.get((supplier, customer), {}).get(d, 0)
        dev = rng.normal(0, 0.3, n)
        mus = [latent_mean(planned + offset, sd_total) for _ in qs]
        for q, mu in zip(qs, mus):
            v = to_scale(mu + rater + dev + rng.normal(0, 0.5, n), 1, 5)
            if q == "n03":  # no urgent case with this department in the half-year
                v = np.where(rng.random(n) < 0.15, 0, v)
            if q == "n12":
                v = np.where(rng.random(n) < 0.08, 0, v)
            cols[q] = pd.Series(v, dtype="Int64").mask(rng.random(n) < 0.02)
        level[d] = float(np.mean(mus)) + rater + dev
    overall_c = sum(INTERNAL_WEIGHTS[d] * level[d] for d in INTERNAL_DIMENSIONS) + rng.normal(0, 0.4, n)
    cols["n_overall"] = pd.Series(to_scale(overall_c, 1, 5), dtype="Int64").mask(rng.random(n) < 0.01)
    comments = [""] * n
    for i in np.flatnonzero(rng.random(n) < 0.18):
        if rng.random() < 0.15:
            first, last = person(rng, "Nordics" if rng.random() < 0.6 else "DACH")
            template = INTERNAL_COMMENTS_PII[rng.integers(len(INTERNAL_COMMENTS_PII))]
            comments[i] = template.format(name=f"{first} {last}", dept=supplier, ext=int(rng.integers(4100, 4899)))
            continue
        pool = (INTERNAL_COMMENTS_H2.get((supplier, customer)) if w == 1 else None) or \
            INTERNAL_COMMENTS.get((supplier, customer))
        if pool:
            comments[i] = pool[rng.integers(len(pool))]
    start = np.datetime64(INTERNAL_FIELD_START[w])
    days = np.minimum(np.floor(rng.exponential(3.0, n)), 11).astype(int)
    submitted = np.busday_offset(start, days, roll="forward")
    return pd.DataFrame({"submitted": submitted, "supplier_dept": supplier, "customer_dept": customer,
                         **cols, "comment": comments})


def simulate_internal_wave(rng: np.random.Generator, w: int) -> pd.DataFrame:
    """One half-year of the internal customer survey: every pair's forms, in submission order."""
    wave = INTERNAL_WAVES[w]
    frames = [_internal_pair(rng, s, c, w) for s, c in INTERNAL_PAIRS]
    df = pd.concat(frames, ignore_index=True).sort_values("submitted", kind="stable").reset_index(drop=True)
    df.insert(0, "respondent_id", [f"IC{wave[2:4]}{wave[5:]}-{i + 1:04d}" for i in range(len(df))])
    df.insert(1, "wave", wave)
    df["submitted"] = pd.to_datetime(df["submitted"]).dt.strftime("%Y-%m-%d")
    return df


def generate_internal() -> list[Path]:
    rng = np.random.default_rng(INTERNAL_SEED)
    out = []
    for w, wave in enumerate(INTERNAL_WAVES):
        path = HERE / "surveys" / "internal" / f"{wave}.csv"
        write_csv(simulate_internal_wave(rng, w), path)
        out.append(path)
    return out


# ========================================================== benchmark survey
# Supplier benchmark survey (policy/surveys/css_benchmark.yml, SV-003), every October:
# respondents rate Norvik and the other supplier they buy the same parts from
# (one row per company rated); loyalty items are asked about Norvik only.
# Its own seed, like the internal survey.

BENCHMARK_SEED = 9003
US = "Norvik"
BENCHMARK_WAVES = ["2024", "2025"]
BENCHMARK_N = [236, 262]
BENCHMARK_FIELD_START = ["2024-10-07", "2025-10-06"]
BENCHMARK_DIMENSIONS = {
    "quality": ["b1", "b2"],
    "delivery": ["b3", "b4"],
    "support": ["b5", "b6"],
    "service": ["b7", "b8"],
    "value": ["b9", "b10"],
}
BENCHMARK_WEIGHTS = {"quality": 0.30, "delivery": 0.25, "support": 0.15, "service": 0.10, "value": 0.20}
BENCHMARK_ITEMS = [q for qs in BENCHMARK_DIMENSIONS.values() for q in qs]
BENCHMARK_OFFSET = {"b1": 2, "b2": -2, "b3": -3, "b4": 3, "b5": 1, "b6": -1, "b7": 1, "b8": -1, "b9": -2, "b10": 2}
# planned dimension scores (0-100) per wave: Norvik's delivery improves after CA-2024-080
# (from 2025-Q1); Kessler is strong on quality and support and dear, Hartwell cheap and quick
BENCHMARK_TARGETS = {
    US: {"quality": (80, 82), "delivery": (62, 75), "support": (80, 81), "service": (74, 77), "value": (70, 71)},
    "Kessler": {"quality": (85, 85), "delivery": (66, 67), "support": (83, 83), "service": (70, 70),
                "value": (61, 62)},
    "Hartwell": {"quality": (71, 72), "delivery": (74, 74), "support": (65, 66), "service": (73, 73),
                 "value": (77, 77)},
}
# the competitors by the short names the respondents choose from: Hartwell Precision Ltd
# (UK) and Kessler Fluidtechnik GmbH (Germany), both invented
COMPETITORS = ["Hartwell", "Kessler"]
# which competitor a customer names, by customer type
COMPETITOR_P = {"OEM": [0.40, 0.60], "Distributor": [0.65, 0.35], "Aftermarket": [0.70, 0.30]}
NO_COMPETITOR_P = 0.12  # share of respondents who buy these parts from Norvik only
SD_STYLE, SD_ATTITUDE, SD_BDIM, SD_BITEM = 0.35, 0.40, 0.30, 0.50


def _benchmark_levels(rng: np.random.Generator, company: str, w: int, attitude: np.ndarray
                      ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """One company's item answers from respondents with ``attitude``, and their overall satisfaction (latent)."""
    n = attitude.size
    sd_total = math.sqrt(SD_STYLE**2 + SD_ATTITUDE**2 + SD_BDIM**2 + SD_BITEM**2)
    x: dict[str, np.ndarray] = {}
    overall = np.full(n, 0.05)
    for d, qs in BENCHMARK_DIMENSIONS.items():
        dev = rng.normal(0, SD_BDIM, n)
        mus = [latent_mean(BENCHMARK_TARGETS[company][d][w] + BENCHMARK_OFFSET[q], sd_total) for q in qs]
        for q, mu in zip(qs, mus):
            x[q] = to_scale(mu + attitude + dev + rng.normal(0, SD_BITEM, n), 1, 5)
        overall = overall + BENCHMARK_WEIGHTS[d] * (float(np.mean(mus)) + attitude + dev)
    return x, overall + rng.normal(0, 0.42, n)


def _benchmark_columns(rng: np.random.Generator, x: dict[str, np.ndarray], overall: np.ndarray,
                       blank: float) -> dict[str, pd.Series]:
    """Answer columns with skipped answers and "not applicable" (0) for design-in support."""
    n = overall.size
    cols = {}
    for q in BENCHMARK_ITEMS:
        v = np.where((q == "b5") & (rng.random(n) < 0.2), 0, x[q])
        cols[q] = pd.Series(v, dtype="Int64").mask(rng.random(n) < blank)
    cols["b_overall"] = pd.Series(to_scale(overall, 1, 5), dtype="Int64").mask(rng.random(n) < 0.01)
    return cols


def simulate_benchmark_wave(rng: np.random.Generator, w: int) -> pd.DataFrame:
    """One annual wave: a Norvik row per respondent, and a row for the competitor most of them name."""
    wave, n = BENCHMARK_WAVES[w], BENCHMARK_N[w]
    ctype = rng.choice(CUSTOMER_TYPES, size=n, p=[0.48, 0.36, 0.16])
    style = rng.normal(0, SD_STYLE, n)  # response style: shared by both companies a respondent rates
    x, overall = _benchmark_levels(rng, US, w, style + rng.normal(0, SD_ATTITUDE, n))
    us_cols = _benchmark_columns(rng, x, overall, 0.02)
    # loyalty is not satisfaction: designed-in OEM parts are switched rarely, distributors carry several brands
    switching = np.select([ctype == "OEM", ctype == "Distributor"], [0.30, -0.25], 0.0)
    nps = to_scale(7.6 + 2.0 * (overall - 3.8) + rng.normal(0, 1.1, n), 0, 10)
    repurchase = to_scale(3.9 + 0.6 * (overall - 3.8) + switching + rng.normal(0, 0.55, n), 1, 5)
    share = to_scale(3.2 + 0.7 * (overall - 3.8) + 0.5 * switching + rng.normal(0, 0.7, n), 1, 5)
    us_cols["b_nps"] = pd.Series(nps, dtype="Int64").mask(rng.random(n) < 0.02)
    us_cols["b_repurchase"] = pd.Series(repurchase, dtype="Int64").mask(rng.random(n) < 0.02)
    us_cols["b_share"] = pd.Series(share, dtype="Int64").mask(rng.random(n) < 0.04)

    cum = np.cumsum(np.array([COMPETITOR_P[t] for t in ctype]), axis=1)
    competitor = np.array(COMPETITORS)[(rng.random(n)[:, None] > cum).sum(axis=1)]
    has_competitor = rng.random(n) >= NO_COMPETITOR_P
    attitude_comp = style + rng.normal(0, SD_ATTITUDE, n)
    comp_x = {q: np.zeros(n, dtype=np.int64) for q in BENCHMARK_ITEMS}
    comp_overall = np.zeros(n)
    for c in COMPETITORS:
        rows = np.flatnonzero(competitor == c)
        xc, oc = _benchmark_levels(rng, c, w, attitude_comp[rows])
        for q in BENCHMARK_ITEMS:
            comp_x[q][rows] = xc[q]
        comp_overall[rows] = oc
    comp_cols = _benchmark_columns(rng, comp_x, comp_overall, 0.04)
    for q in ("b_nps", "b_repurchase", "b_share"):
        comp_cols[q] = pd.Series([pd.NA] * n, dtype="Int64")

    start = np.datetime64(BENCHMARK_FIELD_START[w])
    days = np.where(rng.random(n) < 0.6, rng.exponential(2.5, n), 9 + rng.exponential(3.0, n))
    submitted = np.busday_offset(start, np.minimum(np.floor(days), 20).astype(int), roll="forward")
    order = np.argsort(submitted, kind="stable")
    rid = np.empty(n, dtype=object)
    rid[order] = [f"BM{wave[2:]}-{k + 1:04d}" for k in range(n)]
    base = {"respondent_id": rid, "wave": wave, "submitted": submitted, "customer_type": ctype}
    us = pd.DataFrame({**base, "rated_company": US, **us_cols}).assign(_row=0)
    comp = pd.DataFrame({**base, "rated_company": competitor, **comp_cols}).assign(_row=1)[has_competitor]
    df = pd.concat([us, comp], ignore_index=True)
    df = df.sort_values(["submitted", "respondent_id", "_row"], kind="stable").drop(columns="_row")
    df = df.reset_index(drop=True)
    df["submitted"] = pd.to_datetime(df["submitted"]).dt.strftime("%Y-%m-%d")
    return df


def generate_benchmark() -> list[Path]:
    rng = np.random.default_rng(BENCHMARK_SEED)
    out = []
    for w, wave in enumerate(BENCHMARK_WAVES):
        path = HERE / "surveys" / "css_benchmark" / f"{wave}.csv"
        write_csv(simulate_benchmark_wave(rng, w), path)
        out.append(path)
    return out
# ------------------------------------------------- lost customers, customer list
# Seeded apart from the other generators ([SEED, 12, k]), so that adding them changed no other file.

LOST_WAVES = ["2025-H1", "2025-H2"]
LOST_N = [74, 81]
LOST_REASONS = ["Late deliveries", "Price", "Quality problems", "Slow response to complaints",
                "Product range", "Moved production abroad", "Account management"]
# chance that a respondent names each reason, per wave: late deliveries fall after the corrective action
LOST_REASON_P = [[0.52, 0.44, 0.30, 0.22, 0.14, 0.10, 0.05],
                 [0.34, 0.47, 0.27, 0.20, 0.16, 0.11, 0.06]]
LOST_WENT_TO = ["Hydrotec", "Valcor", "PrecisionParts Ltd", "In-house production", "Other"]
LOST_WENT_TO_P = [0.36, 0.27, 0.16, 0.13, 0.08]


def generate_lost(rng: np.random.Generator) -> list[Path]:
    """The lost-customer survey (policy/surveys/lost.yml): former customers asked why they left, where
    they went and how likely they are to come back, half-yearly. Reasons are a multiple choice joined by
    ';'; a respondent names one to three; some skip where they went; the win-back item is 0..10."""
    paths = []
    for w, (wave, n) in enumerate(zip(LOST_WAVES, LOST_N)):
        rows = []
        for k in range(n):
            p = np.array(LOST_REASON_P[w])
            chosen = [r for r, q in zip(LOST_REASONS, p) if rng.random() < q]
            if not chosen:
                chosen = [LOST_REASONS[int(rng.choice(len(LOST_REASONS), p=p / p.sum()))]]
            went = "" if rng.random() < 0.12 else str(rng.choice(LOST_WENT_TO, p=LOST_WENT_TO_P))
            level = rng.normal(3.0 - 0.4 * ("Quality problems" in chosen), 0.8)
            answers = {f"l{j}": int(to_scale(np.array([level + rng.normal(0, 0.6)]), 1, 5)[0]) for j in range(1, 5)}
            winback = int(to_scale(np.array([rng.normal(5.2 + 0.6 * w - 1.5 * ("Price" in chosen), 2.4)]), 0, 10)[0])
            first, last = person(rng, REGIONS[int(rng.integers(len(REGIONS)))])
            rows.append({"respondent_id": f"L{wave[2:4]}{wave[-2:]}-{k + 1:03d}", "wave": wave,
                         "email": email_of(rng, first, last), **answers,
                         "reasons": ";".join(chosen), "went_to": went, "q_winback": winback})
        path = HERE / "surveys" / "lost" / f"{wave}.csv"
        write_csv(pd.DataFrame(rows), path)
        paths.append(path)
    return paths


CUSTOMER_QUARTERS = WAVES  # 2024-Q1 .. 2025-Q4
CUSTOMER_REGIONS = ["Nordics", "DACH", "UK & Ireland", "North America", "Asia Pacific"]
CUSTOMER_REGION_P = [0.30, 0.29, 0.16, 0.20, 0.05]


def generate_customer_list(rng: np.random.Generator, count: int = 340) -> Path:
    """data/customers.csv: one row per customer and quarter with orders (its revenue in EUR). Most
    customers are there from 2024-Q1, the others start later; each quarter a customer stops for good
    with a chance that falls after the delivery corrective action of 2025-Q1 (about 7 % before, 5 %
    after), or pauses a quarter (3 %). Asia Pacific is small, so its segment cells are suppressed."""
    rows = []
    for c in range(count):
        cid = f"NV-C{10400 + 7 * c + int(rng.integers(0, 7))}"
        region = str(rng.choice(CUSTOMER_REGIONS, p=CUSTOMER_REGION_P))
        ctype = str(rng.choice(CUSTOMER_TYPES, p=[0.35, 0.40, 0.25]))
        start = 0 if rng.random() < 0.7 else int(rng.integers(1, len(CUSTOMER_QUARTERS)))
        size = float(rng.lognormal(10.2, 0.9))
        for q in range(start, len(CUSTOMER_QUARTERS)):
            if q > start and rng.random() < (0.07 if q < 4 else 0.05):
                break
            if q > start and rng.random() < 0.03:
                continue
            revenue = round(size * float(rng.lognormal(0, 0.35)), 2)
            rows.append({"customer_id": cid, "period": CUSTOMER_QUARTERS[q], "region": region,
                         "customer_type": ctype, "revenue": revenue})
    path = HERE / "customers.csv"
    write_csv(pd.DataFrame(rows), path)
    return path


def main() -> None:
    survey_seq, complaints_seq, expectation_seq = np.random.SeedSequence(SEED).spawn(3)
    for path in generate_surveys(np.random.default_rng(survey_seq), np.random.default_rng(expectation_seq)):
        print(f"wrote {path.relative_to(HERE.parent)}")
    path, delivery_ca = generate_complaints(np.random.default_rng(complaints_seq))
    print(f"wrote {path.relative_to(HERE.parent)} (delivery reliability corrective action: {delivery_ca})")
    for path in [*generate_internal(), *generate_benchmark(), *generate_lost(np.random.default_rng([SEED, 12, 1])),
                 generate_customer_list(np.random.default_rng([SEED, 12, 2]))]:
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
