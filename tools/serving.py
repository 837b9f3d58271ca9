"""Start and stop `streamlit run` on a free loopback port, for the browser benchmark and the load run."""

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from krem_advocacy import config
from krem_advocacy.domain import accounts

# An empty page beside the app, timed the same way: the issue's `st.write("hi")`, with a button so an
# interaction (a rerun) can be timed too, and a second page so a switch inside a session can be.
EMPTY_APP = '''import streamlit as st


def first():
    st.write("hi")
    st.button("again")


def second():
    st.write("hi")


st.navigation([st.Page(first, title="hi", url_path="hi", default=True), st.Page(second, title="two", url_path="two")]).run()
'''

BENCH_USER = "bench"
BENCH_PASSWORD = "benchmark-password"


def outside_event_loop(work, *args, **kwargs):
    """Call `work` here, or in a worker thread when this thread already runs an asyncio loop.

    asyncio.run and Playwright's sync API both refuse to start inside a running loop, and pytest-playwright
    leaves one running in the main thread once a browser test has run before.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(work, *args, **kwargs).result()  # its exception, if any, is raised here


def run_async(coroutine):
    """asyncio.run, also from a thread whose loop is already running (see outside_event_loop)."""
    return outside_event_loop(asyncio.run, coroutine)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def secrets_file(folder: Path) -> Path:
    """Secrets with one account for the benchmark (signed in through the sidebar, as people do).

    An administrator, so the Administrasjon page is timed as its users see it; on every other page an
    administrator sees what an editor sees.
    """
    path = folder / "bench-secrets.toml"
    path.write_text(f'[auth_users.{BENCH_USER}]\nname = "Benchmark Admin"\nrole = "admin"\n'
                    f'password_hash = "{accounts.hash_password(BENCH_PASSWORD)}"\n', encoding="utf-8")
    return path


@contextmanager
def streamlit_server(entry: str, db_path: Path | None = None, cwd: Path | None = None, secrets: Path | None = None,
                     start_timeout: float = 90, extra_env: dict | None = None):
    """`streamlit run <entry>` on 127.0.0.1 (the app's database at `db_path`, more variables in `extra_env`);
    yields (url, process) and stops the server when the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **(extra_env or {})}
    if db_path is not None:
        env["KREM_DB"] = str(db_path)
    if secrets is not None:
        env["STREAMLIT_SECRETS_FILES"] = str(secrets)
    log_path = Path(db_path or entry).with_suffix(".log") if db_path else Path(cwd or ".") / "streamlit.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", entry, "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=cwd or config.PROJECT_ROOT, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("streamlit did not start: "
                                           + log_path.read_text(errors="replace")) from None
                    time.sleep(0.1)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def memory_mb(pid: int) -> float:
    """The resident memory of a process (Linux /proc), in MB; 0 where it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def page_path(script: str | None) -> str:
    """The URL path of a page script (app.py is the root; pages/hoeringer.py is /hoeringer)."""
    if not script or script == "app.py":
        return ""
    return Path(script).stem
