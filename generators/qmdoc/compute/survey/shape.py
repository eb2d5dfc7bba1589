"""How a result field appears in the JSON export (:mod:`.export`): the shape is the dataclasses' own.

Every field of a result dataclass is a key of its JSON object, in the order
the fields are declared, unless its ``metadata`` says otherwise:

* :func:`hidden`: not exported (e.g. an id that is already the key, a count
  the export shows as a share);
* :func:`named`: exported under another key (``from``/``to`` of a change);
* :func:`optional`: only when it is not None (``excluded``, ``*_unavailable``);
* :func:`declared`: in every wave when any wave of the survey has it (the survey
  declares a model, loyalty items, competitors, ...), else in none;
* :func:`view`: exported as the listed fields of the dataclass it holds, in
  its place (a loyalty item: some of its item figures);
* ``convert`` (:func:`converted`, or with :func:`optional` and :func:`declared`): a
  function ``convert(value, plain, owner)`` that gives the field's JSON value itself
  (``plain`` converts a nested value, ``owner`` is the object the field belongs to).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

Converter = Callable[[Any, Callable[[Any], Any], Any], Any]


def hidden(**kw: Any) -> Any:
    return dataclasses.field(metadata={"json": "hidden"}, **kw)


def named(name: str, **kw: Any) -> Any:
    return dataclasses.field(metadata={"json_name": name}, **kw)


def optional(convert: Converter | None = None, **kw: Any) -> Any:
    return dataclasses.field(metadata={"json": "optional", "convert": convert}, **kw)


def declared(convert: Converter | None = None, also: tuple[str, ...] = (), **kw: Any) -> Any:
    """Also: fields whose presence in a wave declares this one too (``model_unavailable`` for ``model``)."""
    return dataclasses.field(metadata={"json": "declared", "convert": convert, "also": also}, **kw)


def view(*keys: str, **kw: Any) -> Any:
    return dataclasses.field(metadata={"json": "view", "keys": keys}, **kw)


def converted(convert: Converter, **kw: Any) -> Any:
    return dataclasses.field(metadata={"convert": convert}, **kw)
