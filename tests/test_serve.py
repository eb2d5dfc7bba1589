"""`qmdoc serve`: a busy port is one clear line and exit 1; SIGTERM ends the preview server with it;
a saved file is regenerated without recomputing what did not change; `--pdf` serves a rebuilt PDF."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import copy_mini

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(root: Path, port: int, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "qmdoc.cli", "--root", str(root), "serve",
                             "--address", f"127.0.0.1:{port}", *options], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return None


def _wait(check, proc: subprocess.Popen, seconds: float = 120) -> None:  # noqa: ANN001 - a callable
    deadline = time.monotonic() + seconds
    while not check():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_busy_port_is_one_line_and_exit_1(tmp_path: Path) -> None:
    root = copy_mini(tmp_path / "org")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = _serve(root, port)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.splitlines() == [f"serve: 127.0.0.1:{port} is already in use (another server?); "
                                "choose a free one with --address HOST:PORT"]
    assert not (root / "build").exists()  # nothing generated for a server that cannot start


def test_sigterm_ends_the_preview_server(tmp_path: Path) -> None:
    root = copy_mini(tmp_path / "org")
    port = _free_port()
    proc = _serve(root, port)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    assert page.status == 200
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM
    with socket.socket() as probe:  # nobody listens any more: the MkDocs child ended too
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    assert "Traceback" not in err


def test_a_saved_procedure_is_regenerated_without_recomputing_the_survey(tmp_path: Path) -> None:
    from qmdoc.serve import Preview

    root = copy_mini(tmp_path / "org")
    preview = Preview(root)
    preview.regenerate()
    page = root / "build" / "docs" / "procedures" / "PR-1.md"
    assert "Keep customers informed." in page.read_text(encoding="utf-8")
    assert not preview.changed()

    procedure = root / "policy" / "procedures" / "PR-1.yml"
    procedure.write_text(procedure.read_text(encoding="utf-8").replace(
        "purpose: Keep customers informed.", "purpose: Keep every customer informed."), encoding="utf-8")
    assert preview.changed()
    preview.regenerate()
    assert "Keep every customer informed." in page.read_text(encoding="utf-8")
    assert preview.memo.hits == 1  # the survey's figures came from memory: nothing it is made of changed

    data = sorted((root / "data" / "surveys" / "css").glob("*.csv"))[-1]
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text("".join(lines[:-1]), encoding="utf-8")  # one response fewer: the figures must be computed again
    preview.regenerate()
    assert preview.memo.hits == 1


def test_a_new_preview_takes_the_figures_an_earlier_one_or_a_build_stored(tmp_path: Path) -> None:
    from qmdoc.serve import Preview

    root = copy_mini(tmp_path / "org")
    first = Preview(root)
    first.regenerate()
    assert first.memo.hits == 0
    stored = sorted(p.name for p in (root / "build" / ".stage-cache" / "figures").glob("*.pickle"))
    assert len(stored) == 1  # the fixture's one survey
    again = Preview(root)
    again.regenerate()
    assert again.memo.hits == 1
    regenerated = generated_pages(root)
    assert "satisfaction/css.md" in regenerated
    assert regenerated == generated_pages(root, from_scratch=True)


def generated_pages(root: Path, from_scratch: bool = False) -> dict[str, bytes]:
    """The generated pages of ``root``; ``from_scratch``: generated again first, every figure computed."""
    from qmdoc.build import prepare, write_generated
    from qmdoc.compute.manual import FiguresMemo

    if from_scratch:
        write_generated(root, prepare(root, memo=FiguresMemo()))
    docs = root / "build" / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*.md"))}


def test_pdf_is_rebuilt_in_the_background_and_served(tmp_path: Path) -> None:
    from pypdf import PdfReader

    root = copy_mini(tmp_path / "org")
    port = _free_port()
    proc = _serve(root, port, "--pdf")
    url = f"http://127.0.0.1:{port}/quality-manual.pdf"
    served = root / "build" / "docs" / "quality-manual.pdf"
    try:
        _wait(lambda: (_get(url) or b"").startswith(b"%PDF-"), proc)
        procedure = root / "policy" / "procedures" / "PR-1.yml"
        procedure.write_text(procedure.read_text(encoding="utf-8").replace(
            "purpose: Keep customers informed.", "purpose: Keep every customer informed."), encoding="utf-8")

        seen: dict[tuple[int, int], bool] = {}

        def rebuilt() -> bool:
            """The served PDF has the edit; its text is read once per state of the file (not every poll)."""
            if not served.is_file():
                return False
            stat = served.stat()
            state = (stat.st_mtime_ns, stat.st_size)
            if state not in seen:
                text = " ".join(page.extract_text() for page in PdfReader(served).pages)
                seen[state] = "Keep every customer informed." in " ".join(text.split())
            return seen[state]

        _wait(rebuilt, proc)
        _wait(lambda: b"Keep every customer informed." in (_get(url.replace("quality-manual.pdf", "procedures/PR-1/"))
                                                           or b""), proc)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM
    assert f"the PDF at http://127.0.0.1:{port}/quality-manual.pdf" in out
    assert "pdf: rebuilt in" in out
    assert "Traceback" not in err and "error" not in err.lower()
    assert not list((root / "build").glob(".pdf-*"))  # no layout folder left behind
