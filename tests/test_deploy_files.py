"""The deployment files stay consistent: the example secrets parse and hold no working secret,
the container keeps its data in a volume, the systemd unit points at its data directory."""

import tomllib

from krem_advocacy.domain import accounts as auth
from tests.helpers import ROOT


def test_example_secrets_parse_and_no_account_works_as_shipped():
    secrets = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8"))
    accounts, problems = auth.load_accounts(secrets["auth_users"])
    assert accounts == {}  # placeholders, not hashes: nobody can sign in with the example
    assert len(problems) == len(secrets["auth_users"]) == 2
    settings = auth.access_settings(secrets["access"])
    assert (settings.private, settings.storage) == (False, "persistent")
    assert auth.role_for_email("kari@example.org", secrets["access"]["email_roles"]) == "editor"
    assert "auth" not in secrets  # the OpenID Connect part is commented out until configured


def test_dockerfile_keeps_the_database_in_a_volume():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in text
    assert "pip install -r requirements.txt" in text
    assert 'VOLUME ["/data"]' in text
    assert "KREM_DB=/data/krem.db" in text
    assert "streamlit run" in text
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".streamlit/secrets.toml" in ignored and "data/*.db" in ignored


def test_systemd_units_use_the_state_directory():
    service = (ROOT / "deploy" / "krem.service").read_text(encoding="utf-8")
    assert "Environment=KREM_DB=/var/lib/krem/krem.db" in service
    assert "StateDirectory=krem" in service
    backup = (ROOT / "deploy" / "krem-backup.service").read_text(encoding="utf-8")
    assert "-m krem_advocacy backup" in backup
    assert "OnCalendar=" in (ROOT / "deploy" / "krem-backup.timer").read_text(encoding="utf-8")


def test_deploy_guide_covers_every_host_and_the_secrets_file():
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for needle in ("Streamlit Community Cloud", "storage = \"ephemeral\"", "docker run", "systemctl enable",
                   "hash-password", "secrets.example.toml", "Authlib"):
        assert needle in text, needle
