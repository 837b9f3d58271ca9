"""Altair chart builders: each takes a small, already aggregated DataFrame and returns a chart."""

import altair as alt

# Charts must never be sent raw rows: aggregate in SQL first (Altair's 5,000-row guard is off in Streamlit).
MAX_CHART_ROWS = 5000

# A palette that stays readable for colour-blind viewers (Okabe–Ito).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def guard_rows(frame) -> None:
    """Refuse to chart more rows than a browser should be sent."""
    if len(frame) > MAX_CHART_ROWS:
        raise ValueError(f"chart data has {len(frame)} rows; aggregate it first")


def base_config(chart: alt.Chart) -> alt.Chart:
    """Shared look: readable fonts, no chart border, legend at the bottom (fits phones)."""
    return (chart.configure_view(strokeWidth=0)
            .configure_axis(labelFontSize=12, titleFontSize=12, grid=False)
            .configure_legend(orient="bottom", labelFontSize=12, titleFontSize=12, columns=2,
                              labelLimit=260))
