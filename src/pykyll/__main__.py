"""`python -m pykyll`: the command line, without a traceback for Ctrl-C even while it starts."""

import sys


def _run() -> int:
    try:
        from pykyll.cli import main

        return main()
    except KeyboardInterrupt:  # before `main` could handle it: nothing was changed yet
        print("        Interrupted: stopped while starting; nothing was changed.", file=sys.stderr)
        return 130


sys.exit(_run())
