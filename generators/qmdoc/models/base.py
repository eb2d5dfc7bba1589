"""The building blocks of every model: constrained text, documented keys, the strict base model."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


# Bounds on numbers: anything beyond them is a typo or an attack, never a real policy value.
ScalePoint = Annotated[int, Field(ge=-10**6, le=10**6)]


def key(description: str, example: Any, default: Any = ..., **constraints: Any) -> Any:
    """A documented key: what it means, one example value, its default (``...``: required)."""
    return Field(default, description=description, examples=[example], **constraints)


class Model(BaseModel):
    # .inf, .nan and 1e309 are not numbers a quality manual can use: refused everywhere
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)
