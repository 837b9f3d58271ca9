"""Texts of every chart's text alternative (its summary and its table of numbers)."""

NB = {
    "charts.table": "Tallene i diagrammet som tabell",
    "charts.summary": "{total} i alt; mest: {top} ({most}).",
    "charts.summary_empty": "Ingen tall å vise.",
    "charts.total": "I alt",
    "charts.summary_top": "{title}: mest er {top} ({most} {what}).",
    "charts.timeline_summary": "{n} høringer; nærmeste frist som ikke har gått ut: {title}, {date}.",
    "charts.timeline_summary_past": "{n} høringer; alle fristene har gått ut.",
    "charts.budget_summary": "Størst bedt om: {top} ({most}). Vedtatt i alt: {adopted}.",
    "charts.heatmap_summary": "{total} hendelser i alt; mest aktivt tema: {top} ({most}).",
}

EN = {
    "charts.table": "The chart's numbers as a table",
    "charts.summary": "{total} in all; most: {top} ({most}).",
    "charts.summary_empty": "No numbers to show.",
    "charts.total": "Total",
    "charts.summary_top": "{title}: the most is {top} ({most} {what}).",
    "charts.timeline_summary": "{n} consultations; nearest deadline still open: {title}, {date}.",
    "charts.timeline_summary_past": "{n} consultations; every deadline has passed.",
    "charts.budget_summary": "Largest ask: {top} ({most}). Adopted in all: {adopted}.",
    "charts.heatmap_summary": "{total} events in all; most active theme: {top} ({most}).",
}
