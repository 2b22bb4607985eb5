"""``python -m constructs_lib.planner``: see ``cli.py``."""

import sys

from constructs_lib.planner.cli import main

sys.exit(main())
