"""The easy-read choice beside the language: plain-language summaries first, shorter texts, kept in the link."""

import sqlite3

from tests.helpers import open_page, texts


def _sak(demo_db_path) -> tuple[int, str, str]:
    with sqlite3.connect(demo_db_path) as conn:
        return conn.execute("SELECT id, title, easy_read FROM saker WHERE easy_read IS NOT NULL AND stance IS NOT NULL "
                            "ORDER BY id LIMIT 1").fetchone()


def test_easy_read_puts_the_summary_first_and_folds_the_rest(demo_db_path):
    sak_id, title, easy = _sak(demo_db_path)
    plain_view = open_page("pages/saker.py", id=str(sak_id))
    assert "Vårt standpunkt" in texts(plain_view)
    assert not [e for e in plain_view.expander if e.label == "Les mer"]
    easy_view = open_page("pages/saker.py", id=str(sak_id), lettlest="1")
    assert easy in texts(easy_view)
    folded = [e for e in easy_view.expander if e.label == "Les mer"]
    assert len(folded) == 1 and "Vårt standpunkt" in " ".join(m.value for m in folded[0].markdown)
    assert easy_view.query_params["lettlest"] in ("1", ["1"])


def test_easy_read_list_shows_what_each_sak_is_about_in_english_too(demo_db_path):
    at = open_page("pages/saker.py", lang="en", lettlest="1")
    columns = list(at.dataframe[0].value.columns)
    assert columns == ["Topic", "In short", "Status"]
    assert at.session_state["easy_switch"] == "easy"  # the sidebar's choice shows what the link asked for


def test_the_choice_is_switched_in_the_sidebar_and_kept_in_the_session(demo_db_path):
    at = open_page("pages/saker.py")
    assert list(at.dataframe[0].value.columns)[1] == "Tema"
    assert at.session_state["easy_switch"] == "plain"
    at.button_group(key="easy_switch").set_value("easy").run()  # «Lettlest», beside the language
    assert at.session_state["easy_read"]
    assert at.query_params["lettlest"] in ("1", ["1"])
    assert list(at.dataframe[0].value.columns) == ["Sak", "Kort fortalt", "Status"]
