"""The structural model and the key drivers of a wave.

* Structural model: when ``survey.model`` is declared, :func:`~qmdoc.compute.pls.estimate_pls`
  per wave on the wave's respondents (N/A and blanks as NaN; it deletes
  incomplete rows listwise), blocks = the dimensions named in the paths, scale
  = each item's (min, max), and its assessment
  (:func:`~qmdoc.compute.pls_assessment.assess_pls`, with the model's
  bootstrap and IPMA target). Its ``ValueError`` is re-raised naming the wave.

* Key drivers: for a survey with ``overall``, per wave,
  :func:`~qmdoc.compute.drivers.estimate_drivers` on the respondent dimension
  scores of derived importance (see above) and the overall 0–100 score, over
  the respondents that have every dimension score and a valid overall answer
  (derived importance takes, per dimension, those with that dimension's score;
  a joint regression needs them all). With ``importance: drivers`` the index
  weights are the wave's shares ``ε_d / R²``, also for its segments and
  internal-matrix cells (relative weights need dimensions + 2 complete cases
  and are unstable on small cells; one set of weights keeps a wave's indices
  comparable); a wave without key drivers gets equal weights and
  ``importance_fallback=True``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...models import Survey
from .design import _Design, _respondent_scores
from .instrument import _Instrument


@dataclass(frozen=True)
class ModelUnavailable:
    """Why the declared structural model could not be estimated on one wave's data.

    ``reason``: ``too_few_rows`` (``n`` complete rows, ``required`` needed), ``constant_item``
    (``item`` has one value in the ``n`` complete rows), ``degenerate`` (the scores of latent
    variable ``lv`` have no variance) or ``collinear`` (the predecessors of ``lv`` are collinear).
    Why a wave has no key drivers: see :class:`~qmdoc.compute.drivers.DriversNotEstimable`.
    """

    reason: str
    detail: dict[str, object]


def _pls(survey: Survey, X: np.ndarray, M: np.ndarray, ins: _Instrument, wave: str):
    """The structural (PLS path) model of one wave and its assessment (:func:`~qmdoc.compute.pls_assessment.assess_pls`).

    Blocks are the dimensions named in the model's paths (each with its
    items); the data are the wave's respondents, N/A codes and blanks as NaN
    (:func:`estimate_pls` deletes incomplete rows listwise). A failure names
    the wave.
    """
    from ..pls import NotEstimable, estimate_pls  # imported only when a model is declared
    from ..pls_assessment import assess_pls

    paths = [tuple(p) for p in survey.model.paths]
    in_paths = {lv for p in paths for lv in p}
    blocks = {d.id: [it.id for it in d.items] for d in survey.dimensions if d.id in in_paths}
    index = {iid: i for i, iid in enumerate(ins.item_ids)}
    cols = [index[iid] for items in blocks.values() for iid in items]
    answers = np.where(M[:, cols], X[:, cols].astype(np.float64), np.nan)  # float32 answers: as float64
    data = pd.DataFrame(answers, columns=[ins.item_ids[c] for c in cols])
    scale = {ins.item_ids[c]: (float(ins.lo[c]), float(ins.hi[c])) for c in cols}
    m = survey.model
    try:
        estimate = estimate_pls(data, blocks, paths, scheme=m.scheme, scale=scale)
        assessment = assess_pls(data, blocks, paths, estimate, scheme=m.scheme, scale=scale, target=m.target,
                                samples=m.bootstrap.samples, seed=m.bootstrap.seed)
        return estimate, assessment, None
    except NotEstimable as e:  # the wave's data, not the instrument: the page says why
        return None, None, ModelUnavailable(e.reason, dict(e.detail))
    except ValueError as e:  # an instrument the loader let through: a bug of ours, not the user's
        raise ValueError(f"survey {survey.id}: wave {wave}: structural model: {e}") from e


def _drivers(survey: Survey, des: _Design, M: np.ndarray, ins: _Instrument):
    """Key drivers of one wave (:func:`~qmdoc.compute.drivers.estimate_drivers`) on the respondent
    dimension scores of :func:`_respondent_scores` and the overall 0–100 score; respondents with
    every dimension score and a valid overall answer (complete cases)."""
    from ..drivers import DriversNotEstimable, estimate_drivers

    kd, o = ins.kd, ins.overall
    num, den, ok = _respondent_scores(des.Bd, des.shift[:kd], M, ins)
    scores = np.full(num.shape, np.nan)
    np.divide(num, den, out=scores, where=ok)
    overall = (des.Bd[:, o] if o < kd else des.Bo[:, o - kd]) + des.shift[o]  # 0–100, where valid
    overall[~M[:, o]] = np.nan
    try:
        return estimate_drivers(scores, overall, ins.dim_ids, bootstrap=survey.drivers.bootstrap,
                                seed=survey.drivers.seed), None
    except DriversNotEstimable as e:  # the wave's data: the page says why
        return None, ModelUnavailable(e.reason, dict(e.detail))
