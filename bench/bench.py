"""Speed benchmark: `qmdoc figures` on a million survey responses vs. a polars baseline, then ten million.

Generates (once, seeded, in chunks of a million rows so that generating needs
little memory) a survey of 1,000,000 responses — 20 items (19 on 1..5 in five
dimensions, one 0..10 recommend item), 8 waves, 3 segment columns — then
measures in one run:

* the baseline: polars' lazy ``scan_csv`` and one group-by mean per wave,
  the least any tool must do with that file;
* ``qmdoc figures SURVEY.yml DATA.csv --json`` (output to /dev/null).

Both run as separate processes; wall time, processor time (user + system, of
the process and its threads) and peak resident memory of each are measured
with ``os.wait4``. On a shared machine judge by the processor times: the
ratio is given on both. Targets: ratio <= 2 (stretch 1.5), peak
memory <= 1 GiB.

Then ``qmdoc figures`` on ten times the rows (10,000,000 responses, about
0.8 GB of CSV, generated and kept like the first file): targets peak memory
<= 1.5 GiB and time <= 11x the first file's. ``--no-10m`` skips it.

Then, in this process, the bootstraps on generated (seeded) data: the PLS
model's, 5000 resamples of an ECSI-sized model (250 respondents, 24 items in
7 latent variables, 12 paths; target < 10 s), and the key drivers', 2000
resamples of 250 respondents and 6 dimensions. ``--bootstrap-only`` runs just
these.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ROWS = 1_000_000
WAVES = [f"{y}-Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
DIMENSIONS = {"quality": 4, "delivery": 4, "support": 4, "communication": 4, "commercial": 3}
SEGMENTS = {"region": ["DACH", "Nordics", "UK", "North America", "Asia Pacific", "Islands"],
            "customer_type": ["OEM", "Distributor", "Aftermarket"],
            "size": ["small", "medium", "large", "key account"]}

SURVEY = """id: bench
title: Benchmark survey
scale: {min: 1, max: 5}
not_applicable: [0]
respondent: respondent_id
wave: wave
segments: [region, customer_type, size]
min_cell_n: 30
population: {size: 2000000}
recommend: q_nps
importance: stated
dimensions:
%s
items:
  - {id: q_nps, text: Recommend, scale: {min: 0, max: 10}}
"""


def item_ids() -> dict[str, list[str]]:
    out, k = {}, 1
    for dim, count in DIMENSIONS.items():
        out[dim] = [f"q{k + i}" for i in range(count)]
        k += count
    return out


CHUNK = 1_000_000  # rows generated at a time: the first million are the same for every size


def generate(rows: int, path: Path) -> None:
    """``rows`` seeded responses written to ``path``, a million at a time (each chunk its own seed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with part.open("w", encoding="utf-8", newline="") as out:
        for k, start in enumerate(range(0, rows, CHUNK)):
            frame = _chunk(k, start, min(CHUNK, rows - start))
            for a in range(0, len(frame), 100_000):  # formatted a slice at a time: less memory
                frame.iloc[a : a + 100_000].to_csv(out, index=False, header=k == 0 and a == 0, lineterminator="\n")
            del frame
    part.replace(path)


def _chunk(k: int, start: int, rows: int):  # noqa: ANN202
    """Chunk ``k`` of the responses: ``rows`` rows from respondent ``start`` on, each wave's rows together."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(20261125 if k == 0 else [20261125, k])
    frame = {"respondent_id": np.char.add("R", np.arange(start, start + rows).astype(str)),
             "wave": np.array(WAVES)[np.sort(rng.integers(0, len(WAVES), rows))]}
    weights = {"region": [0.3, 0.2, 0.2, 0.2, 0.0999, 0.0001]}
    for col, levels in SEGMENTS.items():
        frame[col] = rng.choice(levels, rows, p=weights.get(col))
    latent = rng.normal(0, 0.8, rows)
    for dim, ids in item_ids().items():
        d = latent + rng.normal(0, 0.5, rows)
        for q in ids:
            v = np.clip(np.rint(3.6 + d + rng.normal(0, 0.6, rows)), 1, 5)
            v[rng.random(rows) < 0.03] = np.nan
            v[rng.random(rows) < 0.02] = 0
            frame[q] = pd.array(v, dtype="Int64")
    frame["q_nps"] = pd.array(np.clip(np.rint(7 + 2 * latent + rng.normal(0, 1.2, rows)), 0, 10), dtype="Int64")
    return pd.DataFrame(frame)


def survey_yaml() -> str:
    dims = []
    for dim, ids in item_ids().items():
        items = "\n".join(f"      - {{id: {q}, text: Item {q}}}" for q in ids)
        dims.append(f"  - id: {dim}\n    title: {dim.title()}\n    weight: 1\n    items:\n{items}")
    return SURVEY % "\n".join(dims)


@dataclass(frozen=True)
class Run:
    """One child process measured: wall seconds, processor seconds (user + system) and peak RSS in MB."""

    wall: float
    cpu: float
    mem: float


def run(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[Run, int]:
    """One child process measured, and its exit status."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), os.waitstatus_to_exitcode(status)


BASELINE = """
import sys, polars as pl
items = sys.argv[2].split(",")
out = pl.scan_csv(sys.argv[1]).group_by("wave").agg([pl.col(c).mean() for c in items]).collect()
print(out.height)
"""


ECSI_BLOCKS = {"image": 5, "expectation": 3, "quality": 7, "value": 2, "satisfaction": 3, "complaints": 1,
               "loyalty": 3}
ECSI_PATHS = [("image", "expectation"), ("image", "satisfaction"), ("image", "loyalty"),
              ("expectation", "quality"), ("expectation", "value"), ("expectation", "satisfaction"),
              ("quality", "value"), ("quality", "satisfaction"), ("value", "satisfaction"),
              ("satisfaction", "complaints"), ("satisfaction", "loyalty"), ("complaints", "loyalty")]


def ecsi_data(n: int = 250, seed: int = 20261201):
    """An ECSI-sized sample on 1..10 items from a seeded latent path model."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    lv = {}
    for name in ECSI_BLOCKS:
        before = [s for s, t in ECSI_PATHS if t == name]
        lv[name] = sum(0.5 * lv[s] for s in before) + rng.normal(size=n)
        lv[name] = (lv[name] - lv[name].mean()) / lv[name].std()
    items = {f"{name}{k + 1}": np.clip(np.rint(7 + 1.4 * lv[name] + rng.normal(scale=1.0, size=n)), 1, 10)
             for name, count in ECSI_BLOCKS.items() for k in range(count)}
    blocks = {name: [f"{name}{k + 1}" for k in range(count)] for name, count in ECSI_BLOCKS.items()}
    return pd.DataFrame(items), blocks


def bench_bootstraps() -> None:
    """Time the PLS model's and the key drivers' bootstraps (see the module docstring)."""
    import numpy as np

    from qmdoc.compute.drivers import estimate_drivers
    from qmdoc.compute.pls import estimate_pls
    from qmdoc.compute.pls_assessment import assess_pls

    data, blocks = ecsi_data()
    scale = {item: (1.0, 10.0) for item in data.columns}
    estimate = estimate_pls(data, blocks, ECSI_PATHS, scale=scale)
    start = time.perf_counter()
    assessment = assess_pls(data, blocks, ECSI_PATHS, estimate, scale=scale, samples=5000, seed=1)
    pls_t = time.perf_counter() - start
    shape = f"{len(data)} x {data.shape[1]}"
    print(f"PLS bootstrap:        {pls_t:6.2f} s   5000 resamples of a {shape} model "
          f"({assessment.bootstrap.valid} valid; target < 10 s: {'met' if pls_t < 10 else 'NOT met'})")

    rng = np.random.default_rng(1)
    common = rng.normal(size=250)
    scores = 60 + 10 * (common[:, None] + rng.normal(size=(250, 6)))
    overall = scores @ np.linspace(0.05, 0.3, 6) + rng.normal(scale=8, size=250)
    start = time.perf_counter()
    estimate_drivers(scores, overall, [f"d{k}" for k in range(6)], bootstrap=2000, seed=1)
    print(f"drivers bootstrap:    {time.perf_counter() - start:6.2f} s   2000 resamples of 250 respondents, "
          "6 dimensions")


def data_file(rows: int) -> Path:
    """The seeded responses file of ``rows`` rows, generated once (in a child process, so that this
    process stays small: a child's peak memory counts what it inherited at fork time)."""
    data = OUT / f"responses-{rows}.csv"
    if not data.is_file():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--rows", str(rows), "--generate", str(data)], check=True)
        print(f"generated {data.name} ({data.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s")
    return data


def figures(instrument: Path, data: Path) -> Run | None:
    """``qmdoc figures --json`` on ``data`` measured; None when it failed."""
    qmdoc = str(Path(sys.executable).with_name("qmdoc"))
    measured, rc = run([qmdoc, "figures", str(instrument), str(data), "--json"])
    if rc:
        print(f"qmdoc figures failed on {data.name}", file=sys.stderr)
        return None
    return measured


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help=f"rows of the first file (default {ROWS:,})")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-10m", dest="big", action="store_false",
                        help="skip the run on ten times the rows (a quick run)")
    parser.add_argument("--bootstrap-only", action="store_true", help="time only the bootstraps")
    args = parser.parse_args()
    if args.generate:
        generate(args.rows, args.generate)
        return 0
    if args.bootstrap_only:
        bench_bootstraps()
        return 0
    data = data_file(args.rows)
    instrument = OUT / "bench.yml"
    instrument.write_text(survey_yaml(), encoding="utf-8")
    items = [q for ids in item_ids().values() for q in ids] + ["q_nps"]

    base, rc = run([sys.executable, "-c", BASELINE, str(data), ",".join(items)])
    if rc:
        print("baseline failed", file=sys.stderr)
        return 1
    ours = figures(instrument, data)
    if ours is None:
        return 1
    ratio = ours.wall / base.wall
    print(f"rows:                 {args.rows:,}")
    print(f"baseline (polars):    {base.wall:6.2f} s   cpu {base.cpu:6.2f} s   peak {base.mem:7.0f} MB")
    print(f"qmdoc figures --json: {ours.wall:6.2f} s   cpu {ours.cpu:6.2f} s   peak {ours.mem:7.0f} MB")
    print(f"ratio:                {ratio:6.2f}   (target <= 2: {_met(ratio <= 2)}; "
          f"stretch <= 1.5: {_met(ratio <= 1.5)}); on processor time {ours.cpu / base.cpu:.2f}")
    print(f"peak memory target:   {_met(ours.mem <= 1024)} (<= 1024 MB)")
    if args.big:
        rows = 10 * args.rows
        big = figures(instrument, data_file(rows))
        if big is None:
            return 1
        print(f"rows:                 {rows:,}")
        print(f"qmdoc figures --json: {big.wall:6.2f} s   cpu {big.cpu:6.2f} s   peak {big.mem:7.0f} MB")
        print(f"time vs {args.rows:,} rows:  {big.wall / ours.wall:6.2f}x  (target <= 11x: "
              f"{_met(big.wall <= 11 * ours.wall)}); on processor time {big.cpu / ours.cpu:.2f}x")
        print(f"peak memory target:   {_met(big.mem <= 1536)} (<= 1536 MB)")
    bench_bootstraps()
    return 0


if __name__ == "__main__":
    sys.exit(main())
