"""The Rapport page through AppTest, on the literal report forum dated last year and the year before."""

from datetime import date

import pytest

from krem_advocacy.ui import report as report_ui
from krem_advocacy.ui.report import CUSTOM, DATES_KEY, INTERNAL_KEY, ORG_KEY, PERIOD_KEY
from tests.helpers import EDITOR, open_box, open_page, report_forum, texts

PAGE = "pages/rapport.py"
YEAR = date.today().year - 1  # the page opens on the last calendar year


def tables(at) -> str:
    """Every cell of the page's tables, as text."""
    return "\n".join(frame.value.to_csv() for frame in at.dataframe)


@pytest.fixture
def report_page_forum(app_db_path, db):
    return report_forum(db, YEAR)


@pytest.mark.parametrize("lang, expected", [
    ("nb", ("Rapport", f"Forumet svarte på 3 høringer i {YEAR}, 2 flere enn i {YEAR - 1}.",
            f"Kontaktutvalget møttes 2 ganger i {YEAR}, 1 mer enn i {YEAR - 1}.",
            f"{YEAR}, sammenlignet med {YEAR - 1}", ("Last ned Word", "Last ned PDF"), "Høringssvar")),
    ("en", ("Report", f"The forum answered 3 consultations in {YEAR}, 2 more than in {YEAR - 1}.",
            f"Kontaktutvalget met 2 times in {YEAR}, 1 more than in {YEAR - 1}.",
            f"{YEAR}, compared with {YEAR - 1}", ("Download Word", "Download PDF"), "Answers")),
])
def test_the_report_of_last_year_in_both_languages(report_page_forum, lang, expected):
    title, hoeringer, meetings, subtitle, downloads, first_figure = expected
    at = open_page(PAGE, lang=lang)
    assert at.title[0].value == title
    body = texts(at)
    assert hoeringer in body and meetings in body and subtitle in body
    assert at.selectbox(key=PERIOD_KEY).value == YEAR
    # Nine key figures, each with its change and the year before beside it.
    assert len(at.metric) == 9
    assert (at.metric[0].label, at.metric[0].value, at.metric[0].proto.delta) == (first_figure, "3", "+2")
    assert at.metric[0].proto.delta_description == f"{YEAR - 1}: 1"
    assert len(at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")) == 8
    assert [b.proto.label for b in at.get("download_button")] == list(downloads)
    figures = at.dataframe[0].value
    assert list(figures.columns) == [("Tall", "Figure")[lang == "en"], str(YEAR), str(YEAR - 1),
                                     ("Endring", "Change")[lang == "en"]]
    assert at.query_params["year"] == str(YEAR)
    assert any(e.proto.label == title for e in at.get("page_link"))  # in the menu


def test_a_viewer_and_an_editor_see_no_internal_record_unless_the_editor_asks(report_page_forum):
    viewer = open_page(PAGE)
    assert not viewer.toggle  # a viewer has no choice
    assert "Høring – Intern vurdering" not in tables(viewer)
    editor = open_page(PAGE, EDITOR)
    assert editor.toggle(key=INTERNAL_KEY).value is False
    assert f"Forumet svarte på 3 høringer i {YEAR}" in texts(editor)
    editor.toggle(key=INTERNAL_KEY).set_value(True).run()
    body = texts(editor)
    assert f"Forumet svarte på 4 høringer i {YEAR}, 3 flere enn i {YEAR - 1}." in body
    assert "Internt: rapporten tar med poster merket «Intern post»." in body
    assert "Høring – Intern vurdering" in tables(editor)


def test_one_organisation_from_the_link_and_from_the_choice(report_page_forum):
    at = open_page(PAGE, org=str(report_page_forum["affo"]))
    assert at.selectbox(key=ORG_KEY).value == report_page_forum["affo"]
    assert at.title[0].value == "Rapport"
    body = texts(at)
    assert f"Aleneforeldreforeningen svarte på 2 høringer i {YEAR}, 2 flere enn i {YEAR - 1}." in body
    assert at.metric[2].label == "KU-møter med innlegg"
    at.selectbox(key=ORG_KEY).select(report_page_forum["krem"]).run()
    assert f"KREM holdt 2 innlegg i Kontaktutvalget i {YEAR}, 2 flere enn i {YEAR - 1}." in texts(at)
    assert at.query_params["org"] == str(report_page_forum["krem"])


def test_a_period_of_ones_own_choosing(report_page_forum):
    at = open_page(PAGE)
    at.selectbox(key=PERIOD_KEY).select(CUSTOM).run()
    at.date_input(key=DATES_KEY).set_value((date(YEAR, 1, 1), date(YEAR, 6, 30))).run()
    body = texts(at)
    assert (f"01.01.{YEAR}–30.06.{YEAR}, sammenlignet med 01.07.{YEAR - 1}–31.12.{YEAR - 1}") in body
    assert f"Forumet svarte på 2 høringer i perioden 01.01.{YEAR}–30.06.{YEAR}, 2 flere enn i perioden før." in body
    assert (at.query_params["from"], at.query_params["to"]) == (f"{YEAR}-01-01", f"{YEAR}-06-30")
    # Half a date range is not a period yet.
    at.date_input(key=DATES_KEY).set_value((date(YEAR, 3, 1),)).run()
    assert "Velg både første og siste dag i perioden." in texts(at)
    assert not at.metric


def test_a_shared_link_to_a_period_opens_it(report_page_forum):
    at = open_page(PAGE, **{"from": f"{YEAR}-07-01", "to": f"{YEAR}-12-31", "lang": "en"})
    assert at.selectbox(key=PERIOD_KEY).value == CUSTOM
    assert f"01.07.{YEAR}–31.12.{YEAR}, compared with 01.01.{YEAR}–30.06.{YEAR}" in texts(at)


def test_an_empty_year_says_so_plainly(app_db_path):
    at = open_page(PAGE)
    body = texts(at)
    assert f"Forumet svarte ikke på noen høringer i {YEAR}, og heller ikke i {YEAR - 1}." in body
    assert f"Ingen aktivitet er registrert i {YEAR}." in body
    assert len(at.metric) == 9


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_demo_records_make_a_report_in_both_languages(demo_db_path, lang):
    at = open_page(PAGE, lang=lang)
    assert at.title[0].value == ("Rapport", "Report")[lang == "en"]
    assert len(at.metric) == 9
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    assert at.dataframe and len(at.dataframe[0].value) == 9


def test_many_saker_get_one_picker_instead_of_a_fold_each(report_page_forum, monkeypatch):
    # Two saker moved in the report forum; above PARTS_ON_PAGE (here 1) the page shows one trail at a time.
    monkeypatch.setattr(report_ui, "PARTS_ON_PAGE", 1)
    at = open_page(PAGE)
    assert "2 saker kom videre i perioden. Velg en sak for å se hva som skjedde i den" in texts(at)
    assert not [e for e in at.expander if "hendelse" in e.label]  # no fold per sak
    picker = at.selectbox(key="report_pick_saker")
    assert picker.options[0].startswith("Arbeid for alle · ") and len(picker.options) == 2
    picker.select(1).run()
    assert "Barnetillegg" in tables(at) and "Sender et brev om barnetrygden" in tables(at)
    assert "Barnetrygden" in [link.proto.label for link in at.get("page_link")]


def test_a_charts_numbers_are_drawn_when_their_fold_is_opened(report_page_forum):
    at = open_page(PAGE)
    folds = [e for e in at.expander if e.label == "Tallene som tabell"]
    assert len(folds) == 7  # every chart but the key figures' (a table of its own) has its numbers folded
    assert "Vedtatt minus Prop. 1 S" not in tables(at)  # the budget lines are not sent before they are asked for
    open_box(at, "report_fold_budget")
    assert "Vedtatt minus Prop. 1 S" in tables(at) and "Tilskudd til sosial inkludering" in tables(at)
