"""Punctuation between a label and its value follows the page's language (the ``punct`` template filter)."""

import pytest

from qmdoc.i18n import catalogue
from qmdoc.render import make_environment

TEMPLATE = "{{ t('clauses') }}{{ 'colon' | punct }}5.1{{ 'semicolon' | punct }}x{{ 'stop' | punct }}y{{ 'end' | punct }}"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "ISO 9001 clauses: 5.1; x. y."),
    ("zh", "ISO 9001 条款：5.1；x。y。"),
])
def test_marks_and_their_spacing(language, expected):
    assert make_environment().from_string(TEMPLATE).render(t=catalogue(language)) == expected


def test_an_unknown_mark_is_an_error():
    with pytest.raises(KeyError, match="no 'en' text for 'punct_dash'"):
        make_environment().from_string("{{ 'dash' | punct }}").render(t=catalogue("en"))
