"""Every page in both languages through AppTest, on the demo database; deep links open the right record."""

import pytest

from krem_advocacy.store.connection import opened
from tests.helpers import open_page, show_tab, texts

LIST_PAGES = {
    "pages/saker.py": ("Saker", "Topics"),
    "pages/hoeringer.py": ("Høringer", "Consultations"),
    "pages/statsbudsjett.py": ("Statsbudsjett", "State budget"),
    "pages/moeter.py": ("Møter", "Meetings"),
    "pages/organisasjoner.py": ("Organisasjoner", "Organisations"),
    "pages/data.py": ("Data", "Data"),
}

# page -> (table, title column)
RECORD_PAGES = {
    "pages/saker.py": ("saker", "title"),
    "pages/hoeringer.py": ("hoeringer", "title"),
    "pages/statsbudsjett.py": ("budget_inputs", "title"),
    "pages/moeter.py": ("meetings", "title"),
    "pages/organisasjoner.py": ("organisations", "name"),
}


@pytest.mark.parametrize("lang, index", [("nb", 0), ("en", 1)])
def test_home_page_shows_figures_deadlines_and_activity_chart(demo_db_path, lang, index):
    at = open_page(lang=lang)
    assert at.title[0].value == ("Oversikt", "Overview")[index]
    assert len(at.metric) == 5
    assert int(at.metric[1].value) > 0  # open høringer from the demo data
    body = texts(at)
    assert any(("Forfalt · ", "Overdue · ")[index] in e.label for e in at.expander)
    assert ("Neste 14 dager · ", "Next 14 days · ")[index] in body
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    # The overdue example høring from the demo appears as a link among the deadlines.
    links = [e.proto.label for e in at.get("page_link")]
    assert any("Høring" in label for label in links)


@pytest.mark.parametrize("page", sorted(LIST_PAGES))
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_page_renders_real_records_in_both_languages(demo_db_path, page, lang):
    at = open_page(page, lang=lang)
    assert at.title[0].value == LIST_PAGES[page][0 if lang == "nb" else 1]
    if page == "pages/hoeringer.py":  # opens on the deadlines; the table is the next tab
        show_tab(at, "list", lang)
    assert at.dataframe, "the page shows no table"
    assert len(at.dataframe[0].value) > 0, "the table is empty"


@pytest.mark.parametrize("page", sorted(RECORD_PAGES))
def test_deep_link_opens_the_right_record_on_first_visit(demo_db_path, page):
    table, title_column = RECORD_PAGES[page]
    with opened(demo_db_path) as db:
        record_id, title = db.execute(
            f"SELECT id, {title_column} FROM {table} ORDER BY id DESC LIMIT 1").fetchone()
    at = open_page(page, id=str(record_id))
    assert at.title[0].value.replace("\\", "") == title


@pytest.mark.parametrize("page", sorted(RECORD_PAGES))
def test_deep_link_to_a_missing_record_says_so(demo_db_path, page):
    at = open_page(page, id="999999")
    assert any("Fant ikke" in w.value for w in at.warning)


def test_english_deep_link_keeps_english(demo_db_path):
    with opened(demo_db_path) as db:
        hoering_id = db.execute("SELECT id FROM hoeringer WHERE their_ref = '24/109'").fetchone()[0]
    at = open_page("pages/hoeringer.py", id=str(hoering_id), lang="en")
    assert "Forslag til endringer i barnetrygdloven" in at.title[0].value
    body = texts(at)
    assert "Deadline" in body and "Ministry/agency" in body
    assert "06.02.2024" in body


def test_meeting_page_shows_roles_on_the_day_and_open_tilsagn(demo_db_path):
    with opened(demo_db_path) as db:
        meeting_id = db.execute(
            "SELECT id FROM meetings WHERE kind = 'ku' AND starts_at >= date('now') ORDER BY starts_at LIMIT 1"
        ).fetchone()[0]
    at = open_page("pages/moeter.py", id=str(meeting_id))
    body = texts(at)
    assert "Åpne tilsagn fra tidligere møter" in body
    assert "Dagsorden" in body


def test_filter_narrows_the_list(demo_db_path):
    at = show_tab(open_page("pages/hoeringer.py"), "list")
    total = len(at.dataframe[0].value)
    at.selectbox(key="hoering_our_status").set_value("levert").run()
    shown = at.dataframe[0].value
    assert 0 < len(shown) < total
    assert set(shown["Vår status"]) == {"Levert"}
