"""Charts on the Høringer page: each høring from publication to frist, with today marked."""

from datetime import date

import altair as alt
import pandas as pd

from krem_advocacy.charts import PALETTE, base_config, guard_rows

# Colours of our statuses on the timeline (open work in strong colours, closed work muted).
STATUS_COLOURS = {"innkommet": PALETTE[4], "til_vurdering": PALETTE[1], "svarer": PALETTE[0],
                  "svarer_ikke": "#BBBBBB", "levert": PALETTE[2], "arkivert": "#DDDDDD"}
# Each row holds a title line above its bar, so the chart stays readable on a phone (no label column).
ROW_HEIGHT = 38
SELECTION = "hoering_pick"


def timeline_chart(frame: pd.DataFrame, today: date, status_labels: dict[str, str], texts: dict[str, str]) -> alt.Chart:
    """Bars from publication to frist per høring, a tick at the internal deadline and a rule at today.

    frame: id, title, department, published_on, deadline, internal_deadline, our_status, short_deadline
    (ISO dates). texts: titles for the axes, tooltips and the today label (keys: hoering, published,
    deadline, internal, status, department, today, date). Clicking a bar selects its `id`.
    """
    guard_rows(frame)
    data = frame.assign(
        status_label=frame["our_status"].map(status_labels),
        label=_unique([_short(t) for t in frame["title"]]),
        department=frame["department"].fillna(""),
    )
    order = list(data["label"])
    statuses = [s for s in STATUS_COLOURS if s in set(data["our_status"])]
    y = alt.Y("label:N", sort=order, title=None, axis=None)
    tooltip = [alt.Tooltip("title:N", title=texts["hoering"]),
               alt.Tooltip("department:N", title=texts["department"]),
               alt.Tooltip("published_on:T", title=texts["published"], format="%d.%m.%Y"),
               alt.Tooltip("deadline:T", title=texts["deadline"], format="%d.%m.%Y"),
               alt.Tooltip("internal_deadline:T", title=texts["internal"], format="%d.%m.%Y"),
               alt.Tooltip("status_label:N", title=texts["status"])]
    pick = alt.selection_point(name=SELECTION, fields=["id"], on="click")
    base = alt.Chart(data)
    bars = base.mark_bar(cornerRadius=3, height=12, yOffset=7).encode(
        x=alt.X("published_on:T", title=texts["date"], axis=alt.Axis(format="%m.%Y", labelAngle=0, tickCount="month", labelOverlap=True)),
        x2="deadline:T",
        y=y,
        color=alt.Color("status_label:N", title=texts["status"],
                        scale=alt.Scale(domain=[status_labels[s] for s in statuses],
                                        range=[STATUS_COLOURS[s] for s in statuses])),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=tooltip,
    ).add_params(pick)
    internal = base.transform_filter("isValid(datum.internal_deadline)").mark_tick(
        color="#000000", thickness=2, size=18, yOffset=7).encode(
        x="internal_deadline:T", y=y, tooltip=tooltip)
    titles = base.mark_text(align="left", baseline="bottom", dy=2, fontSize=12, limit=900).encode(
        x=alt.value(0), y=y, text="label:N", tooltip=tooltip)
    today_frame = pd.DataFrame({"day": [today.isoformat()], "text": [texts["today"]]})
    rule = alt.Chart(today_frame).mark_rule(color="#D55E00", strokeDash=[4, 3], strokeWidth=2).encode(x="day:T")
    label = alt.Chart(today_frame).mark_text(color="#D55E00", align="left", dx=4, dy=-6, fontWeight="bold").encode(
        x="day:T", y=alt.value(0), text="text:N")
    chart = alt.layer(bars, internal, titles, rule, label).properties(height=alt.Step(ROW_HEIGHT))
    return base_config(chart)


def _short(title: str, limit: int = 60) -> str:
    # Long titles (most start «Høring – ») are shortened for the axis; the tooltip has the whole title.
    text = title.removeprefix("Høring – ").removeprefix("Høring - ")
    text = text[:1].upper() + text[1:]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unique(labels: list[str]) -> list[str]:
    # Two høringer with the same short title must not share one row of the chart.
    seen: dict[str, int] = {}
    result = []
    for text in labels:
        seen[text] = seen.get(text, 0) + 1
        result.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return result
