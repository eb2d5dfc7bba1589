"""Broken and unusual CSV files: `qmdoc check` gives file:row: column: expected ..., or reads them as the clean file.

Each case edits one file of the small fixture organization (a survey wave or the complaints log)
and asserts the exact outcome: exit 1 with the exact problems, no traceback, and nothing that
identifies a respondent or a customer in the output; or exit 0 with the figures of the clean file.
The user's files are never modified.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from qmdoc.cli import main

WAVE = "data/surveys/css/2025-Q1.csv"
LOG = "data/complaints.csv"
CLEAN = "ok: 5 documents, 1 surveys (52 responses), 20 complaints"
# what must never reach the terminal: the fixture's respondent ids, e-mail addresses, names, phone numbers
SECRETS = re.compile(r"@|RQ[12]-\d|Secret Customer|John Smith|\+49|\bK\d\b|C-0\d\d")


def lines_of(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def edit_line(number: int, change: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """An edit of the file's line ``number`` (1-based, as an editor shows it)."""

    def apply(data: bytes) -> bytes:
        lines = lines_of(data)
        lines[number - 1] = change(lines[number - 1])
        return b"\n".join(lines)

    return apply


def set_cell(number: int, column: int, value: bytes) -> Callable[[bytes], bytes]:
    """Set the value of column ``column`` (0-based) on line ``number``."""

    def change(line: bytes) -> bytes:
        cells = line.split(b",")
        cells[column] = value
        return b",".join(cells)

    return edit_line(number, change)


def replace(old: bytes, new: bytes, count: int = -1) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, count)

    return apply


def chain(*edits: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        for e in edits:
            data = e(data)
        return data

    return apply


def quote_all(data: bytes) -> bytes:
    return b"\n".join(b",".join(b'"' + f + b'"' for f in line.split(b",")) if line else line for line in lines_of(data))


def comment_with_line_breaks(data: bytes) -> bytes:
    """Lines 3 and 5 of the wave get a quoted comment with a comma and a line break (each row then spans two lines)."""
    lines = lines_of(data)
    for n in (5, 3):
        cells = lines[n - 1].split(b",")
        cells[-1] = b'"a comma, and a\nline break"'
        lines[n - 1] = b",".join(cells)
    return b"\n".join(lines)


def png(_: bytes) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


Q1 = "expected a whole number from 1 to 5 or 0 (not applicable)"
VALUES = "expected 11 values (one per column of the header)"
LOG_VALUES = "expected 10 values (one per column of the header)"
UTF8 = "expected UTF-8 text, got the byte 0xFC (is the file in Latin-1 or Windows-1252? save it as CSV UTF-8)"

# (id, file, edit, expected problems). The wave's line 9 is respondent RQ1-007; its q1 (column 4) is 1.
BROKEN = [
    ("too-many-values", WAVE, edit_line(7, lambda line: line + b"extra,comma"),
     [f"{WAVE}:7: column 12: {VALUES}, got 12"]),
    ("too-few-values", WAVE, edit_line(7, lambda line: line.rsplit(b",", 2)[0]),
     [f"{WAVE}:7: q_nps: {VALUES}, got 9"]),
    ("too-many-and-too-few-cancel-out", WAVE, chain(edit_line(4, lambda line: line + b","), edit_line(6, lambda line: line[:-1])),
     [f"{WAVE}:4: column 12: {VALUES}, got 12", f"{WAVE}:6: comment: {VALUES}, got 10"]),
    ("every-row-one-value-too-many", WAVE, lambda d: b"\n".join(line + b"," if i and line else line for i, line in enumerate(lines_of(d))),
     [f"{WAVE}:{n}: column 12: {VALUES}, got 12" for n in range(2, 7)] + [f"{WAVE}:7: 20 more problems like these (not listed)"]),
    ("whitespace-only-line", WAVE, edit_line(4, lambda line: line + b"\n   "),
     [f"{WAVE}:5: wave: {VALUES}, got 1"]),
    ("duplicate-column", WAVE, replace(b"q3,q4", b"q3,q3", 1),
     [f"{WAVE}:1: q3: expected unique column names, got 'q3' again in column 8 (first in column 7)"]),
    ("duplicate-after-spaces", WAVE, replace(b"q3,q4", b"q3, q2 ", 1),
     [f"{WAVE}:1: q2: expected unique column names, got 'q2' again in column 8 (first in column 6)"]),
    ("duplicate-after-byte-order-mark", WAVE, replace(b",email,", b",\xef\xbb\xbfregion,", 1),
     [f"{WAVE}:1: region: expected unique column names, got 'region' again in column 4 (first in column 3)"]),
    ("empty-column-name", WAVE, replace(b",email,", b",,", 1),
     [f"{WAVE}:1: column 4: expected a column name, got an empty cell"]),
    ("nul-byte", WAVE, replace(b"RQ1-003", b"RQ1\x00003"),
     [f"{WAVE}:5: respondent_id: expected text, got a NUL byte"]),
    ("unclosed-quote", WAVE, set_cell(7, 10, b'"Call me at person@example.com'),
     [f"{WAVE}:7: comment: expected a closing quote (\") for the value that starts here, got the end of the file"]),
    ("quote-inside-value", WAVE, set_cell(5, 3, b'person3@"example.com'),
     [f"{WAVE}:5: email: expected a quote (\") only at the start of a value, got one inside the value"]),
    ("text-after-closing-quote", WAVE, set_cell(9, 4, b'"1"2'),
     [f"{WAVE}:9: q1: expected a comma or a line end after a closing quote (\"), got more of the value "
      "(a quote inside a quoted value is written \"\")"]),
    ("value-over-1-mb", WAVE, set_cell(5, 3, b"x" * 1_100_000),
     [f"{WAVE}:5: email: expected a value of at most 1 MB, got 1.05 MB"]),
    ("row-over-4-mb", WAVE, chain(*(set_cell(5, col, b"z" * 900_000) for col in (0, 1, 2, 3, 10))),
     [f"{WAVE}:5: expected a row of at most 4 MB, got 4.29 MB"]),
    ("header-over-4-mb", WAVE, lambda _: b"x" * 5_000_000, [f"{WAVE}:1: expected a header row of at most 4 MB, got 4.77 MB"]),
    ("unclosed-quote-at-the-start", WAVE, lambda d: b'"' + d,
     [f"{WAVE}:1: column 1: expected a closing quote (\") for the value that starts here, got the end of the file"]),
    ("header-over-10000-columns", WAVE, edit_line(1, lambda line: line + b"," + b",".join(b"x%d" % i for i in range(10_000))),
     [f"{WAVE}:1: expected at most 10000 columns, got 10011"]),
    ("latin-1", WAVE, replace(b"South", "Süd".encode("latin-1")),
     [f"{WAVE}:{n}: region: {UTF8}" for n in (2, 5, 8, 11, 14)] + [f"{WAVE}:17: 4 more problems like these (not listed)"]),
    ("utf-16", WAVE, lambda d: d.decode("utf-8").encode("utf-16"),
     [f"{WAVE}: expected UTF-8 text, got UTF-16 text (Excel's \"Unicode Text\"): save the file as CSV UTF-8"]),
    ("png-renamed", WAVE, png, [f"{WAVE}: expected CSV text, got a PNG image"]),
    ("xlsx-renamed", WAVE, lambda _: b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,
     [f"{WAVE}: expected CSV text, got a ZIP archive (an Excel .xlsx workbook?): save the sheet as CSV UTF-8"]),
    ("random-binary", WAVE, lambda _: bytes(range(256)) * 40, [f"{WAVE}: expected CSV text, got binary data (NUL bytes near the start)"]),
    ("folder", WAVE, "folder", [f"{WAVE}: expected a CSV file, got a folder"]),
    ("empty", WAVE, lambda _: b"", [f"{WAVE}:1: expected a header row, got an empty file"]),
    ("only-byte-order-mark", WAVE, lambda _: b"\xef\xbb\xbf", [f"{WAVE}:1: expected a header row, got an empty file"]),
    ("only-blank-lines", WAVE, lambda _: b"\n\r\n\n", [f"{WAVE}:1: expected a header row, got only blank lines"]),
    ("only-header", WAVE, lambda d: lines_of(d)[0] + b"\n", [f"{WAVE}:1: expected rows of responses below the header, got none"]),
    ("semicolons", WAVE, replace(b",", b";"),
     [f"{WAVE}:1: expected values separated by commas, got semicolons (;): save the file as CSV UTF-8 (comma delimited)"]),
    ("lone-carriage-return", WAVE, replace(b"North,", b"North\r,", 1),
     [f"{WAVE}:3: expected lines that end in \\n or \\r\\n, got a line end \\r alone"]),
    ("email-in-answer", WAVE, set_cell(9, 4, b"person7@example.com"),
     [f"{WAVE}:9: q1: {Q1}, got a value of 19 characters (not shown)"]),
    ("phone-in-answer", WAVE, set_cell(9, 4, b"+49 170 1234567"),
     [f"{WAVE}:9: q1: {Q1}, got a value of 15 characters (not shown)"]),
    ("answer-out-of-scale", WAVE, set_cell(9, 4, b"9"), [f"{WAVE}:9: q1: {Q1}, got 9"]),
    ("answer-word", WAVE, set_cell(9, 4, b"n/a"), [f"{WAVE}:9: q1: {Q1}, got 'n/a'"]),
    ("answer-after-multi-line-comments", WAVE, chain(set_cell(9, 4, b"9"), comment_with_line_breaks),
     [f"{WAVE}:11: q1: {Q1}, got 9 (spreadsheet row 9)"]),
    ("answer-after-blank-lines", WAVE, chain(set_cell(9, 4, b"9"), replace(b"\n", b"\n\n", 3)),
     [f"{WAVE}:12: q1: {Q1}, got 9"]),
    ("blank-respondent-id", WAVE, set_cell(9, 0, b""), [f"{WAVE}:9: respondent_id: expected a respondent id, got nothing"]),
    ("missing-column", WAVE, replace(b",q2,", b",question2,", 1), [f"{WAVE}:1: q2: expected a column named 'q2', got none"]),
    # the complaints log (read with pandas)
    ("log-unquoted-comma-in-name", LOG, replace(b"Secret Customer 3 Ltd", b"Secret Customer 3, Ltd", 1),
     [f"{LOG}:5: column 11: {LOG_VALUES}, got 11"]),
    ("log-too-few-values", LOG, edit_line(4, lambda line: line.rsplit(b",", 3)[0]),
     [f"{LOG}:4: category: {LOG_VALUES}, got 7"]),
    ("log-duplicate-id", LOG, replace(b"C-003,", b"C-002,", 1),
     [f"{LOG}:4: complaint_id: expected a unique complaint id, got the id of line 3 again"]),
    ("log-email-as-date", LOG, replace(b"C-001,2025-01-06,", b"C-001,buyer@customer.example,", 1),
     [f"{LOG}:2: received: expected a date YYYY-MM-DD, got a value of 22 characters (not shown)"]),
    ("log-impossible-date", LOG, replace(b"C-001,2025-01-06,", b"C-001,2025-02-30,", 1),
     [f"{LOG}:2: received: expected a date YYYY-MM-DD, got '2025-02-30'"]),
    ("log-blank-id", LOG, replace(b"C-003,", b",", 1), [f"{LOG}:4: complaint_id: expected a value, got nothing"]),
    ("log-latin-1", LOG, replace(b"Late delivery", "Verspätung".encode("latin-1"), 1),
     [f"{LOG}:2: category: {UTF8.replace('0xFC', '0xE4')}"]),
    ("log-nul-byte", LOG, replace(b"Paperwork", b"Paper\x00work", 1), [f"{LOG}:5: category: expected text, got a NUL byte"]),
    ("log-unclosed-quote", LOG, replace(b"Secret Customer 4 Ltd", b'"Secret Customer 4 Ltd', 1),
     [f"{LOG}:6: customer_name: expected a closing quote (\") for the value that starts here, got the end of the file"]),
    ("log-duplicate-column", LOG, replace(b"customer_name,", b"customer_id,", 1),
     [f"{LOG}:1: customer_id: expected unique column names, got 'customer_id' again in column 6 (first in column 5)"]),
    ("log-empty", LOG, lambda _: b"", [f"{LOG}:1: expected a header row, got an empty file"]),
    ("log-xls-renamed", LOG, lambda _: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
     [f"{LOG}: expected CSV text, got an Excel .xls workbook: save the sheet as CSV UTF-8"]),
]

# files that are fine as they are, and give the clean file's figures
FINE = [
    ("mac-line-ends", WAVE, replace(b"\n", b"\r")),
    ("mac-line-ends-log", LOG, replace(b"\n", b"\r")),
    ("windows-line-ends", WAVE, replace(b"\n", b"\r\n")),
    ("byte-order-mark", WAVE, lambda d: b"\xef\xbb\xbf" + d),
    ("byte-order-mark-and-windows-line-ends-log", LOG, lambda d: b"\xef\xbb\xbf" + d.replace(b"\n", b"\r\n")),
    ("no-line-break-at-the-end", WAVE, lambda d: d.rstrip(b"\n")),
    ("blank-lines", WAVE, lambda d: d.replace(b"\n", b"\n\n", 4) + b"\n\n"),
    ("blank-lines-at-the-end", WAVE, lambda d: d + b"\n\r\n\n"),
    ("blank-lines-log", LOG, lambda d: b"\n" + d.replace(b"\n", b"\r\n\r\n", 2) + b"\n"),
    ("every-value-quoted", WAVE, quote_all),
    ("comments-with-line-breaks", WAVE, comment_with_line_breaks),
    ("spaces-around-column-names", WAVE, replace(b"q1,q2", b" q1 , q2")),
    ("quoted-column-names", WAVE, chain(replace(b"respondent_id,", b'"respondent_id",', 1), replace(b"comment", b'"com""ment"', 1))),
    ("very-long-unused-column-name", WAVE, replace(b"comment", b"c" * 200_000, 1)),
]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("policy", "data", "docs") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def break_file(root: Path, rel: str, edit) -> None:  # noqa: ANN001
    path = root / rel
    if edit == "folder":
        path.unlink()
        path.mkdir()
        (path / "inside.csv").write_bytes(b"a,b\n1,2\n")
    else:
        path.write_bytes(edit(path.read_bytes()))


def run(argv: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("rel", "edit", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_csv_is_reported_by_file_row_and_column(mini, capsys, rel, edit, expected):
    break_file(mini, rel, edit)
    before = snapshot(mini)
    code, out, err = run(["--root", str(mini), "check"], capsys)
    assert (code, out, err.splitlines()) == (1, "", expected)
    assert "Traceback" not in err
    assert not SECRETS.search(out + err)
    assert snapshot(mini) == before


@pytest.mark.parametrize(("rel", "edit"), [c[1:] for c in FINE], ids=[c[0] for c in FINE])
def test_unusual_but_valid_csv_reads_as_the_clean_file(mini, capsys, rel, edit):
    break_file(mini, rel, edit)
    before = snapshot(mini)
    assert run(["--root", str(mini), "check"], capsys) == (0, CLEAN + "\n", "")
    assert snapshot(mini) == before


def figures(root: Path, capsys, monkeypatch) -> tuple[int, str, str]:  # noqa: ANN001
    monkeypatch.chdir(root)
    return run(["figures", "policy/surveys/css.yml", "--json"], capsys)


@pytest.mark.parametrize("case", ["mac-line-ends", "byte-order-mark", "every-value-quoted", "comments-with-line-breaks",
                                  "blank-lines"])
def test_figures_of_unusual_files_are_those_of_the_clean_file(mini, tmp_path, capsys, monkeypatch, case):
    clean = figures(mini, capsys, monkeypatch)
    assert clean[0] == 0 and clean[2] == ""
    rel, edit = next(c[1:] for c in FINE if c[0] == case)
    break_file(mini, rel, edit)
    before = snapshot(mini)
    code, out, err = figures(mini, capsys, monkeypatch)
    assert (code, err) == (0, "")
    assert json.loads(out) == json.loads(clean[1])
    assert snapshot(mini) == before


@pytest.mark.parametrize("case", ["too-few-values", "unclosed-quote", "latin-1", "only-header", "email-in-answer"])
def test_figures_reports_broken_files_as_check_does(mini, capsys, monkeypatch, case):
    rel, edit, expected = next(c[1:] for c in BROKEN if c[0] == case)
    break_file(mini, rel, edit)
    before = snapshot(mini)
    code, out, err = figures(mini, capsys, monkeypatch)
    assert (code, out, err.splitlines()) == (1, "", expected)
    assert not SECRETS.search(out + err)
    assert snapshot(mini) == before


def test_a_header_only_complaints_log_is_no_complaints(mini, capsys):
    log = mini / LOG
    log.write_bytes(log.read_bytes().split(b"\n")[0] + b"\n")
    assert run(["--root", str(mini), "check"], capsys) == (0, "ok: 5 documents, 1 surveys (52 responses), 0 complaints\n", "")


def test_a_blank_item_column_is_no_answers(mini, capsys):
    wave = mini / WAVE
    data = wave.read_bytes()
    wave.write_bytes(chain(*(set_cell(n, 5, b"") for n in range(2, len(lines_of(data)))))(data))
    assert run(["--root", str(mini), "check"], capsys) == (0, CLEAN + "\n", "")


def test_many_columns_the_survey_does_not_use(mini, capsys):
    wave = mini / WAVE
    extra = 5000
    lines = lines_of(wave.read_bytes())
    lines = [line + b"," + b",".join(b"x%d" % i for i in range(extra)) if n == 0 else line + b"," * extra if line else line
             for n, line in enumerate(lines)]
    wave.write_bytes(b"\n".join(lines))
    assert run(["--root", str(mini), "check"], capsys) == (0, CLEAN + "\n", "")


def test_every_problem_of_a_file_at_once(mini, capsys):
    """Structural problems of different kinds in one file are all listed, each at its row."""
    wave = mini / WAVE
    data = chain(replace(b"RQ1-003", b"RQ1\x00003"), replace(b"South", "Süd".encode("latin-1"), 1),
                 edit_line(7, lambda line: line + b",x"))(wave.read_bytes())
    wave.write_bytes(data)
    code, out, err = run(["--root", str(mini), "check"], capsys)
    assert (code, err.splitlines()) == (1, [
        f"{WAVE}:2: region: {UTF8}",
        f"{WAVE}:5: respondent_id: expected text, got a NUL byte",
        f"{WAVE}:7: column 12: {VALUES}, got 12",
    ])


@pytest.mark.parametrize(("rel", "edit"), [c[1:3] for c in BROKEN + FINE if c[2] != "folder"],
                         ids=[c[0] for c in BROKEN + FINE if c[2] != "folder"])
def test_the_quick_check_agrees_with_the_scan(rel, edit):
    """The quick check of a file's bytes accepts nothing the row-by-row scan refuses, and finds the same rows."""
    from qmdoc.load import csv as csvread

    data = csvread._text(edit((Path(__file__).parent / "fixtures" / "mini" / rel).read_bytes()), rel, [])
    if data is None:
        return
    problems = []
    scanned = csvread._scan(data, rel, problems)
    quick = csvread._fast(data, rel)
    if quick is None:
        return
    assert not problems
    assert (quick.header, quick.rows, quick.header_line) == (scanned.header, scanned.rows, scanned.header_line)
    rows = np.arange(quick.rows)
    assert (quick.lines(rows) == scanned.lines(rows)).all()
    assert [quick.where(r) for r in rows] == [scanned.where(r) for r in rows]


TOKENS = [b",", b"\n", b"\r\n", b"\r", b'"', b'""', b"\x00", b"\xfc", b"\xef\xbb\xbf", b" ", b"x", b"\n\n", b'","', b'"a\nb"']


def mutate(data: bytes, rng) -> bytes:  # noqa: ANN001
    """A few random edits: half of the files only get quoted values, blank lines and CRLF (mostly valid)."""
    valid = rng.random() < 0.5
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if valid:
            lines = bytes(data).split(b"\n")
            k = rng.randrange(len(lines))
            cells = lines[k].split(b",")
            what = rng.random()
            if what < 0.6:
                cells[rng.randrange(len(cells))] = b'"' + b"".join(
                    rng.choice([b",", b"\n", b'""', b"x", b"\r\n", b" "]) for _ in range(rng.randint(0, 4))) + b'"'
                lines[k] = b",".join(cells)
            elif what < 0.8:
                lines.insert(k, b"" if rng.random() < 0.7 else b"\r")
            else:
                lines[k] += b"\r"
            data = bytearray(b"\n".join(lines))
            continue
        pos, op = rng.randrange(len(data) + 1), rng.random()
        if op < 0.5:
            data[pos:pos] = rng.choice(TOKENS)
        elif op < 0.8:
            del data[pos : pos + rng.randint(1, 3)]
        else:
            data[pos : pos + 1] = rng.choice(TOKENS)
    return bytes(data)


@pytest.mark.parametrize("rel", [WAVE, LOG])
def test_random_edits_are_read_as_python_csv_polars_and_pandas_read_them(rel):
    """On seeded random edits of the fixture's files: the quick check accepts nothing the scan refuses;
    what the scan accepts, Python's csv module (strict), polars and pandas read as the same rows and values."""
    import csv
    import io
    import random

    from qmdoc.load import csv as csvread

    rng = random.Random(20260101)
    clean = (Path(__file__).parent / "fixtures" / "mini" / rel).read_bytes()
    accepted = quick_ones = 0
    for _ in range(400):
        data = csvread._text(mutate(clean, rng), rel, [])
        if data is None:
            continue
        problems: list = []
        scanned = csvread._scan(data, rel, problems)
        quick = csvread._fast(data, rel)
        assert (scanned is None) == bool(problems)
        if quick is not None:
            quick_ones += 1
            assert scanned is not None, data
            rows = np.arange(quick.rows)
            assert (quick.header, quick.rows) == (scanned.header, scanned.rows)
            assert [quick.where(r) for r in rows] == [scanned.where(r) for r in rows]
        if scanned is None:
            continue
        accepted += 1
        rows = [row for row in csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True) if row]
        assert tuple(csvread._name(c) for c in rows[0]) == scanned.header
        assert all(len(row) == len(scanned.header) for row in rows)
        frame, _ = csvread.read_polars(scanned, list(scanned.header), [], False, problems)
        assert [["" if v is None else v for v in frame.row(k)] for k in range(frame.height)] == rows[1:]
        table = csvread.read_pandas(scanned, problems)
        assert table.fillna("").values.tolist() == rows[1:]
        assert not problems
    assert accepted > 100 and quick_ones > 50  # the edits reach both paths


@pytest.mark.parametrize("collecting", [True, False])
def test_the_figures_command_leaves_the_garbage_collector_as_it_found_it(mini, capsys, monkeypatch, collecting):
    import gc

    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        assert figures(mini, capsys, monkeypatch)[0] == 0
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
