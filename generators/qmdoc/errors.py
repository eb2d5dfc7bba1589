"""Problems found in the user's files, reported all at once as ``path:line: field: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file.

    ``line`` is the 1-based line of a YAML file or the 1-based line of a CSV
    file (the header is line 1, so the first record is line 2).
    """

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if not self.path:
            return f"{self.field}: {self.message}" if self.field else self.message
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class QmdocError(Exception):
    """Raised with every problem found; the command line prints them and exits 1."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", 0, "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.field, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def describe(value: object) -> str:
    """How a wrong value is quoted after "got"."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)
