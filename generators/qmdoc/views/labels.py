"""Labels that a page and its charts both show, made in one place."""

from __future__ import annotations

from collections.abc import Iterable

from ..compute.survey import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL
from ..i18n import Catalogue
from ..models import Survey

# quadrant of the compute stage -> catalogue key suffix (``quadrant_<suffix>``, ``action_<suffix>``)
QUADRANT_KEYS = {KEEP_UP: "keep_up", CONCENTRATE: "concentrate", LOW_PRIORITY: "low_priority", OVERKILL: "overkill"}

# how the importance of the importance-performance grid was obtained: ``ipa_intro_<kind>``, ``axis_importance_<kind>``
IMPORTANCE_KINDS = ("stated", "derived")
# what an item outside the dimensions is for, before the first wave: ``item_role_<role>``
ITEM_ROLES = ("overall", "recommend", "loyalty", "other")


def importance_kind(survey: Survey) -> str:
    """One of :data:`IMPORTANCE_KINDS`: derived when the survey derives importance, else stated."""
    return IMPORTANCE_KINDS[1] if survey.importance == "derived" else IMPORTANCE_KINDS[0]


def survey_path(survey_id: str) -> str:
    return f"satisfaction/{survey_id}.md"


def dimension_titles(survey: Survey) -> dict[str, str]:
    """Dimension id -> title, in survey order."""
    return {d.id: d.title for d in survey.dimensions}


def segment_title(t: Catalogue, column: str) -> str:
    """A segment column's display name: ``segment_<column>`` from the catalogue, else the column name."""
    return t[f"segment_{column}"] if f"segment_{column}" in t.keys() else column


def segment_name(survey: Survey, t: Catalogue, column: str) -> str:
    """A segment's title: as the survey declares it, else from the catalogue, else the column name."""
    return survey.segment_title(column) or segment_title(t, column)


def competitor_names(survey: Survey, companies: Iterable[str], t: Catalogue) -> list[str]:
    """The compared companies' names, ours marked as such."""
    us = survey.competitors.us if survey.competitors is not None else None
    return [t("competitor_us", name=name) if name == us else name for name in companies]


def small_cell_label(survey: Survey, t: Catalogue) -> str:
    """"n < 30" as text: what a suppressed cell shows in charts and alt text."""
    return t("small_cell", n=survey.min_cell_n)
