"""Comments: the instrument's comment, personal and theme declarations checked, and each comment's
publishable mark resolved from the export's column and the reviewed file.

The mark of a comment comes from ``data/surveys/<id>/comments-reviewed.csv`` (columns ``respondent``,
``comment``, ``publishable``) when that file lists the comment (same respondent id, same text after
trimming and joining runs of white space), else from the comment column's ``publishable`` column of the
export, else the comment is not published. The reviewed file wins: it is the later, deliberate review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ...models import Survey
from ...models.survey import PUBLISHABLE_SPELLINGS, PublishableError, parse_publishable
from ...project import publishable_column
from ...yamlfile import YamlDoc, relpath
from ..collector import _bad_rows, _Collector
from ..csv import CsvFile, read_csv_file, read_pandas

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

#: The reviewed file's name in a survey's data folder (never a wave).
REVIEWED_FILE = "comments-reviewed.csv"
REVIEWED_COLUMNS = ("respondent", "comment", "publishable")
EXPECTED_MARK = (f"expected a publishable mark, one of {', '.join(PUBLISHABLE_SPELLINGS)} "
                 f"(blank: not reviewed)")


def comment_columns(s: Survey) -> list[str]:
    """The export's columns the comments need: comment, publishable and personal columns."""
    cols = [c.column for c in s.comments] + [c.publishable for c in s.comments if c.publishable]
    return list(dict.fromkeys(cols + list(s.personal)))


def check_comment_declarations(c: _Collector, s: Survey, doc: YamlDoc) -> None:
    """Comment dimensions are declared dimensions, comment columns are named once, theme names are
    unique (ignoring case) and theme keywords are not blank."""
    dims = {d.id for d in s.dimensions}
    seen: set[str] = set()
    for k, com in enumerate(s.comments):
        if com.dimension is not None and com.dimension not in dims:
            c.add(doc.path, doc.line_of(("comments", k, "dimension")), f"comments[{k}].dimension",
                  f"expected a dimension id ({', '.join(sorted(dims))}), got {com.dimension!r}")
        if com.column in seen:
            c.add(doc.path, doc.line_of(("comments", k, "column")), f"comments[{k}].column",
                  f"expected each comment column once, got {com.column!r} again")
        seen.add(com.column)
    names: dict[str, str] = {}
    for theme, keywords in s.themes.items():
        loc = ("themes", theme)
        folded = theme.casefold()
        if folded in names:
            c.add(doc.path, doc.line_of(loc), f"themes.{theme}",
                  f"expected unique theme names, got {theme!r} and {names[folded]!r}")
        names.setdefault(folded, theme)
        if not keywords:
            c.add(doc.path, doc.line_of(loc), f"themes.{theme}", "expected at least one keyword, got none")
        for j, word in enumerate(keywords):
            if not word.strip():
                c.add(doc.path, doc.line_of((*loc, j)), f"themes.{theme}[{j}]",
                      "expected a keyword, got a blank one")


def check_marks(c: _Collector, src: CsvFile, raw: pl.DataFrame, s: Survey) -> None:
    """The export's publishable marks of one file: each one of the accepted spellings or blank."""
    import polars as pl

    for col in dict.fromkeys(com.publishable for com in s.comments if com.publishable):
        values = raw[col].cast(pl.Utf8).to_list()
        bad = np.array([not _parses(v) for v in values], dtype=bool)
        if bad.any():
            _bad_rows(c, src, col, bad, values, EXPECTED_MARK, _quoted)


def _parses(value: object) -> bool:
    try:
        parse_publishable(value)
    except PublishableError:
        return False
    return True


def _quoted(value: object) -> str:
    text = str(value)
    return repr(text) if len(text) <= 40 else f"a value of {len(text)} characters (not shown)"


def _norm(text: object) -> str:
    return " ".join(str(text).split()) if text is not None else ""


@dataclass
class Marks:
    """The respondent ids, comments and export marks of a survey's files, collected file by file."""

    survey: Survey
    root: Path  # the project's root: where the reviewed file is looked for
    ids: list[list[str]] = field(default_factory=list)
    texts: dict[str, list[list[str]]] = field(default_factory=dict)
    marks: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, raw: pl.DataFrame) -> None:
        """One file (its raw frame, checked)."""
        import polars as pl

        if not self.needed():
            return
        self.ids.append(["" if v is None else str(v) for v in raw[self.survey.respondent].cast(pl.Utf8).to_list()])
        for com in self.survey.comments:
            self.texts.setdefault(com.column, []).append([_norm(v) for v in raw[com.column].cast(pl.Utf8).to_list()])
            if com.publishable:
                marks = [_safe(v) for v in raw[com.publishable].cast(pl.Utf8).to_list()]
                self.marks.setdefault(com.column, []).append(np.array(marks, dtype=bool))

    def reviewed_file(self) -> Path:
        return self.root / "data" / "surveys" / self.survey.id / REVIEWED_FILE

    def needed(self) -> bool:
        """Whether there is anything to mark or check: declared comments or a reviewed file (whose
        respondent ids are checked against the data files' even when no comment column is declared)."""
        return bool(self.survey.comments) or self.reviewed_file().is_file()

    def resolve(self, c: _Collector) -> dict[str, np.ndarray]:
        """Comment column -> each row's publishable mark (the frame's rows, in file order)."""
        s = self.survey
        if not self.needed():
            return {}
        path = self.reviewed_file()
        ids = [i for file_ids in self.ids for i in file_ids]
        out = {}
        for com in s.comments:
            given = self.marks.get(com.column)
            out[com.column] = np.concatenate(given) if given else np.zeros(len(ids), dtype=bool)
        where: dict[tuple[str, str], list[tuple[str, int]]] = {}  # (respondent, comment) -> its cells
        for col, parts in self.texts.items():
            for r, (rid, text) in enumerate(zip(ids, (t for part in parts for t in part))):
                if text:
                    where.setdefault((rid, text), []).append((col, r))
        if path.is_file():
            for said, mark in _reviewed(c, self.root, path, set(ids), where).items():
                for col, r in where[said]:
                    out[col][r] = mark
        return {publishable_column(col): marks for col, marks in out.items()}


def _safe(value: object) -> bool:
    return parse_publishable(value) if _parses(value) else False


def _reviewed(c: _Collector, root: Path, path: Path, known: set[str],
              said: dict[tuple[str, str], list[tuple[str, int]]]) -> dict[tuple[str, str], bool]:
    """The reviewed file's marks by (respondent, comment); each row checked, problems reported."""
    rel = relpath(path, root)
    src = read_csv_file(path, rel, c.problems, checksum=False)
    if src is None:
        return {}
    missing = [col for col in REVIEWED_COLUMNS if col not in src.header]
    for col in missing:
        c.add(rel, src.header_line, col, f"expected a column named {col!r}, got none")
    frame: pd.DataFrame | None = None if missing else read_pandas(src, c.problems)
    if frame is None:
        return {}
    out: dict[tuple[str, str], bool] = {}
    for r, (rid, text, mark) in enumerate(frame[list(REVIEWED_COLUMNS)].itertuples(index=False)):
        line = src.where(r)[0]
        rid = "" if rid != rid else str(rid).strip()
        text = "" if text != text else _norm(text)
        if rid not in known:
            c.add(rel, line, "respondent", f"expected the id of a respondent in the data files, got {_quoted(rid)}")
        elif (rid, text) not in said:
            c.add(rel, line, "comment", f"expected the text of a comment of respondent {rid!r} as the data files "
                                        f"hold it, got a text of {len(text)} characters that none of them has")
        elif not _parses(mark):
            c.add(rel, line, "publishable", f"{EXPECTED_MARK}, got {_quoted(mark)}")
        else:
            out[(rid, text)] = parse_publishable(mark)
    return out
