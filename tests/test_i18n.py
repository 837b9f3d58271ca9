"""The language catalogue: both languages complete, every key used in the code exists."""

import re
from pathlib import Path

import pytest

from krem_advocacy.text import codes, i18n

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "krem_advocacy").rglob("*.py"))]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
FSTRING_KEY = re.compile(r"""\bt\(\s*f["']([a-z0-9_.]+)\{""")
PREFIX_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+\.)["']\s*\+""")


@pytest.mark.parametrize("area", i18n.AREAS, ids=lambda a: a.__name__.rsplit(".", 1)[-1])
def test_both_languages_have_the_same_keys(area):
    assert set(area.NB) == set(area.EN)
    assert all(value.strip() for value in [*area.NB.values(), *area.EN.values()])


def test_no_key_is_defined_twice_across_areas():
    seen = {}
    for area in i18n.AREAS:
        for key in area.NB:
            assert key not in seen, f"{key} in {area.__name__} and {seen[key]}"
            seen[key] = area.__name__


def test_every_literal_key_used_in_the_code_exists():
    used = {key for path in SOURCES for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    assert used, "the scan found no keys: the pattern is wrong"
    missing = sorted(key for key in used if key not in i18n.CATALOGUE["nb"])
    assert not missing, missing


def test_every_dynamic_key_prefix_has_entries():
    prefixes = {p for path in SOURCES for pattern in (FSTRING_KEY, PREFIX_KEY)
                for p in pattern.findall(path.read_text(encoding="utf-8"))}
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in i18n.CATALOGUE["nb"]), prefix


@pytest.mark.parametrize("code_list", sorted(codes.CODE_LISTS))
def test_every_code_has_a_label_in_both_languages(code_list):
    for code in codes.CODE_LISTS[code_list]:
        key = f"code.{code_list}.{code}"
        assert key in i18n.CATALOGUE["nb"] and key in i18n.CATALOGUE["en"], key


def test_lookup_falls_back_and_formats():
    assert i18n.t("nav.hoeringer", "en") == "Consultations"
    assert i18n.t("nav.hoeringer", "de") == "Høringer"  # unknown language falls back to Bokmål
    assert i18n.t("common.count", "nb", n=3) == "3 treff"
    assert i18n.normalise_language("EN") == "en"
    assert i18n.normalise_language("no") == "nb"
    assert i18n.normalise_language("<script>") == "nb"
    assert i18n.code_label("hoering_our_status", "svarer_ikke", "nb") == "Svarer ikke"
    with pytest.raises(KeyError):
        i18n.t("no.such.key")
