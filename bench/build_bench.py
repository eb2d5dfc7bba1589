"""Build benchmark: how long the example manual takes to build, cold, unchanged and after one edit.

Run by `make bench` (after the figures benchmark). Builds a copy of the example in a
temporary folder with a fixed SOURCE_DATE_EPOCH and prints, each against its target:

* cold build (site + PDF, empty caches), and the PDF alone from empty caches (survey figures,
  charts, compiled templates) with its pages per second
* the PDF layout alone: WeasyPrint laying out and writing the assembled document, without
  loading, computing or drawing the charts (what the PDF stylesheet and the page markup cost)
* rebuild when nothing changed
* one procedure changed: the site alone, then the PDF alone
* the number of SVG elements in the chart files, and in the charts as the PDF reads them
  (``pdf.print_svg``: without metadata and plain groups)

Each line shows the wall time and the CPU time (user + system) of the build. The machine may be
shared: other processes stretch the wall time, so each target is judged on the CPU time.
"""

from __future__ import annotations

import os
import re
import resource
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


ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200"}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + system) of ``command``, and its standard output."""
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=ENV)
    elapsed, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command[1:])} failed:\n{proc.stderr}")
    return elapsed, cpu, proc.stdout


def qmdoc(root: Path, *args: str) -> tuple[float, float]:
    elapsed, cpu, _ = run([str(QMDOC), "--root", str(root), "build", *args])
    return elapsed, cpu


def layout(root: Path) -> tuple[float, float]:
    """Wall and CPU seconds of WeasyPrint alone on the built example (see :func:`layout_only`)."""
    _, _, out = run([sys.executable, __file__, "--layout", str(root)])
    wall, cpu = out.split()
    return float(wall), float(cpu)


def layout_only(root: Path) -> int:
    """Assemble the print document of ``root`` (its charts cached), then lay it out and write it,
    printing the wall and CPU seconds of that last step."""
    from qmdoc import build, pdf

    root = root.resolve()
    manual = build.prepare(root)
    build.write_generated(root, manual)
    docs_dir = root / build.GENERATED / "docs"
    document, css = build.print_document(manual, docs_dir)
    with tempfile.TemporaryDirectory() as tmp:
        cpu0, t0 = time.process_time(), time.perf_counter()
        build.pdf_problems(pdf.write_pdf(document, css, docs_dir, Path(tmp) / "layout.pdf"))
        print(f"{time.perf_counter() - t0:.3f} {time.process_time() - cpu0:.3f}")
    return 0


def print_nodes(files: list[Path]) -> int | None:
    """SVG elements of the charts as the PDF lays them out (None: this qmdoc reads the files as they are)."""
    from qmdoc import pdf

    if not hasattr(pdf, "print_svg"):
        return None
    return sum(sum(1 for _ in ET.fromstring(pdf.print_svg(svg.read_bytes())).iter()) for svg in files)


def median(values: list[float]) -> float:
    return statistics.median(values)


def line(name: str, times: list[tuple[float, float]], target: float | None = None, extra: str = "") -> None:
    """One result: medians of wall and CPU seconds; the target is judged on the CPU time."""
    wall, cpu = median([w for w, _ in times]), median([c for _, c in times])
    verdict = "" if target is None else f"   (target <= {target:g} s CPU: " + (
        "met)" if cpu <= target else f"NOT met, {cpu - target:.2f} s over)")
    print(f"{name:<34}{wall:7.2f} s wall {cpu:7.2f} s CPU{extra}{verdict}")


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
            for cache in (".chart-cache", ".stage-cache"):
                shutil.rmtree(root / "build" / cache, ignore_errors=True)
            pdf_times.append(qmdoc(root, "--pdf-only"))
        pages = len(PdfReader(root / "site" / "quality-manual.pdf").pages)
        layouts = [layout(root) for _ in range(RUNS)]

        procedure = sorted((root / "policy" / "procedures").glob("*.yml"))[0]
        text = procedure.read_text(encoding="utf-8")
        site_edit, pdf_edit = [], []
        for k in range(RUNS):
            # a real edit: the procedure's purpose gains a sentence, so its page (site and PDF) changes
            procedure.write_text(re.sub(r"^(purpose: *(?:[>|][-+]?\n +)?)", rf"\g<1>Edited in run {k}. ", text,
                                        count=1, flags=re.M), encoding="utf-8")
            site_edit.append(qmdoc(root, "--site-only"))
            pdf_edit.append(qmdoc(root, "--pdf-only"))
        procedure.write_text(text, encoding="utf-8")

        files = sorted((root / "build" / "docs" / "charts").glob("*.svg"))
        nodes = sum(sum(1 for _ in ET.parse(svg).iter()) for svg in files)
        printed = print_nodes(files)
        charts = len(files)

    print(f"example manual: {pages} PDF pages, {charts} charts; medians of {RUNS} runs")
    line("cold build (site + PDF)", cold)
    pdf_cpu = median([c for _, c in pdf_times])
    line("PDF alone, cold (no caches)", pdf_times, 8, f"   {pages / pdf_cpu:.1f} pages/CPU s")
    line("  of which WeasyPrint (layout, PDF)", layouts, None, f"   {pages / median([c for _, c in layouts]):.1f} pages/CPU s")
    line("no-change rebuild", unchanged, 1)
    line("one procedure changed: site", site_edit, 2)
    line("one procedure changed: PDF", pdf_edit, 8)
    print(f"{'chart SVG elements':<34}{nodes:7d}     in {charts} files")
    if printed is not None:
        print(f"{'  as the PDF reads them':<34}{printed:7d}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--layout":
        sys.exit(layout_only(Path(sys.argv[2])))
    sys.exit(main())
