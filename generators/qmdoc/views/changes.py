"""What changed since the previous release: documents, targets, procedure steps, survey waves."""

from __future__ import annotations

from dataclasses import dataclass

from ..compute.changes import PolicyChanges
from ..i18n import Catalogue
from .context import field


@dataclass(frozen=True)
class FieldRow:
    """One changed field of a document."""

    old: str | None = field("its value in the previous release; None when added")
    new: str | None = field("its value now; None when removed")
    field: str = field("the field's path in the YAML file, e.g. steps[2].action")  # last: it shadows field()


@dataclass(frozen=True)
class DocumentChangeRow:
    """One changed document."""

    id: str = field("document id")
    title: str = field("document title")
    kind: str = field("the change, translated (added, removed, revised, changed)")
    source: str = field("the document's file")
    old: str | None = field("revision in the previous release")
    new: str | None = field("revision now")
    fields: tuple[FieldRow, ...] = field("the fields that changed")


@dataclass(frozen=True)
class TargetChangeRow:
    """One objective whose target changed."""

    id: str = field("objective id")
    title: str = field("objective title")
    old: str = field("the previous target")
    new: str = field("the target now")


@dataclass(frozen=True)
class WaveRow:
    """One survey wave added since the previous release."""

    survey: str = field("survey id")
    wave: str = field("the wave's name")


@dataclass(frozen=True)
class ChangesContext:
    """The changes page; without a previous release only its sentence."""

    title: str = field("page heading")
    since: str | None = field("the previous release (tag); None when there is none")
    documents: tuple[DocumentChangeRow, ...] = field("changed documents")
    targets: tuple[TargetChangeRow, ...] = field("changed objective targets")
    steps: tuple[str, ...] = field("ids of procedures with new steps")
    waves: tuple[WaveRow, ...] = field("survey waves added")


def changes_view(changes: PolicyChanges | None, t: Catalogue) -> ChangesContext:
    if changes is None:
        return ChangesContext(title=t["changes"], since=None, documents=(), targets=(), steps=(), waves=())
    return ChangesContext(
        title=t["changes"], since=changes.since,
        documents=tuple(DocumentChangeRow(d.document, d.title, t[f"change_{d.kind}"], d.source, d.old_revision,
                                          d.new_revision,
                                          tuple(FieldRow(old=f.old, new=f.new, field=f.field) for f in d.fields))
                        for d in changes.documents),
        targets=tuple(TargetChangeRow(c.objective, c.title, c.old, c.new) for c in changes.targets),
        steps=tuple(changes.procedures_with_new_steps),
        waves=tuple(WaveRow(s, w) for s, w in changes.waves_added))
