"""The ISO 9001 clause matrix: which documents, records and indicators address each clause."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..compute.control import ClauseRow
from ..i18n import Catalogue
from ..render import joined
from .context import field


@dataclass(frozen=True)
class ClauseMatrixRow:
    """One clause of the matrix."""

    anchor: Markup = field("the HTML anchor other pages link to (clause-<number with dashes>)")
    clause: str = field("clause number")
    title: str = field("clause title")
    documents: Markup = field("documents that address it, comma-separated (em dash: none)")
    records: Markup = field("records that evidence it, comma-separated (em dash: none)")
    kpis: Markup = field("indicators that measure it, comma-separated (em dash: none)")
    status: str = field("'gap' for a focus clause without a document, 'addressed', or an em dash")


@dataclass(frozen=True)
class ClausesContext:
    """The clause matrix page."""

    title: str = field("page heading")
    rows: tuple[ClauseMatrixRow, ...] = field("the clauses, in clause order")
    gaps: tuple[str, ...] = field("numbers of the focus clauses no document addresses")


def clauses_view(matrix: tuple[ClauseRow, ...], t: Catalogue) -> ClausesContext:
    return ClausesContext(
        title=t["clause_matrix"],
        rows=tuple(ClauseMatrixRow(
            anchor=Markup(f'<a id="clause-{r.clause.replace(".", "-")}"></a>'), clause=r.clause, title=r.title,
            documents=joined(r.documents, t), records=joined(r.records, t), kpis=joined(r.kpis, t),
            status=t["gap"] if r.gap else (t["addressed"] if r.documents else "—")) for r in matrix),
        gaps=tuple(r.clause for r in matrix if r.gap))
