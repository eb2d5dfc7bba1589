"""What each platform's export looks like: plain and 问卷星 (wjx) one header row, Qualtrics three
(ids, question text, import ids; finished responses by default), SurveyMonkey two (question, sub-question)."""

from __future__ import annotations


FORMAT_HEADER_ROWS = {"plain": 1, "wjx": 1, "qualtrics": 3, "surveymonkey": 2}
DEFAULT_INCLUDE = {"qualtrics": {"Status": [0], "Finished": [1]}}
# SurveyMonkey's second header row under a single-column question
_MONKEY_PLAIN = {"", "response", "open-ended response"}


def _records_end(text: str, n: int) -> int:
    """Where the first ``n`` CSV records of ``text`` end (after their line break)."""
    inside, count = False, 0
    for i, ch in enumerate(text):
        if ch == '"':
            inside = not inside
        elif ch == "\n" and not inside:
            count += 1
            if count == n:
                return i + 1
    return len(text)


def _titles(fmt: str, heads: list[list]) -> list[str] | None:
    """The column titles from a format's header rows."""
    first = [("" if v is None else str(v)).replace("\ufeff", "").strip() for v in heads[0]]
    if fmt == "qualtrics":
        third = heads[2] if len(heads) > 2 else []
        if not third or not str(third[0] or "").startswith('{"ImportId"'):
            return None
    if fmt != "surveymonkey":
        return first
    second = [("" if v is None else str(v)).strip() for v in heads[1]] + [""] * len(first)
    titles, question = [], ""
    for top, sub in zip(first, second):
        question = top or question
        titles.append(question if sub.lower() in _MONKEY_PLAIN else f"{question} | {sub}")
    return titles
