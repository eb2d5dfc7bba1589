"""Service-quality gaps: expectation against perception per dimension and item, ranked, and their changes."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.gaps import GapChange, GapFigures
from ...compute.survey import SurveyFigures, WaveFigures
from ...manual_charts import ChartRef
from ...markdown import escape_inline
from ...render import bracketed, fmt
from ..context import field
from .format import NBSP, SurveyPage, ci, p_value, pct, signed


# the directions of a gap's change that are listed ("unchanged" is no change), each a catalogue key gap_<direction>
GAP_DIRECTIONS = ("widened", "narrowed")


@dataclass(frozen=True)
class GapRow:
    """The gap of one dimension or item."""

    measure: str = field("the dimension's title, or the item's id and question")
    n: int = field("respondents who rated both expectation and perception")
    expectation: Markup = field("mean expectation score (0-100)")
    perception: Markup = field("mean perception score (0-100) of the same respondents")
    gap: Markup = field("perception minus expectation, in points (negative: short of expectations)")
    ci: Markup = field("the gap's 95 % paired t-interval")
    share_short: Markup = field("share of those respondents whose perception falls short of their expectation")


@dataclass(frozen=True)
class GapChangeRow:
    """A gap that widened or narrowed significantly since the previous wave."""

    measure: str = field("the dimension's title, or the item's id")
    before: Markup = field("the gap in the previous wave")
    after: Markup = field("the gap in the latest wave")
    change: Markup = field("the change of the gap in points, with its 95 % interval")
    p: Markup = field("Welch's test's p-value")
    direction: str = field("widened or narrowed, translated")


@dataclass(frozen=True)
class GapsView:
    """The service-quality gaps section of the latest wave."""

    intro: str = field("what a gap is and how it is computed")
    weighted: str | None = field("the sentence saying the gaps are weighted like the other figures; "
                                 "None when the survey is unweighted")
    dimensions: tuple[GapRow, ...] = field("the dimensions with expectation items, in survey order")
    items: tuple[GapRow, ...] = field("the items with an expectation column, in survey order")
    chart: Markup = field("grouped bars of expectation and perception per dimension")
    ranked_dimensions: Markup = field("the dimensions ranked by gap, largest shortfall first")
    ranked_items: Markup = field("the items ranked by gap, largest shortfall first")
    changes_intro: str = field("which waves the changes compare, or that there is a single wave")
    changes: tuple[GapChangeRow, ...] = field("the gaps that changed significantly, dimensions and items")
    no_changes: str | None = field("the sentence saying no gap changed significantly; None when some did")


def _row(measure: str, f: GapFigures) -> GapRow:
    return GapRow(measure=measure, n=f.n, expectation=fmt(f.expectation), perception=fmt(f.perception),
                  gap=signed(f.gap, 1), ci=ci(f.ci), share_short=pct(f.share_short))


def _change_rows(page: SurveyPage, changes: list[GapChange], latest: WaveFigures,
                 previous: WaveFigures) -> tuple[GapChangeRow, ...]:
    t, rows = page.t, []
    for c in changes:
        if not c.significant or c.direction not in GAP_DIRECTIONS:
            continue
        pool = previous.gaps.dimensions if c.kind == "dimension" else previous.gaps.items
        now = latest.gaps.dimensions if c.kind == "dimension" else latest.gaps.items
        measure = page.title(c.id) if c.kind == "dimension" else c.id
        rows.append(GapChangeRow(measure=measure, before=signed(pool[c.id].gap), after=signed(now[c.id].gap),
                                 change=Markup(f"{signed(c.delta, 1, NBSP + t['points'])} ({ci(c.ci)})"),
                                 p=p_value(c.p), direction=t[f"gap_{c.direction}"]))
    return tuple(rows)


def gaps_view(page: SurveyPage, chart: ChartRef | None, fig: SurveyFigures, latest: WaveFigures,
              previous: WaveFigures | None) -> GapsView | None:
    """The gaps section; None when the survey declares no expectation column (or no chart was drawn)."""
    g = latest.gaps
    if g is None or chart is None:
        return None
    t = page.t
    items = {i.id: i for i in page.survey.all_items()}
    dims = tuple(_row(page.title(d), f) for d, f in g.dimensions.items())
    rows = tuple(_row(f"{i} {items[i].text}", f) for i, f in g.items.items())
    ranked_dims = [bracketed(page.title(d), signed(g.dimensions[d].gap), t) for d in g.ranked_dimensions]
    ranked_items = [bracketed(i, signed(g.items[i].gap), t) for i in g.ranked_items]
    title = t("chart_gaps_title", wave=latest.wave)
    described = "; ".join(f"{r.measure}: {t['gap_expectation']} {r.expectation}, {t['gap_perception']} "
                          f"{r.perception}" for r in dims)
    changes: tuple[GapChangeRow, ...] = ()
    if previous is not None and previous.gaps is not None:
        pairs = [c for c in fig.gap_changes if c.from_wave == previous.wave and c.to_wave == latest.wave]
        changes = _change_rows(page, pairs, latest, previous)
    changes_intro = t("single_wave", wave=latest.wave) if previous is None else \
        t("gap_changes_intro", previous=previous.wave, latest=latest.wave)
    none = None if changes or previous is None else \
        t("gap_no_changes", previous=previous.wave, latest=latest.wave)
    weighted = None if latest.weighting is None else t["gaps_weighted"]
    return GapsView(intro=t["gaps_intro"], weighted=weighted, dimensions=dims, items=rows,
                    chart=page.image(chart, f"{title}: {described}"), ranked_dimensions=escape_list(ranked_dims), ranked_items=escape_list(ranked_items),
                    changes_intro=changes_intro, changes=changes, no_changes=none)


def escape_list(parts: list[str]) -> Markup:
    """Parts joined by ' > ' (user text escaped)."""
    return Markup(" &gt; ".join(str(escape_inline(p)) for p in parts)) if parts else Markup("—")
