"""KREM advocacy dashboard: saker, høringer, budget inputs and Kontaktutvalg meetings over one SQLite file."""

__version__ = "0.1.0"
