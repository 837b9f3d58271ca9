"""Charts of the influence report: this period beside the one before, counts per group, activity over time.

Pure builders: each takes a small aggregated frame (a few dozen rows) and the texts in the reader's
language, and returns an Altair chart. Horizontal bars with their labels on the left and the number at
the end of each bar, so they read on a 390 px phone and as images in the Word and PDF report.
`width` is "container" on the page and a number of pixels for the documents.
"""

import altair as alt
import pandas as pd

from krem_advocacy.charts import PALETTE, base_config, guard_rows
from krem_advocacy.charts.budget import kroner_axis_labels

# This period in the strong blue, the one before in a light grey-blue.
PERIOD_COLOURS = ("#0072B2", "#A6C8E0")
BAR_STEP = 26  # pixels per bar row: room for a label line on a phone
LABEL_LIMIT = 150


def comparison_chart(frame: pd.DataFrame, periods: list[str], figure_title: str, count_title: str,
                     period_title: str, width="container") -> alt.Chart:
    """Key figures of this period beside the period before: two bars per figure.

    frame: figure (label), period (one of `periods`, this period first), value.
    """
    guard_rows(frame)
    order = list(dict.fromkeys(frame["figure"]))
    y = alt.Y("figure:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT, labelFontSize=12))
    offset = alt.YOffset("period:N", sort=periods)
    tooltip = [alt.Tooltip("figure:N", title=figure_title), alt.Tooltip("period:N", title=period_title),
               alt.Tooltip("value:Q", title=count_title)]
    base = alt.Chart(frame)
    bars = base.mark_bar(cornerRadiusEnd=2).encode(
        x=alt.X("value:Q", title=count_title, scale=_room(frame["value"]),
                axis=alt.Axis(tickMinStep=1, format="d", grid=True, gridColor="#EEEEEE")),
        y=y, yOffset=offset,
        color=alt.Color("period:N", title=period_title, sort=periods,
                        scale=alt.Scale(domain=periods, range=list(PERIOD_COLOURS[: len(periods)]))),
        tooltip=tooltip,
    )
    numbers = base.mark_text(align="left", dx=3, fontSize=11).encode(
        x="value:Q", y=y, yOffset=offset, text=alt.Text("value:Q", format="d"), tooltip=tooltip)
    chart = alt.layer(bars, numbers).properties(width=width, height=alt.Step(14, **{"for": "offset"}))
    return base_config(chart)


def bars_chart(frame: pd.DataFrame, label_title: str, value_title: str, series_title: str,
               series: dict[str, str], colours: dict[str, str] | None = None, width="container") -> alt.Chart:
    """Horizontal bars per label, stacked by series, with each bar's total at its end.

    frame: label, series (a code in `series`), value. `series` maps each code to its label, in the
    order of the stack and the legend; the legend is left out when there is only one series.
    """
    guard_rows(frame)
    present = set(frame.loc[frame["value"] > 0, "series"])
    series = {code: label for code, label in series.items() if code in present} or series
    data = frame.assign(series_label=frame["series"].map(series))
    labels = list(dict.fromkeys(frame["label"]))
    order = [series[code] for code in series]
    palette = [(colours or {}).get(code, PALETTE[i % len(PALETTE)]) for i, code in enumerate(series)]
    y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT, labelFontSize=12))
    tooltip = [alt.Tooltip("label:N", title=label_title), alt.Tooltip("series_label:N", title=series_title),
               alt.Tooltip("value:Q", title=value_title)]
    legend = alt.Legend(title=series_title) if len(series) > 1 else None
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("sum(value):Q", title=value_title, stack="zero",
                scale=_room(frame.groupby("label")["value"].sum() if len(frame) else frame["value"]),
                axis=alt.Axis(tickMinStep=1, format="d", grid=True, gridColor="#EEEEEE")),
        y=y,
        color=alt.Color("series_label:N", sort=order, legend=legend, scale=alt.Scale(domain=order, range=palette)),
        order=alt.Order("series_order:Q"),
        tooltip=tooltip,
    ).transform_calculate(series_order=f"indexof({order!r}, datum.series_label)")
    totals = alt.Chart(data).transform_aggregate(total="sum(value)", groupby=["label"]).mark_text(
        align="left", dx=3, fontSize=11).encode(x="total:Q", y=y, text=alt.Text("total:Q", format="d"))
    chart = alt.layer(bars, totals).properties(width=width, height=alt.Step(BAR_STEP))
    return base_config(chart)


def amounts_chart(frame: pd.DataFrame, series: dict[str, str], label_title: str, amount_title: str,
                  series_title: str, units: dict[str, str], width="container") -> alt.Chart:
    """Kroner per budget line: a bar each for the ask, Prop. 1 S and the adopted amount, labelled «4 mill kr».

    frame: label (the line), series (a code in `series`), amount, amount_label. `units` are the words for
    the axis («mill», «mrd» and the decimal mark).
    """
    guard_rows(frame)
    data = frame.assign(series_label=frame["series"].map(series))
    order = [series[code] for code in series if code in set(frame["series"])]
    lines = list(dict.fromkeys(frame["label"]))
    y = alt.Y("label:N", sort=lines, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT, labelFontSize=12))
    offset = alt.YOffset("series_label:N", sort=order)
    tooltip = [alt.Tooltip("label:N", title=label_title), alt.Tooltip("series_label:N", title=series_title),
               alt.Tooltip("amount_label:N", title=amount_title)]
    base = alt.Chart(data)
    bars = base.mark_bar(cornerRadiusEnd=2).encode(
        x=alt.X("amount:Q", title=amount_title, scale=_room(frame["amount"], share=0.22), axis=alt.Axis(
            labelExpr=kroner_axis_labels(units), grid=True, gridColor="#EEEEEE", tickCount=4)),
        y=y, yOffset=offset,
        color=alt.Color("series_label:N", title=series_title, sort=order,
                        scale=alt.Scale(domain=order, range=PALETTE[: len(order)])),
        tooltip=tooltip,
    )
    labels = base.mark_text(align="left", dx=3, fontSize=11).encode(
        x="amount:Q", y=y, yOffset=offset, text="amount_label:N", tooltip=tooltip)
    chart = alt.layer(bars, labels).properties(width=width, height=alt.Step(16, **{"for": "offset"}))
    return base_config(chart)


def activity_chart(frame: pd.DataFrame, buckets: list[str], kinds: dict[str, str], bucket_title: str,
                   count_title: str, kind_title: str, width="container") -> alt.Chart:
    """Bars per month (or quarter), stacked by kind of activity; quiet months show as gaps.

    frame: bucket (its label, one of `buckets` in order), kind (a code in `kinds`), count.
    """
    guard_rows(frame)
    data = frame.assign(kind_label=frame["kind"].map(kinds))
    order = [kinds[code] for code in kinds]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("bucket:O", title=bucket_title, scale=alt.Scale(domain=buckets),
                axis=alt.Axis(labelAngle=-45 if len(buckets) > 6 else 0, labelOverlap=True)),
        y=alt.Y("sum(count):Q", title=count_title, axis=alt.Axis(tickMinStep=1, format="d", grid=True,
                                                                gridColor="#EEEEEE")),
        color=alt.Color("kind_label:N", title=kind_title, sort=order,
                        scale=alt.Scale(domain=order, range=PALETTE[: len(order)])),
        order=alt.Order("kind_order:Q"),
        tooltip=[alt.Tooltip("bucket:O", title=bucket_title), alt.Tooltip("kind_label:N", title=kind_title),
                 alt.Tooltip("count:Q", title=count_title)],
    # fit-x: the chart fills the width and 200 px is the bars' own height; Streamlit's default (fit) would
    # let the slanted month labels and the legend eat the bars' height on a phone.
    ).transform_calculate(kind_order=f"indexof({order!r}, datum.kind_label)").properties(
        width=width, height=200, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return base_config(chart)


def _room(values: pd.Series, share: float = 0.12) -> alt.Scale:
    # A little room right of the longest bar for the number printed at its end.
    top = float(values.max()) if len(values) and values.max() == values.max() else 0.0
    return alt.Scale(domain=[0, max(top * (1 + share), 1)], nice=False)
