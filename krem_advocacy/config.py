"""Settings read from the environment, with their defaults."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "krem.db"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"

# Days between our internal deadline and the official høringsfrist, unless overridden.
DEFAULT_LEAD_DAYS = 7


def db_path() -> Path:
    """The SQLite file to use: `KREM_DB`, else data/krem.db in the project."""
    value = os.environ.get("KREM_DB", "").strip()
    return Path(value) if value else DEFAULT_DB_PATH


# Where the app is reached; calendar events link back to records under this address.
DEFAULT_BASE_URL = "http://localhost:8501"


def base_url() -> str | None:
    """`KREM_BASE_URL` without a trailing slash, or None when unset (callers then use what they know)."""
    value = os.environ.get("KREM_BASE_URL", "").strip().rstrip("/")
    return value or None


def calendar_token() -> str | None:
    """`KREM_CALENDAR_TOKEN`: when set, the calendar feed answers only with `?token=<this value>`."""
    value = os.environ.get("KREM_CALENDAR_TOKEN", "").strip()
    return value or None


def dev_editor() -> str | None:
    """`KREM_DEV_EDITOR`: for local development and browser tests, every session edits as this name.

    Never set it where others can reach the app: it turns every visitor into an editor.
    """
    value = os.environ.get("KREM_DEV_EDITOR", "").strip()
    return value or None
