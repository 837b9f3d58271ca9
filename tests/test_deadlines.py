"""The one definition of the deadline states (domain/deadlines.py), on literal høringer."""

from datetime import timedelta

import pytest

from krem_advocacy.domain import activity, deadlines, hoeringer
from krem_advocacy.store import settings
from krem_advocacy.store.errors import PermissionDenied, ValidationError
from krem_advocacy.text import amounts, i18n
from tests.helpers import TODAY, insert, rows


def _day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def test_counts_official_internal_and_both(db, small_forum):
    found = deadlines.counts(db, TODAY)
    # Høring A: frist passed 3 days ago; Høring B: internal deadline passed, frist in 4 days.
    assert (found["overdue"], found["overdue_official"], found["overdue_internal"]) == (2, 1, 1)
    assert found["stale"] == 0
    frame = deadlines.deadlines(db, TODAY)
    assert rows(deadlines.overdue(frame), ["title", "kind"]) == [
        ("Høring A", "hoering_frist"), ("Høring B", "hoering_internal")]
    assert rows(deadlines.due_within(frame, 7), ["title", "kind"]) == [
        ("Høring B", "hoering_frist"), ("KU mars", "meeting_prep")]
    assert [found["due_7"], found["due_14"], found["due_30"]] == [2, 3, 5]
    assert activity.key_figures(db, TODAY)["overdue_hoeringer"] == found["overdue"]


def test_closed_official_status_or_delivered_answer_leaves_every_list(db, small_forum):
    bfd = small_forum["bfd"]
    insert(db, "hoeringer", title="Lukket av departementet", department_id=bfd, deadline=_day(-5),
           internal_deadline=_day(-12), our_status="svarer", official_status="under_behandling")
    insert(db, "hoeringer", title="Ferdig", department_id=bfd, deadline=_day(5), our_status="til_vurdering",
           official_status="ferdigbehandlet")
    insert(db, "hoeringer", title="Levert, status ikke endret", department_id=bfd, deadline=_day(-2),
           our_status="svarer", submitted_on=_day(-3))
    insert(db, "hoeringer", title="Svarer ikke", department_id=bfd, deadline=_day(-1), our_status="svarer_ikke")
    db.conn.commit()
    titles = set(deadlines.deadlines(db, TODAY, days_ahead=3650, days_back=3650)["title"])
    assert not titles & {"Lukket av departementet", "Ferdig", "Levert, status ikke endret", "Svarer ikke"}
    assert deadlines.counts(db, TODAY)["overdue"] == 2
    assert deadlines.stale_hoeringer(db, TODAY).empty


def test_stale_hoering_leaves_the_overdue_count_after_the_setting(db, small_forum):
    insert(db, "hoeringer", title="Glemt", department_id=small_forum["bfd"], deadline=_day(-15),
           internal_deadline=_day(-22), our_status="innkommet")
    insert(db, "hoeringer", title="Nylig forfalt", department_id=small_forum["bfd"], deadline=_day(-14),
           our_status="innkommet")
    db.conn.commit()
    stale = deadlines.stale_hoeringer(db, TODAY)
    assert rows(stale, ["title", "days_left"]) == [("Glemt", -15)]
    found = deadlines.counts(db, TODAY)
    assert (found["overdue"], found["stale"]) == (3, 1)  # A, B (internal) and «Nylig forfalt»
    assert "Glemt" not in set(deadlines.overdue(deadlines.deadlines(db, TODAY))["title"])
    settings.put(db, deadlines.STALE_DAYS_KEY, "30")
    assert deadlines.stale_hoeringer(db, TODAY).empty
    assert deadlines.counts(db, TODAY)["overdue"] == 4


def test_suggested_official_status_from_the_dates():
    assert deadlines.suggested_official_status("paa_hoering", _day(-1), TODAY) == "under_behandling"
    assert deadlines.suggested_official_status("paa_hoering", _day(0), TODAY) is None
    assert deadlines.suggested_official_status("under_behandling", _day(-9), TODAY) is None
    assert deadlines.suggested_official_status("paa_hoering", None, TODAY) is None


def test_stale_days_setting_is_checked(db, editor, viewer):
    for bad in (0, 366, "x"):
        with pytest.raises(ValidationError):
            deadlines.set_stale_days(db, editor, bad)
    with pytest.raises(PermissionDenied):
        deadlines.set_stale_days(db, viewer, 20)
    assert deadlines.set_stale_days(db, editor, "21") == 21
    assert deadlines.stale_days(db) == 21


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_amount_error_gives_its_examples_in_words_that_parse(lang):
    message = i18n.t("validation.amount_not_number", lang)
    assert "250'" not in message
    examples = message.split(", e.g. " if lang == "en" else ", f.eks. ")[1].replace(" eller ", ", ").replace(
        " or ", ", ").split(", ")
    assert [amounts.parse_amount(e) for e in examples] == [1_500_000, 1_500_000, 250_000]


def test_short_deadline_only_for_a_real_positive_gap():
    assert hoeringer.is_short_deadline("2026-03-01", "2026-03-20")
    assert not hoeringer.is_short_deadline("2026-03-20", "2026-03-01")  # reversed: a typing error, said elsewhere
    assert not hoeringer.is_short_deadline("2026-03-01", "2026-03-01")
    assert not hoeringer.is_short_deadline("2026-01-01", "2026-03-01")
