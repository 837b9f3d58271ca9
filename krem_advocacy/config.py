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
