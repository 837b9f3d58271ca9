"""A real browser: `streamlit run` on a loopback port with a fresh database, driven by Debian's Chromium."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # pytest-playwright has no executable-path option; Playwright's own browsers cannot be downloaded here.
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--no-first-run"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, tmp_path_factory):
    return {**browser_context_args, "accept_downloads": True, "locale": "nb-NO"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path: Path, entry: str | None = None, env: dict | None = None):
    """Start `streamlit run` on a free loopback port; return (process, url) once it answers."""
    entry = entry or ("serve.py" if (ROOT / "serve.py").exists() else "app.py")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(db_path.parent / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", entry, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "KREM_DB": str(db_path), **(env or {})}, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("streamlit did not start: " + (db_path.parent / "streamlit.log").read_text())
            time.sleep(0.1)


@pytest.fixture(scope="session")
def server_db(tmp_path_factory) -> Path:
    """The browser suite's database file (created with the demo data on the server's first page)."""
    return tmp_path_factory.mktemp("browser") / "browser.db"


@pytest.fixture(scope="session")
def base_url(server_db):
    proc, url = start_server(server_db)
    yield url  # pytest-playwright hands base_url to every page: page.goto("/hoeringer")
    proc.terminate()
    proc.wait(timeout=10)
