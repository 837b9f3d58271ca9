"""A real browser: `streamlit run` on a loopback port with a fresh database, driven by Debian's Chromium."""

import os
from pathlib import Path

import pytest

from tests.helpers import served

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


@pytest.fixture(scope="session")
def server_db(tmp_path_factory) -> Path:
    """The browser suite's database file (created with the demo data on the server's first page)."""
    return tmp_path_factory.mktemp("browser") / "browser.db"


@pytest.fixture(scope="session")
def base_url(server_db):
    with served(server_db) as url:
        yield url  # pytest-playwright hands base_url to every page: page.goto("/hoeringer")
