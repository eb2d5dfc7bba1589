"""Turn loaded YAML into models, translating pydantic errors into ``Problem``s."""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem, describe
from .yamlfile import YamlDoc

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "missing": "expected a value, got nothing",
    "extra_forbidden": None,  # handled below: names the unknown key
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "date_from_datetime_parsing": "expected a date YYYY-MM-DD",
    "date_parsing": "expected a date YYYY-MM-DD",
    "date_type": "expected a date YYYY-MM-DD",
    "bool_parsing": "expected true or false",
    "tuple_type": "expected a list",
}


def field_name(loc: tuple) -> str:
    """``('procedures', 2, 'steps', 0, 'actor')`` -> ``procedures[2].steps[0].actor``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _message(err: dict) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return _EXPECTED[kind]
    if kind == "extra_forbidden":
        return "expected a known key, got unknown key " + repr(err["loc"][-1])
    if kind == "value_error":
        # our own validators already phrase it as "expected ..., got ..."
        return re.sub(r"^Value error, ", "", err["msg"])
    expected = _EXPECTED.get(kind)
    if expected is None:
        msg = err["msg"]
        msg = re.sub(r"^Input should be ", "expected ", msg)
        msg = re.sub(r"^String should match pattern .*", "expected an identifier (letters, digits, _ . -, starting with a letter)", msg)
        msg = re.sub(r"^String should have at least 1 character", "expected text", msg)
        msg = re.sub(r"^List should have at least (\d+) items?.*", r"expected at least \1 entries", msg)
        if not msg.startswith("expected"):
            msg = "expected " + msg[0].lower() + msg[1:]
        expected = msg
    return f"{expected}, got {describe(value)}"


def validate_model(model: type[M], doc: YamlDoc, prefix: tuple = ()) -> tuple[M | None, list[Problem]]:
    """Validate ``doc.data`` (or its part at ``prefix``) as ``model``; return it or the problems."""
    data = doc.data
    for part in prefix:
        data = data[part]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            if err["type"] == "extra_forbidden":
                loc_line = doc.line_of((*prefix, *loc))
            else:
                loc_line = doc.line_of((*prefix, *loc))
            problems.append(Problem(doc.path, loc_line, field_name((*prefix, *loc)) or "(file)", _message(err)))
        return None, problems
