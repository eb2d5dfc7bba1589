"""How a wrong value is quoted after "got" in a problem: answers and dates when they look like one, else only a length."""

from __future__ import annotations

import re


# How a wrong value is quoted after "got". Only answers (item columns) and dates are ever shown, and
# only when they look like one: an identifier, a contact detail or free text in the wrong column
# must not reach the terminal or the CI log.
_ANSWER = re.compile(r"[\w.,+\-/ ]{1,16}")
_DATE = re.compile(r"[0-9./\- :T年月日]{1,20}")
_DIGITS = re.compile(r"\d{6}")


def describe_answer(value: object) -> str:
    """An answer as quoted after "got": as it is when short and answer-like, otherwise only its length.

    Shown: at most 16 letters, digits, spaces and ``. , + - /`` without a run of six digits
    (``'7'``, ``'n/a'``, ``'ten'``, ``1e309``). Not shown: an e-mail address, a phone number, a sentence.
    """
    if value is None:
        return "nothing"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 9, not 9.0 (answers are read as floats)
    if not isinstance(value, str):
        return repr(value)
    if _ANSWER.fullmatch(value) and not _DIGITS.search(value):
        return repr(value)
    return _hidden(value)


def describe_date(value: object) -> str:
    """A date as quoted after "got": as it is when it is made of digits and separators (年月日 included)
    without a run of six digits, otherwise its length.

    A blank cell (None, or NaN as pandas reads one) is "nothing".
    """
    if _blank(value):
        return "nothing"
    if isinstance(value, str) and _DATE.fullmatch(value) and not _DIGITS.search(value):
        return repr(value)  # a run of six digits is an id or a phone number, not a date
    return _hidden(value)


def describe_hidden(value: object) -> str:
    """A value of a column that is not published (an identifier, a contact, free text): only its length."""
    return "nothing" if _blank(value) else _hidden(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _hidden(value: object) -> str:
    text = str(value)
    return f"a value of {len(text)} character{'s' if len(text) != 1 else ''} (not shown)"

