"""Words and numbers as users read them: the catalogue (i18n), dates and kroner, stable codes. Imports nothing else of the app."""
