"""Widgets drawn from a field's description: a form's input and a record's value for fields no form lays out.

A form places the fields it knows by hand; `extra_fields` gives the rest of its kind, so a field added
to a kind's description (and its migration) appears in the form, on the record and in conflicts at once.
"""

from datetime import date

import streamlit as st

from krem_advocacy.domain import organisations
from krem_advocacy.domain.fields import Field, Kind
from krem_advocacy.text import codes, formatting
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read

DATE_FORMAT = "DD.MM.YYYY"
# The types drawn here; a form lays out references, amounts and budget lines itself, except references
# to people in the directory (a responsible person), which are drawn here as a picker of people.
DRAWN_TYPES = ("title", "text", "longtext", "url", "date", "flag", "code", "integer", "year")


def is_drawn(field: Field) -> bool:
    """True when this module can draw the field (its type, or a reference to a person)."""
    return field.type in DRAWN_TYPES or (field.type == "ref" and field.ref == "people")


def extra_fields(kind: Kind, placed, hidden=("source",)) -> tuple[Field, ...]:
    """The kind's fields a form does not place itself (nor hides), in the kind's order."""
    return tuple(f for f in kind.fields if f.name not in set(placed) | set(hidden) and is_drawn(f))


def people(ctx: PageContext) -> dict[int, str]:
    """Everyone in the directory as {id: «name (organisation)»}, for person pickers."""
    frame = read(ctx, organisations.people_options)
    return {int(r.id): f"{r.name} ({r.organisation})" if isinstance(r.organisation, str) and r.organisation
            else r.name for r in frame.itertuples()}


def initial(field: Field, value):
    """A saved value as its widget wants it (a date object, a bool, '' for empty text)."""
    if field.type == "date":
        return formatting.parse_date(value)
    if field.type == "flag":
        return bool(value)
    if field.type in ("title", "text", "longtext", "url"):
        return value or ""
    return value


def draw(ctx: PageContext, field: Field, key: str, where=st):
    """The input for one field, labelled in the page's language; returns what was typed or chosen."""
    label = field.label_in(ctx.lang) + (" *" if field.required else "")
    if field.type == "longtext":
        return where.text_area(label, key=key, height=80, max_chars=field.length)
    if field.type in ("title", "text", "url"):
        return where.text_input(label, key=key, max_chars=field.length)
    if field.type == "date":
        return where.date_input(label, key=key, format=DATE_FORMAT, min_value=date(1990, 1, 1),
                                max_value=date(ctx.today.year + 10, 12, 31))
    if field.type == "flag":
        return where.checkbox(label, key=key)
    if field.type == "code":
        return where.selectbox(label, codes.CODE_LISTS[field.code_list], key=key, index=None,
                               placeholder=ctx.t("common.none"), format_func=lambda c: ctx.label(field.code_list, c))
    if field.type == "ref":
        names = people(ctx)
        return where.selectbox(label, list(names), key=key, index=None, placeholder=ctx.t("common.none"),
                               format_func=lambda i: names.get(i, str(i)))
    return where.number_input(label, key=key, value=None, step=1, format="%d")


def shown(ctx: PageContext, field: Field, value) -> str:
    """A saved or typed value as people read it (DD.MM.YYYY, Ja/Nei, a code's label)."""
    if value is None or value == "":
        return ""
    if field.type == "date":
        return formatting.format_date(value)
    if field.type == "flag":
        return ctx.t("common.yes" if value else "common.no")
    if field.type == "code":
        return ctx.label(field.code_list, value)
    if field.type == "ref":
        return people(ctx).get(int(value), str(value))
    return str(value).strip()
