"""Charts on the Statsbudsjett page: amounts per year, per recipient or chapter, and outcomes over the years."""

import math

import altair as alt
import pandas as pd

from krem_advocacy.charts import PALETTE, base_config, guard_rows
from krem_advocacy.text import formatting

# Outcome colours that read the same to colour-blind viewers (Okabe–Ito), unknown in grey.
OUTCOME_COLOURS = {"innfridd": "#009E73", "delvis": "#E69F00", "ikke": "#D55E00", "ukjent": "#999999"}


def kroner_axis_labels(units: dict[str, str]) -> str:
    """A Vega label expression for kroner axes: «30 mill», «1,5 mrd», «500 000».

    `units` gives the page language's words for thousands of millions and millions (`mrd`, `mill`)
    and its decimal mark (`decimal`, default «,»).
    """
    decimal_mark = units.get("decimal", ",")

    def scaled(divisor: int, word: str) -> str:
        return (f"replace(format(datum.value / {divisor}, '~r'), '.', '{decimal_mark}') + ' {word}'")

    plain = "replace(format(datum.value, ','), regexp(',', 'g'), ' ')"
    return (f"abs(datum.value) >= 1e9 ? {scaled(10**9, units['mrd'])} : "
            f"abs(datum.value) >= 1e6 ? {scaled(10**6, units['mill'])} : {plain}")


def amounts_by_group_chart(frame: pd.DataFrame, group_column: str, group_title: str,
                           series_labels: dict[str, str], amount_title: str, series_title: str,
                           units: dict[str, str] | None = None) -> alt.Chart:
    """One row per budget year, recipient or chapter, with a dot each for the asked, proposed and adopted sums.

    The kroner axis is logarithmic (symlog, so a post cut to 0 still shows at the left edge): a 10 mill
    grant and a 14 mrd running budget both stay readable. Ticks sit on powers of ten.
    """
    guard_rows(frame)
    long = _long(frame, group_column, series_labels)
    order = list(series_labels.values())
    groups = list(dict.fromkeys(frame[group_column]))
    positive = long["amount"][long["amount"] > 0]
    ticks = _power_ticks(positive.min(), positive.max()) if not positive.empty else [1, 10]
    chart = alt.Chart(long).mark_point(filled=True, size=120, opacity=0.9).encode(
        x=alt.X("amount:Q", title=amount_title,
                scale=alt.Scale(type="symlog", constant=1000, domain=[ticks[0], ticks[-1]], clamp=True),
                axis=alt.Axis(values=ticks, grid=True,
                              labelExpr=kroner_axis_labels(units or {"mrd": "mrd", "mill": "mill"}))),
        y=alt.Y(f"{group_column}:N", title=group_title, sort=groups,
                axis=alt.Axis(labelLimit=200, grid=True, gridColor="#EEEEEE")),
        yOffset=alt.YOffset("series_label:N", sort=order),
        color=alt.Color("series_label:N", title=series_title, sort=order,
                        scale=alt.Scale(domain=order, range=PALETTE[: len(order)])),
        shape=alt.Shape("series_label:N", title=series_title, sort=order),
        tooltip=[alt.Tooltip(f"{group_column}:N", title=group_title),
                 alt.Tooltip("series_label:N", title=series_title),
                 alt.Tooltip("amount_label:N", title=amount_title)],
    ).properties(height=alt.Step(13, **{"for": "offset"}), width="container")
    return base_config(chart)


def outcomes_by_year_chart(frame: pd.DataFrame, outcome_labels: dict[str, str], year_title: str,
                           count_title: str, outcome_title: str) -> alt.Chart:
    """Stacked bars: how many inputs were met, partly met, not met or unknown, per budget year."""
    guard_rows(frame)
    data = frame.assign(outcome_label=frame["outcome"].map(outcome_labels))
    order = [outcome_labels[code] for code in outcome_labels]
    colours = [OUTCOME_COLOURS.get(code, "#999999") for code in outcome_labels]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("budget_year:O", title=year_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("inputs:Q", title=count_title, axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("outcome_label:N", title=outcome_title, sort=order,
                        scale=alt.Scale(domain=order, range=colours)),
        order=alt.Order("outcome_order:Q"),
        tooltip=[alt.Tooltip("budget_year:O", title=year_title),
                 alt.Tooltip("outcome_label:N", title=outcome_title),
                 alt.Tooltip("inputs:Q", title=count_title)],
    ).transform_calculate(
        outcome_order=f"indexof({order!r}, datum.outcome_label)"
    ).properties(height=260)
    return base_config(chart)


def _long(frame: pd.DataFrame, id_column: str, series_labels: dict[str, str]) -> pd.DataFrame:
    # One row per group and series, without missing amounts, with the amount as «1 500 000 kr».
    long = frame.melt(id_vars=id_column, value_vars=list(series_labels), var_name="series",
                      value_name="amount").dropna(subset=["amount"])
    long["series_label"] = long["series"].map(series_labels)
    long["amount_label"] = long["amount"].map(formatting.format_amount)
    return long


def _power_ticks(low: float, high: float) -> list[int]:
    # Powers of ten around the data, e.g. 10 mill, 100 mill, 1 mrd (at least two).
    start, stop = math.floor(math.log10(low)), math.ceil(math.log10(high))
    return [10 ** p for p in range(start, max(stop, start + 1) + 1)]
