"""`python -m di_metrics`: the command line (di_metrics.cli.main)."""

import sys

from di_metrics.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
