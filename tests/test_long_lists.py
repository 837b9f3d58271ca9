"""Long lists after some years: the first rows, a button for the rest, and exports that hold every row."""

import io

import pandas as pd
import pytest
from streamlit.delta_generator import DeltaGenerator

from krem_advocacy.store.connection import opened
from krem_advocacy.ui.tables import TABLE_ROWS
from tests.helpers import open_page, show_tab
from tools import synthetic


@pytest.fixture
def busy_forum(app_db_path):
    """Eight units of synthetic data (tools/synthetic.py) in the app's database: more organisations and høringer
    than a list shows."""
    with opened(app_db_path) as db:
        synthetic.generate(db, 8)
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t} WHERE is_internal = 0").fetchone()[0]
                  for t in ("organisations", "hoeringer")}
        counts["open_hoeringer"] = db.execute(
            "SELECT COUNT(*) FROM hoeringer WHERE is_internal = 0 AND our_status <> 'arkivert'").fetchone()[0]
    assert counts["organisations"] > TABLE_ROWS and counts["open_hoeringer"] > TABLE_ROWS
    return counts


@pytest.fixture
def downloads(monkeypatch):
    """The files every download button on a page would give (made at once, also those made on click)."""
    made = {}
    original = DeltaGenerator.download_button

    def download_button(self, label, data, *args, **kwargs):
        made[label] = data() if callable(data) else data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", download_button)
    return made


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_organisations_show_the_first_rows_and_all_on_request(busy_forum, downloads, app_db_path):
    total = busy_forum["organisations"]
    at = open_page("pages/organisasjoner.py")
    assert len(at.dataframe[0].value) == TABLE_ROWS
    assert f"{total} treff · Velg en rad for å åpne den." in _captions(at)
    assert f"Viser de {TABLE_ROWS} første av {total}. Søk eller filtrer for å finne resten." in _captions(at)
    exported = pd.read_csv(io.BytesIO(downloads["CSV"]), sep=None, engine="python")
    assert len(exported) == total  # the export holds every organisation, not only those on screen
    at.button(key="org_table_more").click().run()
    assert len(at.dataframe[0].value) == total
    assert not [c for c in _captions(at) if c.startswith("Viser de")]
    # A filter narrows the list below the limit: everything it finds is shown.
    at.selectbox(key="org_kind").set_value("department").run()
    with opened(app_db_path) as db:
        departments = db.execute("SELECT COUNT(*) FROM organisations WHERE kind = 'department' "
                                 "AND is_internal = 0").fetchone()[0]
    assert len(at.dataframe[0].value) == departments


def test_the_hoering_list_shows_the_first_rows_and_all_on_request(busy_forum, downloads):
    total = busy_forum["open_hoeringer"]
    at = show_tab(open_page("pages/hoeringer.py"), "list")
    assert len(at.dataframe[0].value) == TABLE_ROWS
    assert f"Viser de {TABLE_ROWS} første av {total}. Søk eller filtrer for å finne resten." in _captions(at)
    assert len(pd.read_csv(io.BytesIO(downloads["CSV"]), sep=None, engine="python")) == total
    at.button(key="hoering_table_more").click().run()
    assert len(at.dataframe[0].value) == total
