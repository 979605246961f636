"""`python -m pykyll` and the `pykyll` command: the command line, without a traceback for
Ctrl-C even while it starts, and without the interpreter's slow tidy-up at exit. An
incremental build goes to the site's resident process when one runs (`pykyll.resident`)."""

import atexit
import contextlib
import os
import sys
import threading


def _run() -> int:
    try:
        from pykyll.cli import main

        return main()
    except KeyboardInterrupt:  # before `main` could handle it: nothing was changed yet
        print("        Interrupted: stopped while starting; nothing was changed.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `pykyll ... | head`: the reader has gone, nothing to tell it
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a command ended by SIGPIPE


def _exit_at_once(code: int) -> None:
    """End the process without freeing the site's objects one by one.

    After a build of a thousand pages the interpreter spends a quarter of a second taking
    the object graph apart, which nothing needs: every file is written and closed, worker
    processes are joined. Exit handlers and the standard streams still run and flush. With
    other threads alive, the normal exit (which waits for them) is kept."""
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to say on it
            stream.flush()
    os._exit(code)


def run() -> None:
    argv = sys.argv[1:]
    from pykyll.resident import involved

    resident = involved(argv)  # the modules that talk to one cost 25 ms to import
    code = None
    if resident:
        from pykyll.resident.client import run_in_resident

        code = run_in_resident(argv)
    if code is None:
        code = _run()
        if code == 0 and resident:
            from pykyll.resident.server import start_after_build

            start_after_build(argv)
    _exit_at_once(code)


if __name__ == "__main__":
    run()
