"""The preparation brief of a meeting: assembled from the database as data, then rendered as Markdown or Word."""

import io
import re
from dataclasses import dataclass, field, replace
from datetime import date

from docx import Document
from docx.shared import Pt, RGBColor
from sqlite_utils import Database

from krem_advocacy.domain import meetings
from krem_advocacy.store.connection import read_frame, read_one
from krem_advocacy.text import formatting, i18n

# How many related høringer / budget inputs / earlier mentions one agenda item lists at most.
RELATED_LIMIT = 5
HISTORY_LIMIT = 8


# ---------------------------------------------------------------- the brief as data

@dataclass(frozen=True)
class Mention:
    """An earlier agenda item on the same topic: when, in which meeting, what was raised, by whom."""

    day: str
    meeting: str
    meeting_kind: str
    title: str
    speaker: str
    summary: str


@dataclass(frozen=True)
class Promise:
    """A tilsagn: what was promised, by whom, in which meeting, and how it went."""

    day: str
    meeting: str
    text: str
    responsible: str
    status: str
    followed_up: str  # «DD.MM.YYYY meeting title» of the later meeting where it was taken up, or ""
    sak: str = ""


@dataclass(frozen=True)
class Hoering:
    """A høring related to an agenda item."""

    title: str
    department: str
    deadline: str
    our_status: str
    official_status: str
    our_ref: str


@dataclass(frozen=True)
class BudgetInput:
    """A budget input related to an agenda item."""

    title: str
    budget_year: int
    chapter: str
    post: str
    phase: str
    ask_amount: int | None
    prop_amount: int | None
    adopted_amount: int | None
    outcome: str


@dataclass(frozen=True)
class Sak:
    """The background of an agenda item's sak."""

    title: str
    description: str
    stance: str
    lead_org: str
    priority: str
    status: str


@dataclass(frozen=True)
class Item:
    """One agenda item with everything a speaker should know before the meeting."""

    position: int
    title: str
    speaker: str
    summary: str
    sak: Sak | None
    history: tuple[Mention, ...]
    promises: tuple[Promise, ...]
    hoeringer: tuple[Hoering, ...]
    budget_inputs: tuple[BudgetInput, ...]
    made: tuple[Promise, ...] = ()  # tilsagn given in this meeting under this item (once held)


@dataclass(frozen=True)
class Brief:
    """Everything in a preparation brief, in plain values (codes and ISO dates; renderers translate)."""

    meeting_id: int
    title: str
    kind: str
    starts_at: str
    ends_at: str
    place: str
    chair: str
    themes: str
    prep_deadline: str
    government: tuple[tuple[str, str], ...]  # (name, role on the day)
    forum: tuple[tuple[str, str], ...]
    organisations: tuple[str, ...]
    items: tuple[Item, ...]
    open_promises: tuple[Promise, ...]
    speakers: tuple[tuple[str, tuple[str, ...]], ...]  # (who, the item titles they speak on)
    internal_notes: str = ""
    unassigned: tuple[str, ...] = field(default=())  # items nobody speaks on yet
    promises_made: tuple[Promise, ...] = field(default=())  # tilsagn given in this meeting (once held)


def assemble(db: Database, meeting_id: int, include_internal: bool = False) -> Brief | None:
    """Collect a meeting's brief from the database; None when the meeting does not exist."""
    record = meetings.get_meeting(db, meeting_id, include_internal=include_internal)
    if record is None:
        return None
    starts_at = record["starts_at"]
    people = record["attendees"]
    chair = record["chair_name"] or ""
    if chair and record["chair_role"]:
        chair = f"{chair} ({record['chair_role']})"
    items = tuple(_item(db, row, starts_at) for row in record["agenda"])
    # A tilsagn given under an agenda item is shown under that item too.
    items = tuple(replace(item, made=tuple(
        _promise({**p, "starts_at": starts_at, "meeting": record["title"]}) for p in record["tilsagn"]
        if p.get("agenda_item_id") == row["id"])) for item, row in zip(items, record["agenda"]))
    return Brief(
        meeting_id=meeting_id, title=record["title"], kind=record["kind"], starts_at=starts_at,
        ends_at=record["ends_at"] or "", place=record["place"] or "", chair=chair,
        themes=record["themes"] or "", prep_deadline=record["prep_deadline"] or "",
        government=_people(people, "government"), forum=_people(people, "forum"),
        organisations=tuple(o["name"] for o in record["organisations"]),
        items=items,
        open_promises=tuple(_promise(row) for row in record["open_tilsagn_before"]),
        speakers=_speakers(items),
        internal_notes=(record.get("internal_notes") or "") if include_internal else "",
        unassigned=tuple(f"{i.position}. {i.title}" for i in items if not i.speaker),
        promises_made=tuple(_promise({**row, "starts_at": starts_at, "meeting": record["title"]})
                            for row in record["tilsagn"]),
    )


def _people(people: list[dict], side: str) -> tuple[tuple[str, str], ...]:
    return tuple((p["name"], _text(p["role_on_day"]) or _text(p["role_at_meeting"])) for p in people
                 if p["side"] == side)


def _item(db: Database, row: dict, starts_at: str) -> Item:
    sak_id = _id(row["sak_id"])
    sak = read_one(db, """
        SELECT s.title, s.description, s.stance, o.name AS lead_org, s.priority, s.status
          FROM saker s LEFT JOIN organisations o ON o.id = s.lead_org_id WHERE s.id = ?""", [sak_id]) \
        if sak_id else None
    history = read_frame(db, """
        SELECT a.id, substr(m.starts_at, 1, 10) AS day, m.title AS meeting, m.kind, a.title,
               CASE WHEN p.name IS NOT NULL THEN p.name || COALESCE(' (' || COALESCE(o.short_name, o.name) || ')', '')
                    ELSE o.name END AS speaker, a.summary
          FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
          LEFT JOIN organisations o ON o.id = a.speaker_org_id
          LEFT JOIN people p ON p.id = a.speaker_person_id
         WHERE m.starts_at < :before AND a.id != :item
           AND ((:sak IS NOT NULL AND a.sak_id = :sak) OR (:hoering IS NOT NULL AND a.hoering_id = :hoering)
                OR (:budget IS NOT NULL AND a.budget_input_id = :budget))
         ORDER BY m.starts_at DESC, a.position LIMIT :limit""",
        {"before": starts_at, "item": int(row["id"]), "sak": sak_id, "hoering": _id(row["hoering_id"]),
         "budget": _id(row["budget_input_id"]), "limit": HISTORY_LIMIT})
    # Promises on the sak, or given on an earlier item about the same høring or budget input.
    promises = read_frame(db, PROMISES_SQL + """
         WHERE m.starts_at < :before
           AND ((:sak IS NOT NULL AND t.sak_id = :sak)
                OR t.agenda_item_id IN (SELECT value FROM json_each(:items)))
         ORDER BY m.starts_at DESC, t.id""",
        {"before": starts_at, "sak": sak_id, "items": "[" + ",".join(str(i) for i in history["id"]) + "]"})
    return Item(
        position=int(row["position"]), title=row["title"],
        speaker=speaker_label(row["speaker_org"], row["speaker_org_short"], row["speaker"]),
        summary=_text(row["summary"]),
        sak=Sak(sak["title"], sak["description"] or "", sak["stance"] or "", sak["lead_org"] or "",
                sak["priority"], sak["status"]) if sak else None,
        history=tuple(Mention(r.day, r.meeting, r.kind, r.title, r.speaker or "", _text(r.summary))
                      for r in history.itertuples()),
        promises=tuple(_promise(r) for r in promises.to_dict("records")),
        hoeringer=_hoeringer(db, _id(row["hoering_id"]), sak_id, starts_at),
        budget_inputs=_budget_inputs(db, _id(row["budget_input_id"]), sak_id),
    )


PROMISES_SQL = """
SELECT t.id, m.starts_at, m.title AS meeting, t.text,
       TRIM(COALESCE(p.name, '') || CASE WHEN p.name IS NOT NULL AND o.id IS NOT NULL THEN ', ' ELSE '' END
            || COALESCE(o.short_name, o.name, '')) AS responsible,
       t.status, s.title AS sak, f.title AS followed_up_meeting, f.starts_at AS followed_up_at
  FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id
  LEFT JOIN people p ON p.id = t.responsible_person_id
  LEFT JOIN organisations o ON o.id = t.responsible_org_id
  LEFT JOIN saker s ON s.id = t.sak_id
  LEFT JOIN meetings f ON f.id = t.followed_up_meeting_id
"""


def _hoeringer(db: Database, own_id: int | None, sak_id: int | None, starts_at: str) -> tuple[Hoering, ...]:
    # The item's own høring, and the sak's høringer as they stood on the meeting's day: none published
    # (or, without a publication date, due) after it, so an old meeting's brief shows no later høringer.
    frame = read_frame(db, """
        SELECT h.title, COALESCE(d.short_name, d.name, '') AS department, COALESCE(h.deadline, '') AS deadline,
               h.our_status, h.official_status, COALESCE(h.their_ref, h.our_ref, '') AS our_ref
          FROM hoeringer h LEFT JOIN organisations d ON d.id = h.department_id
         WHERE h.id = :own OR (h.id IN (SELECT hoering_id FROM hoering_saker WHERE sak_id = :sak)
               AND COALESCE(h.published_on, h.deadline, '') <= :day)
         ORDER BY h.id = :own DESC, h.deadline DESC LIMIT :limit""",
        {"own": own_id, "sak": sak_id, "limit": RELATED_LIMIT, "day": str(starts_at)[:10]})
    return tuple(Hoering(*row) for row in frame.itertuples(index=False))


def _budget_inputs(db: Database, own_id: int | None, sak_id: int | None) -> tuple[BudgetInput, ...]:
    frame = read_frame(db, """
        SELECT title, budget_year, COALESCE(chapter, '') AS chapter, COALESCE(post, '') AS post, phase,
               ask_amount, prop_amount, adopted_amount, outcome
          FROM budget_inputs
         WHERE id = :own OR id IN (SELECT budget_input_id FROM budget_input_saker WHERE sak_id = :sak)
         ORDER BY id = :own DESC, budget_year DESC, title LIMIT :limit""",
        {"own": own_id, "sak": sak_id, "limit": RELATED_LIMIT})
    return tuple(BudgetInput(r.title, int(r.budget_year), r.chapter, r.post, r.phase, _amount(r.ask_amount),
                             _amount(r.prop_amount), _amount(r.adopted_amount), r.outcome)
                 for r in frame.itertuples(index=False))


def _promise(row: dict) -> Promise:
    followed = ""
    if _text(row.get("followed_up_meeting")):
        followed = f"{formatting.format_date(row['followed_up_at'])} {row['followed_up_meeting']}"
    responsible = _text(row.get("responsible"))
    org = _text(row.get("responsible_org"))
    if org and org not in responsible:
        responsible = f"{responsible}, {org}" if responsible else org
    return Promise(day=str(row["starts_at"])[:10], meeting=row["meeting"], text=row["text"], responsible=responsible,
                   status=row["status"], followed_up=followed, sak=_text(row.get("sak")))


def _speakers(items: tuple[Item, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # Who speaks on what, in the order they first speak.
    grouped: dict[str, list[str]] = {}
    for item in items:
        if item.speaker:
            grouped.setdefault(item.speaker, []).append(f"{item.position}. {item.title}")
    return tuple((who, tuple(titles)) for who, titles in grouped.items())


def speaker_label(org, org_short, person) -> str:
    """«Nora Eksempeldatter (KREM)», or the organisation's full name when no person is named."""
    if _text(person):
        return f"{person} ({_text(org_short) or _text(org)})" if _text(org) else person
    return _text(org)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _id(value) -> int | None:
    return int(value) if value is not None and value == value else None


def _amount(value) -> int | None:
    return int(value) if value is not None and value == value else None


# ---------------------------------------------------------------- layout: blocks both renderers share

@dataclass(frozen=True)
class Block:
    """One paragraph of the brief: a kind (title, h2, h3, para, bullet, note) and runs of (text, bold)."""

    kind: str
    runs: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


def _b(kind: str, *runs) -> Block:
    # Runs are plain strings (normal) or ("text", True) pairs (bold).
    return Block(kind, tuple(r if isinstance(r, tuple) else (r, False) for r in runs))


def layout(brief: Brief, lang: str = "nb", today: date | None = None) -> list[Block]:
    """The brief as an ordered list of blocks in one language: what both renderers print."""
    def t(key, **values):
        return i18n.t(key, lang, **values)

    def label(code_list, code):
        return i18n.code_label(code_list, code, lang)

    blocks = [_b("title", t("brief.heading", title=brief.title))]
    when = formatting.format_datetime(brief.starts_at)
    if brief.ends_at:
        when += "–" + brief.ends_at[11:16]
    facts = [(t("meetings.field.kind"), label("meeting_kind", brief.kind)), (t("meetings.field.when"), when),
             (t("meetings.field.place"), brief.place), (t("meetings.field.chair"), brief.chair),
             (t("meetings.field.themes"), brief.themes),
             (t("meetings.field.prep_deadline"), formatting.format_date(brief.prep_deadline))]
    runs = []
    for name, value in [(n, v) for n, v in facts if v]:
        runs += [("\n", False)] if runs else []  # one fact a line, in one paragraph
        runs += [(f"{name}: ", True), (value, False)]
    blocks.append(Block("para", tuple(runs)))
    if today:
        blocks.append(_b("note", t("brief.made_on", day=formatting.format_date(today))))
    if brief.internal_notes:
        blocks.append(_b("para", (t("brief.internal") + ": ", True), brief.internal_notes))

    blocks.append(_b("h2", t("brief.agenda")))
    if not brief.items:
        blocks.append(_b("para", t("meetings.agenda_empty")))
    for item in brief.items:
        speaker = f" – {t('brief.talk')}: {item.speaker}" if item.speaker else ""
        blocks.append(_b("bullet", (f"{item.position}. {item.title}", True), speaker))

    blocks.append(_b("h2", t("brief.speakers")))
    for who, titles in brief.speakers:
        blocks.append(_b("bullet", (f"{who}: ", True), "; ".join(titles)))
    if brief.unassigned:
        blocks.append(_b("bullet", (t("brief.unassigned") + ": ", True), "; ".join(brief.unassigned)))
    if not brief.speakers and not brief.unassigned:
        blocks.append(_b("para", t("brief.no_speakers")))

    blocks.append(_b("h2", t("brief.open_promises")))
    if not brief.open_promises:
        blocks.append(_b("para", t("meetings.no_open_tilsagn")))
    for promise in brief.open_promises:
        blocks.append(_promise_block(promise, t, label, with_sak=True))

    if brief.promises_made:
        blocks.append(_b("h2", t("meetings.tilsagn")))
        blocks += [_promise_block(promise, t, label, with_sak=True) for promise in brief.promises_made]

    for item in brief.items:
        blocks += _item_blocks(item, t, label)

    if brief.government or brief.forum or brief.organisations:
        blocks.append(_b("h2", t("meetings.attendees")))
        for key, people in (("meetings.attendees_government", brief.government),
                            ("meetings.attendees_forum", brief.forum)):
            if people:
                blocks.append(_b("para", (t(key), True)))
                blocks += [_b("bullet", name + (f" – {role}" if role else "")) for name, role in people]
        if brief.organisations:
            blocks.append(_b("para", (t("meetings.organisations") + ": ", True), ", ".join(brief.organisations)))
    return blocks


def _item_blocks(item: Item, t, label) -> list[Block]:
    blocks = [_b("h2", f"{item.position}. {item.title}")]
    if item.speaker:
        blocks.append(_b("para", (t("brief.talk_label") + ": ", True), item.speaker))
    if item.summary:
        blocks.append(_b("para", item.summary))
    if item.sak:
        sak = item.sak
        blocks.append(_b("h3", t("brief.background", sak=sak.title)))
        if sak.description:
            blocks.append(_b("para", sak.description))
        if sak.stance:
            blocks.append(_b("para", (t("brief.stance") + ": ", True), sak.stance))
        facts = [f"{t('brief.priority')}: {label('priority', sak.priority)}",
                 f"{t('common.status')}: {label('sak_status', sak.status)}"]
        if sak.lead_org:
            facts.insert(0, f"{t('brief.lead')}: {sak.lead_org}")
        blocks.append(_b("note", " · ".join(facts)))
    blocks.append(_b("h3", t("brief.history")))
    if not item.history:
        blocks.append(_b("para", t("brief.no_history")))
    for mention in item.history:
        who = f" ({mention.speaker})" if mention.speaker else ""
        summary = f": {mention.summary}" if mention.summary else ""
        blocks.append(_b("bullet", (f"{formatting.format_date(mention.day)} {mention.meeting}", True),
                         f" – «{mention.title}»{who}{summary}"))
    if item.made:
        blocks.append(_b("h3", t("brief.made_here")))
        blocks += [_promise_block(p, t, label) for p in item.made]
    if item.promises:
        blocks.append(_b("h3", t("brief.promises")))
        blocks += [_promise_block(p, t, label) for p in item.promises]
    if item.hoeringer:
        blocks.append(_b("h3", t("brief.hoeringer")))
        for h in item.hoeringer:
            facts = [x for x in (h.department, h.our_ref and f"{t('brief.our_ref')} {h.our_ref}",
                                 h.deadline and f"{t('brief.deadline')} {formatting.format_date(h.deadline)}",
                                 label("hoering_official_status", h.official_status),
                                 f"{t('brief.our_status')}: {label('hoering_our_status', h.our_status)}") if x]
            blocks.append(_b("bullet", (h.title, True), " – " + ", ".join(facts)))
    if item.budget_inputs:
        blocks.append(_b("h3", t("brief.budget_inputs")))
        for b in item.budget_inputs:
            line = [t("brief.budget_year", year=b.budget_year)]
            if b.chapter:
                line.append(t("brief.chapter_post", chapter=b.chapter, post=b.post or "–"))
            line.append(label("budget_phase", b.phase))
            for key, amount in (("brief.asked", b.ask_amount), ("brief.proposed", b.prop_amount),
                                ("brief.adopted", b.adopted_amount)):
                if amount is not None:
                    line.append(f"{t(key)} {formatting.format_amount(amount)}")
            line.append(f"{t('brief.outcome')}: {label('budget_outcome', b.outcome)}")
            blocks.append(_b("bullet", (b.title, True), " – " + ", ".join(line)))
    return blocks


def _promise_block(promise: Promise, t, label, with_sak: bool = False) -> Block:
    facts = [f"{t('brief.given')} {formatting.format_date(promise.day)} ({promise.meeting})"]
    if promise.responsible:
        facts.append(f"{t('brief.responsible')}: {promise.responsible}")
    if with_sak and promise.sak:
        facts.append(f"{t('brief.sak')}: {promise.sak}")
    if promise.followed_up:
        facts.append(t("brief.followed_up", meeting=promise.followed_up))
    return _b("bullet", (f"{label('tilsagn_status', promise.status)}: ", True), f"«{promise.text}» – ",
              "; ".join(facts))


# ---------------------------------------------------------------- renderers

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$])")


def _escape(text: str) -> str:
    # User text is printed as typed, never read as markup (also when shown with st.markdown).
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def to_markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown text."""
    prefix = {"title": "# ", "h2": "## ", "h3": "### ", "bullet": "- ", "para": "", "note": ""}
    out = ""
    previous = None
    for block in blocks:
        text = "".join(f"**{_escape(t.strip())}**{' ' if t.endswith(' ') else ''}" if bold and t.strip()
                       else _escape(t) for t, bold in block.runs)
        text = text.replace("\n", "  \n  " if block.kind == "bullet" else "  \n")
        if block.kind == "note":
            text = f"*{text}*"
        # Consecutive bullets make one list; everything else is its own paragraph.
        if previous is not None:
            out += "\n" if previous == block.kind == "bullet" else "\n\n"
        out += prefix[block.kind] + text
        previous = block.kind
    return out + "\n"


def to_docx(blocks: list[Block], title: str = "") -> bytes:
    """The blocks as a Word document (.docx bytes), with the built-in heading and list styles."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = i18n.t("app.name")
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    styles = {"title": "Title", "h2": "Heading 1", "h3": "Heading 2", "bullet": "List Bullet",
              "para": "Normal", "note": "Normal"}
    for block in blocks:
        paragraph = document.add_paragraph(style=styles[block.kind])
        for text, bold in block.runs:
            for index, line in enumerate(text.split("\n")):
                if index:
                    paragraph.add_run().add_break()  # a line break typed in the text stays one
                run = paragraph.add_run(line)
                run.bold = bold
                if block.kind == "note":
                    run.italic = True
                    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- entry points for the page (cached reads)

def markdown_for_meeting(db: Database, meeting_id: int, lang: str = "nb", include_internal: bool = False,
                         today: date | None = None) -> str | None:
    """The meeting's brief as Markdown, or None when the meeting does not exist."""
    brief = assemble(db, meeting_id, include_internal=include_internal)
    return None if brief is None else to_markdown(layout(brief, lang, today))


def docx_for_meeting(db: Database, meeting_id: int, lang: str = "nb", include_internal: bool = False,
                     today: date | None = None) -> bytes | None:
    """The meeting's brief as a Word document, or None when the meeting does not exist."""
    brief = assemble(db, meeting_id, include_internal=include_internal)
    return None if brief is None else to_docx(layout(brief, lang, today), title=brief.title)


def file_name(title: str, starts_at: str, extension: str) -> str:
    """A safe download name: «forberedelse-2026-03-16-kontaktutvalget.docx»."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a"))
    return f"forberedelse-{starts_at[:10]}-{slug.strip('-')[:50]}.{extension}"
