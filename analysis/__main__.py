"""python3 -m analysis {plot,summary} ... (see analysis/cli.py)."""
import sys

from .cli import main

sys.exit(main())
