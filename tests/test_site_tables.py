"""Site tables keep a cell that is one hyphenated label (a wave, a date, a document id) on one line."""

import markdown
import pytest
from bs4 import BeautifulSoup

from qmdoc.site_tables import keep_labels_whole

TABLE = """\
| Wave | n | 2025\\-Q4 |
|---|---|---|
| 2024\\-Q2 | 386 | 70.8\u00a0–\u2060\u00a073.7 |
| [PR\\-1020](procedures/PR-1020.md) | Receive, register and acknowledge the complaint within one day | \\-3.8 |
| a \\| b\\-c | x\\-y | `data/2025-H1.csv` |
"""


def test_label_cells_are_wrapped_and_nothing_else():
    assert keep_labels_whole(TABLE) == """\
| Wave | n | <span class="nowrap">2025\\-Q4</span> |
|---|---|---|
| <span class="nowrap">2024\\-Q2</span> | 386 | 70.8\u00a0–\u2060\u00a073.7 |
| <span class="nowrap">[PR\\-1020](procedures/PR-1020.md)</span> | Receive, register and acknowledge the complaint within one day | \\-3.8 |
| a \\| b\\-c | <span class="nowrap">x\\-y</span> | `data/2025-H1.csv` |
"""


def test_the_cells_show_the_same_text_and_links():
    def cells(md: str) -> list[list[str]]:
        doc = BeautifulSoup(markdown.markdown(md, extensions=["tables"]), "html.parser")
        return [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in doc.find_all("tr")]

    assert cells(keep_labels_whole(TABLE)) == cells(TABLE)
    doc = BeautifulSoup(markdown.markdown(keep_labels_whole(TABLE), extensions=["tables"]), "html.parser")
    assert doc.select_one("td span.nowrap a")["href"] == "procedures/PR-1020.md"
    assert [s.get_text() for s in doc.select("span.nowrap")] == ["2025-Q4", "2024-Q2", "PR-1020", "x-y"]


@pytest.mark.parametrize("text", [
    "Text before\n\n2024\\-Q2 is not in a table\n",
    "```\n| 2024-Q2 | in a code block |\n```\n",
    "| CA\\-2024\\-080\\-and\\-a\\-long\\-tail\\-word | n |\n",  # longer than a label: may wrap
    "| 技术部经理、计划主管 | 5 |\n",
])
def test_left_alone(text):
    assert keep_labels_whole(text) == text
