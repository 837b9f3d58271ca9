"""Accessibility on the pages (AppTest): every chart has a summary and a table, urgency is in words, the
page's language is set. The audit itself (axe-core) and the keyboard journey are in tests/browser/."""

import pytest

from krem_advocacy.ui import scripts
from tests.helpers import open_page, show_tab, texts

SUMMARY = ":material/insights:"


def _summaries(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(SUMMARY)]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("page", ["app.py", "pages/statsbudsjett.py", "pages/rapport.py", "pages/hoeringer.py"])
def test_every_chart_has_a_one_sentence_summary(demo_db_path, page, lang):
    at = open_page(None if page == "app.py" else page, lang=lang)
    if page == "pages/statsbudsjett.py":  # the charts are drawn when their tab is chosen
        at.session_state["budget_view"] = {"nb": "Diagrammer", "en": "Charts"}[lang]
        at.run()
    if page == "pages/hoeringer.py":
        show_tab(at, "timeline", lang)
    charts = at.get("vega_lite_chart")
    assert charts, "the page draws charts"
    summaries = _summaries(at)
    assert len(summaries) == len(charts)
    assert all(len(s) > len(SUMMARY) + 10 and s.rstrip().endswith(".") for s in summaries), summaries


def test_the_home_chart_has_a_table_of_the_same_numbers(demo_db_path):
    at = open_page(None)
    folds = [e for e in at.expander if e.label == "Tallene i diagrammet som tabell"]
    assert len(folds) == 1
    table = folds[0].dataframe[0].value
    assert list(table.columns)[0] == "Kvartal" and list(table.columns)[-1] == "I alt"
    summary = _summaries(at)[0]
    assert f"{int(table['I alt'].sum())} i alt" in summary  # the sentence states the table's total


def test_urgency_chips_say_it_in_words(current_forum):
    at = open_page(None)
    shown = texts(at)
    assert "Forfalt · for" in shown or "Innen 7 dager ·" in shown


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_page_language_is_set_for_screen_readers(lang):
    script = scripts.page_language(lang)
    assert f"document.documentElement.lang = '{lang}'" in script
    with pytest.raises(KeyError):
        scripts.page_language("<script>")
