"""Charts on the Saker page: one sak's activity over time, and activity by theme and quarter."""

import altair as alt
import pandas as pd

from krem_advocacy.charts import PALETTE, base_config, guard_rows


def sak_activity_chart(frame: pd.DataFrame, periods: list[str], kind_labels: dict[str, str], period_title: str,
                       count_title: str, kind_title: str) -> alt.Chart:
    """Bars per quarter, stacked by kind; `periods` lists every quarter of the span, so quiet quarters
    show as gaps. `frame` comes from saker.trail_by_quarter (period, kind, count)."""
    guard_rows(frame)
    data = frame.assign(kind_label=frame["kind"].map(kind_labels))
    order = list(kind_labels.values())
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("period:O", title=period_title, scale=alt.Scale(domain=periods),
                axis=alt.Axis(labelAngle=-90, labelOverlap=True)),
        y=alt.Y("sum(count):Q", title=count_title, axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("kind_label:N", title=kind_title,
                        scale=alt.Scale(domain=order, range=PALETTE[: len(order)])),
        order=alt.Order("kind:N"),
        tooltip=[alt.Tooltip("period:O", title=period_title), alt.Tooltip("kind_label:N", title=kind_title),
                 alt.Tooltip("count:Q", title=count_title)],
    # fit-x: the chart fills the width, and 180 px is the height of the bars themselves. With Streamlit's
    # default (fit) the rotated quarter labels and the legend would eat the bars' height on a phone.
    ).properties(height=180, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return base_config(chart)


def theme_heatmap(frame: pd.DataFrame, periods: list[str], theme_labels: dict[str, str], period_title: str,
                  theme_title: str, count_title: str) -> alt.Chart:
    """A heatmap: one row per theme, one column per quarter, darker where more was done.

    `frame` comes from saker.activity_by_theme (theme_code, period, count); `periods` lists every quarter
    of the range, so quiet quarters show as empty columns; `theme_labels` maps each theme code to its
    label in the page's language (in the order the rows should have).
    """
    guard_rows(frame)
    data = frame.assign(theme=frame["theme_code"].map(theme_labels))
    themes_with_activity = [label for code, label in theme_labels.items() if code in set(frame["theme_code"])]
    rect = alt.Chart(data).mark_rect(cornerRadius=2).encode(
        x=alt.X("period:O", title=period_title, scale=alt.Scale(domain=periods),
                axis=alt.Axis(labelAngle=-90, labelOverlap=True)),
        y=alt.Y("theme:N", title=None, sort=themes_with_activity, axis=alt.Axis(labelLimit=170)),
        # Each square shows its number, so no colour legend is needed.
        color=alt.Color("count:Q", title=count_title, scale=alt.Scale(scheme="blues"), legend=None),
        tooltip=[alt.Tooltip("theme:N", title=theme_title), alt.Tooltip("period:O", title=period_title),
                 alt.Tooltip("count:Q", title=count_title)],
    )
    dark_from = max(2, frame["count"].max() / 2) if not frame.empty else 2
    text = alt.Chart(data).mark_text(fontSize=11).encode(
        x=alt.X("period:O", scale=alt.Scale(domain=periods)), y=alt.Y("theme:N", sort=themes_with_activity),
        text="count:Q",
        color=alt.condition(alt.datum.count >= dark_from, alt.value("white"), alt.value("black")),
    )
    # A fixed step per theme row: Streamlit fits the whole chart to its height otherwise, squeezing rows.
    return base_config((rect + text).properties(height=alt.Step(28)))
