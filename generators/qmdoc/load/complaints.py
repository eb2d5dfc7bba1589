"""The complaints log: read (a plain CSV, or mapped from the complaints system's export), checked row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..models import COMPLAINT_FIELDS, Organization, Procedure
from ..project import DataFile
from ..yamlfile import YamlDoc, relpath
from .collector import MAX_PROBLEMS_PER_COLUMN, _bad_rows, _Collector, _report_rows
from .csv import CsvFile, describe_date, describe_hidden, read_csv_file, read_pandas
from .exports import convert_complaints
from .files import _known_encoding, _safe_path

COMPLAINT_COLUMNS = ["complaint_id", "received", "acknowledged", "resolved", "customer_id", "category", "severity"]


def load_complaints_log(c: _Collector, root: Path, docs: dict[str, YamlDoc | None], organization: Organization,
                        complaints_proc: Procedure | None, as_of: dt.date) -> tuple[pd.DataFrame, DataFile | None]:
    """The complaints log organization.yml names, when it is a file in the repository (else reported, when
    there is a complaints procedure to measure it against)."""
    complaints = pd.DataFrame()
    complaints_file = None
    log_loc = ("complaints_log",) if isinstance(organization.complaints_log, str) else ("complaints_log", "path")
    log = _safe_path(c, root, organization.complaints_log_path, docs["organization"], log_loc)
    if not isinstance(organization.complaints_log, str) and not _known_encoding(organization.complaints_log.encoding):
        c.add(docs["organization"].path, docs["organization"].line_of(("complaints_log", "encoding")),
              "complaints_log.encoding", f"expected auto or the name of an encoding (utf-8, gb18030, gbk, "
              f"cp1252, ...), got {organization.complaints_log.encoding!r}")
        log = None
    if log is not None and log.is_file():
        complaints, complaints_file = _load_complaints(c, root, log, organization, as_of)
    elif log is not None and complaints_proc is not None:
        c.add(relpath(log, root), 0, "", "expected the complaints log named by complaints_log, got no file")
    return complaints, complaints_file


def _load_complaints(c: _Collector, root: Path, path: Path, org: Organization,
                     as_of: dt.date) -> tuple[pd.DataFrame, DataFile | None]:
    rel = relpath(path, root)
    log = org.complaints_log
    titles: dict[str, str] = {}  # our field -> the log's column title (a mapped log)
    if isinstance(log, str):
        src = read_csv_file(path, rel, c.problems)
        required = COMPLAINT_COLUMNS
        date_expected = "expected a date YYYY-MM-DD"
    else:
        converted = convert_complaints(path, rel, log, c.problems, list(COMPLAINT_FIELDS))
        src = None if converted is None else converted[0]
        titles = {("customer_id" if f == "customer" else f): getattr(log.columns, f) for f in COMPLAINT_FIELDS
                  if getattr(log.columns, f) is not None}
        required = [f for f in COMPLAINT_COLUMNS if f in titles]
        date_expected = "expected a date"
    raw = read_pandas(src, c.problems) if src is not None else None
    if raw is None:
        return pd.DataFrame(), None
    raw = raw.rename(columns={"customer": "customer_id"})
    missing = [col for col in required if col not in raw.columns]
    for col in missing:
        c.add(rel, src.header_line, col, f"expected a column named {col!r}, got none")
    if missing:
        return pd.DataFrame(), None
    out = pd.DataFrame(index=raw.index)
    for col in ("complaint_id", "customer_id", "category", "severity"):
        if col in required:
            _bad_rows(c, src, titles.get(col, col), raw[col].isna().to_numpy(), raw[col], "expected a value",
                      describe_hidden)
            out[col] = raw[col]
    for col in ("received", "acknowledged", "resolved"):
        parsed = pd.to_datetime(raw[col], format="%Y-%m-%d", errors="coerce")
        bad = raw[col].notna().to_numpy() & parsed.isna().to_numpy()
        if col == "received":
            bad |= raw[col].isna().to_numpy()
        _bad_rows(c, src, titles.get(col, col), bad, raw[col], date_expected, describe_date)
        out[col] = parsed
    for col in ("acknowledged", "resolved"):
        early = (out[col] < out["received"]).to_numpy()
        _bad_rows(c, src, titles.get(col, col), early, raw[col], "expected a date on or after received",
                  describe_date)
    for col in ("region", "customer_type", "product", "channel", "corrective_action", "status"):
        if col in raw.columns:
            out[col] = raw[col]
    # a repeated id is named by the line where it first occurs, never by its value
    ids = out["complaint_id"]
    dup = (ids.duplicated() & ids.notna()).to_numpy()
    first = pd.Series(np.arange(len(ids)), index=ids.index).groupby(ids, sort=False).transform("min").to_numpy()
    for n, r in enumerate(np.flatnonzero(dup)):
        line, sheet = src.where(int(r))
        if n == MAX_PROBLEMS_PER_COLUMN:
            c.add(rel, line, "complaint_id", f"{int(dup.sum()) - n} more values like these (not listed)")
            break
        c.add(rel, line, "complaint_id",
              f"expected a unique complaint id, got the id of line {src.where(int(first[r]))[0]} again{sheet}")
    check_complaints(c, out, src, org, as_of, titles)
    return out, DataFile(rel, src.sha256, len(raw))


def check_complaints(c: _Collector, log: pd.DataFrame, src: CsvFile, org: Organization, as_of: dt.date,
                     titles: dict[str, str] | None = None) -> None:
    """The complaints log's values against the organization's rules: known severities, no date after
    today (a date in the future is a typing error). ``titles``: the log's column title of a field, when mapped."""
    titles = titles or {}
    known = org.severities()
    if "severity" in log:
        unknown = log["severity"].notna().to_numpy() & ~log["severity"].isin(known).to_numpy()
        listed = ", ".join(known)
        _report_rows(c, src, titles.get("severity", "severity"), unknown,
                     f"expected one of the complaint severities ({listed}; complaint_severities in organization.yml)")
    # the build date is the last commit's: a complaint logged since, not yet committed, is no mistake
    latest = max(as_of, dt.date.today())
    limit = pd.Timestamp(latest) + pd.Timedelta(days=1)
    for col in ("received", "acknowledged", "resolved"):
        late = (log[col] >= limit).to_numpy()
        _report_rows(c, src, titles.get(col, col), late,
                     f"expected a date on or before today ({latest}), got a later one")
