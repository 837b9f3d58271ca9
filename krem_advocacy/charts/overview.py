"""Charts on the home page: activity over time by kind."""

import altair as alt
import pandas as pd

from krem_advocacy.charts import PALETTE, base_config, guard_rows


def activity_chart(frame: pd.DataFrame, kind_labels: dict[str, str], period_title: str,
                   count_title: str, kind_title: str) -> alt.Chart:
    """Stacked bars of activity per quarter, one colour per kind (frame: period, kind, count)."""
    guard_rows(frame)
    data = frame.assign(kind_label=frame["kind"].map(kind_labels))
    order = [kind_labels[k] for k in kind_labels]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("period:O", title=period_title, sort=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("sum(count):Q", title=count_title, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("kind_label:N", title=kind_title,
                        scale=alt.Scale(domain=order, range=PALETTE[: len(order)])),
        order=alt.Order("kind:N"),
        tooltip=[alt.Tooltip("period:O", title=period_title),
                 alt.Tooltip("kind_label:N", title=kind_title),
                 alt.Tooltip("count:Q", title=count_title)],
    ).properties(height=300)
    return base_config(chart)
