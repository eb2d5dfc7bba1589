"""Values as exports and logs write them: dates, durations, numbers, waves from dates, include filters."""

from __future__ import annotations

import datetime as dt
import re


_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_HAN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def parse_date(text: str | None, date_format: str | None = None) -> dt.datetime | None:
    """A date or date-time as logs and exports write it; None when it is none of the known forms.

    Forms: ``date_format`` (strftime) when given, ISO (``2025-01-03``, ``2025-01-03T10:00:00``),
    ``2025/1/3`` (with a time or without), ``2025年1月3日`` and Excel serial numbers (``45660``).
    """
    if text is None:
        return None
    text = text.strip()
    if date_format:
        try:
            return dt.datetime.strptime(text, date_format)
        except ValueError:
            pass
    try:
        value = dt.datetime.fromisoformat(text)
        return value.replace(tzinfo=None)
    except ValueError:
        pass
    for pattern in (_SLASH, _HAN):
        m = pattern.fullmatch(text)
        if m:
            try:
                return dt.datetime(*(int(g) for g in m.groups() if g is not None))
            except ValueError:
                return None
    if _SERIAL.fullmatch(text) and 20000 <= float(text) <= 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=float(text))
    return None


_SECONDS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:秒|s|sec|seconds)?")
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})")


def parse_duration(text: str) -> float | None:
    """Seconds from ``588秒``, ``123`` or ``00:09:48``; None when it is none of them."""
    text = text.strip()
    m = _SECONDS.fullmatch(text)
    if m:
        return float(m.group(1))
    m = _CLOCK.fullmatch(text)
    if m:
        return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
    return None


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def period_label(when: dt.datetime, period: str) -> str:
    """The wave a date falls in: 2025-06, 2025-Q2, 2025-H1 or 2025."""
    if period == "month":
        return f"{when.year}-{when.month:02d}"
    if period == "quarter":
        return f"{when.year}-Q{(when.month - 1) // 3 + 1}"
    if period == "half":
        return f"{when.year}-H{1 if when.month <= 6 else 2}"
    return str(when.year)


def _matches(cell: str | None, wanted: list) -> bool:
    if cell is None:
        return False
    num = _number(cell)
    for w in wanted:
        if isinstance(w, str) and cell.strip() == w:
            return True
        if not isinstance(w, str):
            if num is not None and num == float(w):
                return True
            if cell.strip().lower() in ("true", "false") and float(w) == (cell.strip().lower() == "true"):
                return True
    return False
