"""Entry point for `python -m krem_advocacy`."""

import sys

from krem_advocacy.cli import main

sys.exit(main())
