"""The deadline states on the pages: home and Høringer agree on one fixture; closed and stale høringer."""

import re
from datetime import date, timedelta

import pytest

from krem_advocacy.domain import deadlines
from krem_advocacy.store.connection import opened
from tests.helpers import insert, open_page, texts

HOERINGER = "pages/hoeringer.py"


def _day(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def mixed(current_forum, db):
    """The small forum from today, plus a closed, a delivered, a stale and a recently overdue høring."""
    bfd = current_forum["bfd"]
    ids = dict(current_forum)
    ids["closed"] = insert(db, "hoeringer", title="Lukket høring", department_id=bfd, deadline=_day(-400),
                           internal_deadline=_day(-407), our_status="svarer", official_status="under_behandling")
    ids["delivered"] = insert(db, "hoeringer", title="Levert høring", department_id=bfd, deadline=_day(-1),
                              our_status="svarer", submitted_on=_day(-2))
    ids["stale"] = insert(db, "hoeringer", title="Glemt høring", department_id=bfd, deadline=_day(-213),
                          our_status="innkommet")
    ids["recent"] = insert(db, "hoeringer", title="Nylig forfalt", department_id=bfd, deadline=_day(-5),
                           our_status="til_vurdering")
    db.conn.commit()
    return ids


def _overdue_box(at):
    return next(e for e in at.expander if re.search(r"(Forfalt|Overdue) · \d+", e.label))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_home_and_hoeringer_show_the_same_overdue_count(app_db_path, mixed, lang):
    with opened(app_db_path) as db:
        expected = deadlines.counts(db, date.today())
    assert expected["overdue"] == 3  # Høring A (frist), Høring B (internal), «Nylig forfalt»
    home = open_page(lang=lang)
    assert f"· {expected['overdue']}**" in _overdue_box(home).label
    shown = [e.proto.label for e in home.get("page_link")]
    body = texts(home)
    assert ("Neste 14 dager · ", "Next 14 days · ")[lang == "en"] + str(expected["due_14"]) in body
    page = open_page(HOERINGER, lang=lang)
    heading = ("Forfalt", "Overdue")[lang == "en"]
    assert f"] {heading} · {expected['overdue']}" in texts(page)
    everything = body + texts(page) + " ".join(shown)
    for title in ("Lukket høring", "Levert høring"):
        assert title not in everything


def test_home_overdue_box_lists_the_records_it_counts(app_db_path, mixed):
    at = open_page()
    links = [e.proto.label for e in at.get("page_link")]
    for title in ("Høring A", "Høring B", "Nylig forfalt"):
        assert any(title in label for label in links)
    assert not any("Glemt høring" in label or "Lukket høring" in label for label in links)


def test_home_window_choice_changes_the_list(app_db_path, mixed):
    at = open_page()
    at.segmented_control(key="home_window").set_value(30).run()
    with opened(app_db_path) as db:
        expected = deadlines.counts(db, date.today())["due_30"]
    assert f"Neste 30 dager · {expected}" in texts(at)


def test_stale_suggestion_archives_and_undoes(app_db_path, mixed, editor):
    at = open_page(HOERINGER, editor)
    body = texts(at)
    assert "Frist passert uten svar – arkivere? · 1" in body
    assert "Glemt høring" in " ".join(e.proto.label for e in at.get("page_link"))
    at.button(key=f"stale_archive_{mixed['stale']}").click().run()
    assert _status(app_db_path, mixed["stale"]) == "arkivert"
    assert "«Glemt høring» er arkivert." in texts(at)
    assert "Frist passert uten svar" not in texts(at)
    at.button(key="hoering_stale_undo_button").click().run()
    assert _status(app_db_path, mixed["stale"]) == "innkommet"
    assert "Frist passert uten svar – arkivere? · 1" in texts(at)


@pytest.mark.parametrize("action, column, value", [("svarer_ikke", "our_status", "svarer_ikke"),
                                                    ("closed", "official_status", "under_behandling")])
def test_stale_actions_set_the_status(app_db_path, mixed, editor, action, column, value):
    at = open_page(HOERINGER, editor)
    at.button(key=f"stale_{action}_{mixed['stale']}").click().run()
    assert _status(app_db_path, mixed["stale"], column) == value
    at.button(key="hoering_stale_undo_button").click().run()
    assert _status(app_db_path, mixed["stale"], column) in ("innkommet", "paa_hoering")


def test_viewer_sees_the_suggestion_without_actions(app_db_path, mixed):
    at = open_page(HOERINGER)
    assert "Frist passert uten svar – arkivere? · 1" in texts(at)
    assert not [b for b in at.button if b.key and b.key.startswith("stale_")]


def test_hoering_page_suggests_the_official_status_from_the_dates(app_db_path, mixed, editor):
    at = open_page(HOERINGER, editor, id=str(mixed["recent"]))
    assert "offisiell status er trolig «Under behandling»" in texts(at)
    at.button(key="hoering_suggest_official").click().run()
    assert _status(app_db_path, mixed["recent"], "official_status") == "under_behandling"
    assert "trolig" not in texts(at)


def _status(path, hoering_id, column="our_status"):
    with opened(path) as db:
        return db.execute(f"SELECT {column} FROM hoeringer WHERE id = ?", [hoering_id]).fetchone()[0]


def test_stale_days_setting_is_saved_from_the_page(app_db_path, mixed, editor):
    at = open_page(HOERINGER, editor)
    at.number_input(key="hoering_stale_days").set_value(300).run()
    at.button(key="hoering_stale_save").click().run()
    assert "Innstillingen er lagret." in texts(at)
    with opened(app_db_path) as db:
        assert deadlines.stale_days(db) == 300
    assert "Frist passert uten svar" not in texts(at)
    assert "] Forfalt · 4" in texts(at)  # «Glemt høring» counts as overdue again
