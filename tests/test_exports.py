"""Survey exports and complaints logs as platforms write them (问卷星 GBK CSV and .xlsx, Qualtrics,
SurveyMonkey, a Chinese complaints log): figures against values worked from the raw rows with the
csv module and openpyxl, exact error lines, and the README's "Start your own manual" flow."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import statistics
from pathlib import Path

import openpyxl
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from qmdoc.cli import main
from qmdoc.load.exports import parse_date, parse_duration

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
WJX_CSV = EXPORTS / "wjx" / "2025 上半年 客户满意度调查.csv"
WJX_XLSX = EXPORTS / "wjx" / "2025 下半年.xlsx"
QUALTRICS = EXPORTS / "qualtrics" / "Customer Survey_June 2025.csv"
MONKEY = EXPORTS / "surveymonkey" / "CSAT 2025.csv"
COMPLAINTS = EXPORTS / "投诉台账 2025.csv"
MATRIX = ["3(准时送达)", "3(包装完好)", "3(信息及时)", "3(司机服务)", "3(异常处理)"]
OVERALL = "4、总体而言，您对我们的服务满意吗?"
NPS = "5、您向同行推荐我们的可能性有多大?"
ITEMS = dict(zip(["on_time", "packaging", "tracking", "driver", "exceptions", "overall"], [*MATRIX, OVERALL]))


def readme_block(containing: str) -> str:
    """The README's first YAML block that contains ``containing``: the test writes what the README shows."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    return next(b for b in blocks if containing in b)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# ------------------------------------------------------------------ the raw rows, read independently


def wjx_raw() -> list[tuple[str, dict]]:
    """(wave, row) of both 问卷星 files: the CSV read as GBK by the csv module, the .xlsx by openpyxl."""
    out = []
    with open(WJX_CSV, encoding="gbk", newline="") as f:
        for row in csv.DictReader(f):
            when = dt.datetime.strptime(row["提交答卷时间"], "%Y/%m/%d %H:%M:%S")
            out.append((f"{when.year}-H{1 if when.month <= 6 else 2}", row))
    ws = openpyxl.load_workbook(WJX_XLSX).active
    values = list(ws.iter_rows(values_only=True))
    for cells in values[1:]:
        row = {k: ("" if v is None else str(v)) for k, v in zip(values[0], cells)}
        when = cells[1]
        out.append((f"{when.year}-H{1 if when.month <= 6 else 2}", row))
    return out


def screen_wjx(rows: list[tuple[str, dict]]) -> tuple[dict, dict]:
    """Kept rows per wave and exclusion counts, by the README's rules, in plain Python."""
    kept: dict[str, list[dict]] = {}
    excluded: dict[str, dict[str, int]] = {}
    for wave, row in rows:
        counts = excluded.setdefault(wave, {"filter": 0, "speeders": 0, "straightline": 0})
        kept.setdefault(wave, [])
        if int(row["所用时间"].removesuffix("秒")) < 30:
            counts["speeders"] += 1
            continue
        answered = [int(row[c]) for c in ITEMS.values() if 1 <= int(row[c]) <= 5]
        if len(answered) >= 5 and len(set(answered)) == 1:
            counts["straightline"] += 1
            continue
        kept[wave].append(row)
    return kept, excluded


def nps_of(values: list[int]) -> float:
    return 100 * (sum(v >= 9 for v in values) - sum(v <= 6 for v in values)) / len(values)


def mean_of(rows: list[dict], column: str, lo: int = 1, hi: int = 5) -> float:
    return statistics.fmean(int(r[column]) for r in rows if lo <= int(r[column]) <= hi)


# ------------------------------------------------------------------ projects


def chinese_project(capsys, root: Path) -> Path:
    """The README's flow: init, the exports copied unchanged, the instrument and log as the README shows."""
    code, _, err = run(capsys, "init", str(root), "--language", "zh", "--name", "华东物流有限公司")
    assert (code, err) == (0, "")
    folder = root / "data" / "surveys" / "csi"
    (folder / "README.txt").unlink()
    shutil.copy(WJX_CSV, folder / WJX_CSV.name)
    shutil.copy(WJX_XLSX, folder / WJX_XLSX.name)
    shutil.copy(COMPLAINTS, root / "data" / COMPLAINTS.name)
    instrument = root / "policy" / "surveys" / "csi.yml"
    text = instrument.read_text("utf-8")
    instrument.write_text(text[: text.index("\nid: csi")] + "\n" + readme_block("format: wjx"), encoding="utf-8")
    org = root / "policy" / "organization.yml"
    text = org.read_text("utf-8").replace("complaints_log: data/complaints.csv\n",
                                          readme_block("complaints_log:\n  path: data/投诉台账 2025.csv"))
    org.write_text(text, encoding="utf-8")
    (root / "data" / "complaints.csv").unlink()
    return root


def figures(capsys, root: Path, survey: str) -> dict:
    code, out, err = run(capsys, "figures", "--json", str(root / "policy" / "surveys" / f"{survey}.yml"))
    assert (code, err) == (0, "")
    return {w["wave"]: w for w in json.loads(out)["waves"]}


@pytest.fixture(scope="module")
def zh_project(tmp_path_factory) -> Path:
    import _pytest.capture  # noqa: F401 - capsys is function-scoped: init through the API here

    from qmdoc.scaffold import init_project

    root = tmp_path_factory.mktemp("exports") / "华东 物流"
    init_project(root, "zh", "华东物流有限公司")
    folder = root / "data" / "surveys" / "csi"
    (folder / "README.txt").unlink()
    shutil.copy(WJX_CSV, folder / WJX_CSV.name)
    shutil.copy(WJX_XLSX, folder / WJX_XLSX.name)
    shutil.copy(COMPLAINTS, root / "data" / COMPLAINTS.name)
    instrument = root / "policy" / "surveys" / "csi.yml"
    text = instrument.read_text("utf-8")
    instrument.write_text(text[: text.index("\nid: csi")] + "\n" + readme_block("format: wjx"), encoding="utf-8")
    org = root / "policy" / "organization.yml"
    org.write_text(org.read_text("utf-8").replace(
        "complaints_log: data/complaints.csv\n", readme_block("complaints_log:\n  path: data/投诉台账 2025.csv")),
        encoding="utf-8")
    (root / "data" / "complaints.csv").unlink()
    return root


def test_wjx_csv_and_xlsx_figures_match_the_raw_rows(capsys, zh_project):
    kept, excluded = screen_wjx(wjx_raw())
    got = figures(capsys, zh_project, "csi")
    assert list(got) == ["2025-H1", "2025-H2"]
    assert {w: got[w]["excluded"] for w in got} == excluded
    assert excluded == {"2025-H1": {"filter": 0, "speeders": 4, "straightline": 3},
                        "2025-H2": {"filter": 0, "speeders": 2, "straightline": 3}}
    for wave, rows in kept.items():
        assert got[wave]["n"] == len(rows)
        for item, column in ITEMS.items():
            assert got[wave]["items"][item]["mean"] == pytest.approx(mean_of(rows, column), abs=1e-12)
        assert got[wave]["nps"]["value"] == pytest.approx(nps_of([int(r[NPS]) for r in rows]), abs=1e-12)
        regions = {"1": "华东", "2": "华南", "3": "华北", "4": "西部"}
        assert set(got[wave]["segments"]["region"]) <= set(regions.values())


def test_the_readme_flow_checks(capsys, tmp_path):
    root = chinese_project(capsys, tmp_path / "新 公司")
    code, out, err = run(capsys, "--root", str(root), "check")
    assert (code, err) == (0, "")
    assert out == "ok: 12 documents, 1 surveys (73 responses), 30 complaints\n"


def test_the_readme_flow_in_english_with_a_qualtrics_export(capsys, tmp_path):
    root = tmp_path / "Acme Software"
    code, _, err = run(capsys, "init", str(root), "--name", "Acme Software Ltd")
    assert (code, err) == (0, "")
    folder = root / "data" / "surveys" / "css"
    (folder / "README.txt").unlink()
    shutil.copy(QUALTRICS, folder / QUALTRICS.name)
    instrument = root / "policy" / "surveys" / "css.yml"
    text = instrument.read_text("utf-8")
    instrument.write_text(text[: text.index("\nid: css")] + "\n" + readme_block("format: qualtrics"), encoding="utf-8")
    code, out, err = run(capsys, "--root", str(root), "check")
    assert (code, out, err) == (0, "ok: 12 documents, 1 surveys (28 responses), 0 complaints\n", "")


@pytest.mark.slow
def test_the_readme_flow_builds_with_labels_and_exclusions(zh_project, session_charts):
    with session_charts(zh_project):
        assert main(["--root", str(zh_project), "build"]) == 0
    page = BeautifulSoup((zh_project / "site" / "satisfaction" / "csi" / "index.html").read_text("utf-8"),
                         "html.parser").find("article")
    text = page.get_text(" ")
    assert "计算前剔除：不符合筛选条件 0 份，答题过快 2 份，直线作答 3 份。" in text
    assert "区域" in [h.get_text(strip=True).rstrip("¶") for h in page.find_all("h3")] or "区域" in text
    assert "华东" in text and "@" not in text
    site = "\n".join(p.read_text("utf-8") for p in (zh_project / "site").rglob("*.html"))
    for phone_or_ip in ("13834445563", "222.66.129.243", "司机很准时"):
        assert phone_or_ip not in site
    complaints = (zh_project / "site" / "complaints" / "index.html").read_text("utf-8")
    assert "延误" in complaints and "TS-2025-001" not in complaints
    from pypdf import PdfReader

    pdf = "".join(page.extract_text() for page in PdfReader(zh_project / "site" / "quality-manual.pdf").pages)
    assert "答题过快 2 份" in pdf.replace("\n", "") and "13834445563" not in pdf


# ------------------------------------------------------------------ Qualtrics and SurveyMonkey


QUALTRICS_YML = readme_block("format: qualtrics")


def project(tmp_path: Path, instrument: str, export: Path, survey: str) -> Path:
    root = tmp_path / "p"
    (root / "policy" / "surveys").mkdir(parents=True)
    (root / "policy" / "surveys" / f"{survey}.yml").write_text(instrument, encoding="utf-8")
    (root / "data" / "surveys" / survey).mkdir(parents=True)
    shutil.copy(export, root / "data" / "surveys" / survey / export.name)
    return root


def test_qualtrics_default_filter_speeders_and_figures(capsys, tmp_path):
    root = project(tmp_path, QUALTRICS_YML, QUALTRICS, "css")
    with open(QUALTRICS, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))[2:]  # the question texts and import ids
    counts = {"filter": 0, "speeders": 0, "straightline": 0}
    kept = []
    for r in rows:
        if r["Status"] != "0" or r["Finished"] != "1":
            counts["filter"] += 1
        elif int(r["Duration (in seconds)"]) < 30:
            counts["speeders"] += 1
        elif len({r[f"Q2_{k}"] for k in range(1, 6)}) == 1:
            counts["straightline"] += 1
        else:
            kept.append(r)
    assert counts == {"filter": 5, "speeders": 2, "straightline": 1}
    got = figures(capsys, root, "css")
    assert list(got) == ["2025-Q2"]
    wave = got["2025-Q2"]
    assert (wave["n"], wave["excluded"]) == (len(kept), counts)
    assert wave["items"]["support"]["mean"] == pytest.approx(statistics.fmean(int(r["Q2_3"]) for r in kept))
    assert wave["nps"]["value"] == pytest.approx(nps_of([int(r["Q3"]) for r in kept]))
    assert set(wave["segments"]["plan"]) <= {"Starter", "Team", "Enterprise"}


def test_surveymonkey_two_header_rows(capsys, tmp_path, monkeypatch):
    instrument = """\
id: csat
title: CSAT
source:
  format: surveymonkey
  wave: {from: date, column: Start Date, period: quarter, date_format: "%m/%d/%Y %I:%M:%S %p"}
  screen: {duration: Duration, min_share: 0.5}
respondent: Respondent ID
scale: {min: 1, max: 5}
segments: [{id: region, column: "Which region are you in?"}]
min_cell_n: 3
recommend: nps
dimensions:
  - id: service
    title: Service
    items:
      - {id: quality, column: "How satisfied are you with our: | Quality", text: Quality}
      - {id: delivery, column: "How satisfied are you with our: | Delivery", text: Delivery}
items:
  - id: nps
    column: "How likely is it that you would recommend us to a friend or colleague?"
    text: Recommend
    scale: {min: 0, max: 10}
"""
    root = project(tmp_path, instrument.replace("Duration", "Start Date").replace("min_share: 0.5", "min_seconds: 1"),
                   MONKEY, "csat")
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "--root", str(root), "figures", str(root / "policy" / "surveys" / "csat.yml"))
    rel = f"data/surveys/csat/{MONKEY.name}"
    assert code == 1 and err.splitlines()[0].startswith(
        f"{rel}:3: Start Date: expected a duration such as 588秒, 123 or 00:09:48, got ")
    with open(MONKEY, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[2:]
    # a duration column of our own (SurveyMonkey has none): speeders under half the wave's median time
    seconds = [(dt.datetime.strptime(r[3], "%m/%d/%Y %I:%M:%S %p")
                - dt.datetime.strptime(r[2], "%m/%d/%Y %I:%M:%S %p")).seconds for r in rows]
    with open(MONKEY, encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    lines[0] += ",Duration"
    lines[1] += ","
    lines[2:] = [f"{line},{s}" for line, s in zip(lines[2:], seconds)]
    (root / "data" / "surveys" / "csat" / MONKEY.name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    (root / "policy" / "surveys" / "csat.yml").write_text(instrument, encoding="utf-8")
    waves = {}
    for r, s in zip(rows, seconds):
        when = dt.datetime.strptime(r[2], "%m/%d/%Y %I:%M:%S %p")
        waves.setdefault(f"{when.year}-Q{(when.month - 1) // 3 + 1}", []).append((r, s))
    got = figures(capsys, root, "csat")
    assert list(got) == list(waves)
    for label, pairs in waves.items():
        median = statistics.median(s for _, s in pairs)
        kept = [r for r, s in pairs if s >= 0.5 * median]
        wave = got[label]
        assert wave["excluded"] == {"filter": 0, "speeders": len(pairs) - len(kept), "straightline": 0}
        assert wave["n"] == len(kept)
        assert wave["items"]["delivery"]["mean"] == pytest.approx(statistics.fmean(int(r[10]) for r in kept))
        assert wave["nps"]["value"] == pytest.approx(nps_of([int(r[14]) for r in kept]))
    assert sum(w["excluded"]["speeders"] for w in got.values()) > 0


# ------------------------------------------------------------------ errors: one line each, never a traceback


def wjx_project(tmp_path: Path, replace: dict[str, str] | None = None, edit=None) -> Path:  # noqa: ANN001
    text = readme_block("format: wjx")
    for a, b in (replace or {}).items():
        assert a in text
        text = text.replace(a, b)
    root = project(tmp_path, text, WJX_CSV, "csi")
    if edit is not None:
        path = root / "data" / "surveys" / "csi" / WJX_CSV.name
        path.write_bytes(edit(path.read_bytes()))
    return root


def errors(capsys, root: Path) -> list[str]:
    code, out, err = run(capsys, "figures", str(root / "policy" / "surveys" / "csi.yml"))
    assert (code, out) == (1, "")
    assert "Traceback" not in err
    return err.splitlines()


REL = f"data/surveys/csi/{WJX_CSV.name}"


def test_wrong_encoding_named(capsys, tmp_path, monkeypatch):
    root = wjx_project(tmp_path, {"encoding: auto ": "encoding: utf-8"})
    monkeypatch.chdir(root)
    first = WJX_CSV.read_bytes()[0]
    assert errors(capsys, root) == [
        f"{REL}:1: column 1: expected UTF-8 text (encoding utf-8), got the byte 0x{first:02X} (the file decodes as "
        "GB18030: source.encoding auto or gb18030 reads it)"]


def test_undecodable_byte_in_a_named_encoding(capsys, tmp_path, monkeypatch):
    root = wjx_project(tmp_path, {"encoding: auto ": "encoding: gbk"},
                       edit=lambda b: b.replace("微信".encode("gbk"), b"\x80\x80", 1))
    monkeypatch.chdir(root)
    lines = WJX_CSV.read_bytes().split(b"\n")
    line = next(i for i, x in enumerate(lines, 1) if "微信".encode("gbk") in x)
    assert errors(capsys, root) == [
        f"{REL}:{line}: column 4: expected text in the encoding gbk, got the byte 0x80 (is the file in another "
        "encoding?)"]


def test_mapped_column_missing(capsys, tmp_path, monkeypatch):
    root = wjx_project(tmp_path, {'column: "3(准时送达)"': 'column: "3(准时到达)"'})
    monkeypatch.chdir(root)
    assert errors(capsys, root) == [
        f"{REL}:1: 3(准时到达): expected a column named '3(准时到达)' (named by item on_time), got none"]


def test_unlabeled_code(capsys, tmp_path, monkeypatch):
    root = wjx_project(tmp_path, {", 4: 西部}": "}"})
    monkeypatch.chdir(root)
    with open(WJX_CSV, encoding="gbk", newline="") as f:
        lines = [n for n, row in enumerate(csv.DictReader(f), start=2) if row["1、您所在的区域"] == "4"]
    got = errors(capsys, root)
    expected = [f"{REL}:{n}: 1、您所在的区域: expected a code with a label (segments[0].labels: 1, 2, 3), got '4'"
                for n in lines[:5]]
    assert got[:5] == expected
    assert got[5:] == [f"{REL}:{lines[5]}: 1、您所在的区域: more values like these (not listed)"]


def test_unparseable_date(capsys, tmp_path, monkeypatch):
    root = wjx_project(tmp_path, edit=lambda b: b.replace(b"2025/1/10 ", b"2025/1/41 ", 1))
    monkeypatch.chdir(root)
    with open(WJX_CSV, encoding="gbk", newline="") as f:
        line = next(n for n, row in enumerate(csv.DictReader(f), start=2) if row["提交答卷时间"].startswith("2025/1/10 "))
    when = next(r["提交答卷时间"] for _, r in wjx_raw() if r["提交答卷时间"].startswith("2025/1/10 "))
    assert errors(capsys, root) == [
        f"{REL}:{line}: 提交答卷时间: expected a date such as 2025/6/3 11:50:00 or 2025-06-03, "
        f"got {when.replace('2025/1/10', '2025/1/41')!r}"]


def test_an_email_is_never_echoed(capsys, tmp_path, monkeypatch):
    root = project(tmp_path, QUALTRICS_YML.replace("column: Q2_3", "column: RecipientEmail"), QUALTRICS, "css")
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "figures", str(root / "policy" / "surveys" / "css.yml"))
    assert (code, out) == (1, "")
    rel = f"data/surveys/css/{QUALTRICS.name}"
    lines = err.splitlines()
    assert lines[0].startswith(f"{rel}:6: support: expected a whole number from 1 to 5, got a value of ")
    assert lines[0].endswith(" characters (not shown)")
    assert "@" not in err and "example.com" not in err


def test_source_rules_at_their_yaml_line(capsys, tmp_path, monkeypatch):
    root = wjx_project(tmp_path, {"encoding: auto ": "encoding: gbkk", "min_seconds: 30, ": ""})
    monkeypatch.chdir(root)
    text = (root / "policy" / "surveys" / "csi.yml").read_text("utf-8").splitlines()
    enc = next(n for n, x in enumerate(text, 1) if "encoding:" in x)
    scr = next(n for n, x in enumerate(text, 1) if "screen:" in x)
    assert errors(capsys, root) == [
        f"policy/surveys/csi.yml:{enc}: source.encoding: expected auto or the name of an encoding (utf-8, gb18030, "
        "gbk, cp1252, ...), got 'gbkk'",
        f"policy/surveys/csi.yml:{scr}: source.screen.min_seconds: expected min_seconds or min_share with duration:, "
        "got neither"]


# ------------------------------------------------------------------ complaints logs


def test_complaints_log_mapping_and_dates(capsys, tmp_path):
    root = chinese_project(capsys, tmp_path / "c")
    from qmdoc.load import load_project

    log = load_project(root).complaints
    with open(COMPLAINTS, encoding="gbk", newline="") as f:
        raw = list(csv.DictReader(f))
    assert len(log) == len(raw) == 30
    assert [d.date() for d in log["received"]] == [dt.datetime.strptime(r["受理日期"], "%Y/%m/%d").date() for r in raw]
    assert int(log["resolved"].isna().sum()) == sum(not r["解决日期"] for r in raw)
    assert list(log["customer_id"]) == [r["客户名称"] for r in raw]
    assert "联系电话" not in log.columns


def test_complaints_log_errors_name_the_log_column(capsys, tmp_path, monkeypatch):
    root = chinese_project(capsys, tmp_path / "c")
    path = root / "data" / COMPLAINTS.name
    with open(COMPLAINTS, encoding="gbk", newline="") as f:
        raw = list(csv.reader(f))
    raw[3][1] = "2025年2月30日"
    raw[4][3] = "13912345678"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(raw)
    path.write_bytes(buf.getvalue().encode("gbk"))
    org = root / "policy" / "organization.yml"
    org.write_text(org.read_text("utf-8").replace("    customer: 客户名称\n", "").replace("    severity: 严重程度\n", ""),
                   encoding="utf-8")
    code, out, err = run(capsys, "--root", str(root), "check")
    assert code == 1
    assert err.splitlines() == [
        f"data/{COMPLAINTS.name}:4: 受理日期: expected a date such as 2025-01-03, 2025/1/3 or 2025年1月3日, "
        "got '2025年2月30日'",
        f"data/{COMPLAINTS.name}:5: 解决日期: expected a date such as 2025-01-03, 2025/1/3 or 2025年1月3日, "
        "got a value of 11 characters (not shown)"]


def test_complaints_without_customer_have_no_repeat_figures(tmp_path, capsys):
    root = chinese_project(capsys, tmp_path / "c")
    org = root / "policy" / "organization.yml"
    org.write_text(org.read_text("utf-8").replace("    customer: 客户名称\n", ""), encoding="utf-8")
    from qmdoc.compute.complaints import compute_complaint_figures
    from qmdoc.load import load_project

    project = load_project(root)
    assert "customer_id" not in project.complaints.columns
    fig = compute_complaint_figures(project.complaints, 2, 20)
    assert (fig.repeat_customers, fig.repeat_share) == (None, None)
    with_customer = compute_complaint_figures(load_project(chinese_project(capsys, tmp_path / "d")).complaints, 2, 20)
    assert with_customer.repeat_customers is not None


def test_complaints_xlsx_with_date_format_and_serials(tmp_path):
    from qmdoc.errors import Problem
    from qmdoc.load.exports import convert_complaints
    from qmdoc.models import ComplaintsLog

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2025"
    ws.append(["ID", "Received", "Ack", "Closed", "Type"])
    ws.append(["C1", "03.01.2025", dt.datetime(2025, 1, 6, 14, 30), 45672, "Delay"])
    ws.append(["C2", "2025-01-04T09:15:00", "2025年1月5日", None, "Damage"])
    wb.save(tmp_path / "log.xlsx")
    log = ComplaintsLog(path="log.xlsx", sheet="2025", date_format="%d.%m.%Y", columns={
        "complaint_id": "ID", "received": "Received", "acknowledged": "Ack", "resolved": "Closed", "category": "Type"})
    problems: list[Problem] = []
    src, fields = convert_complaints(tmp_path / "log.xlsx", "log.xlsx", log, problems,
                                     ["complaint_id", "received", "acknowledged", "resolved", "category"])
    assert problems == []
    rows = list(csv.reader(io.StringIO(src.data.decode("utf-8"))))
    assert rows == [fields, ["C1", "2025-01-03", "2025-01-06", "2025-01-15", "Delay"],
                    ["C2", "2025-01-04", "2025-01-05", "", "Damage"]]
    assert src.where(1) == (3, "")


def test_dates_and_durations_as_exports_write_them():
    assert parse_date("2025/1/3") == dt.datetime(2025, 1, 3)
    assert parse_date("2025/6/3 11:50:00") == dt.datetime(2025, 6, 3, 11, 50)
    assert parse_date("2025年1月3日") == dt.datetime(2025, 1, 3)
    assert parse_date("2025-01-03T10:20:00") == dt.datetime(2025, 1, 3, 10, 20)
    assert parse_date("03.01.2025", "%d.%m.%Y") == dt.datetime(2025, 1, 3)
    assert parse_date("45660") == dt.datetime(2025, 1, 3)
    assert parse_date("03.01.2025") is None and parse_date("2025/2/30") is None
    assert [parse_duration(x) for x in ("588秒", "123", "00:09:48", "9:48", "ten")] == [588, 123, 588, 588, None]


def test_fixtures_are_what_make_writes(tmp_path):
    """The committed exports are the seeded script's output (the script is the fixtures' source)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_exports", EXPORTS / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    make.HERE = tmp_path
    make.main()
    for path in (WJX_CSV, QUALTRICS, MONKEY, COMPLAINTS):
        assert (tmp_path / path.relative_to(EXPORTS)).read_bytes() == path.read_bytes()
    assert yaml.safe_load(readme_block("format: wjx"))["source"]["format"] == "wjx"


def test_answer_texts_wave_column_and_plain_xlsx(capsys, tmp_path, monkeypatch):
    """问卷星 "按文本": answer texts turned into codes by values:; the wave from a column; a plain .xlsx."""
    instrument = """\
id: css
title: 满意度
source: {wave: {from: column, column: 波次}}
respondent: 编号
scale: {min: 1, max: 5}
values: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}
dimensions:
  - id: d
    title: 总体
    items:
      - {id: a, column: "1(质量)", text: 质量}
      - {id: b, column: "1(交付)", text: 交付}
"""
    root = tmp_path / "p"
    (root / "policy" / "surveys").mkdir(parents=True)
    (root / "policy" / "surveys" / "css.yml").write_text(instrument, encoding="utf-8")
    folder = root / "data" / "surveys" / "css"
    folder.mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "波次", "1(质量)", "1(交付)"])
    answers = [("2025-Q1", "满意", "一般"), ("2025-Q1", "非常满意", "满意"), ("2025-Q2", "不满意", None),
               ("2025-Q2", "满意", "非常满意")]
    for k, row in enumerate(answers, start=1):
        ws.append([k, *row])
    wb.save(folder / "答卷.xlsx")
    got = figures(capsys, root, "css")
    assert list(got) == ["2025-Q1", "2025-Q2"]
    assert (got["2025-Q1"]["items"]["a"]["mean"], got["2025-Q1"]["items"]["b"]["mean"]) == (4.5, 3.5)
    assert (got["2025-Q2"]["items"]["a"]["mean"], got["2025-Q2"]["items"]["b"]["n"]) == (3.0, 1)
    ws.cell(row=3, column=3, value="很好")
    wb.save(folder / "答卷.xlsx")
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "figures", str(root / "policy" / "surveys" / "css.yml"))
    assert (code, err) == (1, "data/surveys/css/答卷.xlsx:3: 1(质量): expected an answer named in values (非常满意, 满意, "
                              "一般, 不满意, 非常不满意) or a code, got '很好'\n")


def test_complaints_log_encoding_named_wrong(capsys, tmp_path):
    root = chinese_project(capsys, tmp_path / "c")
    org = root / "policy" / "organization.yml"
    org.write_text(org.read_text("utf-8").replace("  encoding: auto\n", "  encoding: big-5x\n"), encoding="utf-8")
    line = next(n for n, x in enumerate(org.read_text("utf-8").splitlines(), 1) if "big-5x" in x)
    code, out, err = run(capsys, "--root", str(root), "check")
    assert (code, out) == (1, "")
    assert err == (f"policy/organization.yml:{line}: complaints_log.encoding: expected auto or the name of an encoding "
                   "(utf-8, gb18030, gbk, cp1252, ...), got 'big-5x'\n")


def test_xlsx_rows_are_excel_rows_when_the_sheet_starts_lower(capsys, tmp_path, monkeypatch):
    """A sheet whose table starts at B3 (a title block above, blank here): problems name Excel's rows."""
    root = tmp_path / "p"
    (root / "policy" / "surveys").mkdir(parents=True)
    (root / "policy" / "surveys" / "css.yml").write_text("""\
id: css
title: Survey
respondent: id
scale: {min: 1, max: 5}
dimensions: [{id: d, title: D, items: [{id: q1, text: Q1}, {id: q2, text: Q2}]}]
""", encoding="utf-8")
    (root / "data" / "surveys" / "css").mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate([["id", "q1", "q2"], [1, 4, 5], [2, 9, 3], [3, 2, 2]], start=3):
        for c, value in enumerate(row, start=2):
            ws.cell(row=r, column=c, value=value)
    wb.save(root / "data" / "surveys" / "css" / "2025-Q1.xlsx")
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "figures", "policy/surveys/css.yml")
    assert (code, err) == (1, "data/surveys/css/2025-Q1.xlsx:5: q1: expected a whole number from 1 to 5, got 9\n")
