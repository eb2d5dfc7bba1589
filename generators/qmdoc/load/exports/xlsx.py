"""Excel workbooks: a sheet as text cells, rows numbered as Excel shows them."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import Problem


def _read_xlsx(path: Path, rel: str, sheet: str | None, problems: list[Problem]) -> list[list[str | None]] | None:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
        if sheet is not None and sheet not in names:
            problems.append(Problem(rel, 0, "sheet", f"expected a sheet named {sheet!r}, got {', '.join(map(repr, names))}"))
            return None
        frame = reader.load_sheet(sheet if sheet is not None else 0, header_row=None, dtypes="string").to_polars()
    except Exception:  # noqa: BLE001 - the reader's message may quote a cell: never shown
        problems.append(Problem(rel, 0, "", "expected an Excel .xlsx workbook, got a file the reader cannot open"))
        return None
    # the reader starts at the first row holding a value: blank rows above it still count in Excel
    first = _first_row(path, sheet if sheet is not None else names[0])
    return [[] for _ in range(first - 1)] + [list(row) for row in frame.iter_rows()]


_XML_TAG = re.compile(r"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_XML_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_CELL = re.compile(r'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def _first_row(path: Path, sheet: str) -> int:
    """The Excel row number of the first cell holding a value in ``sheet`` (1 when it cannot be told)."""
    import html
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            tags = [(kind, dict(_XML_ATTR.findall(attrs))) for kind, attrs in
                    _XML_TAG.findall(z.read("xl/workbook.xml").decode("utf-8"))
                    + _XML_TAG.findall(z.read("xl/_rels/workbook.xml.rels").decode("utf-8"))]
            rid = next(a.get("r:id") for k, a in tags if k == "sheet" and html.unescape(a.get("name", "")) == sheet)
            target = next(a["Target"] for k, a in tags if k == "Relationship" and a.get("Id") == rid)
            name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            with z.open(name) as f:
                head = f.read(1 << 20).decode("utf-8", errors="ignore")
    except Exception:  # noqa: BLE001 - an unusual workbook: rows counted from the first one read
        return 1
    for m in _CELL.finditer(head):
        if m.group(2) and ("<v>" in m.group(2) or "<is>" in m.group(2)):
            row = re.search(r'\br="[A-Z]+(\d+)"', m.group(1))
            return int(row.group(1)) if row else 1
    return 1
