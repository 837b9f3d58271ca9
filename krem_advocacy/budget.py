"""Budget inputs (innspill til statsbudsjettet) and the budget years: reads and aggregates."""

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.db import read_frame, read_one

LIST_SQL = """
SELECT b.id, b.title, b.budget_year, b.phase, r.short_name AS recipient, r.name AS recipient_name,
       b.chapter, b.post, b.post_name, b.ask_amount, b.prop_amount, b.adopted_amount, b.outcome,
       b.sent_on, b.hearing_application_deadline, b.hearing_on, b.is_example
  FROM budget_inputs b LEFT JOIN organisations r ON r.id = b.recipient_org_id
 WHERE (:budget_year IS NULL OR b.budget_year = :budget_year)
   AND (:phase IS NULL OR b.phase = :phase)
   AND (:outcome IS NULL OR b.outcome = :outcome)
   AND (:text IS NULL OR b.title LIKE '%' || :text || '%' OR b.post_name LIKE '%' || :text || '%'
        OR b.chapter = :text)
 ORDER BY b.budget_year DESC, CAST(b.chapter AS INTEGER), b.post, b.title
"""

# Asked vs. proposed vs. adopted per budget year, in kroner.
AMOUNTS_BY_YEAR_SQL = """
SELECT budget_year, SUM(ask_amount) AS asked, SUM(prop_amount) AS proposed,
       SUM(adopted_amount) AS adopted, COUNT(*) AS inputs
  FROM budget_inputs GROUP BY budget_year ORDER BY budget_year
"""


def list_budget_inputs(db: Database, budget_year=None, phase=None, outcome=None, text=None) -> pd.DataFrame:
    """Budget inputs matching the filters, newest year first, by chapter and post."""
    return read_frame(db, LIST_SQL, {
        "budget_year": budget_year, "phase": phase, "outcome": outcome,
        "text": (text or "").strip() or None,
    })


def get_budget_input(db: Database, input_id: int, include_internal: bool = False) -> dict | None:
    """One budget input with recipient, lead, co-signers and linked saker."""
    record = read_one(db, """
        SELECT b.*, r.name AS recipient_name, lead.name AS lead_org_name
          FROM budget_inputs b LEFT JOIN organisations r ON r.id = b.recipient_org_id
          LEFT JOIN organisations lead ON lead.id = b.lead_org_id WHERE b.id = ?""", [input_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    record["cosigners"] = read_frame(db, """
        SELECT o.id, o.name FROM budget_input_cosigners c JOIN organisations o ON o.id = c.organisation_id
         WHERE c.budget_input_id = ? ORDER BY o.name""", [input_id])
    record["saker"] = read_frame(db, """
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
