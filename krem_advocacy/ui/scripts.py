"""Small fixed browser scripts and styles the pages add (nothing a user typed ever goes into them)."""

# Long record titles in links must wrap on a phone instead of being cut off.
STYLE = """<style>
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span {
  white-space: normal; overflow: visible; text-overflow: clip; }
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] { height: auto; align-items: flex-start; }
/* WCAG 1.4.3: Streamlit draws captions at 60 % opacity and the labels of disabled inputs at 40 % of the
   text colour (3.9:1 and 2.3:1 on white); these greys reach 6.5:1 and 5.2:1 (docs/accessibility.md). */
[data-testid="stCaptionContainer"] { opacity: 1; color: #5c5d66; }
[data-testid="stCaptionContainer"] p { color: #5c5d66; }
[data-testid="stElementContainer"]:has(:disabled) [data-testid="stWidgetLabel"] p { color: #6b6c73 !important; }
/* WCAG 2.4.7: a focus ring that is always visible, also where Streamlit draws none of its own. */
:focus-visible { outline: 3px solid #00609A !important; outline-offset: 2px; }
</style>"""


def page_language(lang: str) -> str:
    """A script that sets `<html lang>` to the chosen language (Streamlit's page always says "en").

    `lang` is one of the app's own language codes (i18n.LANGUAGES), never anything a user typed.
    """
    code = {"nb": "nb", "en": "en"}[lang]
    return f"<script>document.documentElement.lang = {code!r};</script>"


# On a phone the sidebar covers the page: fold it away (no-op on a wide screen or when it is folded).
# At most once a second: a search from the menu and the page change it causes both ask for it.
FOLD_SIDEBAR_ON_PHONES = """<script>
if (window.innerWidth <= 768 && !(Date.now() - (window.kremSidebarFolded || 0) < 1000)) {
  const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (fold) { window.kremSidebarFolded = Date.now(); fold.click(); }
}
</script>"""

# Installed once per browser tab: when another page or record opens (its heading changes), start at its
# top instead of where the list was scrolled to, and on a phone fold the menu it was chosen in.
WATCH_NAVIGATION = """<script>
if (!window.kremWatching) {
  window.kremWatching = true;
  let shown = null;
  const arrived = () => {
    const heading = document.querySelector('[data-testid="stMain"] h1');
    const now = heading ? heading.textContent : null;
    if (!now || now === shown) { return; }
    if (shown !== null) {
      for (const id of ["stMain", "stAppViewContainer"]) {
        const pane = document.querySelector(`[data-testid="${id}"]`);
        if (pane) { pane.scrollTo(0, 0); }
      }
      const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (fold && window.innerWidth <= 768 && !(Date.now() - (window.kremSidebarFolded || 0) < 1000)) {
        window.kremSidebarFolded = Date.now(); fold.click();
      }
    }
    shown = now;
  };
  new MutationObserver(arrived).observe(document.body, {subtree: true, childList: true, characterData: true});
  arrived();
}
</script>"""
