"""The preparation brief: assembled from a small literal forum, laid out, and written as Markdown and Word."""

import io

import docx
import pytest

from krem_advocacy.domain import meetings
from krem_advocacy.exchange import brief
from krem_advocacy.exchange.brief import Brief, BudgetInput, Hoering, Item, Mention, Promise, Sak
from tests.helpers import TODAY, insert


@pytest.fixture
def prepared(db, small_forum, editor):
    """KU mars with three agenda items (a sak, a høring, a budget input), a chair and attendees."""
    ids = dict(small_forum)
    ids["ola"] = insert(db, "people", name="Ola Statsråd", side="government", organisation_id=ids["bfd"])
    insert(db, "person_roles", person_id=ids["ola"], organisation_id=ids["bfd"], title="statsråd",
           from_date="2025-07-01")
    ids["hanne"] = insert(db, "people", name="Hanne Demodal", side="forum", organisation_id=ids["affo"])
    insert(db, "person_roles", person_id=ids["hanne"], organisation_id=ids["affo"], title="representant",
           from_date="2020-01-15")
    db.conn.commit()
    meeting = meetings.get_meeting(db, ids["ku_next"])
    meetings.update_meeting(db, editor, ids["ku_next"], {"chair_person_id": ids["ola"], "place": "BFD, Oslo",
                                                         "themes": "barnetrygd, budsjett"},
                            meeting["version"], people=[ids["ola"], ids["hanne"]],
                            organisations=[ids["krem"], ids["affo"]])
    ids["i_sak"] = meetings.create_agenda_item(db, editor, ids["ku_next"], {
        "sak_id": ids["sak"], "speaker_person_id": ids["hanne"], "summary": "Satsene må opp."})
    ids["i_hoering"] = meetings.create_agenda_item(db, editor, ids["ku_next"], {
        "title": "Høring B – forumets svar", "hoering_id": ids["h_week"], "speaker_org_id": ids["krem"]})
    ids["i_budget"] = meetings.create_agenda_item(db, editor, ids["ku_next"], {"budget_input_id": ids["budget"]})
    return ids


OPEN_PROMISE = Promise(day="2026-01-12", meeting="KU januar", text="Vil se på satsene", responsible="",
                       status="aapen", followed_up="", sak="Barnetrygd")
FRIVILLIG = BudgetInput(title="Frivillig arbeid", budget_year=2027, chapter="621", post="70", phase="prop1s",
                        ask_amount=1_500_000, prop_amount=1_000_000, adopted_amount=None, outcome="ukjent")


def test_brief_assembles_agenda_history_promises_and_related_records(db, prepared):
    assembled = brief.assemble(db, prepared["ku_next"])
    assert assembled == Brief(
        meeting_id=prepared["ku_next"], title="KU mars", kind="ku", starts_at="2026-03-16T12:00", ends_at="",
        place="BFD, Oslo", chair="Ola Statsråd (statsråd, BFD)", themes="barnetrygd, budsjett",
        prep_deadline="2026-03-09",
        government=(("Ola Statsråd", "statsråd, BFD"),),
        forum=(("Hanne Demodal", "representant, AFFO"),),
        organisations=("Aleneforeldreforeningen", "KREM"),
        items=(
            Item(position=1, title="Barnetrygd", speaker="Hanne Demodal (AFFO)", summary="Satsene må opp.",
                 sak=Sak(title="Barnetrygd", description="", stance="", lead_org="Aleneforeldreforeningen",
                         priority="hoey", status="aktiv"),
                 history=(Mention(day="2026-01-12", meeting="KU januar", meeting_kind="ku", title="Barnetrygden",
                                  speaker="Aleneforeldreforeningen", summary=""),),
                 promises=(OPEN_PROMISE,),
                 hoeringer=(Hoering(title="Høring C", department="BFD", deadline="2025-12-01", our_status="levert",
                                    official_status="paa_hoering", our_ref=""),),
                 budget_inputs=(FRIVILLIG,)),
            Item(position=2, title="Høring B – forumets svar", speaker="KREM", summary="", sak=None, history=(),
                 promises=(),
                 hoeringer=(Hoering(title="Høring B", department="BFD", deadline="2026-03-06",
                                    our_status="til_vurdering", official_status="paa_hoering", our_ref=""),),
                 budget_inputs=()),
            Item(position=3, title="Frivillig arbeid", speaker="", summary="", sak=None, history=(), promises=(),
                 hoeringer=(), budget_inputs=(FRIVILLIG,)),
        ),
        open_promises=(OPEN_PROMISE,),
        speakers=(("Hanne Demodal (AFFO)", ("1. Barnetrygd",)), ("KREM", ("2. Høring B – forumets svar",))),
        internal_notes="",
        unassigned=("3. Frivillig arbeid",),
    )


def test_brief_of_a_missing_meeting_is_none(db, small_forum):
    assert brief.assemble(db, 9999) is None
    assert brief.markdown_for_meeting(db, 9999) is None


def test_a_kept_promise_leaves_the_open_list_but_stays_in_the_items_history(db, prepared, editor):
    version = db.execute("SELECT version FROM tilsagn WHERE id = ?", [prepared["tilsagn"]]).fetchone()[0]
    meetings.update_tilsagn(db, editor, prepared["tilsagn"], {"status": "innfridd"}, version)
    assembled = brief.assemble(db, prepared["ku_next"])
    assert assembled.open_promises == ()
    assert [(p.text, p.status) for p in assembled.items[0].promises] == [("Vil se på satsene", "innfridd")]


def test_tilsagn_given_in_the_meeting_are_listed_once_it_is_held(db, prepared, editor):
    meetings.create_tilsagn(db, editor, prepared["ku_next"], {
        "text": "Vil øke satsene i revidert budsjett", "agenda_item_id": prepared["i_sak"],
        "responsible_person_id": prepared["ola"]})
    assembled = brief.assemble(db, prepared["ku_next"])
    assert assembled.promises_made == (Promise(
        day="2026-03-16", meeting="KU mars", text="Vil øke satsene i revidert budsjett",
        responsible="Ola Statsråd, BFD", status="aapen", followed_up="", sak="Barnetrygd"),)
    text = brief.to_markdown(brief.layout(assembled, "nb"))
    assert ("## Tilsagn gitt i møtet\n\n- **Åpen:** «Vil øke satsene i revidert budsjett» – Gitt 16.03.2026 "
            "(KU mars); ansvarlig: Ola Statsråd, BFD; sak: Barnetrygd\n\n## 1. Barnetrygd") in text


def test_internal_notes_only_when_asked_for(db, prepared):
    db.execute("UPDATE meetings SET internal_notes = 'Purr BFD' WHERE id = ?", [prepared["ku_next"]])
    db.conn.commit()
    assert brief.assemble(db, prepared["ku_next"]).internal_notes == ""
    assert brief.assemble(db, prepared["ku_next"], include_internal=True).internal_notes == "Purr BFD"


EXPECTED_MARKDOWN = """\
# Forberedelse: KU mars

**Type:** Kontaktutvalget\x20\x20
**Tid:** 16.03.2026 kl. 12:00\x20\x20
**Sted:** BFD, Oslo\x20\x20
**Møteleder:** Ola Statsråd (statsråd, BFD)\x20\x20
**Tema:** barnetrygd, budsjett\x20\x20
**Frist for forberedelser:** 09.03.2026

*Utarbeidet 02.03.2026 fra KREM påvirkning.*

## Dagsorden

- **1. Barnetrygd** – innlegg: Hanne Demodal (AFFO)
- **2. Høring B – forumets svar** – innlegg: KREM
- **3. Frivillig arbeid**

## Hvem sier hva

- **Hanne Demodal (AFFO):** 1. Barnetrygd
- **KREM:** 2. Høring B – forumets svar
- **Ingen innlegg fordelt ennå:** 3. Frivillig arbeid

## Åpne tilsagn å spørre om

- **Åpen:** «Vil se på satsene» – Gitt 12.01.2026 (KU januar); sak: Barnetrygd

## 1. Barnetrygd

**Innlegg:** Hanne Demodal (AFFO)

Satsene må opp.

### Bakgrunn: Barnetrygd

*Ansvarlig organisasjon: Aleneforeldreforeningen · Prioritet: Høy · Status: Aktiv*

### Tidligere i møtene

- **12.01.2026 KU januar** – «Barnetrygden» (Aleneforeldreforeningen)

### Tilsagn på saken

- **Åpen:** «Vil se på satsene» – Gitt 12.01.2026 (KU januar)

### Høringer

- **Høring C** – BFD, frist 01.12.2025, På høring, forumets status: Levert

### Budsjettinnspill

- **Frivillig arbeid** – budsjettår 2027, kap. 621 post 70, Prop. 1 S, ønsket 1 500 000 kr, \
Prop. 1 S 1 000 000 kr, utfall: Ukjent

## 2. Høring B – forumets svar

**Innlegg:** KREM

### Tidligere i møtene

Ikke tatt opp i tidligere møter.

### Høringer

- **Høring B** – BFD, frist 06.03.2026, På høring, forumets status: Til vurdering

## 3. Frivillig arbeid

### Tidligere i møtene

Ikke tatt opp i tidligere møter.

### Budsjettinnspill

- **Frivillig arbeid** – budsjettår 2027, kap. 621 post 70, Prop. 1 S, ønsket 1 500 000 kr, \
Prop. 1 S 1 000 000 kr, utfall: Ukjent

## Deltakere

**Fra myndighetene**

- Ola Statsråd – statsråd, BFD

**Fra forumet**

- Hanne Demodal – representant, AFFO

**Organisasjoner:** Aleneforeldreforeningen, KREM
""".replace("\u00a0", " ")


def test_markdown_brief_reads_as_expected(db, prepared):
    text = brief.markdown_for_meeting(db, prepared["ku_next"], lang="nb", today=TODAY)
    assert text.replace("\u00a0", " ") == EXPECTED_MARKDOWN


def test_english_brief_uses_english_labels(db, prepared):
    text = brief.markdown_for_meeting(db, prepared["ku_next"], lang="en", today=TODAY)
    assert text.startswith("# Preparation: KU mars\n\n**Kind:** Contact committee (KU)  \n**When:** 16.03.2026")
    assert "## Who says what\n\n- **Hanne Demodal (AFFO):** 1. Barnetrygd\n" in text
    assert "- **Open:** «Vil se på satsene» – Made 12.01.2026 (KU januar); topic: Barnetrygd\n" in text
    assert ("### Earlier in the meetings\n\n- **12.01.2026 KU januar** – «Barnetrygden» "
            "(Aleneforeldreforeningen)") in text


def test_user_text_is_not_read_as_markup(db, prepared, editor):
    version = db.execute("SELECT version FROM agenda_items WHERE id = ?", [prepared["i_sak"]]).fetchone()[0]
    meetings.update_agenda_item(db, editor, prepared["i_sak"], {"summary": "Se [lenke](x) og *dette* # nå"},
                                version)
    text = brief.markdown_for_meeting(db, prepared["ku_next"])
    assert "Se \\[lenke\\](x) og \\*dette\\* \\# nå" in text


def test_word_brief_opens_and_holds_the_same_text(db, prepared):
    data = brief.docx_for_meeting(db, prepared["ku_next"], lang="nb", today=TODAY)
    document = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text.replace("\u00a0", " ")) for p in document.paragraphs]
    assert paragraphs[:2] == [("Title", "Forberedelse: KU mars"), (
        "Normal", "Type: Kontaktutvalget\nTid: 16.03.2026 kl. 12:00\nSted: BFD, Oslo\n"
                  "Møteleder: Ola Statsråd (statsråd, BFD)\nTema: barnetrygd, budsjett\n"
                  "Frist for forberedelser: 09.03.2026")]
    assert ("Heading 1", "Dagsorden") in paragraphs
    assert ("List Bullet", "1. Barnetrygd – innlegg: Hanne Demodal (AFFO)") in paragraphs
    assert ("List Bullet", "2. Høring B – forumets svar – innlegg: KREM") in paragraphs
    assert ("List Bullet", "3. Frivillig arbeid") in paragraphs
    assert ("Heading 1", "1. Barnetrygd") in paragraphs
    assert ("Heading 2", "Tidligere i møtene") in paragraphs
    assert ("List Bullet", "12.01.2026 KU januar – «Barnetrygden» (Aleneforeldreforeningen)") in paragraphs
    assert ("List Bullet", "Åpen: «Vil se på satsene» – Gitt 12.01.2026 (KU januar)") in paragraphs
    # Every block of the layout is one paragraph, in the same order and words as the Markdown.
    blocks = brief.layout(brief.assemble(db, prepared["ku_next"]), "nb", TODAY)
    assert [text for _, text in paragraphs] == [b.text.replace("\u00a0", " ") for b in blocks]
    assert document.core_properties.title == "KU mars"
    bold = [run.text for run in document.paragraphs[1].runs if run.bold]
    assert bold == ["Type: ", "Tid: ", "Sted: ", "Møteleder: ", "Tema: ", "Frist for forberedelser: "]


def test_file_names_are_safe_and_dated():
    assert brief.file_name("Kontaktutvalget – bolig/bostøtte", "2026-03-16T12:00", "docx") == \
        "forberedelse-2026-03-16-kontaktutvalget-bolig-bostotte.docx"


def test_hoeringer_of_the_sak_stop_at_what_existed_on_the_meeting_day(db, prepared):
    # A høring of the same sak published after KU mars is not in that meeting's brief.
    later = insert(db, "hoeringer", title="Høring om 2030", department_id=prepared["bfd"],
                   published_on="2026-04-01", deadline="2026-06-01", our_status="innkommet")
    earlier = insert(db, "hoeringer", title="Høring uten publiseringsdato", department_id=prepared["bfd"],
                     deadline="2026-03-01", our_status="innkommet")
    for hoering_id in (later, earlier):
        insert(db, "hoering_saker", hoering_id=hoering_id, sak_id=prepared["sak"])
    db.conn.commit()
    titles = [h.title for h in brief.assemble(db, prepared["ku_next"]).items[0].hoeringer]
    assert titles == ["Høring uten publiseringsdato", "Høring C"]


def test_a_tilsagn_given_under_an_item_is_shown_under_that_item(db, prepared, editor):
    meetings.create_tilsagn(db, editor, prepared["ku_next"], {
        "text": "Ser på bostøtten", "agenda_item_id": prepared["i_hoering"]})
    assembled = brief.assemble(db, prepared["ku_next"])
    assert [[p.text for p in item.made] for item in assembled.items] == [[], ["Ser på bostøtten"], []]
    text = brief.to_markdown(brief.layout(assembled, "nb"))
    item_two = text.split("## 2. Høring B – forumets svar")[1].split("## 3.")[0]
    assert "### Tilsagn gitt under dette punktet" in item_two and "Ser på bostøtten" in item_two
