"""The influence report on a literal forum (tests.helpers.report_forum: 2025 and 2024, KREM and AFFO):
the figures, the periods, the sentences, and the Word and PDF files (headings, tables, chart images)."""

import io
import re
from datetime import date

import docx
import pypdf
import pytest

from krem_advocacy.domain import report
from krem_advocacy.exchange import report as files
from krem_advocacy.store import connection
from krem_advocacy.store.visibility import restrict_to_public
from tests.helpers import TODAY, insert, report_forum, rows

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def forum(db):
    return report_forum(db, 2025)


@pytest.fixture
def public(db_path, forum):
    """A viewer's connection to the same forum: only public records."""
    viewer_db = restrict_to_public(connection.connect(db_path))
    yield viewer_db
    viewer_db.close()


def built(db, org=None, start=YEAR[0], end=YEAR[1], today=TODAY):
    return report.build(db, start, end, today, org)


def picked(counts: dict, *keys) -> dict:
    return {key: counts[key] for key in keys}


# ---------------------------------------------------------------- the figures

def test_the_whole_forum_in_2025_beside_2024(db, forum):
    result = built(db)
    assert result.period == report.Period(date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31))
    assert result.previous_period == report.Period(date(2024, 1, 1), date(2024, 12, 31), date(2024, 12, 31))
    now = result.current.counts()
    assert picked(now, "hoeringer_answered", "hoeringer_with_remarks", "hoeringer_without_remarks",
                  "hoeringer_answer_type_unknown", "hoeringer_joint", "hoeringer_with_result", "departments") == {
        "hoeringer_answered": 4, "hoeringer_with_remarks": 3, "hoeringer_without_remarks": 1,
        "hoeringer_answer_type_unknown": 0, "hoeringer_joint": 1, "hoeringer_with_result": 1, "departments": 2}
    assert picked(now, "ku_meetings", "innlegg", "speaking_organisations") == {
        "ku_meetings": 3, "innlegg": 4, "speaking_organisations": 2}
    assert picked(now, "tilsagn_given", "tilsagn_innfridd", "tilsagn_fulgt_opp", "tilsagn_ikke_innfridd",
                  "tilsagn_aapen", "tilsagn_share_fulfilled") == {
        "tilsagn_given": 5, "tilsagn_innfridd": 2, "tilsagn_fulgt_opp": 1, "tilsagn_ikke_innfridd": 1,
        "tilsagn_aapen": 1, "tilsagn_share_fulfilled": 0.4}
    assert picked(now, "budget_inputs", "budget_lines", "budget_innfridd", "budget_delvis", "budget_ikke",
                  "budget_asked", "budget_proposed", "budget_adopted", "budget_change") == {
        "budget_inputs": 3, "budget_lines": 2, "budget_innfridd": 1, "budget_delvis": 2, "budget_ikke": 0,
        "budget_asked": 7_000_000, "budget_proposed": 5_000_000, "budget_adopted": 6_000_000,
        "budget_change": 1_000_000}
    assert now["saker_moved"] == 2
    before = result.previous.counts()
    assert picked(before, "hoeringer_answered", "ku_meetings", "innlegg", "tilsagn_given", "tilsagn_share_fulfilled",
                  "budget_inputs", "budget_change", "saker_moved") == {
        "hoeringer_answered": 1, "ku_meetings": 1, "innlegg": 1, "tilsagn_given": 1, "tilsagn_share_fulfilled": 1.0,
        "budget_inputs": 1, "budget_change": 0, "saker_moved": 1}


def test_the_answered_hoeringer_with_whom_and_by_department(db, forum):
    current = built(db).current
    # Delivered (one of them archived since); the one the forum chose not to answer is not there.
    assert rows(current.hoeringer, ["title", "submitted_on", "answer_type", "lead_org", "cosigners", "result"]) == [
        ("Høring – Barnetrygd", "2025-03-10", "med_merknad", "AFFO", "KREM", "Satsen ble økt fra 1. januar."),
        ("Høring – Sosialtjenesteloven", "2025-06-01", "med_merknad", "KREM", None, None),
        ("Høring – NAV-kontorene", "2025-09-15", "uten_merknad", "AFFO", None, None),
        ("Høring – Intern vurdering", "2025-10-01", "med_merknad", "KREM", None, None),
    ]
    assert rows(current.partners, ["short_name", "led", "cosigned", "answers"]) == [("KREM", 2, 1, 3), ("AFFO", 2, 0, 2)]
    assert rows(current.departments, ["department", "answers", "med_merknad", "uten_merknad", "unknown"]) == [
        ("AID", 3, 2, 1, 0), ("BFD", 1, 1, 0, 0)]


def test_meetings_speakers_themes_and_tilsagn(db, forum):
    current = built(db).current
    assert rows(current.meetings, ["day", "title", "innlegg", "tilsagn"]) == [
        ("2025-02-10", "KU februar", 2, 2), ("2025-06-15", "KU juni", 1, 2), ("2025-09-01", "KU internt", 1, 1)]
    # Kari speaks for KREM (her organisation) where no organisation is given; the forum meeting is not KU.
    assert rows(current.speakers, ["org_short", "innlegg", "meetings"]) == [("KREM", 3, 3), ("AFFO", 1, 1)]
    assert rows(current.themes, ["theme_code", "innlegg"]) == [("barn", 1), ("arbeid", 3)]
    assert rows(current.tilsagn, ["text", "status", "followed_up_on"]) == [
        ("Vil vurdere satsene", "innfridd", "2025-06-15"), ("Skal se på arbeidsgiveravgiften", "aapen", None),
        ("Lønnstilskuddet videreføres", "ikke_innfridd", None), ("Sender et brev om barnetrygden", "fulgt_opp", None),
        ("Internt tilsagn", "innfridd", None)]


def test_budget_lines_count_two_inputs_on_one_post_once(db, forum):
    lines = built(db).current.budget_lines
    assert rows(lines, ["budget_year", "chapter", "post", "inputs", "ask_amount", "prop_amount", "adopted_amount",
                        "change", "outcome"]) == [
        (2026, "621", "70", 2, 5_000_000, 3_000_000, 4_000_000, 1_000_000, "delvis"),
        (2026, "846", "70", 1, 2_000_000, 2_000_000, 2_000_000, 0, "innfridd")]


def test_saker_that_moved_and_their_trails_in_the_period(db, forum):
    result = built(db)
    assert rows(result.current.saker, ["title", "lead_org"]) == [("Arbeid for alle", "KREM"), ("Barnetrygden", "AFFO")]
    # «Bolig» had only a høring the forum did not answer and a point at its own forum meeting: it did not move.
    assert forum["bolig"] not in set(result.current.saker["id"])
    assert rows(result.trails[forum["barnetrygd"]], ["day", "kind", "title"]) == [
        ("2025-10-20", "budget_input", "Barnetillegg"),
        ("2025-06-15", "tilsagn", "Sender et brev om barnetrygden"),
        ("2025-03-10", "hoering", "Høring – Barnetrygd"),
        ("2025-02-10", "agenda_item", "Barnetrygden må opp – KU februar"),
        ("2025-02-10", "tilsagn", "Vil vurdere satsene"),
    ]
    assert len(result.trails[forum["arbeid"]]) == 8
    # Read for all saker at once, each trail is what the sak's own trail gives for the period.
    for sak_id, trail in result.trails.items():
        alone = report.trail_in_period(db, sak_id, result.period)
        def plain(frame):  # None and NaN both mean «no value»
            return frame.astype(object).where(frame.notna(), None).to_dict("records")
        assert plain(trail) == plain(alone)


def test_activity_over_time_adds_up_to_the_sections(db, forum):
    result = built(db)
    activity = result.activity
    assert list(activity["bucket"].unique()) == [f"2025-{m:02d}" for m in range(1, 13)]
    totals = activity.groupby("kind")["count"].sum().to_dict()
    now = result.current.counts()
    assert totals == {"hoering_answered": now["hoeringer_answered"], "ku_meeting": now["ku_meetings"],
                      "innlegg": now["innlegg"], "budget_input": now["budget_inputs"],
                      "tilsagn_given": now["tilsagn_given"]}
    assert rows(activity[activity["bucket"] == "2025-02"], ["kind", "count"]) == [
        ("hoering_answered", 0), ("ku_meeting", 1), ("innlegg", 2), ("budget_input", 0), ("tilsagn_given", 2)]


@pytest.mark.parametrize("org, expected", [
    ("krem", {"hoeringer_answered": 3, "hoeringer_led": 2, "hoeringer_cosigned": 1, "ku_meetings": 3, "innlegg": 3,
              "tilsagn_given": 3, "budget_inputs": 2, "budget_lines": 1, "saker_moved": 2}),
    ("affo", {"hoeringer_answered": 2, "hoeringer_led": 2, "hoeringer_cosigned": 0, "ku_meetings": 1, "innlegg": 1,
              "tilsagn_given": 1, "budget_inputs": 2, "budget_lines": 2, "saker_moved": 2}),
])
def test_one_organisation_counts_what_it_led_cosigned_and_spoke_on(db, forum, org, expected):
    result = built(db, forum[org])
    assert result.organisation["id"] == forum[org]
    assert picked(result.current.counts(), *expected) == expected


def test_an_organisations_partners_and_its_tilsagn(db, forum):
    krem = built(db, forum["krem"]).current
    assert rows(krem.partners, ["short_name", "answers"]) == [("AFFO", 1)]
    assert list(krem.tilsagn["text"]) == ["Skal se på arbeidsgiveravgiften", "Lønnstilskuddet videreføres",
                                          "Internt tilsagn"]
    affo = built(db, forum["affo"])
    # The tilsagn given without an agenda item on barnetrygd came in a meeting where AFFO did not speak.
    assert list(affo.current.tilsagn["text"]) == ["Vil vurdere satsene"]
    assert picked(affo.previous.counts(), "innlegg", "tilsagn_given", "hoeringer_answered") == {
        "innlegg": 1, "tilsagn_given": 1, "hoeringer_answered": 0}


def test_a_viewer_counts_no_internal_record(public, forum):
    result = built(public)
    assert picked(result.current.counts(), "hoeringer_answered", "ku_meetings", "innlegg", "tilsagn_given",
                  "tilsagn_share_fulfilled") == {
        "hoeringer_answered": 3, "ku_meetings": 2, "innlegg": 3, "tilsagn_given": 4, "tilsagn_share_fulfilled": 0.25}
    assert "Høring – Intern vurdering" not in set(result.current.hoeringer["title"])
    assert len(result.trails[forum["arbeid"]]) == 6
    assert rows(result.current.partners, ["short_name", "led", "cosigned"]) == [("AFFO", 2, 0), ("KREM", 1, 1)]


def test_an_organisation_the_reader_cannot_see_gives_no_report(db, forum):
    hidden = insert(db, "organisations", name="Skjult forening", kind="forum_member", is_internal=1)
    db.conn.commit()
    assert built(db, hidden) is not None
    viewer_db = restrict_to_public(connection.connect(db.conn.execute("PRAGMA database_list").fetchone()[2]))
    assert built(viewer_db, hidden) is None
    assert files.assemble(viewer_db, *YEAR, TODAY, hidden) is None
    viewer_db.close()


# ---------------------------------------------------------------- periods

@pytest.mark.parametrize("start, end, today, expected", [
    (date(2025, 1, 1), date(2025, 12, 31), TODAY, (date(2024, 1, 1), date(2024, 12, 31), date(2024, 12, 31))),
    # A year still going on is compared with the same part of the year before.
    (date(2026, 1, 1), date(2026, 12, 31), TODAY, (date(2025, 1, 1), date(2025, 12, 31), date(2025, 3, 2))),
    (date(2025, 1, 1), date(2025, 6, 30), TODAY, (date(2024, 7, 1), date(2024, 12, 31), date(2024, 12, 31))),
    (date(2025, 3, 1), date(2025, 3, 31), TODAY, (date(2025, 2, 1), date(2025, 2, 28), date(2025, 2, 28))),
    (date(2025, 3, 10), date(2025, 3, 19), TODAY, (date(2025, 2, 28), date(2025, 3, 9), date(2025, 3, 9))),
])
def test_the_period_before(start, end, today, expected):
    assert report.previous(report.period(start, end, today)) == report.Period(*expected)


def test_a_period_is_counted_up_to_today_and_must_not_end_before_it_starts():
    ongoing = report.year_period(2026, TODAY)
    assert (ongoing.through, ongoing.ongoing, ongoing.year) == (TODAY, True, 2026)
    assert report.default_period(TODAY) == report.Period(date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31))
    with pytest.raises(ValueError):
        report.period(date(2025, 2, 1), date(2025, 1, 1), TODAY)


def test_years_to_choose_from(db, forum):
    assert report.years(db, TODAY) == [2026, 2025, 2024]


def test_an_ongoing_year_says_so_and_compares_with_the_same_part_of_the_year_before(db, forum):
    document = files.assemble(db, date(2025, 1, 1), date(2025, 12, 31), date(2025, 6, 30))
    assert document.period_label == "2025 (til og med 30.06.2025)"
    assert document.notes == ("Perioden er ikke over: tallene gjelder til og med 30.06.2025 og sammenlignes med "
                              "2024 (til og med 30.06.2024).",)
    hoeringer = next(s for s in document.sections if s.key == "hoeringer")
    assert hoeringer.summary[0] == "Forumet svarte på 2 høringer i 2025, 1 mer enn i samme tidsrom i 2024."


# ---------------------------------------------------------------- the words

@pytest.mark.parametrize("n, before, nb, en", [
    (3, 1, ", 2 flere enn i 2024", ", 2 more than in 2024"),
    (2, 1, ", 1 mer enn i 2024", ", 1 more than in 2024"),
    (1, 2, ", 1 færre enn i 2024", ", 1 fewer than in 2024"),
    (1, 3, ", 2 færre enn i 2024", ", 2 fewer than in 2024"),
    (2, 2, ", like mange som i 2024", ", the same as in 2024"),
    (0, 0, ", og heller ikke i 2024", ", nor in 2024"),
    (0, 3, ", mot 3 i 2024", ", compared with 3 in 2024"),
])
def test_comparing_with_the_period_before(n, before, nb, en):
    assert files.compare(n, before, "i 2024", "nb") == nb
    assert files.compare(n, before, "in 2024", "en") == en


def test_genitive_and_lists():
    assert [files.genitive(n, "nb") for n in ("KREM", "Aleneforeldreforeningen", "Hus")] == [
        "KREMs", "Aleneforeldreforeningens", "Hus'"]
    assert [files.genitive(n, "en") for n in ("KREM", "Hus")] == ["KREM's", "Hus'"]
    assert files.join_words(["1 innfridd", "2 fulgt opp", "1 åpent"], "nb") == "1 innfridd, 2 fulgt opp og 1 åpent"
    assert files.join_words(["1 met"], "en") == "1 met"


def summaries(document) -> dict[str, tuple[str, ...]]:
    return {section.key: section.summary for section in document.sections}


def test_the_texts_of_the_whole_forum_in_both_languages(db, forum):
    nb = summaries(files.assemble(db, *YEAR, TODAY, lang="nb"))
    assert nb["hoeringer"] == (
        "Forumet svarte på 4 høringer i 2025, 3 flere enn i 2024.",
        "3 hadde merknader og 1 var uten merknader.",
        "1 av svarene var et fellessvar med andre organisasjoner.",
        "Svarene gikk til 2 departementer og etater, flest til AID (3).",
        "Resultatet er registrert for 1 av dem (se tabellen).")
    assert nb["meetings"] == ("Kontaktutvalget møttes 3 ganger i 2025, 2 flere enn i 2024.",
                              "Forumets organisasjoner holdt 4 innlegg; flest holdt KREM (3).",
                              "Flest innlegg handlet om «Et mer inkluderende arbeidsliv» (3).")
    assert nb["tilsagn"] == ("Regjeringen ga 5 tilsagn i møtene i 2025, 4 flere enn i 2024.",
                             "Status i dag: 2 innfridd, 1 fulgt opp, 1 ikke innfridd og 1 fortsatt åpent.",
                             "Det betyr at 40\u00a0% av tilsagnene er innfridd (i 2024: 100\u00a0%).")
    assert nb["budget"] == (
        "Forumet sendte 3 budsjettinnspill i 2025, 2 flere enn i 2024.", "Det gjaldt 2 budsjettposter.",
        "Der både Prop. 1 S og vedtaket er kjent, vedtok Stortinget 1\u00a0000\u00a0000\u00a0kr mer enn regjeringen "
        "foreslo.", "Utfall: 1 innfridd og 2 delvis innfridd.")
    assert nb["saker"][0] == "2 saker kom videre i 2025, 1 mer enn i 2024."
    en = summaries(files.assemble(db, *YEAR, TODAY, lang="en"))
    assert en["hoeringer"][0] == "The forum answered 4 consultations in 2025, 3 more than in 2024."
    assert en["meetings"][0] == "Kontaktutvalget met 3 times in 2025, 2 more than in 2024."
    assert en["tilsagn"][1] == "Status today: 2 fulfilled, 1 followed up, 1 not fulfilled and 1 still open."
    assert en["saker"][0] == "2 topics moved forward in 2025, 1 more than in 2024."


def test_the_texts_of_one_organisation(db, forum):
    krem = summaries(files.assemble(db, *YEAR, TODAY, forum["krem"], "nb"))
    assert krem["hoeringer"][:3] == ("KREM svarte på 3 høringer i 2025, 2 flere enn i 2024.", "3 hadde merknader.",
                                     "KREM var hovedansvarlig for 2 og medunderskriver på 1.")
    assert krem["meetings"][0] == "KREM holdt 3 innlegg i Kontaktutvalget i 2025, 3 flere enn i 2024."
    assert krem["tilsagn"][0] == "Regjeringen ga 3 tilsagn etter KREMs innlegg i 2025, 3 flere enn i 2024."
    affo = summaries(files.assemble(db, *YEAR, TODAY, forum["affo"], "en"))
    assert affo["meetings"][:2] == ("Aleneforeldreforeningen gave 1 talk in Kontaktutvalget in 2025, the same as in "
                                    "2024.", "That was in 1 meeting.")
    assert affo["tilsagn"][0] == ("The government made 1 commitment after Aleneforeldreforeningen's talks in 2025, "
                                  "the same as in 2024.")


def test_singular_and_none_in_both_languages(db):
    empty = summaries(files.assemble(db, *YEAR, TODAY, lang="nb"))
    assert empty["hoeringer"] == ("Forumet svarte ikke på noen høringer i 2025, og heller ikke i 2024.",)
    assert empty["meetings"] == ("Kontaktutvalget møttes ikke i 2025, og heller ikke i 2024.",)
    assert empty["tilsagn"] == ("Regjeringen ga ingen tilsagn i møtene i 2025, og heller ikke i 2024.",)
    assert empty["budget"] == ("Forumet sendte ingen budsjettinnspill i 2025, og heller ikke i 2024.",)
    assert empty["activity"] == ("Ingen aktivitet er registrert i 2025.",)
    english = summaries(files.assemble(db, *YEAR, TODAY, lang="en"))
    assert english["hoeringer"] == ("The forum answered no consultations in 2025, nor in 2024.",)
    assert english["meetings"] == ("Kontaktutvalget did not meet in 2025, nor in 2024.",)
    department = insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD", kind="department")
    insert(db, "hoeringer", title="Høring – En", department_id=department, submitted_on="2025-05-05",
           our_status="levert", answer_type="uten_merknad")
    insert(db, "meetings", title="KU", kind="ku", starts_at="2025-05-06T12:00")
    insert(db, "hoeringer", title="Høring – I fjor", submitted_on="2024-05-05", our_status="levert")
    insert(db, "hoeringer", title="Høring – Også i fjor", submitted_on="2024-06-05", our_status="levert")
    db.conn.commit()
    one = summaries(files.assemble(db, *YEAR, TODAY, lang="nb"))
    assert one["hoeringer"] == ("Forumet svarte på 1 høring i 2025, 1 færre enn i 2024.", "1 var uten merknader.",
                                "Svaret var ikke et fellessvar med andre organisasjoner.", "Svaret gikk til BFD.",
                                "Ingen resultater er registrert ennå.")
    assert one["meetings"][0] == "Kontaktutvalget møttes 1 gang i 2025, 1 mer enn i 2024."
    english = summaries(files.assemble(db, *YEAR, TODAY, lang="en"))
    assert english["hoeringer"][0] == "The forum answered 1 consultation in 2025, 1 fewer than in 2024."
    assert english["meetings"][0] == "Kontaktutvalget met once in 2025, 1 more than in 2024."


def test_key_figures_beside_the_period_before(db, forum):
    document = files.assemble(db, *YEAR, TODAY)
    shown = {f.key: (f.label, f.value, f.previous, f.change) for f in document.figures}
    assert shown["hoeringer_answered"] == ("Høringssvar", "4", "1", "+3")
    assert shown["tilsagn_share_fulfilled"] == ("Andel tilsagn innfridd", "40\u00a0%", "100\u00a0%", "−60 prosentpoeng")
    assert shown["budget_change"] == ("Vedtatt utover Prop. 1 S", "1\u00a0mill\u00a0kr", "0\u00a0kr", "+1\u00a0mill\u00a0kr")
    assert document.title == "Påvirkningsrapport – hele forumet"
    assert document.subtitle == "2025, sammenlignet med 2024"
    assert files.file_name(document, "pdf") == "rapport-2025-forumet.pdf"
    krem = files.assemble(db, *YEAR, TODAY, forum["krem"], "en")
    assert files.file_name(krem, "docx") == "report-2025-krem.docx"


# ---------------------------------------------------------------- the files

def docx_text(data: bytes) -> str:
    word = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def test_the_word_file_holds_the_headings_tables_and_chart_images(db, forum):
    document = files.assemble(db, *YEAR, TODAY)
    word = docx.Document(io.BytesIO(files.to_docx(document)))
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style.name in ("Title", "Heading 1")]
    assert styled == [("Title", "Påvirkningsrapport – hele forumet"),
                      *[("Heading 1", s.heading) for s in document.sections]]
    assert [s.heading for s in document.sections] == ["I korte trekk", "Høringssvar", "Kontaktutvalget",
                                                      "Tilsagn fra regjeringen", "Statsbudsjettet",
                                                      "Saker som kom videre", "Aktivitet over tid"]
    charts = [c for s in document.sections for c in s.charts]
    assert len(charts) == 8
    assert len(word.inline_shapes) == len(charts)
    tables = [t for s in document.sections for t in s.tables] + [p.table for s in document.sections for p in s.parts]
    assert len(word.tables) == len(tables)
    figures = word.tables[0]
    assert [c.text for c in figures.rows[0].cells] == ["Tall", "2025", "2024", "Endring"]
    assert [c.text for c in figures.rows[1].cells] == ["Høringssvar", "4", "1", "+3"]
    text = docx_text(files.to_docx(document))
    assert "Forumet svarte på 4 høringer i 2025, 3 flere enn i 2024." in text
    assert "Høring – Sosialtjenesteloven" in text
    headings2 = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert "Arbeid for alle" in headings2 and "Høringene som ble besvart" in headings2


def pdf_text(data: bytes) -> tuple[list[str], str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    return outline, text


def test_the_pdf_opens_and_holds_the_same_headings(db, forum):
    document = files.assemble(db, *YEAR, TODAY)
    data = files.to_pdf(document)
    assert data.startswith(b"%PDF")
    outline, text = pdf_text(data)
    assert outline == document.headings
    for heading in document.headings:
        assert heading in text
    assert "Forumet svarte på 4 høringer i 2025, 3 flere enn i 2024." in text
    assert "Høring – Sosialtjenesteloven" in text
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert sum(len(page.images) for page in reader.pages) == 8  # one image per chart


def test_the_pdf_without_a_unicode_font_still_reads(db, forum, monkeypatch):
    monkeypatch.setattr(files, "FONT_CANDIDATES", ())
    document = files.assemble(db, *YEAR, TODAY)
    outline, text = pdf_text(files.to_pdf(document))
    assert outline == [h.replace("–", "-") for h in document.headings]
    assert "Påvirkningsrapport - hele forumet" in text and "Høringssvar" in text


def test_the_english_files(db, forum):
    document = files.assemble(db, *YEAR, TODAY, forum["affo"], "en")
    outline, text = pdf_text(files.to_pdf(document))
    assert outline[:3] == ["Influence report – Aleneforeldreforeningen", "In brief", "Consultation answers"]
    assert "Aleneforeldreforeningen answered 2 consultations in 2025, 2 more than in 2024." in text
    assert "Aleneforeldreforeningen answered 2 consultations" in docx_text(files.to_docx(document))


def test_a_viewers_files_hold_no_internal_record(db, public, forum):
    internal = ("Høring – Intern vurdering", "KU internt", "Internt tilsagn", "Internt punkt")
    full = docx_text(files.docx_report(db, *YEAR, TODAY, internal=True))
    assert all(name in full for name in internal)  # the test can fail: they are there for an editor
    for text in (docx_text(files.docx_report(public, *YEAR, TODAY)),
                 pdf_text(files.pdf_report(public, *YEAR, TODAY))[1]):
        assert not [name for name in internal if name in text]
        assert "Forumet svarte på 3 høringer i 2025, 2 flere enn i 2024." in text
    assert "Internt: rapporten tar med poster" in full


def test_every_chart_is_a_valid_vega_lite_spec(db, forum):
    for lang, org in (("nb", None), ("en", forum["krem"])):
        document = files.assemble(db, *YEAR, TODAY, org, lang)
        for section in document.sections:
            for chart in section.charts:
                chart.build().to_dict()  # validates against the Vega-Lite schema
                chart.build(width=400).to_dict()
