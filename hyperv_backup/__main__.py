"""Run the command line as ``python -m hyperv_backup``, and as the ``hyperv-backup`` command.

:func:`run` is the entry point of both. The command line takes a moment to
import; Ctrl-C pressed in that moment ends it with one line and the status of
an interrupted run (130), not a traceback.
"""

import sys
from importlib import import_module

__all__ = ["run"]


def run() -> int:
    """Import the command line and run it on ``sys.argv``; return the exit status."""
    try:
        main = import_module("hyperv_backup.cli").main
    except KeyboardInterrupt:
        print("hyperv-backup: interrupted", file=sys.stderr)
        return 130
    status: int = main()
    return status


if __name__ == "__main__":
    sys.exit(run())
