"""`pykyll build --watch`: rebuild whenever the source changes, as `jekyll build --watch`.

The watching itself (what is ignored, how bursts of events are grouped) is the one `serve`
uses (`server/watch.py`). A failed rebuild is reported and the watch goes on; the previous
`_site` stays in place until a build succeeds. Ctrl-C ends it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pykyll.errors import PykyllError
from pykyll.log import Logger


def watch_and_rebuild(
    config: dict[str, Any],
    config_files: list[Path],
    rebuild: Callable[[], float],
    logger: Logger,
) -> int:
    """Call `rebuild` (which returns the seconds it took) after every batch of changes."""
    from watchfiles import watch

    from pykyll.server.watch import SourceFilter, watch_roots

    source = Path(str(config["source"])).resolve()
    dest = Path(str(config["destination"])).resolve()
    exclude = config.get("exclude") if isinstance(config.get("exclude"), list) else []
    watch_filter = SourceFilter(source, dest, exclude=exclude or [], always=config_files)
    logger.info("Auto-regeneration:", f"enabled for '{source}'")
    logger.push()
    try:
        for batch in watch(
            *watch_roots(source, config_files),
            watch_filter=watch_filter,
            debounce=1000,
            step=50,
            force_polling=bool(config.get("force_polling")),
            ignore_permission_denied=True,
        ):
            changed = sorted({Path(raw) for _change, raw in batch})
            _report_changes(changed, source, logger)
            _rebuild_reporting_errors(rebuild, logger)
            logger.push()
    except KeyboardInterrupt:
        pass
    return 0


def _report_changes(changed: list[Path], source: Path, logger: Logger) -> None:
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    logger.info("Regenerating:", f"{len(changed)} file(s) changed at {stamp}")
    for path in changed:
        try:
            shown = path.relative_to(source).as_posix()
        except ValueError:
            shown = str(path)
        logger.info("", shown)


def _rebuild_reporting_errors(rebuild: Callable[[], float], logger: Logger) -> None:
    try:
        seconds = rebuild()
    except PykyllError as err:
        logger.error("Error:", str(err))
        logger.error("", "The previous build was kept; fix the file and save it again.")
        return
    logger.info("", f"...done in {seconds:.3f} seconds.")
