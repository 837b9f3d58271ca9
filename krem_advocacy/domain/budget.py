"""Budget inputs (innspill til statsbudsjettet) and the budget years: reads, aggregates and writes."""

import re
from datetime import date

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import fields, validation
from krem_advocacy.domain.fields import Field, Link
from krem_advocacy.store import records
from krem_advocacy.store.connection import read_frame, read_one, read_rows, write_transaction
from krem_advocacy.store.errors import ValidationError
from krem_advocacy.store.permissions import EDIT, Actor, require
from krem_advocacy.text import codes
from krem_advocacy.text.amounts import AmountError, parse_amount

LIST_SQL = """
SELECT b.id, b.title, b.budget_year, b.phase, r.short_name AS recipient, r.name AS recipient_name,
       b.chapter, b.post, b.post_name, b.ask_amount, b.prop_amount, b.adopted_amount, b.outcome,
       b.sent_on, b.hearing_application_deadline, b.hearing_on, b.is_example, COUNT(*) OVER () AS total_rows
  FROM budget_inputs b LEFT JOIN organisations r ON r.id = b.recipient_org_id
 WHERE (:budget_year IS NULL OR b.budget_year = :budget_year)
   AND (:phase IS NULL OR b.phase = :phase)
   AND (:outcome IS NULL OR b.outcome = :outcome)
   AND (:responsible_person_id IS NULL OR b.responsible_person_id = :responsible_person_id)
   AND (:text IS NULL OR b.title LIKE '%' || :text || '%' OR b.post_name LIKE '%' || :text || '%'
        OR b.chapter_name LIKE '%' || :text || '%'
        OR (b.chapter = :chapter AND (:post IS NULL OR b.post = :post)))
 ORDER BY b.budget_year DESC, CAST(b.chapter AS INTEGER), b.post, b.title
 LIMIT :limit
"""

# Asked vs. proposed vs. adopted per budget year, in kroner.
AMOUNTS_BY_YEAR_SQL = """
SELECT budget_year, SUM(ask_amount) AS asked, SUM(prop_amount) AS proposed,
       SUM(adopted_amount) AS adopted, COUNT(*) AS inputs
  FROM budget_inputs GROUP BY budget_year ORDER BY budget_year
"""


def list_budget_inputs(db: Database, budget_year=None, phase=None, outcome=None, text=None,
                       limit: int | None = None, responsible_person_id=None) -> pd.DataFrame:
    """Budget inputs matching the filters, newest year first, by chapter and post.

    The text matches titles and names, or a budget line: «621», «kap. 621 post 70», «621.70».
    With `limit`, only the first rows; `total_rows` says how many match in all.
    """
    text = (text or "").strip() or None
    chapter, post = parse_line(text) if text else (None, None)
    return read_frame(db, LIST_SQL, {
        "budget_year": budget_year, "phase": phase, "outcome": outcome, "text": text,
        "chapter": chapter, "post": post, "limit": -1 if limit is None else int(limit),
        "responsible_person_id": responsible_person_id,
    })


_LINE = re.compile(r"^(?:kap(?:ittel)?\.?\s*)?0*(\d{1,4})(?:\s*[\s.,/-]\s*(?:post\s*)?(\d{2}))?$", re.I)


def parse_line(text: str) -> tuple[str | None, str | None]:
    """(chapter, post) from «kap. 621 post 70», «621 70», «621.70» or «621»; (None, None) otherwise."""
    match = _LINE.match(text.strip())
    return (match.group(1), match.group(2)) if match else (None, None)


def get_budget_input(db: Database, input_id: int, include_internal: bool = False) -> dict | None:
    """One budget input with recipient, lead, co-signers and linked saker (lists of dicts, None for NULL)."""
    record = read_one(db, """
        SELECT b.*, r.name AS recipient_name, lead.name AS lead_org_name
          FROM budget_inputs b LEFT JOIN organisations r ON r.id = b.recipient_org_id
          LEFT JOIN organisations lead ON lead.id = b.lead_org_id WHERE b.id = ?""", [input_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    record["cosigners"] = read_rows(db, """
        SELECT o.id, o.name FROM budget_input_cosigners c JOIN organisations o ON o.id = c.organisation_id
         WHERE c.budget_input_id = ? ORDER BY o.name""", [input_id])
    record["saker"] = read_rows(db, """
        SELECT s.id, s.title FROM budget_input_saker l JOIN saker s ON s.id = l.sak_id
         WHERE l.budget_input_id = ? ORDER BY s.title""", [input_id])
    record["budget_cycle"] = read_one(db, "SELECT * FROM budget_years WHERE budget_year = ?",
                                      [record["budget_year"]])
    return record


def budget_years(db: Database) -> pd.DataFrame:
    """Each budget year's cycle dates."""
    return read_frame(db, "SELECT * FROM budget_years ORDER BY budget_year DESC")


def years_with_inputs(db: Database) -> list[int]:
    """Budget years that have inputs, newest first."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT budget_year FROM budget_inputs ORDER BY budget_year DESC")]


def amounts_by_year(db: Database) -> pd.DataFrame:
    """Asked, proposed and adopted sums per budget year."""
    return read_frame(db, AMOUNTS_BY_YEAR_SQL)


# ---------------------------------------------------------------- charts

# Sums per recipient (department, committee or party) and per chapter, optionally for one year.
AMOUNTS_BY_RECIPIENT_SQL = """
SELECT COALESCE(r.short_name, r.name) AS recipient, r.name AS recipient_name,
       SUM(b.ask_amount) AS asked, SUM(b.prop_amount) AS proposed, SUM(b.adopted_amount) AS adopted,
       COUNT(*) AS inputs
  FROM budget_inputs b JOIN organisations r ON r.id = b.recipient_org_id
 WHERE (:budget_year IS NULL OR b.budget_year = :budget_year)
 GROUP BY r.id ORDER BY COALESCE(SUM(b.ask_amount), 0) DESC, recipient
 LIMIT 40
"""

AMOUNTS_BY_CHAPTER_SQL = """
SELECT b.chapter, MAX(b.chapter_name) AS chapter_name,
       SUM(b.ask_amount) AS asked, SUM(b.prop_amount) AS proposed, SUM(b.adopted_amount) AS adopted,
       COUNT(*) AS inputs
  FROM budget_inputs b
 WHERE b.chapter IS NOT NULL AND (:budget_year IS NULL OR b.budget_year = :budget_year)
 GROUP BY b.chapter ORDER BY CAST(b.chapter AS INTEGER)
 LIMIT 60
"""

OUTCOMES_BY_YEAR_SQL = """
SELECT budget_year, outcome, COUNT(*) AS inputs
  FROM budget_inputs GROUP BY budget_year, outcome ORDER BY budget_year, outcome
"""


def amounts_by_recipient(db: Database, budget_year=None) -> pd.DataFrame:
    """Asked, proposed and adopted sums per recipient (all years, or one)."""
    return read_frame(db, AMOUNTS_BY_RECIPIENT_SQL, {"budget_year": budget_year})


def amounts_by_chapter(db: Database, budget_year=None) -> pd.DataFrame:
    """Asked, proposed and adopted sums per budget chapter (all years, or one)."""
    return read_frame(db, AMOUNTS_BY_CHAPTER_SQL, {"budget_year": budget_year})


def outcomes_by_year(db: Database) -> pd.DataFrame:
    """How many inputs ended in each outcome, per budget year."""
    return read_frame(db, OUTCOMES_BY_YEAR_SQL)


# ---------------------------------------------------------------- the budget year's cycle

# Each phase of an input, with the dates of the year's cycle that belong to it.
PHASE_DATES = {
    "vaarinnspill": (),
    "prop1s": ("prop1s_on",),
    "budsjetthoering": ("hearing_application_deadline", "hearing_on"),
    "innstilling": ("frames_vote_on",),
    "vedtatt": ("final_vote_on",),
    "revidert": ("revised_on",),
}
CYCLE_FIELDS = tuple(f for dates in PHASE_DATES.values() for f in dates)


def get_budget_year(db: Database, budget_year: int, include_internal: bool = False) -> dict | None:
    """One budget year's cycle dates (the budget_years row), or None if not recorded."""
    record = read_one(db, "SELECT * FROM budget_years WHERE budget_year = ?", [int(budget_year)])
    if record is not None and not include_internal:
        record.pop("internal_notes", None)
    return record


def year_of(db: Database, year_id: int) -> int | None:
    """The budget year of a budget_years record (its deep link carries the record's id)."""
    row = db.execute("SELECT budget_year FROM budget_years WHERE id = ?", [int(year_id)]).fetchone()
    return row[0] if row else None


def all_years(db: Database) -> list[int]:
    """Every budget year with a cycle or with inputs, newest first."""
    return [r[0] for r in db.execute(
        "SELECT budget_year FROM budget_years UNION SELECT budget_year FROM budget_inputs "
        "ORDER BY 1 DESC")]


def default_year(years: list[int], today: date) -> int:
    """The year to show first: the budget being worked on now (next calendar year), else the nearest."""
    wanted = today.year + 1  # Prop. 1 S for next year comes in October; spring inputs go to it too
    if not years or wanted in years:
        return wanted
    return min(years, key=lambda y: (abs(y - wanted), -y))


def year_pipeline(db: Database, budget_year: int, today: date) -> list[dict]:
    """The year's phases in order, each with its dates, input count and state.

    state: `done` (its dates have passed), `next` (the first phase still ahead), `later`, or `open`
    (no dates recorded). Spring input counts as done once Prop. 1 S is out.
    """
    cycle = get_budget_year(db, budget_year) or {}
    counts = dict(db.execute(
        "SELECT phase, COUNT(*) FROM budget_inputs WHERE budget_year = ? GROUP BY phase",
        [int(budget_year)]).fetchall())
    stages, next_found = [], False
    for phase, cycle_fields in PHASE_DATES.items():
        dates = [(f, cycle.get(f)) for f in cycle_fields]
        known = [d for _, d in dates if d]
        end = max(known) if known else (cycle.get("prop1s_on") if phase == "vaarinnspill" else None)
        if end is None:
            state = "open"
        elif end < today.isoformat() or (phase == "vaarinnspill" and end <= today.isoformat()):
            state = "done"
        elif not next_found:
            state, next_found = "next", True
        else:
            state = "later"
        stages.append({"phase": phase, "dates": dates, "inputs": counts.get(phase, 0), "state": state})
    return stages


NEXT_DATES_SQL = """
SELECT day, field, title, record_id FROM (
  SELECT prop1s_on AS day, 'prop1s_on' AS field, NULL AS title, NULL AS record_id
    FROM budget_years WHERE budget_year = :year
  UNION ALL SELECT hearing_application_deadline, 'hearing_application_deadline', NULL, NULL
    FROM budget_years WHERE budget_year = :year
  UNION ALL SELECT hearing_on, 'hearing_on', NULL, NULL FROM budget_years WHERE budget_year = :year
  UNION ALL SELECT frames_vote_on, 'frames_vote_on', NULL, NULL FROM budget_years WHERE budget_year = :year
  UNION ALL SELECT final_vote_on, 'final_vote_on', NULL, NULL FROM budget_years WHERE budget_year = :year
  UNION ALL SELECT revised_on, 'revised_on', NULL, NULL FROM budget_years WHERE budget_year = :year
  UNION ALL SELECT hearing_application_deadline, 'hearing_application_deadline', title, id
    FROM budget_inputs WHERE budget_year = :year
  UNION ALL SELECT hearing_on, 'hearing_on', title, id FROM budget_inputs WHERE budget_year = :year
) WHERE day IS NOT NULL AND day >= :today
 ORDER BY day, record_id IS NOT NULL, title
 LIMIT :limit
"""


def next_dates(db: Database, budget_year: int, today: date, limit: int = 5) -> pd.DataFrame:
    """What is due next in the year: cycle dates and the inputs' own hearing dates, soonest first."""
    frame = read_frame(db, NEXT_DATES_SQL, {"year": int(budget_year), "today": today.isoformat(),
                                             "limit": limit})
    frame["days_left"] = [(date.fromisoformat(d) - today).days for d in frame["day"]]
    return frame


# ---------------------------------------------------------------- the record kinds

# A budget input as forms, imports, exports and checks know it, in the form's order.
KIND = fields.Kind("budget_inputs", (
    Field("title", "title", ("Tittel", "Title"), required=True, search_weight=10.0,
          aliases=("tittel", "title", "innspill", "navn", "input")),
    Field("budget_year", "year", ("Budsjettår", "Budget year"), required=True, read_as="raw",
          aliases=("budsjettår", "budsjettaar", "år", "budget year", "year")),
    Field("phase", "code", ("Fase", "Phase"), required=True, code_list="budget_phase",
          aliases=("fase", "phase", "budsjettfase")),
    Field("outcome", "code", ("Utfall", "Outcome"), code_list="budget_outcome", aliases=("utfall", "resultat", "outcome")),
    Field("recipient_org_id", "ref", ("Mottaker", "Recipient"), ref="organisations",
          aliases=("mottaker", "recipient", "til", "sendt til", "departement")),
    Field("lead_org_id", "ref", ("Hovedansvarlig", "Lead organisation"), ref="organisations",
          aliases=("ansvarlig", "ledende organisasjon", "lead", "lead organisation", "lead organization")),
    fields.responsible_person(),
    Field("chapter", "chapter", ("Kapittel", "Chapter"), search_weight=3.0, aliases=("kap.", "kap", "kapittel", "chapter")),
    Field("post", "post", ("Post", "Post"), aliases=("post", "budsjettpost", "item")),
    Field("chapter_name", "longtext", ("Kapittelnavn", "Chapter name"), search_weight=3.0,
          aliases=("kapittelnavn", "navn på kapittel", "chapter name")),
    Field("post_name", "longtext", ("Postnavn", "Post name"), search_weight=3.0,
          aliases=("postnavn", "navn på post", "post name")),
    Field("ask", "longtext", ("Hva vi ber om", "What we ask for"), search_weight=2.0,
          aliases=("hva vi ber om", "ønske", "ask", "forslag", "what we ask")),
    Field("ask_amount", "amount", ("Beløp vi ber om", "Amount asked"),
          aliases=("beløp", "beløp vi ber om", "ønsket beløp", "ask amount", "amount", "amount asked")),
    Field("prop_amount", "amount", ("Beløp i Prop. 1 S", "Amount in Prop. 1 S"),
          aliases=("prop. 1 s", "beløp i prop. 1 s", "prop 1 s", "proposed", "prop amount", "proposed amount")),
    Field("adopted_amount", "amount", ("Vedtatt beløp", "Amount adopted"),
          aliases=("vedtatt", "vedtatt beløp", "adopted", "adopted amount")),
    Field("sent_on", "date", ("Sendt dato", "Sent on"), aliases=("sendt", "sendt dato", "sent", "sent on", "dato")),
    Field("hearing_application_deadline", "date", ("Søknadsfrist budsjetthøring", "Hearing application deadline"),
          aliases=("søknadsfrist", "søknadsfrist budsjetthøring", "hearing application deadline")),
    Field("hearing_on", "date", ("Dato for budsjetthøring", "Budget hearing date"),
          aliases=("budsjetthøring", "høringsdato", "hearing", "hearing date")),
    Field("document_url", "url", ("Lenke til dokument", "Document link"),
          aliases=("lenke", "dokument", "url", "link", "document", "document url")),
    *fields.common_fields(),
), links=(
    Link("cosigners", "budget_input_cosigners", "budget_input_id", "organisation_id", "organisations",
         ("Medunderskrivere", "Co-signers")),
    Link("saker", "budget_input_saker", "budget_input_id", "sak_id", "saker", ("Saker", "Topics")),
))

# A budget year's cycle: the dates of Prop. 1 S, the hearing, the votes and the revised budget.
YEAR_KIND = fields.Kind("budget_years", (
    Field("budget_year", "year", ("Budsjettår", "Budget year"), required=True),
    Field("prop1s_on", "date", ("Prop. 1 S legges fram", "Prop. 1 S presented")),
    Field("hearing_application_deadline", "date", ("Søknadsfrist høring", "Hearing application deadline")),
    Field("hearing_on", "date", ("Høring i komiteen", "Committee hearing")),
    Field("frames_vote_on", "date", ("Rammevedtak", "Frames vote")),
    Field("final_vote_on", "date", ("Endelig vedtak", "Final vote")),
    Field("revised_on", "date", ("Revidert budsjett", "Revised budget")),
    *fields.common_fields(),
))

# The form's order, for its fields and its messages.
FIELD_ORDER = KIND.names
FORM_ORDER = (*FIELD_ORDER[:7], "cosigners", *FIELD_ORDER[7:18], "saker", *FIELD_ORDER[18:])
INPUT_TEXT_FIELDS = KIND.of_type("title", "longtext", "url")
INPUT_DATE_FIELDS = KIND.of_type("date")
AMOUNT_FIELDS = KIND.of_type("amount")
MIN_YEAR, MAX_YEAR = 1990, 2100
_CHAPTER = re.compile(r"^(?:kap(?:ittel)?\.?\s*)?(\d{1,4})$", re.I)
_POST = re.compile(r"^(?:post\s*)?(\d{2})$", re.I)


def next_phase(phase: str) -> str | None:
    """The phase after this one in the yearly cycle, or None after the revised budget."""
    index = codes.BUDGET_PHASES.index(phase)
    return codes.BUDGET_PHASES[index + 1] if index + 1 < len(codes.BUDGET_PHASES) else None


def suggested_outcome(ask_amount, prop_amount, adopted_amount) -> str:
    """What the amounts say: innfridd (got the ask), delvis (above Prop. 1 S), ikke, or ukjent."""
    if adopted_amount is None or ask_amount is None:
        return "ukjent"
    if adopted_amount >= ask_amount:
        return "innfridd"
    if prop_amount is None:
        return "ukjent"
    return "delvis" if adopted_amount > prop_amount else "ikke"


def parse_chapter(value) -> tuple[str | None, str | None]:
    """(chapter, error key): «621», «kap. 621» -> "621"; 1–4 digits, not 0."""
    text = validation.clean_text(value)
    if text is None:
        return None, None
    match = _CHAPTER.match(text)
    if not match or int(match.group(1)) == 0:
        return None, "validation.chapter"
    return str(int(match.group(1))), None


def parse_post(value) -> tuple[str | None, str | None]:
    """(post, error key): exactly two digits, «01»–«99» («post 70» is fine, «7» is not)."""
    text = validation.clean_text(value)
    if text is None:
        return None, None
    match = _POST.match(text)
    if not match or match.group(1) == "00":
        return None, "validation.post"
    return match.group(1), None


def parse_year(value) -> tuple[int | None, str | None]:
    """(budget year, error key) from a number or text; between 1990 and 2100."""
    if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
        return None, None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None, "validation.budget_year"
    if number != int(number) or not MIN_YEAR <= number <= MAX_YEAR:
        return None, "validation.budget_year"
    return int(number), None


def clean_budget_input(db: Database, values: dict, previous: dict | None = None) -> tuple[dict, dict]:
    """Check a budget input as typed; return (row for the table, links) or raise ValidationError.

    Amounts accept what people type (see amounts.parse_amount). When the outcome is left as
    `ukjent` and the adopted amount is known, the outcome follows from the amounts.
    """
    values = {**values, "phase": values.get("phase") or "vaarinnspill", "outcome": values.get("outcome") or "ukjent"}
    row, links, errors = fields.clean_fields(db, KIND, values)
    for field in AMOUNT_FIELDS:
        try:
            row[field], errors[field] = parse_amount(values.get(field)), None
        except AmountError as error:
            row[field], errors[field] = None, error.key
    row["budget_year"], errors["budget_year"] = parse_year(values.get("budget_year"))
    if row["budget_year"] is None and not errors["budget_year"]:
        has_adopted = row["adopted_amount"] is not None or errors.get("adopted_amount")
        errors["budget_year"] = "validation.adopted_needs_year" if has_adopted else "validation.required"
    row["chapter"], errors["chapter"] = parse_chapter(values.get("chapter"))
    row["post"], errors["post"] = parse_post(values.get("post"))
    if row["post"] and not row["chapter"] and not errors["chapter"]:
        errors["chapter"] = "validation.post_needs_chapter"
    if row["outcome"] == "ukjent" and not errors["outcome"]:
        row["outcome"] = suggested_outcome(row["ask_amount"], row["prop_amount"], row["adopted_amount"])
    if not errors["hearing_on"] and not errors["hearing_application_deadline"] and validation.not_before(
            row["hearing_on"], row["hearing_application_deadline"]):
        errors["hearing_on"] = "validation.hearing_before_application"
    fields.raise_errors(errors, FORM_ORDER)  # messages in the order the form shows the fields
    return row, {"cosigners": [], "saker": [], **links}


def create_budget_input(db: Database, actor: Actor, values: dict) -> int:
    """Create a budget input with its co-signers and saker (audited); return its id."""
    return fields.save(db, actor, KIND, values, clean_budget_input)


def update_budget_input(db: Database, actor: Actor, input_id: int, values: dict, expected_version: int) -> int:
    """Save an edited budget input if nobody saved it since `expected_version`; return the new version.

    Fields and links not in `values` keep what is saved.
    """
    return fields.save(db, actor, KIND, values, clean_budget_input, input_id, expected_version)


def set_phase(db: Database, actor: Actor, input_id: int, phase: str, expected_version: int) -> int:
    """Move a budget input to a phase (audited, version-checked); return the new version."""
    require(actor, EDIT)
    validation.raise_if_any({"phase": validation.one_of(phase, codes.BUDGET_PHASES, nullable=False)})
    return records.update(db, actor, "budget_inputs", input_id, {"phase": phase}, expected_version)


def set_adopted_amount(db: Database, actor: Actor, input_id: int, amount, expected_version: int) -> int:
    """Record the adopted amount as typed (audited); an `ukjent` outcome follows from the amounts."""
    require(actor, EDIT)
    try:
        adopted = parse_amount(amount)
    except AmountError as error:
        raise ValidationError({"adopted_amount": error.key}) from None
    if adopted is None:
        raise ValidationError({"adopted_amount": "validation.required"})
    with write_transaction(db):
        current = fields.locked(db, KIND, input_id, expected_version)
        values = {"adopted_amount": adopted}
        if current["outcome"] == "ukjent":
            values["outcome"] = suggested_outcome(current["ask_amount"], current["prop_amount"], adopted)
        return records.update(db, actor, "budget_inputs", input_id, values, expected_version)


def delete_budget_input(db: Database, actor: Actor, input_id: int, expected_version: int) -> None:
    """Delete a budget input (its links go with it; the audit log keeps the row)."""
    records.delete(db, actor, "budget_inputs", input_id, expected_version)


def clean_budget_year(db: Database, values: dict, previous: dict | None = None) -> tuple[dict, dict]:
    """Check a budget year's cycle dates; return (row, links) or raise ValidationError.

    Dates must follow the cycle: Prop. 1 S, hearing (its application deadline before it),
    frames vote, final vote, revised budget. A year is recorded once.
    """
    row, _, errors = fields.clean_fields(db, YEAR_KIND, values)
    row["budget_year"], errors["budget_year"] = parse_year(values.get("budget_year"))
    if row["budget_year"] is None:
        errors["budget_year"] = errors["budget_year"] or "validation.required"
    elif db.execute("SELECT id FROM budget_years WHERE budget_year = ? AND id IS NOT ?",
                    [row["budget_year"], previous["id"] if previous else None]).fetchone():
        errors["budget_year"] = "validation.budget_year_exists"
    order = ["prop1s_on", "hearing_on", "frames_vote_on", "final_vote_on", "revised_on"]
    checks = [("hearing_application_deadline", "prop1s_on"), ("hearing_on", "hearing_application_deadline")]
    checks += [(later, earlier) for i, later in enumerate(order) for earlier in order[:i]]
    for later, earlier in checks:
        if not errors.get(later) and not errors.get(earlier) and validation.not_before(row[later], row[earlier]):
            errors[later] = "validation.cycle_order"
    fields.raise_errors(errors)
    return row, {}


def create_budget_year(db: Database, actor: Actor, values: dict) -> int:
    """Record a budget year's cycle dates (audited); return its id."""
    return fields.save(db, actor, YEAR_KIND, values, clean_budget_year)


def update_budget_year(db: Database, actor: Actor, year_id: int, values: dict, expected_version: int) -> int:
    """Save a budget year's edited dates if unchanged since `expected_version`; return the new version."""
    return fields.save(db, actor, YEAR_KIND, values, clean_budget_year, year_id, expected_version)


# ---------------------------------------------------------------- spreadsheet import

def check_import_row(db: Database, values: dict, raw: dict) -> dict[str, str]:
    """A spreadsheet row's problems as the form would name them (the importer's row rule for budget inputs)."""
    checked, errors = fields.validated(lambda: clean_budget_input(db, values))
    if checked is not None:
        row, _ = checked
        # The validator's reading of year, chapter and post («kap. 621» -> "621") is what is stored.
        values.update({k: row[k] for k in values if k in row})
        if "outcome" not in values and row["outcome"] != "ukjent":
            values["outcome"] = row["outcome"]  # follows from the amounts, as in the form
    return errors


def duplicate_keys(values: dict) -> list[tuple]:
    """What makes two budget inputs the same: title, year and recipient, or year, kap., post and phase."""
    keys = [("title", fields.normal_key(values.get("title")), values.get("budget_year"),
             values.get("recipient_org_id"))]
    if values.get("chapter") and values.get("post"):
        keys.append(("post", values.get("budget_year"), str(values["chapter"]).strip().lstrip("0"),
                     str(values["post"]).strip().lstrip("0"), values.get("phase")))
    return keys


IMPORT = fields.ImportSpec(KIND, check_import_row, duplicate_keys, derived=frozenset({"outcome"}))
