"""Typed models of the policy files (pydantic). Unknown keys are errors.

Every key carries a description and an example (:func:`key`): the editor schemas
(``qmdoc schema``) and the reference page of every key are generated from them,
so they cannot go stale.
"""

from __future__ import annotations

from .base import Id, Model, Name, ScalePoint, Text, key
from .documents import (DocumentControl, Objective, Objectives, Procedure, QualityPolicy, Record, Responsibility,
                        Revision, Step)
from .organization import (COMPLAINT_FIELDS, ComplaintColumns, ComplaintsLog, CustomerColumns, CustomerList,
                           Organization, Site, SiteSettings)
from .survey import (Bootstrap, Competitors, Dimension, Drivers, InternalCustomers, Item, LostCustomers, PathModel,
                     Population, Scale,
                     Screen, Segment, Source, Survey, WaveSource)
from .survey import Weighting
from .survey import Expectation, Improvement, wave_end

__all__ = [
    "Bootstrap", "COMPLAINT_FIELDS", "Competitors", "ComplaintColumns", "ComplaintsLog", "Dimension", "DocumentControl",
    "Drivers", "Id", "InternalCustomers", "Item", "Model", "Name", "Objective", "Objectives", "Organization", "PathModel",
    "Population", "Procedure", "QualityPolicy", "Record", "Responsibility", "Revision", "Scale", "ScalePoint", "Screen",
    "Segment", "Site", "SiteSettings", "Source", "Step", "Survey", "Text", "WaveSource", "Weighting", "key",
    "Expectation", "Improvement", "wave_end", "CustomerColumns", "CustomerList", "LostCustomers",
]
