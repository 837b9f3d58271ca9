"""Charts on the Statsbudsjett page."""

import altair as alt
import pandas as pd

from krem_advocacy.charts import PALETTE, base_config, guard_rows


def amounts_by_year_chart(frame: pd.DataFrame, series_labels: dict[str, str], year_title: str,
                          amount_title: str, series_title: str) -> alt.Chart:
    """Grouped bars: asked, proposed and adopted kroner per budget year (frame from budget.amounts_by_year)."""
    guard_rows(frame)
    long = frame.melt(id_vars="budget_year", value_vars=list(series_labels), var_name="series",
                      value_name="amount").dropna(subset=["amount"])
    long["series_label"] = long["series"].map(series_labels)
    order = list(series_labels.values())
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("budget_year:O", title=year_title, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series_label:N", sort=order),
        y=alt.Y("amount:Q", title=amount_title, axis=alt.Axis(format="~s")),
        color=alt.Color("series_label:N", title=series_title, sort=order,
                        scale=alt.Scale(domain=order, range=PALETTE[: len(order)])),
        tooltip=[alt.Tooltip("budget_year:O", title=year_title),
                 alt.Tooltip("series_label:N", title=series_title),
                 alt.Tooltip("amount:Q", title=amount_title, format=",.0f")],
    ).properties(height=280)
    return base_config(chart)
