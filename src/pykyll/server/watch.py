"""Watching the source for changes with `watchfiles` (inotify, or polling on request).

What is ignored: the destination and the writer's staging folders beside it, the caches
(`.jekyll-cache`, `.pykyll-cache`, `.sass-cache`), version control folders, editor temporary
files (vim, emacs, JetBrains, kate, gedit…) and the configuration's `exclude` entries, as
jekyll-watch does. The configuration files themselves are always watched, even when they
live outside the source. Bursts of events (an editor's save, `git checkout`) are grouped:
a batch is yielded once no new event arrived for `step` ms, or after `debounce` ms at most.
"""

from __future__ import annotations

import asyncio
import fnmatch
import re
from collections.abc import AsyncGenerator, Iterable
from pathlib import Path

from watchfiles import Change, awatch

IGNORED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".jekyll-cache", ".pykyll-cache", ".sass-cache", "__pycache__",
     ".idea", ".vscode", "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
)  # fmt: skip

#: editor temporary and backup files, by name
EDITOR_TEMP = re.compile(
    r"""(
        \.sw[a-p]$ | \.swp?x$ | ~$ | ^\.\#.* | ^\#.*\#$ | ^4913$ | \.tmp$ | \.temp$
      | \.kate-swp$ | ^\.goutputstream- | \.___jb_(tmp|old|bak)___$ | ^\.DS_Store$
      | ^flycheck_ | \.orig$ | \.rej$ | \.bak$ | \.pyc$
    )""",
    re.VERBOSE,
)


class SourceFilter:
    """The `watch_filter` of `awatch`: True for a path whose change matters."""

    def __init__(
        self,
        source: Path,
        dest: Path,
        *,
        exclude: Iterable[str] = (),
        always: Iterable[Path] = (),
    ) -> None:
        self.source = source.resolve()
        self.dest = dest.resolve()
        self.exclude = [str(e).strip("/") for e in exclude if str(e).strip("/")]
        self.always = {Path(p).resolve() for p in always}

    def __call__(self, change: Change, raw: str) -> bool:
        path = Path(raw)
        if path in self.always:
            return True
        if path == self.dest or self.dest in path.parents:
            return False
        # the writer's `._site.new-*` / `._site.old-*` staging folders, beside `_site`
        stage = f".{self.dest.name}."
        for part in path.parts:
            if part in IGNORED_DIRS or part.startswith(stage):
                return False
        if EDITOR_TEMP.search(path.name):
            return False
        try:
            relative = path.relative_to(self.source).as_posix()
        except ValueError:
            return False
        return not self._excluded(relative)

    def _excluded(self, relative: str) -> bool:
        for entry in self.exclude:
            if relative == entry or relative.startswith(entry + "/"):
                return True
            if fnmatch.fnmatch(relative, entry):
                return True
        return False


def watch_roots(source: Path, always: Iterable[Path]) -> list[Path]:
    """The folders to watch: the source, and the folder of any outside config file."""
    roots = [source.resolve()]
    for path in always:
        folder = Path(path).resolve().parent
        if folder.is_dir() and not any(folder == r or r in folder.parents for r in roots):
            roots.append(folder)
    return roots


async def changes(
    roots: list[Path],
    watch_filter: SourceFilter,
    stop: asyncio.Event,
    *,
    force_polling: bool = False,
    debounce_ms: int = 1000,
    step_ms: int = 50,
) -> AsyncGenerator[set[Path], None]:
    """Batches of changed paths until `stop` is set."""
    async for batch in awatch(
        *roots,
        watch_filter=watch_filter,
        debounce=debounce_ms,
        step=step_ms,
        stop_event=stop,
        force_polling=force_polling,
        poll_delay_ms=300,
        ignore_permission_denied=True,
    ):
        paths = {Path(raw) for _change, raw in batch}
        if paths:
            yield paths
