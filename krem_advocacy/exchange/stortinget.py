"""The Storting's open-data export: committee hearings of a session, a hearing's programme, and the per-case fallback.

Reads `eksport/horinger?sesjonid=YYYY-YYYY` (JSON, or the XML the export sends by default),
`eksport/horingsprogram?horingid=…` and `eksport/sak?sakid=…`. Both shapes are turned into the same plain
structure first (an XML element becomes a dict of its children, a `…_liste` element a list), so one reader
serves both. The Storting writes sentinel dates where none is set (`/Date(-62135596800000)/`,
`0001-01-01T00:00:00`, `01.01.0001`): they are read as missing, never as a date.

The base address is `KREM_STORTINGET_URL` (config). The network is used only on request (a button, the CLI).
"""

import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from sqlite_utils import Database

from krem_advocacy import config
from krem_advocacy.domain import sources
from krem_advocacy.domain.stortinget import Case, Hearing
from krem_advocacy.exchange import http_client
from krem_advocacy.store.errors import KremError
from krem_advocacy.store.permissions import Actor

_MS_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")
_NO_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})")
FIRST_REAL_YEAR = 1900  # anything earlier is a sentinel (DateTime.MinValue is year 1)


class StortingError(KremError):
    """The export could not be read: `tried` lists each address asked and what it answered."""

    def __init__(self, tried: list[tuple[str, str]]):
        self.tried = tried
        super().__init__("; ".join(f"{url}: {what}" for url, what in tried))


@dataclass
class SessionRead:
    """What a session read gave: the hearings, where they came from, and every address tried."""

    hearings: list[Hearing]
    source: str  # "horinger" (the session export) or "sak" (the per-case fallback)
    tried: list[tuple[str, str]] = field(default_factory=list)  # (address, what it answered)
    problems: list[str] = field(default_factory=list)  # cases the fallback could not read


@dataclass(frozen=True)
class ProgrammeItem:
    """One line of a hearing's programme: who speaks, when."""

    day: str | None
    order: int | None
    time: str | None
    text: str


# ---------------------------------------------------------------- dates and shapes

def read_date(value) -> str | None:
    """An ISO date from the Storting's date forms, or None for empty values and sentinels."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text:
        return None
    matched = _MS_DATE.search(text)
    if matched:
        millis = int(matched.group(1))
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=millis)
        if matched.group(2):  # the offset says which day it is in Norway
            sign = 1 if matched.group(2)[0] == "+" else -1
            moment += sign * timedelta(hours=int(matched.group(2)[1:3]), minutes=int(matched.group(2)[3:]))
        day = moment.date()
    elif _NO_DATE.match(text):
        d, m, y = (int(g) for g in _NO_DATE.match(text).groups())
        try:
            day = date(y, m, d)
        except ValueError:
            return None
    else:
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            return None
    return day.isoformat() if day.year >= FIRST_REAL_YEAR else None


def _strip(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _element(node: ElementTree.Element):
    children = list(node)
    if node.attrib.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true":
        return None
    if not children:
        return (node.text or "").strip()
    if _strip(node.tag).endswith("_liste"):
        return [_element(child) for child in children]
    return {_strip(child.tag): _element(child) for child in children}


def structure(body: bytes):
    """The export's answer as plain dicts and lists, from JSON or XML; raise ValueError when it is neither."""
    text = body.lstrip()
    if text[:1] in (b"{", b"["):
        return json.loads(body.decode("utf-8-sig"))
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise ValueError(f"neither JSON nor XML ({error})") from None
    return {_strip(root.tag): _element(root)}


def _unwrap(data: dict, name: str):
    # XML gives {"horinger_oversikt": {...}}; JSON gives the inside directly.
    if isinstance(data, dict) and set(data) == {name}:
        return data[name]
    return data


def _text(value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, dict):  # an XML list of one element read as a dict of that element
        inner = list(value.values())
        return inner if all(isinstance(v, dict) for v in inner) else [value]
    return list(value)


def _case(raw: dict) -> Case:
    return Case(id=_int(raw.get("sak_id") or raw.get("id")), title=_text(raw.get("sak_tittel") or raw.get("tittel")) or "",
                short_title=_text(raw.get("sak_korttittel") or raw.get("korttittel")),
                reference=_text(raw.get("sak_henvisning") or raw.get("henvisning")),
                url=_text(raw.get("sak_publikasjon")))


def _hearing(raw: dict, session: str | None, cases: tuple[Case, ...] | None = None,
             from_case: bool = False) -> Hearing | None:
    hearing_id = _int(raw.get("id") or raw.get("horing_id"))
    if hearing_id is None:
        return None
    committee = raw.get("komite") if isinstance(raw.get("komite"), dict) else {}
    times = [t for t in _list(raw.get("horingstidspunkt_liste")) if isinstance(t, dict)]
    days = {d for d in (read_date(t.get("tidspunkt")) for t in times) if d}
    start = read_date(raw.get("start_dato"))
    if start:
        days.add(start)
    places = [p for p in (_text(t.get("sted")) for t in times) if p]
    if cases is None:
        cases = tuple(_case(c) for c in _list(raw.get("horing_sak_info_liste")) if isinstance(c, dict))
    return Hearing(
        id=hearing_id, committee_id=_text(committee.get("id")), committee_name=_text(committee.get("navn")),
        session=_text(raw.get("sesjon_id")) or session, status=_text(raw.get("horing_status")),
        application_deadline=read_date(raw.get("soknadfrist_dato")),
        input_deadline=read_date(raw.get("innspillsfrist")), hearing_dates=tuple(sorted(days)),
        place=places[0] if places else None, written=str(raw.get("skriftlig")).lower() == "true",
        cases=cases, from_case_export=from_case)


def parse_hearings(body: bytes) -> list[Hearing]:
    """The hearings in a `horinger` export (JSON or XML); raise ValueError when it is not one."""
    data = _unwrap(structure(body), "horinger_oversikt")
    if not isinstance(data, dict) or "horinger_liste" not in data:
        raise ValueError("not a hearings export (no horinger_liste)")
    session = _text(data.get("sesjon_id"))
    found = (_hearing(raw, session) for raw in _list(data["horinger_liste"]) if isinstance(raw, dict))
    return [h for h in found if h is not None]


def parse_case(body: bytes) -> list[Hearing]:
    """The committee hearings named in a per-case export (`sak`): each hearing-shaped entry in it
    (one with a hearing id and an application or input deadline), about that case."""
    data = _unwrap(structure(body), "detaljert_sak")
    if not isinstance(data, dict) or not (data.get("id") or data.get("tittel")):
        raise ValueError("not a case export (no detaljert_sak)")
    committee = data.get("komite") if isinstance(data.get("komite"), dict) else {}
    case = Case(id=_int(data.get("id")), title=_text(data.get("tittel")) or "",
                short_title=_text(data.get("korttittel")), reference=_text(data.get("henvisning")))
    session = _text(data.get("sak_sesjon")) or _text(data.get("sesjon_id"))
    hearings = []
    for raw in _walk(data):
        if raw is data or not ({"soknadfrist_dato", "innspillsfrist"} & set(raw)):
            continue
        if not isinstance(raw.get("komite"), dict):
            raw = {**raw, "komite": committee}
        hearing = _hearing(raw, session, cases=(case,), from_case=True)
        if hearing is not None and hearing.id not in {h.id for h in hearings}:
            hearings.append(hearing)
    return hearings


def _walk(value):
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def parse_programme(body: bytes) -> list[ProgrammeItem]:
    """Who speaks when, from a `horingsprogram` export (JSON or XML)."""
    data = _unwrap(structure(body), "horingsprogram_oversikt")
    if not isinstance(data, dict) or "horingsprogram_liste" not in data:
        raise ValueError("not a hearing programme (no horingsprogram_liste)")
    items = []
    for programme in _list(data["horingsprogram_liste"]):
        if not isinstance(programme, dict):
            continue
        day = read_date(programme.get("dato"))
        for element in _list(programme.get("horingsprogram_element_liste")):
            if isinstance(element, dict) and _text(element.get("tekst")):
                items.append(ProgrammeItem(day=day, order=_int(element.get("rekkefolge_nummer")),
                                           time=_text(element.get("tidsangivelse")), text=_text(element["tekst"])))
    return sorted(items, key=lambda i: (i.day or "", i.order or 0))


# ---------------------------------------------------------------- reading from the network

def address(kind: str, **params) -> str:
    """An export address under KREM_STORTINGET_URL, asking for JSON («…/horinger?sesjonid=2025-2026&format=json»)."""
    return f"{config.stortinget_url()}/{kind}?{urlencode({**params, 'format': 'json'})}"


def read_session(session: str, case_ids: list[int] | None = None) -> SessionRead:
    """The session's hearings from `eksport/horinger`; when that fails and case ids are given, from each
    case's `eksport/sak` (the fallback, said so in `source`). Raise StortingError listing every address
    tried when nothing could be read: an error is never returned as an empty list."""
    tried: list[tuple[str, str]] = []
    url = address("horinger", sesjonid=session)
    try:
        hearings = parse_hearings(http_client.get(url, accept="application/json, text/xml").body)
        tried.append((url, f"{len(hearings)}"))
        return SessionRead(hearings, "horinger", tried)
    except http_client.FetchError as error:
        tried.append((url, error.detail))
    except ValueError as error:
        tried.append((url, f"unreadable answer ({error})"))
    if not case_ids:
        raise StortingError(tried)
    found: dict[int, Hearing] = {}
    problems = []
    for case_id in case_ids:
        case_url = address("sak", sakid=case_id)
        try:
            hearings = parse_case(http_client.get(case_url, accept="application/json, text/xml").body)
            tried.append((case_url, f"{len(hearings)}"))
            for hearing in hearings:
                found.setdefault(hearing.id, hearing)
        except http_client.FetchError as error:
            tried.append((case_url, error.detail))
            problems.append(str(case_id))
        except ValueError as error:
            tried.append((case_url, f"unreadable answer ({error})"))
            problems.append(str(case_id))
    if len(problems) == len(case_ids):
        raise StortingError(tried)
    return SessionRead(list(found.values()), "sak", tried, problems)


def read_programme(hearing_id: int) -> list[ProgrammeItem]:
    """A hearing's programme; raise StortingError with the address when it cannot be read."""
    url = address("horingsprogram", horingid=hearing_id)
    try:
        return parse_programme(http_client.get(url, accept="application/json, text/xml").body)
    except http_client.FetchError as error:
        raise StortingError([(url, error.detail)]) from None
    except ValueError as error:
        raise StortingError([(url, f"unreadable answer ({error})")]) from None


def fetch(db: Database, actor: Actor, session: str, case_ids: list[int] | None = None) -> SessionRead:
    """read_session, remembered as a run of the `stortinget` source (also when it fails, then re-raised)."""
    try:
        result = read_session(session, case_ids)
    except StortingError as error:
        sources.record_run(db, actor, "stortinget", False, [url for url, _ in error.tried], None,
                           "; ".join(what for _, what in error.tried))
        raise
    note = "eksport/sak" if result.source == "sak" else None
    if result.problems:
        note = f"{note}; not read: {', '.join(result.problems)}"
    sources.record_run(db, actor, "stortinget", True, [url for url, _ in result.tried], len(result.hearings), note)
    return result
