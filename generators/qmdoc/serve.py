"""``qmdoc serve``: the site preview, regenerated when an input file changes.

The generated pages are written into the generated docs folder, which the
preview server (MkDocs with live reload) watches; the browser reloads by itself.
A preview process keeps what does not change between two saves in memory (the
survey figures of unchanged surveys and data, also read from and stored with those of
the builds: see :mod:`qmdoc.stagecache`), so a saved procedure shows without
recomputing the satisfaction figures.

With ``--pdf`` the PDF manual is rebuilt in the background after every
regeneration (only the newest request is built; a save while the PDF is being
laid out queues one more build) and served at ``/quality-manual.pdf``.
"""

from __future__ import annotations

import multiprocessing
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import pdf, site
from .build import GENERATED, PDF_NAME, STAGE_CACHE, Manual, pdf_problems, prepare, print_document, write_generated
from .stagecache import StoredFigures
from .errors import QmdocError

POLL_SECONDS = 0.25  # how often the input folders are looked at


def inputs_stamp(root: Path) -> tuple:
    """Path, modification time and size of every file in policy/, data/ and docs/."""
    files = []
    for folder in ("policy", "data", "docs"):
        base = root / folder
        if base.is_dir():
            for p in sorted(base.rglob("*")):
                if p.is_file():
                    st = p.stat()
                    files.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(files)


def _say(text: str, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout, flush=True)


class PdfWorker:
    """Lays out the PDF in a background thread from a copy of the generated docs.

    :meth:`request` hands over a regenerated manual; the thread builds the
    newest one it was handed into ``<generated docs>/quality-manual.pdf``
    (written to a temporary file first, so the server never serves half a PDF).
    """

    def __init__(self, root: Path):
        self.root = root
        self.target = root / GENERATED / "docs" / PDF_NAME
        self._pending: Manual | None = None
        self._wake = threading.Condition()
        self._stopped = False
        self._child: multiprocessing.process.BaseProcess | None = None
        for stale in (root / GENERATED).glob(".pdf-*"):  # left by a preview that was ended mid-layout
            shutil.rmtree(stale, ignore_errors=True)
        self._thread = threading.Thread(target=self._run, name="qmdoc-pdf", daemon=True)
        self._thread.start()

    def request(self, manual: Manual) -> None:
        with self._wake:
            self._pending = manual
            self._wake.notify()

    def stop(self) -> None:
        """No further builds; a layout under way is abandoned with the process (its output is never served)."""
        with self._wake:
            self._stopped = True
            self._wake.notify()
        child = self._child
        if child is not None and child.is_alive():
            child.terminate()
        self._thread.join(timeout=5)

    def _next(self) -> Manual | None:
        with self._wake:
            while self._pending is None and not self._stopped:
                self._wake.wait()
            manual, self._pending = self._pending, None
            return None if self._stopped else manual

    def _run(self) -> None:
        while (manual := self._next()) is not None:
            started = time.monotonic()
            try:
                self._build(manual)
            except QmdocError as exc:
                if not self._stopped:  # a layout cut short by the end of the preview is not news
                    _say(f"pdf: {exc}", err=True)
                continue
            _say(f"pdf: rebuilt in {time.monotonic() - started:.1f} s: /{PDF_NAME}")

    def _build(self, manual: Manual) -> None:
        docs = self.root / GENERATED / "docs"
        with tempfile.TemporaryDirectory(prefix=".pdf-", dir=self.root / GENERATED) as tmp:
            # the layout reads charts and images from a copy: a save during the layout cannot mix two versions
            copy = Path(tmp) / "docs"
            shutil.copytree(docs, copy, ignore=shutil.ignore_patterns(PDF_NAME))
            out = Path(tmp) / PDF_NAME
            document, css = print_document(manual, copy)
            # laid out in a process of its own: the preview keeps a whole interpreter for the next save
            pdf_problems(self._layout(document, css, copy, out))
            out.replace(self.target)

    def _layout(self, document: str, css: str, base: Path, out: Path) -> list[str]:
        """WeasyPrint in a child process: the preview keeps its interpreter for the next save."""
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        self._child = context.Process(target=_layout_child, args=(document, css, base, out, send), daemon=True)
        self._child.start()
        send.close()
        try:
            warnings = receive.recv()
        except EOFError:  # ended before it answered: stopped with the preview, or crashed
            raise QmdocError("the PDF layout ended without a result") from None
        finally:
            self._child.join()
        return warnings


def _layout_child(document: str, css: str, base: Path, out: Path, send) -> None:  # noqa: ANN001 - a Connection
    try:
        send.send(pdf.write_pdf(document, css, base, out))
    except Exception as exc:  # noqa: BLE001 - one line for the preview's console, never a traceback
        send.send([f"qmdoc: internal error in the PDF layout ({type(exc).__name__}); please report it"])


class Preview:
    """The regeneration loop of ``qmdoc serve`` (without the server, so that it can be driven directly)."""

    def __init__(self, root: Path, with_pdf: bool = False):
        self.root = root
        self.memo = StoredFigures(folder=root / GENERATED / STAGE_CACHE / "figures")
        self.pdf = PdfWorker(root) if with_pdf else None
        self.stamp: tuple = ()

    def regenerate(self) -> Path:
        """Regenerate the docs folder and the MkDocs config; return the config path."""
        self.stamp = inputs_stamp(self.root)
        manual = prepare(self.root, memo=self.memo)
        keep = (PDF_NAME,) if self.pdf is not None else ()
        config = write_generated(self.root, manual, keep=keep)
        if self.pdf is not None:
            self.pdf.request(manual)
        return config

    def changed(self) -> bool:
        return inputs_stamp(self.root) != self.stamp

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.stop()


def _stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # it would not stop: end it
            server.kill()


def run(root: Path, host: str, port: int, with_pdf: bool = False) -> int:
    """Serve the preview at ``host:port`` until interrupted; return the exit status."""
    preview = Preview(root, with_pdf)
    config = preview.regenerate()
    server = site.serve(config, f"{host}:{port}")

    def stop(signum: int, frame: object) -> None:  # end the preview server with us, whatever ends us
        server.terminate()
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    pdf_note = f"; the PDF at http://{host}:{port}/{PDF_NAME}" if with_pdf else ""
    _say(f"watching policy/, data/ and docs/; preview at http://{host}:{port}/{pdf_note}")
    try:
        while server.poll() is None:
            time.sleep(POLL_SECONDS)
            if not preview.changed():
                continue
            started = time.monotonic()
            try:
                preview.regenerate()
            except QmdocError as exc:
                _say(str(exc), err=True)
                continue
            _say(f"regenerated in {time.monotonic() - started:.1f} s")
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _stop_server(server)
        preview.close()
    if server.returncode not in (0, None, -signal.SIGTERM):
        _say(f"serve: the preview server stopped with exit status {server.returncode}", err=True)
        return 1
    return 0
