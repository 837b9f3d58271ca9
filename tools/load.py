"""Many viewers at once: concurrent sessions driven over Streamlit's own websocket protocol, on loopback.

Each session does what a visitor from a newsletter link does: opens the home page, then the Høringer
page in the same session. The client speaks the protocol the browser speaks (`/_stcore/stream`,
`BackMsg.rerun_script` out, `ForwardMsg` back until `script_finished`), so the server does the same
work and sends the same bytes as for a browser (the browser benchmark prints both byte counts side by
side); what it leaves out is the browser's own drawing, which happens on the visitor's machine, not on
the server. A run is bounded: every session has a timeout and the run stops by itself.
"""

import asyncio
import math
import statistics
import threading
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tools.serving import memory_mb, run_async

# ScriptFinishedStatus values that end a run (FINISHED_EARLY_FOR_RERUN = 2 means another run follows).
_FINISHED = {0, 1, 3}
JOURNEY = (("home", ""), ("hoeringer", "hoeringer"))
SESSION_TIMEOUT = 180.0


@dataclass
class Visit:
    """One page drawn in one session: seconds from the request to `script_finished`, and bytes received."""
    page: str
    seconds: float
    bytes: int
    ok: bool = True
    error: str = ""


@dataclass
class LoadResult:
    """A load run: every visit, the server's peak memory, and the wall time."""
    sessions: int
    visits: list[Visit] = field(default_factory=list)
    peak_mb: float = 0.0
    seconds: float = 0.0

    def times(self, page: str) -> list[float]:
        return [v.seconds for v in self.visits if v.page == page and v.ok]

    def failures(self) -> list[Visit]:
        return [v for v in self.visits if not v.ok]


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile (0.95 for the 95th percentile) by the nearest-rank method."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


async def _rerun(ws, page_name: str, query: str = "") -> int:
    """Ask for one run of a page in this session; return the bytes received until it finished."""
    message = BackMsg()
    message.rerun_script.page_name = page_name
    message.rerun_script.query_string = query
    await ws.send(message.SerializeToString())
    received = 0
    while True:
        data = await ws.recv()
        received += len(data)
        forward = ForwardMsg()
        forward.ParseFromString(data)
        kind = forward.WhichOneof("type")
        if kind == "page_not_found":
            raise RuntimeError(f"page not found: {page_name!r}")
        if kind == "script_finished" and forward.script_finished in _FINISHED:
            if forward.script_finished == 1:
                raise RuntimeError("the page did not compile")
            return received


async def session(url: str, journey=JOURNEY, start_at: float | None = None) -> list[Visit]:
    """One visitor's session: each page of the journey in turn over one websocket."""
    if start_at is not None:
        await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
    visits = []
    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], origin=url, max_size=None,
                                  open_timeout=SESSION_TIMEOUT) as ws:
        for label, page_name in journey:
            start = time.perf_counter()
            try:
                received = await asyncio.wait_for(_rerun(ws, page_name), SESSION_TIMEOUT)
                visits.append(Visit(label, time.perf_counter() - start, received))
            except Exception as error:  # noqa: BLE001 - a failed visit is reported, the run goes on
                visits.append(Visit(label, time.perf_counter() - start, 0, ok=False, error=repr(error)[:200]))
                break
    return visits


def run(url: str, sessions: int, pid: int | None = None, journey=JOURNEY) -> LoadResult:
    """Open `sessions` sessions at once (all started within a tenth of a second); measure every visit."""
    result = LoadResult(sessions)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            result.peak_mb = max(result.peak_mb, memory_mb(pid) if pid else 0.0)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    async def everyone():
        start_at = time.perf_counter() + 0.2
        spread = 0.1 / max(1, sessions)
        done = await asyncio.gather(*(session(url, journey, start_at + i * spread) for i in range(sessions)),
                                    return_exceptions=True)
        for item in done:
            if isinstance(item, BaseException):
                result.visits.append(Visit("connect", 0.0, 0, ok=False, error=repr(item)[:200]))
            else:
                result.visits.extend(item)

    started = time.perf_counter()
    try:
        run_async(asyncio.wait_for(everyone(), SESSION_TIMEOUT * (len(journey) + 1)))
    finally:
        stop.set()
        sampler.join()
    result.seconds = time.perf_counter() - started
    return result


def alone(url: str, rounds: int = 3, journey=JOURNEY) -> dict[str, float]:
    """The median time of each page of the journey for one visitor alone (the load run's yardstick)."""
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for visit in run_async(session(url, journey)):
            if not visit.ok:
                raise RuntimeError(f"{visit.page}: {visit.error}")
            times.setdefault(visit.page, []).append(visit.seconds)
    return {page: statistics.median(values) for page, values in times.items()}
