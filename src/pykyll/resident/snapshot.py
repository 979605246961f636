"""A site read ahead of its build, and the proof that it is still what a read would give.

The resident process reads the site while nobody waits (`ReadAhead.read`) and keeps it;
each build it serves runs in a forked copy, which takes the read (`take`) when:

* the build's configuration is the one the read used, to the last key;
* every folder the reader listed lists the same names, every path it probed is of the
  same kind, and every file it read is unchanged (`pykyll.read_log`) — except files that
  are the body of a document or page whose front matter is as it was: those are read
  again one by one, which is what a full read would do for them (front matter decides
  the order, the URLs and what is published; the body decides none of it);
* no item hidden for a future date has come due, and no document took the read's time as
  its date (a fresh read would give them the time of the build);
* nothing was printed while reading, or, when a document is read again, nothing had been:
  the messages are then those of a fresh read, in the same order.

Anything else and the build reads the site itself, as without a resident process.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
from pathlib import Path
from typing import Any

from pykyll import incremental
from pykyll.frontmatter import has_yaml_header
from pykyll.log import VERBOSE, Call, Logger, RecordingLogger, replay
from pykyll.log import log as default_log
from pykyll.models import Document, Page
from pykyll.read_log import ReadLog
from pykyll.site import Site


class ReadAhead:
    def __init__(self, config: dict[str, Any], site: Site, calls: list[Call]) -> None:
        self.config = config
        self.site: Site | None = site
        self.calls = calls

    @classmethod
    def read(cls, config: dict[str, Any]) -> ReadAhead | None:
        """Read the site of `config` now; None when this read could not stand for a later one."""
        kept = copy.deepcopy(config)
        printed = io.StringIO()
        level, warnings = default_log.level, len(default_log.warnings)
        default_log.level = VERBOSE  # a message at any level makes the read unusable
        recorder = RecordingLogger(default_log)
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                site = Site(dict(config), recorder)  # type: ignore[arg-type]
                folder = site.cache.folder
                site.read_log = ReadLog(folder / "read-mark" if folder is not None else None)
                site.read()
        except Exception:  # the build will meet the same problem and report it
            return None
        finally:
            default_log.level = level
        if printed.getvalue() or len(default_log.warnings) != warnings or site.plugins:
            return None  # plugins may read files of their own while the site is read
        if any(doc.data.get("date") is site.time for doc in site.documents()):
            return None
        assert site.read_log is not None
        site.read_log.seal()
        ahead = cls(kept, site, recorder.calls)
        ahead.read_state()
        return ahead

    def read_state(self) -> None:
        """Decode the incremental build's state now (`incremental.read_state` keeps it)."""
        if self.site is not None:
            with contextlib.suppress(Exception):
                incremental.read_state(self.site, keep=True)

    def changes(self) -> set[str] | None:
        """The files changed since the read (None: folders changed too, or it was used)."""
        if self.site is None or self.site.read_log is None:
            return None
        return self.site.read_log.changes()

    def take(self, config: dict[str, Any], logger: Logger | None) -> Site | None:
        """The site, read, for a build of `config`; None: the build must read it itself."""
        real = logger or default_log
        site, self.site = self.site, None  # one build per copy of the process
        if site is None or site.read_log is None:
            return None
        if config != self.config:
            return _not_taken(real, "the configuration changed")
        changed = site.read_log.changes()
        if changed is None:
            return _not_taken(real, "files were added, removed or changed in kind")
        now = dt.datetime.now(site.tz)
        if site.first_hidden is not None and int(now.timestamp()) >= site.first_hidden:
            return _not_taken(real, "an item dated in the future is due now")
        calls = list(self.calls)
        if changed:
            if calls:
                return _not_taken(real, "reading printed messages")
            recorder = RecordingLogger(real)
            site.logger = recorder  # type: ignore[assignment]
            if not _read_again(site, changed):
                return _not_taken(real, "a change needs the whole site read")
            calls = recorder.calls
        real.debug("Resident:", f"the site was read ahead; {len(changed)} file(s) read again")
        site.logger = real
        site.read_log = None
        if not site.config.get("time"):
            site.time = now
        replay(calls, real)
        site.already_read = True
        return site


def _not_taken(logger: Logger, why: str) -> Site | None:
    logger.debug("Resident:", f"reading the site again: {why}")
    return None


def _read_again(site: Site, changed: set[str]) -> bool:
    """Read the changed files again where the read allows it (see the module's notes)."""
    items: dict[str, Page | Document] = {str(p.path): p for p in site.pages}
    items.update((str(d.path), d) for d in site.documents())
    statics = {str(f.path) for f in site.static_files}
    for path in sorted(changed):
        if path in statics:  # read from disk when written; it must not have become a page
            if has_yaml_header(Path(path)):
                return False
            continue
        item = items.get(path)
        if item is None or not has_yaml_header(item.path):
            return False
        before = site.tracker.sources.get(path)
        fresh = _fresh(site, item)
        after = site.tracker.sources.get(path)
        if before is None or after is None or before[0] != after[0] or not site.publish(fresh):
            return False
        _replace(site, item, fresh)
    return True


def _fresh(site: Site, item: Page | Document) -> Page | Document:
    if isinstance(item, Document):
        doc = Document(site, item.path, item.collection)
        doc.read()
        return doc
    return Page(site, item.base, item.dir_, item.name)


def _replace(site: Site, old: Page | Document, new: Page | Document) -> None:
    items: list[Any] = old.collection.docs if isinstance(old, Document) else site.pages
    for index, item in enumerate(items):
        if item is old:
            items[index] = new
            return
