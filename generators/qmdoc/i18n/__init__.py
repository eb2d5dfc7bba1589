"""One catalogue of strings per language; every generated text comes from here."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

import yaml

LANGUAGES = ("en", "zh")


class Catalogue:
    def __init__(self, language: str, strings: dict[str, object]):
        self.language = language
        self._strings = strings

    def __getitem__(self, key: str) -> str:
        try:
            return self._strings[key]  # type: ignore[return-value]
        except KeyError:
            raise KeyError(f"no {self.language!r} text for {key!r}") from None

    def __call__(self, key: str, **values: object) -> str:
        return self[key].format(**values)

    def date(self, d: dt.date | None) -> str:
        if d is None:
            return "—"
        return self["date_format"].format(d=d, month=self._strings["months"][d.month - 1])

    def keys(self) -> set[str]:
        return set(self._strings)


@lru_cache(maxsize=None)
def catalogue(language: str) -> Catalogue:
    if language not in LANGUAGES:
        raise ValueError(f"expected a language in {LANGUAGES}, got {language!r}")
    text = resources.files(__name__).joinpath(f"{language}.yml").read_text(encoding="utf-8")
    # the package's own file, never user input: libyaml's loader where it is built in (ten times faster)
    return Catalogue(language, yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
