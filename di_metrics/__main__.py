"""`python -m di_metrics`: the command line (di_metrics.cli.main)."""

import sys

from di_metrics.cli.main import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
