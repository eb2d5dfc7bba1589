"""The figures as JSON (``qmdoc figures --json``), derived from the result dataclasses.

A result object becomes a JSON object with one key per field, in the order the
fields are declared (see :mod:`.shape` for the exceptions a field declares);
dicts keep their keys (tuples joined by ``->``), tuples become lists, numpy
numbers plain numbers. A sequence of results (the waves) gives each the keys
that any of them declares. The structural model's assessment
(:class:`~qmdoc.compute.pls_assessment.PLSAssessment`, flattened into the
``model`` key with ``a|b`` pair keys and per-statistic bootstrap keys) has a
converter of its own below.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .waves import SurveyFigures

def _num(x: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    return float(x)


def _key(k: Any) -> str:
    return "->".join(str(p) for p in k) if isinstance(k, tuple) else str(k)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, dict) and not value)


def _declared(items: list[Any] | tuple[Any, ...], force: dict[str, bool]) -> frozenset[str]:
    """The declared fields (see :func:`.shape.declared`) that any of ``items`` has (or its ``also`` fields)."""
    if not items or not dataclasses.is_dataclass(items[0]):
        return frozenset()
    out = set()
    for f in dataclasses.fields(items[0]):
        if f.metadata.get("json") != "declared":
            continue
        names = (f.name, *f.metadata.get("also", ()))
        if force.get(f.name, any(_present(getattr(x, n)) for x in items for n in names)):
            out.add(f.name)
    return frozenset(out)


def _object(obj: Any, declared: frozenset[str], force: dict[str, bool]) -> dict[str, Any]:
    """One result object as a JSON object: its fields, as :mod:`.shape` describes."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        how, value = f.metadata.get("json"), getattr(obj, f.name)
        if how == "hidden" or (how == "optional" and value is None) or (how == "declared" and f.name not in declared):
            continue
        if how == "view":
            out.update((k, _plain(getattr(value, k), force)) for k in f.metadata["keys"])
            continue
        convert = f.metadata.get("convert")
        if convert is None or value is None:
            plain = _plain(value, force)
        else:
            plain = convert(value, lambda v: _plain(v, force), obj)
        out[f.metadata.get("json_name", f.name)] = plain
    return out


def _plain(v: Any, force: dict[str, bool] | None = None) -> Any:
    force = force or {}
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return _object(v, frozenset(), force)
    if isinstance(v, dict):
        return {_key(k): _plain(x, force) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        declared = _declared(v, force)
        return [_object(x, declared, force) if declared else _plain(x, force) for x in v]
    if v is None or isinstance(v, str):
        return v
    return _num(v)


def model_json(model: Any, plain: Any, wave: Any) -> dict:
    """Converter of ``WaveFigures.model``: the estimate with the wave's assessment."""
    return _model_json(model, wave.model_assessment)


def unavailable_json(why: Any, plain: Any, wave: Any) -> dict:
    """Converter of a :class:`~.structural.ModelUnavailable`: ``{reason, **detail}``."""
    return {"reason": why.reason, **why.detail}


def _model_json(model: Any, assessment: Any = None) -> dict:
    """The ``model`` key of a wave: the estimate's fields and its assessment, flattened."""
    out = _plain(model)
    if assessment is not None:
        out.update(_assessment_json(assessment))
    return out


def _pair(k: tuple) -> str:
    return "|".join(k)


def _assessment_json(a: Any) -> dict:
    """The assessment keys of ``waves[].model`` (see the README)."""
    out: dict[str, Any] = {
        "n": a.n,
        "rho_c": _plain(a.rho_c),
        "rho_a": _plain(a.rho_a),
        "htmt": {_pair(k): _num(v) for k, v in a.htmt.items()},
        "htmt_flag": {_pair(k): _num(v) for k, v in a.htmt_flag.items()},
        "fornell_larcker": _plain(a.fornell_larcker),
        "vif_outer": _plain(a.vif_outer),
        "r2_adjusted": _plain(a.r2_adjusted),
        "f2": _plain(a.f2),
        "vif_inner": _plain(a.vif_inner),
        "total_effects": _plain(a.total_effects),
        "ipma": None if a.ipma_target is None else {
            "target": a.ipma_target,
            "importance": _plain(a.ipma_importance),
            "performance": _plain(a.ipma_performance),
        },
    }
    b = a.bootstrap
    out["bootstrap"] = None if b is None else {"samples": b.samples, "seed": b.seed, "valid": b.valid}
    for name in ("paths", "weights", "loadings", "total_effects"):
        stats = None if b is None else getattr(b, name)
        for part in ("se", "t", "p", "ci"):
            out[f"{name}_{part}"] = None if stats is None else _plain(getattr(stats, part))
    return out


def figures_as_json(figures: SurveyFigures, *, include_model: bool | None = None) -> dict:
    """The figures as plain JSON-ready data (floats unrounded, intervals as 2-lists, None as null).

    The ``model`` key of a wave is present when the survey declares a model,
    i.e. when a wave carries a PLS result or the reason it has none (or when ``include_model`` is True);
    besides the estimate it holds the assessment (:class:`~qmdoc.compute.pls_assessment.PLSAssessment`,
    flattened: ``rho_c``, ``htmt`` with ``a|b`` keys, ..., ``paths_se``, ``paths_ci``, ``paths_p``, ...).
    ``drivers`` (key drivers, see :class:`~qmdoc.compute.drivers.DriverFigures`; null with
    ``drivers_unavailable: {reason, ...}`` when a wave has none) when the survey has an overall item.
    Likewise ``loyalty`` (``{item: {n, score, ci, top2, top2_ci,
    r_with_overall}}``) when the survey declares loyalty items;
    ``competitors`` (``{company: {n, index, suppressed, dimensions}}``, us
    first) and ``competitor_gaps`` (``{dimension: gap}``) when it declares
    competitors; ``internal`` (``{suppliers, customers, cells: [{supplier,
    customer, n, index, suppressed}], supplier_totals: {supplier: {n, index,
    suppressed}}}``) for an internal survey with suppliers and customers;
    ``gaps`` (``{items: {id: {n, expectation, perception, gap, ci, share_short}},
    dimensions: {...}}``) when items declare an expectation column; and, per
    survey, ``improvements`` (``[{id, dimension | item, before: {wave, score},
    after: [{wave, score, delta, ci, p, significant}]}]``) when it declares
    improvement actions (see :mod:`.gaps`).
    """
    return _plain(figures, {} if include_model is None else {"model": include_model})
