"""What every section of the satisfaction page shares: where the page is, and how a figure is printed."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import Change
from ...i18n import Catalogue
from ...manual_charts import ChartRef
from ...markdown import escape_inline
from ...models import Item, Survey
from ...render import fmt, image
from ..context import field
from ..labels import small_cell_label, survey_path

NBSP = "\u00a0"  # keeps a number with its unit, and an interval's ends together, in narrow table cells
DASH = "\u2013\u2060"  # en dash + word joiner: a line may break after a bare dash, never after this one

Interval = tuple[float | None, float | None] | None


@dataclass(frozen=True)
class SurveyPage:
    """One survey's page as its sections see it: the survey, the page's path, the catalogue."""

    survey: Survey = field("the survey as declared")
    here: str = field("docs-relative path of the page, where its links and images start")
    t: Catalogue = field("the catalogue of the manual's language")
    small: str = field("the suppressed-cell label ('n < 30') as text, for alt text")
    small_cell: Markup = field("the same for a table cell: escaped, with no-break spaces so that it never wraps")

    @classmethod
    def of(cls, survey: Survey, t: Catalogue) -> SurveyPage:
        small = small_cell_label(survey, t)
        return cls(survey, survey_path(survey.id), t, small, Markup(str(escape_inline(small)).replace(" ", NBSP)))

    def image(self, chart: ChartRef, alt: str) -> Markup:
        """The Markdown image of a drawn chart, with ``alt`` as its alternative text."""
        return image(self.here, chart.path, alt)

    def title(self, key: str) -> str:
        """A dimension's (or latent variable's) title; the key itself when the survey has no such dimension."""
        return {d.id: d.title for d in self.survey.dimensions}.get(key, key)


def ci(interval: Interval, digits: int = 1, scale: float = 1.0) -> Markup:
    if not interval or interval[0] is None:
        return Markup("—")
    return Markup(f"{interval[0] * scale:.{digits}f}{NBSP}{DASH}{NBSP}{interval[1] * scale:.{digits}f}")


def pct(share: float | None, digits: int = 1) -> Markup:
    return fmt(share * 100 if share is not None else None, digits, f"{NBSP}%")


def signed(value: float | None, digits: int = 1, suffix: str = "") -> Markup:
    if value is None:
        return Markup("—")
    return Markup(f"{value:+.{digits}f}{suffix}")


def p_value(p: float | None) -> Markup:
    if p is None:
        return Markup("—")
    return Markup(f"&lt;{NBSP}0.001") if p < 0.001 else Markup(f"{p:.3f}")


def change_cell(change: Change | None, t: Catalogue, digits: int = 1, suffix: str = "", scale: float = 1.0) -> Markup:
    """A change for a table cell; a significant one in bold and marked as such."""
    if change is None:
        return Markup("—")
    text = signed(change.delta * scale, digits, suffix)
    if change.significant:
        return Markup(f"**{text}**{t['punct_open']}{escape_inline(t['significant'])}{t['punct_close']}")
    return text


def scale_text(survey: Survey, item: Item) -> str:
    """An item's answer scale, e.g. "1–5"."""
    sc = survey.item_scale(item)
    return f"{sc.min}{DASH}{sc.max}"
