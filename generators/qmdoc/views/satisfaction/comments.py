"""What customers wrote: comments per theme (table and chart) and the published comments, redacted.

A published comment is user text: the template prints it through the page's escaping like every other
value. Its redactions show the marker of the page's language (``redaction_marker``).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import WaveFigures
from ...manual_charts import ChartRef, all_themes_suppressed
from ..context import field
from .format import SurveyPage

#: Waves shown in the theme table, latest first.
THEME_WAVES = 4
#: Published comments listed on the page: the latest wave's last ones in the data file's order (survey
#: tools export in order of submission, so these are the most recent); the page says how many more
#: there are and where they are kept.
COMMENTS_LISTED = 12


@dataclass(frozen=True)
class ThemeRow:
    """One theme of the theme dictionary."""

    theme: str = field("the theme's name as declared")
    counts: tuple[Markup | int, ...] = field("comments touching it per wave (as the waves), or the "
                                             "suppressed-cell label")


@dataclass(frozen=True)
class PublishedComment:
    """One comment marked publishable."""

    text: str = field("the comment, redacted, with the marker of the page's language")
    dimension: str | None = field("the title of the dimension it is about; None when its column names none")


@dataclass(frozen=True)
class CommentsView:
    """The "What customers wrote" section."""

    intro: str = field("how comments are counted, themed, reviewed and redacted")
    waves: tuple[str, ...] = field("the waves of the theme table, latest first")
    received: tuple[int, ...] = field("comments received per wave (as the waves)")
    themes: tuple[ThemeRow, ...] = field("comments per theme; empty when the survey declares no theme")
    chart: Markup | None = field("comments per theme in the latest wave as bars; None without themes or "
                                 "comments, or when every theme's count is suppressed")
    chart_note: str | None = field("the sentence saying every theme of the latest wave is under min_cell_n, so "
                                   "no chart is drawn; None otherwise")
    published_intro: str = field("how many of the latest wave's comments are published, or that none was marked")
    published: tuple[PublishedComment, ...] = field("the latest wave's most recent published comments (at most "
                                                    "COMMENTS_LISTED), redacted, in input order")
    more: str | None = field("how many more published comments the wave has and where they are kept; None when "
                             "all are listed")


def _count(value: int | None, page: SurveyPage) -> Markup | int:
    return page.small_cell if value is None else value


def comments_chart_alt(latest: WaveFigures, page: SurveyPage) -> str:
    """The chart's alternative text: every theme's count (or the suppressed-cell label)."""
    c = latest.comments
    parts = [f"{theme} {page.small if n is None else n}" for theme, n in c.themes.items()]
    return f"{page.t('chart_comments_title', wave=latest.wave)}: {', '.join(parts)} (n = {c.n})"


def comments_view(page: SurveyPage, chart: ChartRef | None, waves: list[WaveFigures]) -> CommentsView | None:
    """The section from the waves' comment figures (None when the survey declares no comment column)."""
    latest = waves[-1]
    if latest.comments is None:
        return None
    t = page.t
    shown = [w for w in reversed(waves) if w.comments is not None][:THEME_WAVES]
    themes = tuple(ThemeRow(theme=name, counts=tuple(_count(w.comments.themes.get(name), page) for w in shown))
                   for name in latest.comments.themes)
    titles = {d.id: d.title for d in page.survey.dimensions}
    marker = t["redacted_marker"]
    c = latest.comments
    listed = list(zip(c.texts, latest.comment_dimensions))[-COMMENTS_LISTED:]
    published = tuple(PublishedComment(text=text.render(marker), dimension=titles.get(dim) if dim else None)
                      for text, dim in listed)
    if c.published:
        published_intro = t("comments_published", n=c.n, published=c.published, wave=latest.wave, marker=marker)
    else:
        published_intro = t("comments_none_published", n=c.n, wave=latest.wave)
    more = t("comments_more", shown=len(listed), more=c.published - len(listed),
             folder=f"data/surveys/{page.survey.id}/") if c.published > len(listed) else None
    return CommentsView(
        intro=t("comments_intro", n=page.survey.min_cell_n), waves=tuple(w.wave for w in shown),
        received=tuple(w.comments.n for w in shown), themes=themes,
        chart=page.image(chart, comments_chart_alt(latest, page)) if chart is not None else None,
        chart_note=t("comments_all_suppressed", wave=latest.wave, n=page.survey.min_cell_n)
        if all_themes_suppressed(latest) else None,
        published_intro=published_intro, published=published, more=more)
