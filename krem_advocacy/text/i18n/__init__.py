"""The interface text in Bokmål (default and fallback) and English, looked up by key.

The catalogue is split by area (one module each) so pages can grow without colliding;
every module defines NB and EN with the same keys (a test checks this).
"""

from krem_advocacy.text.i18n import (
    access,
    budget,
    charts,
    codes,
    common,
    data,
    forms,
    hoeringer,
    home,
    meetings,
    notifications,
    organisations,
    replication,
    report,
    saker,
    search,
    stortinget,
)

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"
AREAS = (common, codes, forms, home, saker, hoeringer, budget, meetings, organisations, data, access, search,
         report, stortinget, replication, charts, notifications)

CATALOGUE: dict[str, dict[str, str]] = {"nb": {}, "en": {}}
for _area in AREAS:
    CATALOGUE["nb"].update(_area.NB)
    CATALOGUE["en"].update(_area.EN)


def normalise_language(value: str | None) -> str:
    """A supported language code from user input (`en`, `EN`, `nb`, `no` …), else the default."""
    value = (value or "").strip().lower()
    if value in ("no", "nob", "nn"):
        return "nb"
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The text for `key` in `lang` (Bokmål if missing), with `{name}` placeholders filled."""
    text = CATALOGUE.get(lang, {}).get(key) or CATALOGUE[DEFAULT_LANGUAGE].get(key)
    if text is None:
        raise KeyError(f"missing text: {key}")
    return text.format(**values) if values else text


def code_label(code_list: str, code: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display label of a stored code, e.g. ('hoering_our_status', 'svarer') -> 'Svarer'."""
    if code is None or code == "":
        return ""
    key = f"code.{code_list}.{code}"
    return t(key, lang) if key in CATALOGUE[DEFAULT_LANGUAGE] else str(code)
