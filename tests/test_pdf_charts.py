"""Charts as the PDF reads them (:func:`qmdoc.pdf.print_svg`): fewer elements, the same values drawn.

The check that matters is WeasyPrint's own reading: every element it draws ends with the same
attributes, in the same order, from the chart file and from its print form.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from weasyprint.svg import SVG
from weasyprint.text.fonts import FontConfiguration

from qmdoc import pdf
from qmdoc.charts.style import BLUE, house_style, new_figure, to_svg

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def drawn(svg: bytes) -> list[tuple[str, dict[str, str], str | None]]:
    """Each element WeasyPrint draws, in drawing order, with its attributes after WeasyPrint's cascade
    (the plain groups that only hold elements and the metadata left out; the raw style text too)."""
    tree = SVG(ET.fromstring(svg), None, FontConfiguration())
    out = []

    def walk(node) -> None:  # noqa: ANN001 - a WeasyPrint SVG node
        if node.tag == "metadata":
            return
        own = node._etree_node.attrib
        if not (node.tag == "g" and set(own) <= {"id"}):
            out.append((node.tag, {k: v for k, v in node.attrib.items() if k != "style"}, node.text))
        for child in node:
            walk(child)

    walk(tree.tree)
    return out


def chart() -> bytes:
    with house_style():
        fig = new_figure(2.5)
        ax = fig.add_subplot()
        ax.bar(["north", "south", "east"], [3.0, 1.5, 2.25], color=BLUE, hatch="//", label="actual")
        ax.plot([0, 1, 2], [2.0, 2.0, 2.5], color="black", linestyle="--", label="target")
        ax.set_title("Index by region 指数")
        ax.legend(loc="upper right")
        ax.annotate("n = 12", xy=(1, 0), xycoords="axes fraction", ha="right")
        return to_svg(fig)


def test_a_chart_reads_the_same_with_fewer_elements():
    svg = chart()
    slim = pdf.print_svg(svg)
    assert drawn(slim) == drawn(svg)
    before, after = ET.fromstring(svg), ET.fromstring(slim)
    assert before.find(f"{SVG_NS}metadata") is not None and after.find(f"{SVG_NS}metadata") is None
    assert sum(1 for _ in after.iter()) < sum(1 for _ in before.iter()) * 0.7
    assert sum(1 for el in after.iter() if "style" in el.attrib) < sum(1 for el in before.iter() if "style" in el.attrib)
    texts = [el.text for el in after.iter(f"{SVG_NS}text")]
    assert "Index by region 指数" in texts and "n = 12" in texts  # text stays text


def test_what_a_group_or_a_style_sheet_still_does_is_kept():
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           b'<defs><style type="text/css">*{stroke-linecap: butt}</style></defs>'
           b'<g id="outer"><g id="used"><path d="M 0 0 L 1 1" fill="red" '
           b'style="fill: #ffffff; stroke-linecap: square; stroke-width: 0.8"/></g></g>'
           b'<g transform="translate(1 2)"><rect width="1" height="1" style="fill: blue !important"/></g>'
           b'<use xlink:href="#used"/></svg>')
    root = ET.fromstring(pdf.print_svg(svg))
    shape = [(el.tag.removeprefix(SVG_NS), dict(el.attrib)) for el in root.iter() if el is not root]
    assert shape == [
        ("defs", {}),
        ("style", {"type": "text/css"}),
        ("g", {"id": "used"}),  # referred to by the use element
        ("path", {"d": "M 0 0 L 1 1", "fill": "#ffffff", "stroke-width": "0.8", "style": "stroke-linecap: square"}),
        ("g", {"transform": "translate(1 2)"}),
        ("rect", {"width": "1", "height": "1", "style": "fill: blue !important"}),
        ("use", {XLINK: "#used"}),
    ]
    assert drawn(pdf.print_svg(svg)) == drawn(svg)
