"""Extra HTTP routes beside the Streamlit pages (the calendar feed), mounted by `streamlit run serve.py`."""

from krem_advocacy.web import calendar

ROUTES = [*calendar.ROUTES]
_mounted = False


def mount() -> list:
    """The routes for `st.App(..., routes=...)`; from then on `mounted()` tells pages that they answer."""
    global _mounted
    _mounted = True
    return ROUTES


def mounted() -> bool:
    """True when this process serves the routes (started through serve.py), so pages may offer their addresses."""
    return _mounted
