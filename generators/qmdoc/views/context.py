"""Page contexts: frozen dataclasses whose every field says, in one line, what it holds.

A view function turns computed results (and the chart references of the chart
stage) into one context; its template only loops and prints. ``field(...)``
records a field's description in its metadata, :func:`documented_fields` reads
them back (a test checks that none is missing).
"""

from __future__ import annotations

import dataclasses
from typing import Any

DESCRIPTION = "description"


def field(description: str, **kwargs: Any) -> Any:
    """A dataclass field with its one-line ``description``; other keyword arguments as for ``dataclasses.field``."""
    return dataclasses.field(metadata={DESCRIPTION: description}, **kwargs)


def documented_fields(cls: type) -> dict[str, str]:
    """Field name -> description of a context class, in declaration order ("" for an undocumented field)."""
    return {f.name: f.metadata.get(DESCRIPTION, "") for f in dataclasses.fields(cls)}


def template_values(context: object) -> dict[str, Any]:
    """The top-level variables a template receives from a context: its fields, values as they are."""
    return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}  # type: ignore[arg-type]
