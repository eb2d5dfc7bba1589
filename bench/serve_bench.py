"""Preview benchmark: how long a saved policy file takes to show in ``qmdoc serve``.

Run by `make bench`. Serves a copy of the example (under git, as a real project is),
then, several times: saves a procedure with a new sentence in its purpose and
measures the time until the procedure's page, fetched over HTTP from the preview
server, shows that sentence. With ``--pdf``, also the time until the PDF at
``/quality-manual.pdf`` is the rebuilt one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QMDOC = Path(sys.executable).with_name("qmdoc")
RUNS = 5
TIMEOUT = 180.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return None


def wait_for(check, what: str) -> float:  # noqa: ANN001 - a callable returning a truth value
    t0 = time.perf_counter()
    while not check():
        if time.perf_counter() - t0 > TIMEOUT:
            sys.exit(f"serve benchmark: gave up waiting for {what}")
        time.sleep(0.05)
    return time.perf_counter() - t0


def copy_example(target: Path) -> Path:
    for name in ("policy", "data", "docs"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@localhost",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@localhost"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "example"]):
        subprocess.run(["git", *args], cwd=target, check=True, env=env)
    return target


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_example(Path(tmp) / "example")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(QMDOC), "--root", str(root), "serve", "--pdf", "--address", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pdf = root / "build" / "docs" / "quality-manual.pdf"
        try:
            start = wait_for(lambda: fetch(base + "/") is not None, "the preview to start")
            first_pdf = wait_for(pdf.is_file, "the first PDF")
            procedure = sorted((root / "policy" / "procedures").glob("*.yml"))[0]
            text = procedure.read_text(encoding="utf-8")
            doc_id = re.search(r"^document:\n  id: (\S+)$", text, re.M).group(1)
            page = f"{base}/procedures/{doc_id}/"
            shows, pdfs = [], []
            for k in range(RUNS):
                marker = f"Benchmark sentence {k}."
                before = pdf.stat().st_mtime_ns
                procedure.write_text(text.replace("purpose: >-\n", f"purpose: >-\n  {marker}\n", 1), encoding="utf-8")
                shows.append(wait_for(lambda: marker.encode() in (fetch(page) or b""), "the saved procedure"))
                pdfs.append(shows[-1] + wait_for(lambda: pdf.stat().st_mtime_ns != before, "the rebuilt PDF"))
                time.sleep(1.0)  # let the preview settle before the next save
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    print(f"preview (qmdoc serve --pdf), medians of {RUNS} saves")
    print(f"{'preview start (site ready)':<34}{start:7.2f} s   (first PDF after {first_pdf:.1f} s more)")
    shows_median = statistics.median(shows)
    verdict = "met" if shows_median <= 2 else "NOT met"
    print(f"{'saved procedure shows in the page':<34}{shows_median:7.2f} s   (target <= 2 s: {verdict}; "
          f"worst {max(shows):.2f} s)")
    print(f"{'saved procedure is in the PDF':<34}{statistics.median(pdfs):7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
