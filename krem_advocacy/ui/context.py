"""What every page knows once it is set up: its language, who is looking, today, and the database."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from krem_advocacy import site
from krem_advocacy.store.database import Store
from krem_advocacy.store.permissions import Actor
from krem_advocacy.text import i18n


@dataclass
class PageContext:
    """The page's setup: language, who is looking, today, the database and the data revision read from it.

    `revision` is read once per run and raised by `ui.forms.save` after a write, so the rest of the run
    reads what was just saved.
    """

    page: str
    lang: str
    actor: Actor
    today: date
    store: Store
    revision: int
    easy_read: bool = False  # the easy-read choice: plain-language summaries first, shorter texts

    @property
    def db_path(self) -> Path:
        return self.store.path

    def t(self, key: str, **values) -> str:
        """Translate a catalogue key into this page's language."""
        return i18n.t(key, self.lang, **values)

    def label(self, code_list: str, code) -> str:
        """The display label of a stored code."""
        return i18n.code_label(code_list, code, self.lang)

    def params(self, **params) -> dict[str, str]:
        """Link parameters in this page's language (see `site.link_params`)."""
        return site.link_params(self.lang, **params)
