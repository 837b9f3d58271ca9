"""Hostile text in every text field of every kind of record: stored as typed and shown as plain text.

Each kind is written through its own area's create function (the path the forms take). What is stored:
the text exactly as typed, except control characters, which `validation.clean_text` removes (tab and
line breaks are kept) together with surrounding spaces; so "stored exactly" means equal to
`clean_text(typed)`. Too long text is refused with a message, never cut. On the pages every such text is
escaped for Markdown (`widgets.plain`): no tag, link or formatting from a user ever reaches the browser
as markup. Browser checks are in tests/browser/test_hostile_text.py.
"""

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from krem_advocacy.domain import budget, hoeringer, meetings, organisations, saker, search, validation
from krem_advocacy.store import records
from krem_advocacy.store.connection import opened
from krem_advocacy.store.errors import ValidationError
from tests.helpers import EDITOR, open_page

TODAY = date.today()

# Every kind of hostility in one string that still fits a title (300 characters).
HTML = "<script>alert('x')</script><img src=x onerror=alert(1)><b>fet</b>"
MARKDOWN = "**ikke fet** _ikke kursiv_ [lenke](javascript:alert(1)) `kode` # overskrift :rainbow[regnbue] $x$"
SQL = "'; DROP TABLE saker; -- Robert'); DELETE FROM hoeringer WHERE ('1'='1"
CONTROL = "null\x00byte bell\x07 esc\x1b[31m del\x7f tab\tand\nline"
UNICODE = "æøå «sitat» 🧾 \u202eomvendt\u202c\u200b"
HOSTILE = f"  {HTML} {MARKDOWN} {SQL} {CONTROL} {UNICODE}  "
LONG_TITLE = ("<b>x</b>" * 40)[:300]  # exactly the longest title allowed
LONG_TEXT = (HOSTILE.strip() + "\n") * 60  # some 15 000 characters of it
# What must never appear unescaped in anything the page renders as Markdown (a backslash before a
# character makes Markdown show it as it is).
RAW = [re.compile(r"(?<!\\)" + re.escape(fragment)) for fragment in
       ("<script", "<img", "<b>", "**ikke fet**", "_ikke kursiv_", "[lenke](", "`kode`", ":rainbow[", "$x$")]

assert len(validation.clean_text(HOSTILE)) <= validation.MAX_TITLE_LENGTH
assert len(LONG_TEXT) <= validation.MAX_TEXT_LENGTH


def stored(text: str) -> str:
    """What the database keeps of typed text: as typed, less control characters and outer spaces."""
    return validation.clean_text(text)


# Per kind: the table, its free-text fields, the longest each may be (None = the common 20 000), and a
# function that creates a record through the area's own create function.
def _meeting(db) -> int:
    return meetings.create_meeting(db, EDITOR, {"title": "Møte", "kind": "ku", "starts_at": f"{TODAY}T12:00"})


def _person(db) -> int:
    return organisations.create_person(db, EDITOR, {"name": "Person", "side": "forum"})


KINDS = {
    "saker": ({"title": 300, "description": None, "easy_read": saker.EASY_READ_MAX_LENGTH, "stance": None,
               "source": None, "notes": None, "internal_notes": None},
              lambda db, v: saker.create_sak(db, EDITOR, v)),
    "hoeringer": ({"title": 300, "short_deadline_reason": None, "result": None, "notes": None,
                   "internal_notes": None},
                  lambda db, v: hoeringer.create_hoering(db, EDITOR, {
                      "published_on": TODAY.isoformat(), "deadline": TODAY.isoformat(), **v}, TODAY)),
    "organisations": ({"name": 300, "short_name": organisations.MAX_SHORT_NAME_LENGTH, "source": None,
                       "notes": None, "internal_notes": None},
                      lambda db, v: organisations.create_organisation(db, EDITOR, {"kind": "other", **v})),
    "people": ({"name": 300, "source": None, "notes": None, "internal_notes": None},
               lambda db, v: organisations.create_person(db, EDITOR, {"side": "forum", **v})),
    "person_roles": ({"title": 300, "source": None, "notes": None, "internal_notes": None},
                     lambda db, v: organisations.create_role(db, EDITOR, {"person_id": _person(db), **v})),
    "meetings": ({"title": 300, "place": 300, "themes": 300, "minutes": None, "source": 300, "notes": None,
                  "internal_notes": None},
                 lambda db, v: meetings.create_meeting(db, EDITOR, {"kind": "ku", "starts_at": f"{TODAY}T12:00",
                                                                    **v})),
    "agenda_items": ({"title": 300, "summary": None},
                     lambda db, v: meetings.create_agenda_item(db, EDITOR, _meeting(db), v)),
    "tilsagn": ({"text": None, "notes": None},
                lambda db, v: meetings.create_tilsagn(db, EDITOR, _meeting(db), v)),
    "budget_inputs": ({"title": 300, "chapter_name": None, "post_name": None, "ask": None, "source": None,
                       "notes": None, "internal_notes": None},
                      lambda db, v: budget.create_budget_input(db, EDITOR, {"budget_year": 2027, **v})),
    "budget_years": ({"source": None, "notes": None, "internal_notes": None},
                     lambda db, v: budget.create_budget_year(db, EDITOR, {"budget_year": _next_year(db), **v})),
}


def _next_year(db) -> int:
    # Budget years are unique: each hostile record gets a year of its own.
    return (db.execute("SELECT MAX(budget_year) FROM budget_years").fetchone()[0] or 2030) + 1


def _values(fields: dict, text_for) -> dict:
    return {field: text_for(limit) for field, limit in fields.items()}


def _fit(text: str, limit: int | None) -> str:
    # A field shorter than the hostile string gets as much of it as fits (cut between characters).
    return text if limit is None or len(stored(text)) <= limit else text.strip()[:limit]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_hostile_text_in_every_field_is_stored_exactly(db, kind):
    fields, create = KINDS[kind]
    typed = _values(fields, lambda limit: _fit(HOSTILE, limit))
    record = records.get(db, kind, create(db, typed))
    for field, text in typed.items():
        assert record[field] == stored(text), field
        assert not any(c in record[field] for c in "\x00\x07\x1b\x7f"), field  # control characters removed
    # The longest text each field takes is kept whole.
    long = _values(fields, lambda limit: LONG_TITLE[:limit] if limit else LONG_TEXT)
    record = records.get(db, kind, create(db, long))
    for field, text in long.items():
        assert record[field] == stored(text), field
    # SQL in the text was data, not a command: every table is still there, with what was written.
    assert {"saker", "hoeringer"} <= set(db.table_names())
    assert db.execute(f"SELECT COUNT(*) FROM [{kind}]").fetchone()[0] >= 2


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_too_long_text_is_refused_not_cut(db, kind):
    fields, create = KINDS[kind]
    field, limit = next(iter(fields.items()))
    too_long = "x" * ((limit or validation.MAX_TEXT_LENGTH) + 1)
    before = db.execute(f"SELECT COUNT(*) FROM [{kind}]").fetchone()[0]
    with pytest.raises(ValidationError) as refused:
        create(db, {field: too_long, **({"title": "Kort"} if field != "title" and "title" in fields else {})})
    assert refused.value.errors.get(field) == "validation.too_long"
    assert db.execute(f"SELECT COUNT(*) FROM [{kind}]").fetchone()[0] == before


def test_hostile_addresses_are_refused(db, editor):
    for url in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "<b>http://x.no</b>"):
        with pytest.raises(ValidationError) as refused:
            hoeringer.create_hoering(db, editor, {"title": "Lenke", "url": url}, TODAY)
        assert refused.value.errors == {"url": "validation.url"}
        with pytest.raises(ValidationError):
            organisations.create_organisation(db, editor, {"name": "Lenke", "kind": "other", "url": url})
    with pytest.raises(ValidationError) as refused:
        hoeringer.create_hoering(db, editor, {"title": "Ref", "their_ref": SQL}, TODAY)
    assert refused.value.errors == {"their_ref": "validation.their_ref"}


def test_searching_for_hostile_text_finds_it_and_harms_nothing(db, editor):
    sak = saker.create_sak(db, editor, {"title": HOSTILE, "description": "barnetrygd"})
    for query in (SQL, HTML, MARKDOWN, 'bolig" OR "', "NEAR(", "*", "\x00", "🧾"):
        search.search(db, query)  # no error, whatever the words
    assert sak in list(search.search(db, "DROP TABLE saker")["record_id"])
    assert db.execute("SELECT COUNT(*) FROM saker").fetchone()[0] == 1


# ---- shown as plain text ---------------------------------------------------------------------------

def _rendered(at: AppTest) -> list[str]:
    """Every text on the page that Streamlit renders as Markdown."""
    texts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                                  "error", "success") for e in getattr(at, kind)]
    texts += [e.proto.label for e in at.get("page_link")]
    texts += [e.label for e in (*at.expander, *at.button, *at.toggle, *at.tabs)]
    texts += [e.proto.label for e in at.get("badge")] if at.get("badge") else []
    return [str(t) for t in texts]


def _assert_plain(texts: list[str]) -> None:
    joined = "\n".join(texts)
    for fragment in RAW:
        found = fragment.search(joined)
        assert not found, f"{found.group()!r} reached the page as markup: {joined[found.start() - 80:found.end() + 80]!r}"
    # The hostile records are on the page (as escaped text): a check that would fail on an empty page.
    assert "DROP TABLE saker" in joined


@pytest.fixture
def hostile_forum(app_db_path, current_forum, editor):
    """One record of every kind with hostile text in every field, among the small forum's (in the app's database)."""
    typed = {}
    with opened(app_db_path) as db:
        for kind, (fields, create) in KINDS.items():
            values = _values(fields, lambda limit: _fit(HOSTILE, limit))
            typed[kind] = (create(db, values), values)
        # The agenda item and tilsagn on one meeting, and the role on a person, so one page shows both.
        meeting = meetings.create_meeting(db, editor, {"title": HOSTILE, "kind": "ku", "starts_at": f"{TODAY}T12:00",
                                                       "minutes": LONG_TEXT})
        meetings.create_agenda_item(db, editor, meeting, {"title": HOSTILE, "summary": HOSTILE})
        meetings.create_tilsagn(db, editor, meeting, {"text": HOSTILE, "notes": HOSTILE})
        person = typed["people"][0]
        organisations.create_role(db, editor, {"person_id": person, "title": HOSTILE, "notes": HOSTILE})
        typed["meeting_page"] = (meeting, None)
    return typed


@pytest.mark.parametrize("actor", [None, EDITOR], ids=["viewer", "editor"])
def test_hostile_text_is_shown_as_plain_text_on_every_record_page(hostile_forum, actor):
    pages = [("pages/saker.py", {"id": hostile_forum["saker"][0]}),
             ("pages/hoeringer.py", {"id": hostile_forum["hoeringer"][0]}),
             ("pages/organisasjoner.py", {"id": hostile_forum["organisations"][0]}),
             ("pages/organisasjoner.py", {"person": hostile_forum["people"][0]}),
             ("pages/moeter.py", {"id": hostile_forum["meeting_page"][0]}),
             ("pages/moeter.py", {"id": hostile_forum["meeting_page"][0], "brief": "1"}),
             ("pages/statsbudsjett.py", {"id": hostile_forum["budget_inputs"][0]}),
             ("pages/statsbudsjett.py", {"year_id": hostile_forum["budget_years"][0]})]
    for page, params in pages:
        texts = _rendered(open_page(page, actor, **{k: str(v) for k, v in params.items()}))
        _assert_plain(texts)


def test_hostile_text_is_plain_in_lists_search_deadlines_and_the_change_log(hostile_forum, editor):
    for page, params in (("app.py", {}), ("pages/sok.py", {"q": "DROP TABLE"}), ("pages/hoeringer.py", {}),
                         ("pages/endringslogg.py", {})):
        _assert_plain(_rendered(open_page(page, editor, **params)))
