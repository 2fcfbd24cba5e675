"""Run the command line as ``python -m hyperv_backup``."""

import sys

from hyperv_backup.cli import main

if __name__ == "__main__":
    sys.exit(main())
