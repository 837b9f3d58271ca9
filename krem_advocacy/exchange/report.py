"""The influence report as a document: assembled once as data, then shown on the page and written as Word and PDF.

`assemble` turns the figures of `domain.report` into a `Document` in one language: key figures beside
the period before, and per section a short text in plain language, charts (an Altair builder with its
small frame) and tables (formatted cells). The Rapport page draws that document; `to_docx` and `to_pdf`
write it, with the charts as PNG images rendered by vl-convert (no browser). All three read the same
`Document`, so the page and both files say the same. The entry points for downloads take the database
connection the page's role gets (`ui.data.read`), so a viewer's file holds no internal record.
"""

import functools
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import vl_convert
from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from sqlite_utils import Database

from krem_advocacy.charts import report as report_charts
from krem_advocacy.domain import report as figures
from krem_advocacy.domain.report import ACTIVITY_KINDS, BUDGET_OUTCOMES, TILSAGN_OUTCOMES, Period, Report
from krem_advocacy.text import amounts, formatting, i18n

# ---------------------------------------------------------------- the document as data


@dataclass(frozen=True)
class KeyFigure:
    """One key figure: its label, the value now and in the period before (shown), and the change."""

    key: str
    label: str
    value: str
    previous: str
    change: str
    number: float | None = None
    previous_number: float | None = None
    short: str = ""  # a label short enough for a key-figure card on a phone


@dataclass(frozen=True)
class Table:
    """A table with the numbers of a chart or a list: headings and rows of formatted cells.

    `numeric` marks the columns aligned right; `links` gives, per row, the (table, id) of the record it
    shows (the page links it; the documents do not).
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    links: tuple = ()

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(self.columns))


@dataclass(frozen=True)
class Chart:
    """A chart: a builder of krem_advocacy.charts.report, its arguments, and a title and description."""

    key: str
    title: str
    builder: Callable
    args: tuple
    kwargs: tuple = ()  # sorted (name, value) pairs
    description: str = ""

    def build(self, width="container"):
        """The Altair chart, as wide as its container (the page) or a number of pixels (the files)."""
        return self.builder(*self.args, **dict(self.kwargs), width=width)


@dataclass(frozen=True)
class Part:
    """A piece of a section under its own heading: one sak with its trail."""

    heading: str
    summary: str
    table: Table
    link: tuple | None = None  # (table, id) of the record it is about


@dataclass(frozen=True)
class Section:
    """One section of the report: heading, plain-language text, charts, tables and parts."""

    key: str
    heading: str
    summary: tuple[str, ...]
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    parts: tuple[Part, ...] = ()
    notes: tuple[str, ...] = ()

    def arranged(self) -> list[tuple["Chart | None", "Table | None"]]:
        """Each chart with the table of its numbers (the table with its title), then the other tables.

        The order the page and both files show them in.
        """
        used, pairs = set(), []
        for chart in self.charts:
            numbers = next((t for t in self.tables if t.title == chart.title and id(t) not in used), None)
            if numbers is not None:
                used.add(id(numbers))
            pairs.append((chart, numbers))
        return pairs + [(None, table) for table in self.tables if id(table) not in used]


@dataclass(frozen=True)
class Document:
    """The whole report in one language: what the page shows and both files hold."""

    title: str
    subtitle: str
    lang: str
    period_label: str
    previous_label: str
    intro: tuple[str, ...]
    figures: tuple[KeyFigure, ...]
    sections: tuple[Section, ...]
    made_on: str
    internal: bool = False
    scope: dict | None = None  # the organisation (id, name, short_name); None = the whole forum
    notes: tuple[str, ...] = field(default=())

    @property
    def headings(self) -> list[str]:
        """The title and every section heading, in order (both files have exactly these)."""
        return [self.title, *[s.heading for s in self.sections]]


def assemble(db: Database, start: date, end: date, today: date, org_id: int | None = None, lang: str = "nb",
             internal: bool = False) -> Document | None:
    """The report for the period and scope as a Document in `lang`; None when the organisation is not visible.

    `internal` says the connection shows internal records (an editor's choice): the document says so.
    """
    built = figures.build(db, start, end, today, org_id)
    if built is None:
        return None
    return compose(built, lang, today, internal)


def compose(built: Report, lang: str, today: date, internal: bool = False) -> Document:
    """The Document of already counted figures (see `assemble`)."""
    w = _Writer(built, lang)
    sections = (w.hoeringer(), w.meetings(), w.tilsagn(), w.budget(), w.saker(), w.activity())
    notes = [w.t("report.note.ongoing", through=formatting.format_date(built.period.through),
                 previous=w.previous_label)] if built.period.ongoing else []
    if internal:
        notes.append(w.t("report.note.internal"))
    return Document(
        title=w.t("report.doc_title", who=w.scope_name),
        subtitle=w.t("report.subtitle", period=w.period_label, previous=w.previous_label),
        lang=lang, period_label=w.period_label, previous_label=w.previous_label,
        intro=(w.t("report.intro_forum") if built.organisation is None else
               w.t("report.intro_org", whose=genitive(w.scope_name, lang)),),
        figures=w.key_figures(), sections=(w.overview(), *sections),
        made_on=formatting.format_date(today), internal=internal, scope=built.organisation, notes=tuple(notes),
    )


# ---------------------------------------------------------------- words: counts, changes, lists

def count_form(n: int) -> str:
    """The catalogue's form for a count: `zero`, `one` or `other`."""
    return "zero" if n == 0 else "one" if n == 1 else "other"


def join_words(parts: list[str], lang: str) -> str:
    """«a, b og c» / «a, b and c»."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + i18n.t("report.word.and", lang) + parts[-1]


def compare(n: int, before: int, before_label: str, lang: str) -> str:
    """How a count differs from the period before, as the end of a sentence: «, 5 flere enn i 2024»."""
    if n == 0 and before == 0:
        return i18n.t("report.compare.neither", lang, before=before_label)
    if n == 0:
        return i18n.t("report.compare.against", lang, p=before, before=before_label)
    difference = n - before
    if difference == 0:
        return i18n.t("report.compare.same", lang, before=before_label)
    form = "one" if abs(difference) == 1 else "other"
    key = "more" if difference > 0 else "fewer"
    return i18n.t(f"report.compare.{key}.{form}", lang, d=abs(difference), before=before_label)


def genitive(name: str, lang: str) -> str:
    """«KREMs», «Batteriets» / «KREM's»; a name ending in s, x or z takes an apostrophe only (nb)."""
    if lang == "en":
        return f"{name}'" if name.endswith("s") else f"{name}'s"
    return f"{name}'" if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def percent(share: float | None, lang: str) -> str:
    """«40 %» (nb) / «40%» (en); empty without a share."""
    if share is None:
        return ""
    value = round(share * 100)
    return f"{value}{formatting.NBSP}%" if lang == "nb" else f"{value}%"


def period_label(chosen: Period, lang: str) -> str:
    """«2025», or «01.03.2025–31.08.2025»; «(til og med 02.03.2026)» while it is going on."""
    label = str(chosen.year) if chosen.year else \
        f"{formatting.format_date(chosen.start)}–{formatting.format_date(chosen.end)}"
    if chosen.ongoing:
        label += " " + i18n.t("report.period.through", lang, day=formatting.format_date(chosen.through))
    return label


def _when(chosen: Period, lang: str) -> str:
    # «i 2025» / «i perioden 01.03.2025–31.08.2025», for the sentences.
    if chosen.year:
        return i18n.t("report.when.year", lang, year=chosen.year)
    return i18n.t("report.when.period", lang, period=f"{formatting.format_date(chosen.start)}–"
                                                     f"{formatting.format_date(chosen.end)}")


def _before(current: Period, before: Period, lang: str) -> str:
    # «i 2024», «i samme tidsrom i 2024» (a year still going on), «i perioden før».
    if current.year and before.year:
        key = "report.before.same_part" if current.ongoing else "report.before.year"
        return i18n.t(key, lang, year=before.year)
    return i18n.t("report.before.period", lang)


def bucket_label(bucket: str, lang: str, with_year: bool = True) -> str:
    """«okt. 2025» for «2025-10», «3. kv. 2025» / «Q3 2025» for «2025-K3» (the activity chart's axis)."""
    year, rest = bucket.split("-")
    if rest.startswith("K"):
        return i18n.t("report.quarter", lang, q=rest[1:], year=year)
    month = i18n.t(f"report.month.{int(rest)}", lang)
    return f"{month} {year}" if with_year else month


# ---------------------------------------------------------------- the sections, written in one language

class _Writer:
    """Writes the report's sections from the figures in one language."""

    def __init__(self, built: Report, lang: str):
        self.r, self.lang = built, lang
        self.now, self.then = built.current.counts(), built.previous.counts()
        self.org = built.organisation
        self.scope_name = self.org["name"] if self.org else self.t("report.forum")
        self.who = self.org["name"] if self.org else self.t("report.forum_subject")
        self.period_label = period_label(built.period, lang)
        self.previous_label = period_label(built.previous_period, lang)
        self.when = _when(built.period, lang)
        self.before = _before(built.period, built.previous_period, lang)

    def t(self, key: str, **values) -> str:
        return i18n.t(key, self.lang, **values)

    def label(self, code_list: str, code) -> str:
        return i18n.code_label(code_list, code, self.lang)

    def counted(self, key: str, n: int, **values) -> str:
        """The sentence `key` in the form for `n`, ended by how it compares with the period before."""
        before = self.then[values.pop("figure")]
        return self.t(f"{key}.{count_form(n)}", n=n, who=self.who, when=self.when,
                      compare=compare(n, before, self.before, self.lang), **values)

    def amount(self, value) -> str:
        return formatting.format_amount(value) if value is not None else ""

    # ---- key figures

    FIGURES = ("hoeringer_answered", "hoeringer_joint", "ku_meetings", "innlegg", "tilsagn_given",
               "tilsagn_share_fulfilled", "budget_inputs", "budget_change", "saker_moved")
    COUNTED = ("hoeringer_answered", "ku_meetings", "innlegg", "tilsagn_given", "budget_inputs", "saker_moved")

    def figure_label(self, key: str, short: bool = False) -> str:
        base = f"report.metric.{key}" if short else f"report.figure.{key}"
        scoped = f"{base}.org"
        return self.t(scoped) if self.org and scoped in i18n.CATALOGUE["nb"] else self.t(base)

    def key_figures(self) -> tuple[KeyFigure, ...]:
        shown = []
        for key in self.FIGURES:
            now, then = self.now[key], self.then[key]
            if key == "tilsagn_share_fulfilled":
                value, previous = percent(now, self.lang), percent(then, self.lang)
                change = self.t("report.change.points", d=_signed(round((now - then) * 100))) \
                    if now is not None and then is not None else ""
            elif key == "budget_change":
                value, previous = self.short(now), self.short(then)
                change = self.short_signed(now - then) if now is not None and then is not None else ""
            else:
                value, previous, change = str(now), str(then), _signed(now - then)
            shown.append(KeyFigure(key, self.figure_label(key), value or "–", previous or "–", change,
                                   now, then, self.figure_label(key, short=True)))
        return tuple(shown)

    def short(self, value) -> str:
        return amounts.short_amount(value, self.t("report.unit.mill"), self.t("report.unit.mrd"),
                                    self.t("report.unit.decimal")) if value is not None else ""

    def short_signed(self, value) -> str:
        text = self.short(abs(value))
        return f"+{text}" if value > 0 else f"−{text}" if value < 0 else "0"

    def overview(self) -> Section:
        periods = [self.period_label, self.previous_label]
        rows = [{"figure": self.figure_label(k), "period": p, "value": v}
                for k in self.COUNTED for p, v in zip(periods, (self.now[k], self.then[k]))]
        chart = Chart("overview", self.t("report.chart.overview"), report_charts.comparison_chart,
                      (pd.DataFrame(rows), periods, self.t("report.col.figure"), self.t("report.col.count"),
                       self.t("report.col.period")),
                      description=self.t("report.chart.overview_alt"))
        table = Table(self.t("report.table.figures"),
                      (self.t("report.col.figure"), self.period_label, self.previous_label, self.t("report.col.change")),
                      tuple((f.label, f.value, f.previous, f.change) for f in self.key_figures()),
                      (False, True, True, True))
        summary = [self.t("report.overview.text", period=self.period_label, previous=self.previous_label)]
        return Section("overview", self.t("report.section.overview"), tuple(summary), (chart,), (table,))

    # ---- høringer

    def hoeringer(self) -> Section:
        n = self.now
        h = self.r.current.hoeringer
        answered = n["hoeringer_answered"]
        text = [self.counted("report.text.hoeringer", answered, figure="hoeringer_answered")]
        if answered:
            parts = [self.t("report.text.remarks.with", n=n["hoeringer_with_remarks"]) if n["hoeringer_with_remarks"] else "",
                     self.t("report.text.remarks.without", n=n["hoeringer_without_remarks"])
                     if n["hoeringer_without_remarks"] else "",
                     self.t("report.text.remarks.unknown", n=n["hoeringer_answer_type_unknown"])
                     if n["hoeringer_answer_type_unknown"] else ""]
            text.append(capitalised(join_words(parts, self.lang)) + ".")
            if self.org:
                roles = [self.t("report.text.role.led", n=n["hoeringer_led"]) if n["hoeringer_led"] else "",
                         self.t("report.text.role.cosigned", n=n["hoeringer_cosigned"]) if n["hoeringer_cosigned"]
                         else ""]
                text.append(self.t("report.text.roles", who=self.who, roles=join_words(roles, self.lang)))
            text.append(self.joint_sentence(answered, n["hoeringer_joint"]))
            departments = self.r.current.departments
            if len(departments) > 1:
                top = departments.iloc[0]
                even = int(top["answers"]) == int(departments.iloc[1]["answers"])
                text.append(self.t("report.text.departments_even" if even else "report.text.departments",
                                   k=len(departments), top=top["department"], n=int(top["answers"])))
            elif len(departments) == 1:
                text.append(self.t(f"report.text.department.{count_form(answered)}",
                                   top=departments.iloc[0]["department"]))
            known = n["hoeringer_with_result"]
            text.append(self.t("report.text.results", k=known) if known else self.t("report.text.no_results"))
        charts, tables = [], []
        if answered:
            series = {"med_merknad": self.label("answer_type", "med_merknad"),
                      "uten_merknad": self.label("answer_type", "uten_merknad"),
                      "unknown": self.t("report.answer_type_unknown")}
            departments = self.r.current.departments
            long = departments.melt(id_vars="department", value_vars=list(series), var_name="series")
            long = long[long["value"] > 0].rename(columns={"department": "label"})
            charts.append(Chart("departments", self.t("report.chart.departments"), report_charts.bars_chart,
                                (long, self.t("report.col.department"), self.t("report.col.answers"),
                                 self.t("report.col.answer_type"), series),
                                (("colours", {"med_merknad": "#0072B2", "uten_merknad": "#56B4E9",
                                              "unknown": "#BBBBBB"}),)))
            tables.append(Table(self.t("report.chart.departments"),
                                (self.t("report.col.department"), self.t("report.col.answers"),
                                 series["med_merknad"], series["uten_merknad"], series["unknown"]),
                                tuple((r.department_name or r.department, str(r.answers), str(r.med_merknad),
                                       str(r.uten_merknad), str(r.unknown)) for r in departments.itertuples()),
                                (False, True, True, True, True)))
            partners = self.r.current.partners
            if len(partners):
                if self.org:
                    pairs = pd.DataFrame({"label": partners["short_name"], "series": "together",
                                          "value": partners["answers"]})
                    series_p = {"together": self.t("report.col.together")}
                    table = Table(self.t("report.chart.partners_org", who=self.who),
                                  (self.t("report.col.organisation"), self.t("report.col.together")),
                                  tuple((r.name, str(r.answers)) for r in partners.itertuples()), (False, True))
                else:
                    pairs = partners.melt(id_vars="short_name", value_vars=["led", "cosigned"], var_name="series")
                    pairs = pairs[pairs["value"] > 0].rename(columns={"short_name": "label"})
                    series_p = {"led": self.t("report.col.led"), "cosigned": self.t("report.col.cosigned")}
                    table = Table(self.t("report.chart.partners"),
                                  (self.t("report.col.organisation"), self.t("report.col.led"),
                                   self.t("report.col.cosigned"), self.t("report.col.total")),
                                  tuple((r.name, str(r.led), str(r.cosigned), str(r.answers))
                                        for r in partners.itertuples()), (False, True, True, True))
                charts.append(Chart("partners", table.title, report_charts.bars_chart,
                                    (pairs, self.t("report.col.organisation"), self.t("report.col.answers"),
                                     self.t("report.col.role"), series_p)))
                tables.append(table)
            tables.append(Table(
                self.t("report.table.hoeringer"),
                (self.t("report.col.submitted"), self.t("report.col.hoering"), self.t("report.col.department"),
                 self.t("report.col.answer_type"), self.t("report.col.lead"), self.t("report.col.cosigners"),
                 self.t("report.col.result")),
                tuple((formatting.format_date(r.submitted_on), r.title, _cell(r.department),
                       self.label("answer_type", r.answer_type) if _cell(r.answer_type)
                       else self.t("report.answer_type_unknown"),
                       _cell(r.lead_org), _cell(r.cosigners), _cell(r.result)) for r in h.itertuples()),
                links=tuple(("hoeringer", int(i)) for i in h["id"])))
        return Section("hoeringer", self.t("report.section.hoeringer"), tuple(text), tuple(charts), tuple(tables),
                       notes=(self.t("report.note.hoeringer"),))

    def joint_sentence(self, answered: int, joint: int) -> str:
        if joint == 0:
            return self.t(f"report.text.joint.none.{count_form(answered)}")
        if joint == answered:
            return self.t(f"report.text.joint.all.{count_form(answered)}")
        return self.t(f"report.text.joint.some.{count_form(joint)}", j=joint)

    # ---- KU meetings

    def meetings(self) -> Section:
        n, cur = self.now, self.r.current
        if self.org:
            text = [self.counted("report.text.innlegg_org", n["innlegg"], figure="innlegg")]
            if n["ku_meetings"]:
                text.append(self.t(f"report.text.in_meetings.{count_form(n['ku_meetings'])}", m=n["ku_meetings"]))
        else:
            text = [self.counted("report.text.meetings", n["ku_meetings"], figure="ku_meetings")]
            speakers = cur.speakers
            if len(speakers) > 1:
                top = speakers.iloc[0]
                text.append(self.t("report.text.speakers", i=n["innlegg"], top=top["organisation"],
                                   k=int(top["innlegg"])))
            elif len(speakers) == 1:
                text.append(self.t(f"report.text.speaker.{count_form(n['innlegg'])}", i=n["innlegg"],
                                   top=speakers.iloc[0]["organisation"]))
            elif n["ku_meetings"]:
                text.append(self.t("report.text.no_innlegg"))
        themes = cur.themes
        named = themes[themes["theme_code"] != ""].sort_values("innlegg", ascending=False, kind="stable")
        if len(named):
            text.append(self.t("report.text.themes", theme=self.theme(named.iloc[0]), k=int(named.iloc[0]["innlegg"])))
        charts, tables = [], []
        if len(cur.innlegg):
            if self.org:
                people = figures.people_speaking(cur.innlegg)
                people = people.assign(label=[p or self.t("report.no_person") for p in people["person"]])
                frame = pd.DataFrame({"label": people["label"], "series": "innlegg", "value": people["innlegg"]})
                table = Table(self.t("report.chart.people", who=self.who),
                              (self.t("report.col.person"), self.t("report.col.innlegg")),
                              tuple((r.label, str(r.innlegg)) for r in people.itertuples()), (False, True))
            else:
                speakers = cur.speakers
                frame = pd.DataFrame({"label": speakers["org_short"], "series": "innlegg",
                                      "value": speakers["innlegg"]})
                table = Table(self.t("report.chart.speakers"),
                              (self.t("report.col.organisation"), self.t("report.col.innlegg"),
                               self.t("report.col.meetings")),
                              tuple((r.organisation, str(r.innlegg), str(r.meetings)) for r in speakers.itertuples()),
                              (False, True, True))
            charts.append(Chart("speakers", table.title, report_charts.bars_chart,
                                (frame, table.columns[0], self.t("report.col.innlegg"), self.t("report.col.innlegg"),
                                 {"innlegg": self.t("report.col.innlegg")})))
            tables.append(table)
            theme_frame = pd.DataFrame({"label": [self.theme(r) for _, r in themes.iterrows()], "series": "innlegg",
                                        "value": themes["innlegg"]})
            charts.append(Chart("themes", self.t("report.chart.themes"), report_charts.bars_chart,
                                (theme_frame, self.t("report.col.theme"), self.t("report.col.innlegg"),
                                 self.t("report.col.innlegg"), {"innlegg": self.t("report.col.innlegg")}),
                                (("colours", {"innlegg": "#009E73"}),)))
            tables.append(Table(self.t("report.chart.themes"), (self.t("report.col.theme"), self.t("report.col.innlegg")),
                                tuple((label, str(v)) for label, v in zip(theme_frame["label"], theme_frame["value"])),
                                (False, True)))
        if len(cur.meetings):
            innlegg_title = self.t("report.col.own_innlegg", who=self.who) if self.org else self.t("report.col.innlegg")
            tables.append(Table(
                self.t("report.table.meetings"),
                (self.t("report.col.date"), self.t("report.col.meeting"), self.t("report.col.chair"),
                 self.t("report.col.themes"), innlegg_title, self.t("report.col.tilsagn")),
                tuple((formatting.format_date(r.day), r.title, _cell(r.chair), _cell(r.themes), str(r.innlegg),
                       str(r.tilsagn)) for r in cur.meetings.itertuples()),
                (False, False, False, False, True, True), tuple(("meetings", int(i)) for i in cur.meetings["id"])))
        return Section("meetings", self.t("report.section.meetings"), tuple(text), tuple(charts), tuple(tables),
                       notes=(self.t("report.note.meetings"),))

    def theme(self, row) -> str:
        if not row["theme_code"]:
            return self.t("report.no_theme")
        return _cell(row["theme_en"] if self.lang == "en" else row["theme_nb"]) or row["theme_code"]

    # ---- tilsagn

    def tilsagn(self) -> Section:
        n, t = self.now, self.r.current.tilsagn
        given = n["tilsagn_given"]
        key = "report.text.tilsagn_org" if self.org else "report.text.tilsagn"
        text = [self.counted(key, given, figure="tilsagn_given", whose=genitive(self.who, self.lang))]
        charts, tables = [], []
        if given:
            parts = [self.t(f"report.text.status.{code}.{'one' if n['tilsagn_' + code] == 1 else 'other'}",
                            n=n["tilsagn_" + code]) for code in TILSAGN_OUTCOMES if n["tilsagn_" + code]]
            text.append(self.t("report.text.status", parts=join_words(parts, self.lang)))
            text.append(self.t("report.text.share", share=percent(n["tilsagn_share_fulfilled"], self.lang),
                               before=self.before, previous=percent(self.then["tilsagn_share_fulfilled"], self.lang)
                               or self.t("report.none_given")))
            series = {code: self.label("tilsagn_status", code) for code in TILSAGN_OUTCOMES}
            counts = pd.DataFrame({"label": [series[c] for c in TILSAGN_OUTCOMES], "series": list(TILSAGN_OUTCOMES),
                                   "value": [n["tilsagn_" + c] for c in TILSAGN_OUTCOMES]})
            charts.append(Chart("tilsagn", self.t("report.chart.tilsagn"), report_charts.bars_chart,
                                (counts, self.t("report.col.status"), self.t("report.col.tilsagn"),
                                 self.t("report.col.status"), series),
                                (("colours", TILSAGN_COLOURS),)))
            tables.append(Table(self.t("report.chart.tilsagn"), (self.t("report.col.status"), self.t("report.col.tilsagn")),
                                tuple((series[c], str(n["tilsagn_" + c])) for c in TILSAGN_OUTCOMES), (False, True)))
            tables.append(Table(
                self.t("report.table.tilsagn"),
                (self.t("report.col.given"), self.t("report.col.meeting"), self.t("report.col.tilsagn_text"),
                 self.t("report.col.responsible"), self.t("report.col.status"), self.t("report.col.followed_up")),
                tuple((formatting.format_date(r.day), r.meeting, r.text, _cell(r.responsible),
                       self.label("tilsagn_status", r.status),
                       f"{formatting.format_date(r.followed_up_on)} {r.followed_up_meeting}"
                       if _cell(r.followed_up_meeting) else "") for r in t.itertuples()),
                links=tuple(("meetings", int(i)) for i in t["meeting_id"])))
        return Section("tilsagn", self.t("report.section.tilsagn"), tuple(text), tuple(charts), tuple(tables),
                       notes=(self.t("report.note.tilsagn"),))

    # ---- budget

    def budget(self) -> Section:
        n, cur = self.now, self.r.current
        count = n["budget_inputs"]
        key = "report.text.budget_org" if self.org else "report.text.budget"
        text = [self.counted(key, count, figure="budget_inputs")]
        charts, tables = [], []
        lines = cur.budget_lines
        if count:
            text.append(self.t(f"report.text.lines.{count_form(n['budget_lines'])}", n=n["budget_lines"]))
            if n["budget_change"] is not None:
                change = n["budget_change"]
                direction = "more" if change > 0 else "less" if change < 0 else "same"
                text.append(self.t(f"report.text.change.{direction}", amount=self.amount(abs(change))))
            parts = [self.t(f"report.text.outcome.{code}", n=n["budget_" + code])
                     for code in BUDGET_OUTCOMES if n["budget_" + code]]
            text.append(self.t("report.text.outcomes", parts=join_words(parts, self.lang)))
            labelled = lines.assign(line=[self.line(r) for r in lines.itertuples()])
            series = {"ask_amount": self.t("report.col.asked"), "prop_amount": self.t("report.col.proposed"),
                      "adopted_amount": self.t("report.col.adopted")}
            long = labelled.melt(id_vars="line", value_vars=list(series), var_name="series",
                                 value_name="amount").dropna(subset=["amount"])
            if len(long):
                long = long.assign(amount_label=[self.short(a) for a in long["amount"]])
                charts.append(Chart("budget", self.t("report.chart.budget"), report_charts.amounts_chart,
                                    (long.rename(columns={"line": "label"}), series, self.t("report.col.line"),
                                     self.t("report.col.kroner"), self.t("report.col.amount"),
                                     {"mrd": self.t("report.unit.mrd"), "mill": self.t("report.unit.mill"),
                                      "decimal": self.t("report.unit.decimal")})))
            tables.append(Table(
                self.t("report.chart.budget"),
                (self.t("report.col.line"), self.t("report.col.name"), self.t("report.col.asked"),
                 self.t("report.col.proposed"), self.t("report.col.adopted"), self.t("report.col.change_prop"),
                 self.t("report.col.outcome")),
                tuple((self.line(r), r.name, self.amount(_number(r.ask_amount)), self.amount(_number(r.prop_amount)),
                       self.amount(_number(r.adopted_amount)), self.signed_amount(_number(r.change)),
                       self.label("budget_outcome", r.outcome)) for r in lines.itertuples()),
                (False, False, True, True, True, True, False)))
            inputs = cur.budget_inputs
            tables.append(Table(
                self.t("report.table.budget_inputs"),
                (self.t("report.col.day"), self.t("report.col.input"), self.t("report.col.line"),
                 self.t("report.col.phase"), self.t("report.col.outcome")),
                tuple((formatting.format_date(r.day), r.title, self.line(r), self.label("budget_phase", r.phase),
                       self.label("budget_outcome", r.outcome)) for r in inputs.itertuples()),
                links=tuple(("budget_inputs", int(i)) for i in inputs["id"])))
        return Section("budget", self.t("report.section.budget"), tuple(text), tuple(charts), tuple(tables),
                       notes=(self.t("report.note.budget"),))

    def line(self, row) -> str:
        chapter, post = _cell(row.chapter), _cell(row.post)
        if not chapter:
            return self.t("report.line.none", year=row.budget_year)
        key = "report.line.post" if post else "report.line.chapter"
        return self.t(key, year=row.budget_year, chapter=chapter, post=post)

    def signed_amount(self, value) -> str:
        if value is None:
            return ""
        return ("+" if value > 0 else "") + formatting.format_amount(value)

    # ---- saker

    def saker(self) -> Section:
        moved = self.r.current.saker
        text = [self.counted("report.text.saker", len(moved), figure="saker_moved"),
                self.t("report.text.saker_what")]
        if self.org:
            text.append(self.t("report.text.saker_org", who=self.who))
        tables, parts = [], []
        if len(moved):
            tables.append(Table(
                self.t("report.table.saker"),
                (self.t("report.col.sak"), self.t("report.col.lead"), self.t("report.col.theme"),
                 self.t("report.col.events")),
                tuple((r.title, _cell(r.lead_org), _cell(r.theme_en if self.lang == "en" else r.theme_nb),
                       str(len(self.r.trail_records.get(int(r.id), [])))) for r in moved.itertuples()),
                (False, False, False, True), tuple(("saker", int(i)) for i in moved["id"])))
            for row in moved.itertuples():
                trail = self.r.trail_records.get(int(row.id), [])
                parts.append(Part(row.title, self.t(f"report.text.trail.{count_form(len(trail))}", n=len(trail)),
                                  self.trail_table(trail), ("saker", int(row.id))))
        return Section("saker", self.t("report.section.saker"), tuple(text), (), tuple(tables), tuple(parts))

    def trail_table(self, trail: list[dict]) -> Table:
        rows = []
        events = sorted(trail, key=lambda e: (e["day"] is None, e["day"] or "", e["kind"], e["item_id"]))
        for e in events:
            status = {"hoering": "hoering_our_status", "budget_input": "budget_outcome",
                      "agenda_item": "meeting_kind", "tilsagn": "tilsagn_status"}[e["kind"]]
            rows.append((formatting.format_date(e["day"]), self.t(f"report.trail.{e['kind']}"), e["title"],
                         _cell(e["counterpart"]), self.label(status, e["status"])))
        return Table(self.t("report.table.trail"),
                     (self.t("report.col.date"), self.t("report.col.what"), self.t("report.col.title"),
                      self.t("report.col.counterpart"), self.t("report.col.status")), tuple(rows))

    # ---- activity over time

    def activity(self) -> Section:
        frame = self.r.activity
        monthly = not frame.empty and "K" not in frame["bucket"].iloc[0]
        one_year = self.r.period.start.year == self.r.period.through.year
        labels = {b: bucket_label(b, self.lang, with_year=not (monthly and one_year)) for b in frame["bucket"]}
        kinds = {k: self.t(f"report.kind.{k}") for k in ACTIVITY_KINDS}
        total = int(frame["count"].sum()) if len(frame) else 0
        unit = self.t("report.unit.month" if monthly else "report.unit.quarter")
        if total:
            per_bucket = frame.groupby("bucket", sort=False)["count"].sum()
            top = per_bucket.idxmax()
            text = [self.t("report.text.activity", unit=unit, top=bucket_label(top, self.lang),
                           n=int(per_bucket[top]), total=total)]
        else:
            text = [self.t("report.text.no_activity", when=self.when)]
        shown = frame.assign(bucket=frame["bucket"].map(labels))
        buckets = list(dict.fromkeys(shown["bucket"]))
        chart = Chart("activity", self.t("report.chart.activity", unit=unit), report_charts.activity_chart,
                      (shown[["bucket", "kind", "count"]], buckets, kinds, capitalised(unit),
                       self.t("report.col.count"), self.t("report.col.activity")))
        wide = frame.pivot_table(index="bucket", columns="kind", values="count", aggfunc="sum", sort=False) \
            if len(frame) else pd.DataFrame()
        rows = tuple((labels[b], *(str(int(wide.loc[b, k])) for k in ACTIVITY_KINDS)) for b in wide.index)
        table = Table(chart.title, (capitalised(unit), *kinds.values()), rows, (False, *([True] * len(kinds))))
        return Section("activity", self.t("report.section.activity"), tuple(text), (chart,) if total else (),
                       (table,) if total else ())


TILSAGN_COLOURS = {"innfridd": "#009E73", "fulgt_opp": "#E69F00", "ikke_innfridd": "#D55E00", "aapen": "#999999"}


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "0"


def _cell(value) -> str:
    return str(value) if value is not None and value == value and str(value).strip() else ""


def _number(value):
    return None if value is None or value != value else int(value)


# ---------------------------------------------------------------- charts as images

PNG_WIDTH = 520  # pixels of the chart's plotting width in the documents (drawn at twice that)


def chart_png(chart: Chart) -> bytes:
    """The chart as a PNG image (rendered by vl-convert, without a browser), at a fixed width."""
    spec = chart.build(width=PNG_WIDTH).to_dict()
    return _png(json.dumps(spec, sort_keys=True, default=str))


@functools.lru_cache(maxsize=64)
def _png(spec: str) -> bytes:
    # The same chart in the Word file and the PDF is rendered once.
    return vl_convert.vegalite_to_png(json.loads(spec), scale=2)


# ---------------------------------------------------------------- Word

def to_docx(document: Document) -> bytes:
    """The report as a Word document: headings, the texts, each chart as an image with its table."""
    word = WordDocument()
    word.core_properties.title = document.title
    word.core_properties.author = i18n.t("app.name", document.lang)
    normal = word.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    for section in word.sections:
        section.left_margin = section.right_margin = Cm(2)
    word.add_paragraph(document.title, style="Title")
    _note(word.add_paragraph(), document.subtitle)
    for text in (*document.intro, *document.notes):
        word.add_paragraph(text)
    _note(word.add_paragraph(), i18n.t("report.made_on", document.lang, day=document.made_on))
    for section in document.sections:
        word.add_heading(section.heading, level=1)
        for text in section.summary:
            word.add_paragraph(text)
        for chart, table in section.arranged():
            if chart is not None:
                word.add_heading(chart.title, level=2)
                word.add_picture(io.BytesIO(chart_png(chart)), width=Cm(16))
                word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if table is not None:
                _docx_table(word, table, heading=chart is None)
        for part in section.parts:
            word.add_heading(part.heading, level=2)
            word.add_paragraph(part.summary)
            if part.table.rows:
                _docx_table(word, part.table, heading=False)
        for note in section.notes:
            _note(word.add_paragraph(), note)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _note(paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _docx_table(word, table: Table, heading: bool = True) -> None:
    if heading:
        word.add_heading(table.title, level=2)
    grid = word.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = table.numeric or (False,) * len(table.columns)
    for cell, text, right in zip(grid.rows[0].cells, table.columns, numeric):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(9)
        if right:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text, right in zip(cells, row, numeric):
            cell.text = ""
            cell.paragraphs[0].add_run(text).font.size = Pt(9)
            if right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()


# ---------------------------------------------------------------- PDF

# A Unicode font with Norwegian letters, dashes and «»: DejaVu Sans (Debian's fonts-dejavu-core) or
# Liberation Sans (fonts-liberation). Without either, the PDF falls back to Helvetica, which holds
# æ, ø, å and « » but not every dash and symbol: those are replaced by their nearest Latin-1 character.
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
)
_LATIN1 = {"–": "-", "—": "-", "−": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "•": "·",
           "\u202f": " ", "\u2009": " "}


def font_files() -> tuple[str, str] | None:
    """The (regular, bold) TrueType files the PDF uses, or None when the machine has neither font."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            return regular, bold
    return None


class _Pdf(FPDF):
    def __init__(self, document: Document):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.document = document
        files = font_files()
        if files:
            self.add_font("Report", "", files[0])
            self.add_font("Report", "B", files[1])
            self.family, self.unicode = "Report", True
        else:
            self.family, self.unicode = "Helvetica", False
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(self.clean(document.title))
        self.set_author(self.clean(i18n.t("app.name", document.lang)))
        self.set_lang("nb-NO" if document.lang == "nb" else "en")

    def clean(self, text: str) -> str:
        text = str(text)
        if self.unicode:
            return text
        for char, plain in _LATIN1.items():
            text = text.replace(char, plain)
        return text.encode("latin-1", "replace").decode("latin-1")

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(0x59, 0x59, 0x59)
        self.cell(0, 5, self.clean(f"{self.document.title} · {self.document.subtitle}"), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.clean(i18n.t("report.page", self.document.lang, page=self.page_no())), align="R")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, level: int) -> None:
        size = (20, 15, 12)[level]
        if self.will_page_break(size * 2.2):
            self.add_page()
        self.ln(2 if level else 0)
        self.start_section(self.clean(text), level=max(level - 1, 0) if level else 0)
        self.set_font(self.family, "B", size)
        self.multi_cell(0, size * 0.5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(1.5)

    def paragraph(self, text: str, note: bool = False) -> None:
        self.set_font(self.family, "", 8.5 if note else 10.5)
        if note:
            self.set_text_color(0x59, 0x59, 0x59)
        self.multi_cell(0, 4.2 if note else 5.2, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.set_text_color(0, 0, 0)
        self.ln(1.5)

    def image_of(self, chart: Chart) -> None:
        png = chart_png(chart)
        width = self.epw * 0.92
        # Keep the chart on one page with its title: start a new one when it would not fit.
        from_png = _png_size(png)
        height = width * from_png[1] / from_png[0]
        if self.will_page_break(height + 14):
            self.add_page()
        self.set_font(self.family, "B", 10.5)
        self.multi_cell(0, 5.5, self.clean(chart.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.image(io.BytesIO(png), x=self.l_margin + (self.epw - width) / 2, w=width,
                   alt_text=self.clean(chart.description or chart.title))
        self.ln(2)

    def grid(self, table: Table, title: bool = True) -> None:
        if title:
            self.set_font(self.family, "B", 10.5)
            if self.will_page_break(20):
                self.add_page()
            self.multi_cell(0, 5.5, self.clean(table.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.set_font(self.family, "", 8.5)
        numeric = table.numeric or (False,) * len(table.columns)
        widths = self.column_widths(table)
        with self.table(col_widths=widths, text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
                        line_height=4.4, padding=1.2, borders_layout="HORIZONTAL_LINES",
                        headings_style=_heading_style(self.family)) as grid:
            for row in (table.columns, *table.rows):
                cells = grid.row()
                for text in row:
                    cells.cell(self.clean(text))
        self.ln(3)

    def column_widths(self, table: Table) -> tuple[float, ...]:
        """Column widths in mm: each column as wide as its longest cell allows, no word ever broken.

        Every column gets at least its longest word (dates and amounts stay on one line); what is left
        of the page's width goes to the columns with longer text, in proportion to how much they need.
        """
        padding = 2 * 1.2 + 2 * self.c_margin + 0.8  # the table's cell padding and margins, and a little air
        self.set_font(self.family, "B", 8.5)
        heading_words = [max(self.get_string_width(w) for w in self.clean(h).split(" ") or [" "]) + padding
                         for h in table.columns]
        self.set_font(self.family, "", 8.5)
        natural = [min(self.get_string_width(self.clean(h)) + padding, 70) for h in table.columns]
        words = [0.0] * len(table.columns)
        for row in table.rows:
            for index, text in enumerate(row):
                cell = self.clean(text)
                longest_word = max((self.get_string_width(w) for w in cell.split(" ")), default=0) + padding
                words[index] = max(words[index], min(longest_word, 45))
                natural[index] = max(natural[index], min(self.get_string_width(cell) + padding, 90))
        # Headings keep their words whole too, unless that leaves no room: then a heading may wrap.
        with_headings = [max(w, h) for w, h in zip(words, heading_words)]
        if sum(with_headings) <= self.epw:
            words = with_headings
        natural = [max(n, w) for n, w in zip(natural, words)]
        if sum(natural) <= self.epw:
            return tuple(n * self.epw / sum(natural) for n in natural)
        spare = max(self.epw - sum(words), 0)
        wanted = [n - w for n, w in zip(natural, words)]
        total = sum(wanted) or 1
        return tuple(w + spare * x / total for w, x in zip(words, wanted))


def _heading_style(family: str) -> FontFace:
    return FontFace(family=family, emphasis="BOLD", fill_color=(232, 240, 248))


def _png_size(png: bytes) -> tuple[int, int]:
    # Width and height from the PNG header (IHDR).
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def to_pdf(document: Document) -> bytes:
    """The report as a PDF: the same headings, texts, charts and tables as the Word document."""
    pdf = _Pdf(document)
    pdf.add_page()
    pdf.heading(document.title, 0)
    pdf.paragraph(document.subtitle, note=True)
    for text in (*document.intro, *document.notes):
        pdf.paragraph(text)
    pdf.paragraph(i18n.t("report.made_on", document.lang, day=document.made_on), note=True)
    for section in document.sections:
        pdf.heading(section.heading, 1)
        for text in section.summary:
            pdf.paragraph(text)
        for chart, table in section.arranged():
            if chart is not None:
                pdf.image_of(chart)
            if table is not None:
                pdf.grid(table, title=chart is None)
        for part in section.parts:
            pdf.heading(part.heading, 2)
            pdf.paragraph(part.summary)
            if part.table.rows:
                pdf.grid(part.table, title=False)
        for note in section.notes:
            pdf.paragraph(note, note=True)
    return bytes(pdf.output())


# ---------------------------------------------------------------- entry points for the page (cached reads)

def docx_report(db: Database, start: date, end: date, today: date, org_id: int | None = None, lang: str = "nb",
                internal: bool = False) -> bytes | None:
    """The report as a Word document, or None when the organisation is not visible."""
    document = assemble(db, start, end, today, org_id, lang, internal)
    return None if document is None else to_docx(document)


def pdf_report(db: Database, start: date, end: date, today: date, org_id: int | None = None, lang: str = "nb",
               internal: bool = False) -> bytes | None:
    """The report as a PDF, or None when the organisation is not visible."""
    document = assemble(db, start, end, today, org_id, lang, internal)
    return None if document is None else to_pdf(document)


def file_name(document: Document, extension: str) -> str:
    """A safe download name: «rapport-2025-krem.pdf», «rapport-2025-forumet.docx»."""
    scope = (document.scope or {}).get("short_name") or (document.scope or {}).get("name") or \
        i18n.t("report.file_forum", document.lang)
    period = re.sub(r"[^0-9]+", "-", document.period_label.split(" ")[0]).strip("-")
    slug = re.sub(r"[^a-z0-9]+", "-", scope.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a"))
    return f"{i18n.t('report.file_prefix', document.lang)}-{period}-{slug.strip('-')[:40]}.{extension}"
