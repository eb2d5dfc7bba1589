"""`qmdoc serve`: a busy port is one clear line and exit 1; SIGTERM ends the preview server with it."""

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


def _serve(root: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "qmdoc.cli", "--root", str(root), "serve",
                             "--address", f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


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
