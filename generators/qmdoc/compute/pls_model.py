"""The model and data checks of PLS path modelling (:func:`~qmdoc.compute.pls.estimate_pls`):
the validated model structure, the listwise-complete rows and the items' scales, and the
reasons a wave's data do not allow an estimate (:class:`NotEstimable`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

class NotEstimable(ValueError):
    """The data of a wave do not allow the model to be estimated (too few complete rows, an item or
    latent variable without variance, collinear predecessors). Not a mistake in the instrument: the
    survey's page says why the wave has no model. ``reason`` is one of ``too_few_rows``,
    ``constant_item``, ``degenerate`` and ``collinear``; ``detail`` names what is concerned."""

    def __init__(self, message: str, reason: str, **detail: object):
        super().__init__(message)
        self.reason = reason
        self.detail = detail


#: Fewest listwise-complete rows :func:`~qmdoc.compute.pls.estimate_pls` accepts.
MIN_COMPLETE_ROWS = 10


@dataclass(frozen=True)
class _Model:
    """Validated model structure (internal)."""

    lvs: tuple[str, ...]
    items: tuple[str, ...]
    block_of: np.ndarray  # (p,) int: LV index of every item
    pred: np.ndarray  # (L, L) bool: pred[k, j] is True iff j -> k
    paths: tuple[tuple[str, str], ...]


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def _validate_model(
    data: pd.DataFrame,
    blocks: Mapping[str, Sequence[str]],
    paths: Sequence[tuple[str, str]],
) -> _Model:
    if not isinstance(data, pd.DataFrame):
        raise ValueError("data must be a pandas DataFrame")
    if len(blocks) == 0:
        raise ValueError("blocks must define at least one latent variable")

    lvs = tuple(blocks)
    items: list[str] = []
    block_of: list[int] = []
    owner: dict[str, str] = {}
    for k, lv in enumerate(lvs):
        block = list(blocks[lv])
        if len(block) == 0:
            raise ValueError(f"block {lv!r} is empty")
        for item in block:
            if item in owner:
                raise ValueError(
                    f"item {item!r} appears in more than one block ({owner[item]!r}, {lv!r})"
                )
            matches = int((data.columns == item).sum())
            if matches == 0:
                raise ValueError(f"item {item!r} of block {lv!r} is not a column of data")
            if matches > 1:
                raise ValueError(f"item {item!r} names more than one column of data")
            owner[item] = lv
            items.append(item)
            block_of.append(k)

    if len(paths) == 0:
        raise ValueError("paths must declare at least one path")
    position = {lv: k for k, lv in enumerate(lvs)}
    pred = np.zeros((len(lvs), len(lvs)), dtype=bool)
    declared: list[tuple[str, str]] = []
    for path in paths:
        if not isinstance(path, (tuple, list)) or len(path) != 2:
            raise ValueError(f"path {path!r} is not a (from_lv, to_lv) pair")
        source, target = path
        for lv in (source, target):
            if lv not in position:
                raise ValueError(
                    f"path {source!r} -> {target!r} names unknown latent variable {lv!r}"
                )
        if pred[position[target], position[source]]:
            raise ValueError(f"path {source!r} -> {target!r} is declared more than once")
        pred[position[target], position[source]] = True
        declared.append((source, target))

    cycle = _find_cycle(pred, lvs)
    if cycle is not None:
        raise ValueError("the path model has a cycle: " + " -> ".join(cycle))
    connected = pred.any(axis=0) | pred.any(axis=1)
    for lv, ok in zip(lvs, connected, strict=True):
        if not ok:
            raise ValueError(f"latent variable {lv!r} is not part of any path")

    return _Model(
        lvs=lvs,
        items=tuple(items),
        block_of=np.asarray(block_of, dtype=np.intp),
        pred=pred,
        paths=tuple(declared),
    )


def _find_cycle(pred: np.ndarray, lvs: tuple[str, ...]) -> list[str] | None:
    """Return one directed cycle (closed list of names) or ``None``."""
    succ = [np.flatnonzero(pred[:, j]).tolist() for j in range(len(lvs))]
    state = [0] * len(lvs)  # 0 unvisited, 1 on stack, 2 done
    for root in range(len(lvs)):
        if state[root]:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        trail = [root]
        state[root] = 1
        while stack:
            node, nxt = stack[-1]
            if nxt < len(succ[node]):
                stack[-1] = (node, nxt + 1)
                child = succ[node][nxt]
                if state[child] == 1:
                    start = trail.index(child)
                    return [lvs[i] for i in trail[start:]] + [lvs[child]]
                if state[child] == 0:
                    state[child] = 1
                    stack.append((child, 0))
                    trail.append(child)
            else:
                state[node] = 2
                stack.pop()
                trail.pop()
    return None


def _complete_rows(data: pd.DataFrame, items: tuple[str, ...]) -> np.ndarray:
    frame = data.loc[:, list(items)]
    for item in items:
        column = frame[item]
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            raise ValueError(f"item {item!r} is not numeric")
    values = frame.to_numpy(dtype=float)
    infinite = np.isinf(values).any(axis=0)
    if infinite.any():
        raise ValueError(f"item {items[int(np.argmax(infinite))]!r} contains infinite values")
    values = values[~np.isnan(values).any(axis=1)]
    n = values.shape[0]
    if n < MIN_COMPLETE_ROWS:
        raise NotEstimable(
            f"only {n} complete rows remain after listwise deletion of missing values; "
            f"at least {MIN_COMPLETE_ROWS} are required",
            "too_few_rows", n=n, required=MIN_COMPLETE_ROWS,
        )
    constant = values.max(axis=0) == values.min(axis=0)
    if constant.any():
        raise NotEstimable(
            f"item {items[int(np.argmax(constant))]!r} has zero variance "
            f"in the {n} complete rows",
            "constant_item", item=items[int(np.argmax(constant))], n=n,
        )
    return values


def _validate_scale(
    scale: Mapping[str, tuple[float, float]], items: tuple[str, ...], raw: np.ndarray
) -> np.ndarray:
    bounds = np.empty((len(items), 2))
    for i, item in enumerate(items):
        if item not in scale:
            raise ValueError(f"scale has no (min, max) for item {item!r}")
        lo, hi = (float(v) for v in scale[item])
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"scale of item {item!r} must satisfy min < max, got ({lo}, {hi})")
        bounds[i] = lo, hi
    outside = (raw < bounds[:, 0]).any(axis=0) | (raw > bounds[:, 1]).any(axis=0)
    if outside.any():
        i = int(np.argmax(outside))
        raise ValueError(
            f"item {items[i]!r} has values outside its scale [{bounds[i, 0]}, {bounds[i, 1]}]"
        )
    return bounds
