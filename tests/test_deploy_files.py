"""The deployment files stay consistent: the example secrets parse and hold no working secret,
the container keeps its data in a volume, the systemd unit points at its data directory."""

import os
import subprocess
import sys
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
    assert 'CMD ["sh", "scripts/docker-entrypoint.sh"]' in text
    entrypoint = (ROOT / "scripts" / "docker-entrypoint.sh").read_text(encoding="utf-8")
    assert "streamlit run" in entrypoint and 'litestream replicate -config "$conf" -no-expand-env -exec "$run"' in entrypoint
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".streamlit/secrets.toml" in ignored and "data/*.db" in ignored


def test_systemd_units_use_the_state_directory():
    service = (ROOT / "deploy" / "krem.service").read_text(encoding="utf-8")
    assert "Environment=KREM_DB=/var/lib/krem/krem.db" in service
    assert "StateDirectory=krem" in service
    assert "streamlit run serve.py" in service  # the calendar feed and unsubscribe routes come with it
    backup = (ROOT / "deploy" / "krem-backup.service").read_text(encoding="utf-8")
    assert "-m krem_advocacy backup" in backup
    assert "OnCalendar=" in (ROOT / "deploy" / "krem-backup.timer").read_text(encoding="utf-8")


def test_deploy_guide_covers_every_host_and_the_secrets_file():
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for needle in ("Streamlit Community Cloud", "storage = \"ephemeral\"", "docker run", "systemctl enable",
                   "hash-password", "secrets.example.toml", "Authlib"):
        assert needle in text, needle


def _fake_bin(folder, python):
    # A `litestream` that only says how it was called, and the real Python under the name the image uses.
    folder.mkdir()
    (folder / "litestream").write_text('#!/bin/sh\necho "litestream $*"\necho "key=$LITESTREAM_ACCESS_KEY_ID '
                                       'runner=$KREM_REPLICATION_RUNNER"\n')
    (folder / "python").write_text(f'#!/bin/sh\nexec {python} "$@"\n')
    for name in ("litestream", "python"):
        (folder / name).chmod(0o755)


def test_the_container_runs_litestream_as_the_apps_supervisor_when_a_replica_is_set(tmp_path):
    fake = tmp_path / "bin"
    _fake_bin(fake, sys.executable)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", "KREM_DB": str(tmp_path / "data" / "krem.db"),
           "KREM_REPLICA": str(tmp_path / "replica"), "KREM_REPLICA_ACCESS_KEY_ID": "nøkkel"}
    done = subprocess.run(["sh", "scripts/docker-entrypoint.sh"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    conf = tmp_path / "data" / ".replication" / "litestream.yml"
    assert f"litestream replicate -config {conf} -no-expand-env -exec python -m streamlit run" in done.stdout
    assert "key=nøkkel runner=external" in done.stdout
    assert (tmp_path / "data" / "krem.db").exists()  # prepared (the replica was empty: the demo data)
    assert str(tmp_path / "replica") in conf.read_text(encoding="utf-8")


def test_the_litestream_unit_restores_before_it_replicates():
    unit = (ROOT / "deploy" / "krem-litestream.service").read_text(encoding="utf-8")
    assert "ExecStartPre=/opt/krem/.venv/bin/python -m krem_advocacy replica prepare" in unit
    assert "litestream replicate -config /var/lib/krem/.replication/litestream.yml" in unit
    assert "Before=krem.service" in unit and "EnvironmentFile=/etc/krem/replication.env" in unit
