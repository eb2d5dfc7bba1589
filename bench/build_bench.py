"""Build benchmark: how long the example manual takes to build, cold, unchanged and after one edit.

Run by `make bench` (after the figures benchmark). Builds a copy of the example in a
temporary folder with a fixed SOURCE_DATE_EPOCH and prints, each against its target:

* cold build (site + PDF, empty caches), and the PDF alone with its pages per second
* rebuild when nothing changed
* one procedure changed: the site alone, then the PDF alone
* the number of SVG elements in the chart files (text drawn as glyph paths inflates it)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QMDOC = Path(sys.executable).with_name("qmdoc")
RUNS = 3


def qmdoc(root: Path, *args: str) -> float:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200"}
    t0 = time.perf_counter()
    proc = subprocess.run([str(QMDOC), "--root", str(root), "build", *args], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"qmdoc build {' '.join(args)} failed:\n{proc.stderr}")
    return elapsed


def median(values: list[float]) -> float:
    return statistics.median(values)


def line(name: str, seconds: float, target: float | None = None, extra: str = "") -> None:
    verdict = "" if target is None else f"   (target <= {target:g} s: {'met' if seconds <= target else 'NOT met'})"
    print(f"{name:<34}{seconds:7.2f} s{extra}{verdict}")


def main() -> int:
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "example"
        root.mkdir()
        for name in ("policy", "data", "docs"):
            shutil.copytree(ROOT / name, root / name)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")

        cold = []
        for _ in range(RUNS):
            shutil.rmtree(root / "build", ignore_errors=True)
            shutil.rmtree(root / "site", ignore_errors=True)
            cold.append(qmdoc(root))
        unchanged = [qmdoc(root) for _ in range(RUNS)]

        pdf_times = []
        for _ in range(RUNS):
            (root / "build" / ".build-key.json").unlink(missing_ok=True)
            shutil.rmtree(root / "build" / ".chart-cache", ignore_errors=True)
            pdf_times.append(qmdoc(root, "--pdf-only"))
        pages = len(PdfReader(root / "site" / "quality-manual.pdf").pages)

        procedure = sorted((root / "policy" / "procedures").glob("*.yml"))[0]
        text = procedure.read_text(encoding="utf-8")
        site_edit, pdf_edit = [], []
        for k in range(RUNS):
            procedure.write_text(text.replace("purpose:", f"# edit {k}\npurpose:", 1), encoding="utf-8")
            site_edit.append(qmdoc(root, "--site-only"))
            pdf_edit.append(qmdoc(root, "--pdf-only"))
        procedure.write_text(text, encoding="utf-8")

        nodes = sum(sum(1 for _ in ET.parse(svg).iter()) for svg in (root / "build" / "docs" / "charts").glob("*.svg"))
        charts = len(list((root / "build" / "docs" / "charts").glob("*.svg")))

    print(f"example manual: {pages} PDF pages, {charts} charts; medians of {RUNS} runs")
    line("cold build (site + PDF)", median(cold))
    line("PDF alone, cold chart cache", median(pdf_times), 8, f"   {pages / median(pdf_times):.1f} pages/s")
    line("no-change rebuild", median(unchanged), 1)
    line("one procedure changed: site", median(site_edit), 2)
    line("one procedure changed: PDF", median(pdf_edit), 8)
    print(f"{'chart SVG elements':<34}{nodes:7d}     in {charts} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
