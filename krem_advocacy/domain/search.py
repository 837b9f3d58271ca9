"""Full-text search across every kind of record (SQLite FTS5 indexes made by migration 0400)."""

import re

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import kinds
from krem_advocacy.store import migrations
from krem_advocacy.store.connection import read_frame, searching

# The kinds of result, in the order the results page offers them as filters.
KINDS = ("sak", "hoering", "budget_input", "meeting", "agenda_item", "tilsagn", "organisation", "person")

# Column weights for bm25, in the order the search index holds the columns (migration 0400), from each
# kind's description: a word in a title counts far more than one in a long text, so «bolig» puts
# «Rett til egnet bolig» first.
WEIGHTS = {kind.table: tuple(kind.searchable[column] for column in migrations.schema()[f"{kind.table}_fts"])
           for kind in kinds.ALL if kind.searchable}

# The columns that name a record: a hit where every word is in them ranks above any hit in the text.
TITLE_COLUMNS = {
    "saker": "title", "hoeringer": "title", "budget_inputs": "title", "meetings": "title",
    "agenda_items": "title", "organisations": "name short_name", "people": "name",
}

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
MAX_RESULTS = 100

# Markers around matched words in snippets; the UI turns them into bold text after escaping.
MARK_START, MARK_END = "\x02", "\x03"

_WORD = re.compile(r"\w+", re.UNICODE)


def _weights(table: str) -> str:
    return ", ".join(str(w) for w in WEIGHTS[table])


def _hit(table: str, kind: str, select: str, joins: str = "") -> str:
    # Joined on r.id, not r.rowid: for viewers `r` is a view of the public rows, and views have no rowid.
    # One kind's matches: the record, where it opens, its date, a snippet, its tier and bm25 rank.
    # bm25 is computed per table (a word rare in one table scores high there), so ranks of different
    # kinds are only roughly comparable: the tier comes first (0: every word is a whole word of the title
    # or name, «bolig» in «Rett til egnet bolig»; 1: every word starts a word of it, «boliger»; 2: elsewhere).
    title = TITLE_COLUMNS.get(table)

    def in_title(parameter: str) -> str:
        return (f"r.id IN (SELECT rowid FROM [{table}_fts] WHERE [{table}_fts] MATCH "
                f"'{{{title}}} : (' || {parameter} || ')')")
    tier = f"CASE WHEN {in_title(':whole')} THEN 0 WHEN {in_title(':match')} THEN 1 ELSE 2 END" if title else "2"
    return f"""
    SELECT '{kind}' AS kind, {select},
           snippet([{table}_fts], -1, :mark_start, :mark_end, '…', 16) AS snippet,
           {tier} AS tier, bm25([{table}_fts], {_weights(table)}) AS rank
      FROM [{table}_fts] JOIN [{table}] r ON r.id = [{table}_fts].rowid {joins}
     WHERE [{table}_fts] MATCH :match"""


# Each hit: kind, record_id, title, day, open_table/open_id (the page and record that shows it), snippet, tier, rank.
SEARCH_SQL = "SELECT * FROM (" + "\nUNION ALL".join([
    _hit("saker", "sak", "r.id AS record_id, r.title, r.started_on AS day, 'saker' AS open_table, "
                         "r.id AS open_id"),
    _hit("hoeringer", "hoering", "r.id, r.title, COALESCE(r.submitted_on, r.deadline, r.published_on), "
                                 "'hoeringer', r.id"),
    _hit("budget_inputs", "budget_input", "r.id, r.title, COALESCE(r.sent_on, r.hearing_on), "
                                          "'budget_inputs', r.id"),
    _hit("meetings", "meeting", "r.id, r.title, substr(r.starts_at, 1, 10), 'meetings', r.id"),
    _hit("agenda_items", "agenda_item", "r.id, r.title || ' – ' || m.title, substr(m.starts_at, 1, 10), "
                                        "'meetings', m.id", "JOIN meetings m ON m.id = r.meeting_id"),
    _hit("tilsagn", "tilsagn", "r.id, r.text, substr(m.starts_at, 1, 10), 'meetings', m.id",
         "JOIN meetings m ON m.id = r.meeting_id"),
    _hit("organisations", "organisation", "r.id, r.name || COALESCE(' (' || r.short_name || ')', ''), "
                                          "NULL, 'organisations', r.id"),
    _hit("people", "person", "r.id, r.name, NULL, 'people', r.id"),
]) + ")\nORDER BY tier, kind <> 'sak', rank, day DESC LIMIT :limit"

# Records linked to the saker found: found by the sak even when their own text does not have the word.
LINKED_SQL = """
SELECT 'hoering' AS kind, h.id AS record_id, h.title, COALESCE(h.submitted_on, h.deadline, h.published_on) AS day,
       'hoeringer' AS open_table, h.id AS open_id, l.sak_id AS via_sak_id
  FROM hoering_saker l JOIN hoeringer h ON h.id = l.hoering_id WHERE l.sak_id IN ({marks})
UNION ALL
SELECT 'budget_input', b.id, b.title, COALESCE(b.sent_on, b.hearing_on), 'budget_inputs', b.id, l.sak_id
  FROM budget_input_saker l JOIN budget_inputs b ON b.id = l.budget_input_id WHERE l.sak_id IN ({marks})
UNION ALL
SELECT 'agenda_item', a.id, a.title || ' – ' || m.title, substr(m.starts_at, 1, 10), 'meetings', m.id, a.sak_id
  FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.sak_id IN ({marks})
UNION ALL
SELECT 'tilsagn', t.id, t.text, substr(m.starts_at, 1, 10), 'meetings', m.id, t.sak_id
  FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id WHERE t.sak_id IN ({marks})
ORDER BY day DESC
"""


def terms(text: str | None) -> list[str]:
    """The words of a user's query (letters and digits only), at most MAX_TERMS of them."""
    words = _WORD.findall((text or "").replace("_", " "))
    return [w[:MAX_TERM_LENGTH] for w in words][:MAX_TERMS]


def match_expression(text: str | None, prefix: bool = True) -> str | None:
    """An FTS5 query that can never be a syntax error: every word quoted, all required, as the start of
    a word (or, with prefix=False, as a whole word).

    «bolig AND "nav» becomes `"bolig"* "AND"* "nav"*`; None when there is no word to search for.
    """
    words = terms(text)
    return " ".join(f'"{w}"' + ("*" if prefix else "") for w in words) if words else None


def search(db: Database, text: str | None, limit: int = MAX_RESULTS) -> pd.DataFrame:
    """Records whose public text has every word of `text` (as a word or the start of one), best first.

    Columns: kind, record_id, title, day, open_table, open_id, snippet, tier, rank. Empty when nothing matches.
    """
    match = match_expression(text)
    if match is None:
        return _empty(["kind", "record_id", "title", "day", "open_table", "open_id", "snippet", "tier", "rank"])
    # Every hit is joined with the table as the reader sees it (for a viewer, the public view), so the
    # index may be read on a viewer's guarded connection (store/connection.searching).
    with searching(db):
        return read_frame(db, SEARCH_SQL, {"match": match, "whole": match_expression(text, prefix=False),
                                           "limit": limit, "mark_start": MARK_START, "mark_end": MARK_END})


def linked(db: Database, sak_ids: list[int], exclude: pd.DataFrame | None = None) -> pd.DataFrame:
    """Høringer, budget inputs, agenda items and tilsagn linked to these saker, each once.

    Grouped by sak in the order given, newest first within a sak.

    Columns: kind, record_id, title, day, open_table, open_id, via_sak_id, via_sak. Records already in
    `exclude` (a frame with kind and record_id, e.g. the direct hits) are left out.
    """
    columns = ["kind", "record_id", "title", "day", "open_table", "open_id", "via_sak_id", "via_sak"]
    ids = [int(i) for i in sak_ids]
    if not ids:
        return _empty(columns)
    marks = ", ".join("?" for _ in ids)
    frame = read_frame(db, LINKED_SQL.format(marks=marks), ids * 4)
    # A record linked to several of the saker is shown once, under the best-ranked sak (first in sak_ids).
    order = {sak_id: position for position, sak_id in enumerate(ids)}
    frame = frame.assign(_order=frame["via_sak_id"].map(order)).sort_values(["_order"], kind="stable")
    frame = frame.drop_duplicates(["kind", "record_id"])
    if exclude is not None and not exclude.empty:
        seen = set(zip(exclude["kind"], exclude["record_id"]))
        keep = [(k, r) not in seen for k, r in zip(frame["kind"], frame["record_id"])]
        frame = frame[pd.Series(keep, index=frame.index, dtype=bool)]
    titles = dict(db.execute(f"SELECT id, title FROM saker WHERE id IN ({marks})", ids).fetchall())
    frame = frame.assign(via_sak=frame["via_sak_id"].map(titles))
    return frame[columns].reset_index(drop=True)


def search_all(db: Database, text: str | None) -> dict:
    """The results page's data: direct hits, records linked to the saker found, and the words searched."""
    hits = search(db, text)
    # Only saker named by the words bring their linked records along: a sak that merely mentions a word
    # in its background would flood the results with records that have nothing to do with it.
    sak_ids = list(hits.loc[(hits["kind"] == "sak") & (hits["tier"] <= 1), "record_id"])
    return {"terms": terms(text), "hits": hits, "linked": linked(db, sak_ids, exclude=hits)}


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in columns})
