"""`python -m bot`: the same as the `wijkstem` command."""

import sys

from bot.cli import main

sys.exit(main())
