"""The customer satisfaction report: one page per survey instrument, one module per section.

:func:`~qmdoc.views.satisfaction.page.satisfaction_view` turns one survey's computed figures
(:class:`~qmdoc.compute.survey.SurveyFigures`) and the charts the chart stage drew for it
(:class:`~qmdoc.manual_charts.SurveyCharts`) into the page's context: every value display-ready
(formatted numbers, translated labels, Markdown images with alt text), every list in display order
(latest wave first), so that ``satisfaction.md.j2`` only loops and prints.

Sections, each from the figures of the compute stage: sample and index per wave with the index trend
chart; dimension scores (:mod:`.dimensions`); item scores (:mod:`.items`); NPS (:mod:`.nps`); the
significant changes from the previous wave (:mod:`.changes`); the segment breakdown, suppressed cells
showing ``n < min_cell_n`` (:mod:`.segments`); importance-performance analysis (:mod:`.ipa`); what
drives overall satisfaction, or why a wave has no key drivers (:mod:`.drivers`); competitor comparison
(:mod:`.competitors`), loyalty (:mod:`.loyalty`) and the internal supplier x customer matrix
(:mod:`.internal`) when the survey declares them; the structural (PLS path) model and its assessment
(:mod:`.structural`, :mod:`.structural_tables`). Before the first wave: "no survey data yet" and what
the survey asks, with no figure and no chart.
"""

from .page import SatisfactionContext, satisfaction_view

__all__ = ["SatisfactionContext", "satisfaction_view"]
