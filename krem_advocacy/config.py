"""The app's settings from the environment, declared once (name, default, what it does), with their readers.

Nothing else in the app reads `os.environ`: add a setting here, and the README's configuration table
(checked by tests/test_docs.py) names it.
"""

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "krem.db"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"

# Days between our internal deadline and the official høringsfrist, unless overridden on the Høringer page.
DEFAULT_LEAD_DAYS = 7
# Where the app is reached when nothing says otherwise.
DEFAULT_BASE_URL = "http://localhost:8501"
# The regjeringen.no feed of consultations.
DEFAULT_FEED_URL = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/?show=rss"
# The Storting's open-data export (hearings, programmes, cases).
DEFAULT_STORTINGET_URL = "https://data.stortinget.no/eksport"
# Where regjeringen.no høring pages live: only addresses under it are fetched for a høring.
DEFAULT_REGJERINGEN_URL = "https://www.regjeringen.no"


@dataclass(frozen=True)
class Setting:
    """One environment variable the app reads."""

    name: str
    default: str | None
    help: str


SETTINGS = (
    Setting("KREM_DB", str(DEFAULT_DB_PATH.relative_to(PROJECT_ROOT)),
            "The SQLite file; created with the demo data on first start."),
    Setting("KREM_BASE_URL", None,
            "Where users reach the app; links in calendar events and exports point under it (never the Host header)."),
    Setting("KREM_CALENDAR_TOKEN", None,
            "When set, the shared (public) calendar feed answers only with ?token=<this value>."),
    Setting("KREM_FEED_URL", DEFAULT_FEED_URL,
            "The regjeringen.no consultation feed (an editor may save another on the Data page)."),
    Setting("KREM_STORTINGET_URL", DEFAULT_STORTINGET_URL,
            "The Storting's open-data export the Stortinget tab and `stortinget` command read hearings from."),
    Setting("KREM_REGJERINGEN_URL", DEFAULT_REGJERINGEN_URL,
            "Where regjeringen.no høring pages live: a høring's page is fetched only from an address under it."),
    Setting("KREM_SECRETS", ".streamlit/secrets.toml",
            "Where the command line (notify) reads the secrets the app reads through Streamlit ([smtp], [auth_users])."),
    Setting("KREM_DEV_EDITOR", None,
            "Local development and browser tests only: every visitor edits as this name."),
    Setting("KREM_REPLICA", None,
            "Replicate the database with Litestream to s3://bucket/path or a directory (the [replication] secrets win)."),
    Setting("KREM_REPLICA_ENDPOINT", None,
            "The S3-compatible endpoint (R2, B2, MinIO …); unset for AWS S3."),
    Setting("KREM_REPLICA_REGION", None, "The bucket's region (auto for R2)."),
    Setting("KREM_REPLICA_ACCESS_KEY_ID", None, "The bucket's access key id."),
    Setting("KREM_REPLICA_SECRET_ACCESS_KEY", None, "The bucket's secret access key."),
    Setting("KREM_REPLICA_SYNC_INTERVAL", "10s", "How often Litestream sends new changes to the replica."),
    Setting("KREM_REPLICATION_RUNNER", "app",
            "app: the app starts and watches one Litestream process; external: Litestream runs beside or above it."),
)


def _value(name: str) -> str | None:
    assert name in {s.name for s in SETTINGS}, name
    value = os.environ.get(name, "").strip()
    return value or None


def db_path() -> Path:
    """The SQLite file to use: `KREM_DB`, else data/krem.db in the project."""
    value = _value("KREM_DB")
    return Path(value) if value else DEFAULT_DB_PATH


def base_url() -> str | None:
    """`KREM_BASE_URL` without a trailing slash, or None when unset (callers then use what they know)."""
    value = _value("KREM_BASE_URL")
    return value.rstrip("/") if value else None


def calendar_token() -> str | None:
    """`KREM_CALENDAR_TOKEN`: when set, the shared (public) calendar feed answers only with `?token=<this value>`.

    Editors' private addresses carry tokens of their own (store/calendar_tokens.py).
    """
    return _value("KREM_CALENDAR_TOKEN")


def feed_url() -> str:
    """`KREM_FEED_URL`, else the official regjeringen.no feed."""
    return _value("KREM_FEED_URL") or DEFAULT_FEED_URL


def stortinget_url() -> str:
    """`KREM_STORTINGET_URL` without a trailing slash, else the Storting's export (data.stortinget.no/eksport)."""
    return (_value("KREM_STORTINGET_URL") or DEFAULT_STORTINGET_URL).rstrip("/")


def regjeringen_url() -> str:
    """`KREM_REGJERINGEN_URL` without a trailing slash, else https://www.regjeringen.no."""
    return (_value("KREM_REGJERINGEN_URL") or DEFAULT_REGJERINGEN_URL).rstrip("/")
def secrets_path() -> Path:
    """`KREM_SECRETS`, else .streamlit/secrets.toml in the project (what `streamlit run` reads there)."""
    value = _value("KREM_SECRETS")
    return Path(value) if value else PROJECT_ROOT / ".streamlit" / "secrets.toml"


def dev_editor() -> str | None:
    """`KREM_DEV_EDITOR`: for local development and browser tests, every session edits as this name.

    Never set it where others can reach the app: it turns every visitor into an editor.
    """
    return _value("KREM_DEV_EDITOR")


# The replication settings and the `[replication]` secrets key each one stands for.
_REPLICA_KEYS = {"KREM_REPLICA": "url", "KREM_REPLICA_ENDPOINT": "endpoint", "KREM_REPLICA_REGION": "region",
                 "KREM_REPLICA_ACCESS_KEY_ID": "access_key_id",
                 "KREM_REPLICA_SECRET_ACCESS_KEY": "secret_access_key",
                 "KREM_REPLICA_SYNC_INTERVAL": "sync_interval", "KREM_REPLICATION_RUNNER": "runner"}


def replica_settings() -> dict[str, str]:
    """The replication settings that are set, under the keys of the `[replication]` secrets (store/replication.py)."""
    return {key: value for name, key in _REPLICA_KEYS.items() if (value := _value(name))}


def child_environment(extra: dict[str, str]) -> dict[str, str]:
    """The environment for a child process (Litestream): this process's, plus `extra` (its own variables)."""
    return {**os.environ, **extra}
