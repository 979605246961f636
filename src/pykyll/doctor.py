"""`pykyll doctor`: Jekyll's `jekyll doctor` checks, and a few of pykyll's own.

Like Jekyll, the site is read and generated but not rendered. Jekyll's checks, with
Jekyll's messages:

- deprecated configuration: `relative_permalinks` (removed in Jekyll 3), `paginate`
  without the jekyll-paginate plugin;
- conflicting URLs: two files written to the same destination;
- URLs that only differ by case (one overwrites the other on macOS and Windows);
- the site `url`: set, valid and absolute;
- `_posts` outside a custom `collections_dir`.

(`fsnotify_buggy?` only concerns Ruby's file watcher on macOS; pykyll's watcher does not
have that problem, so there is no such check.)

pykyll's own:

- configuration keys from Jekyll 3 that Jekyll 4 silently ignores (`gems`, `layouts`,
  `data_source`, `pygments`, ...);
- plugins listed in `plugins:` that pykyll does not have;
- layouts requested (in front matter, defaults or by a layout) that do not exist;
- files in `_includes` that no template includes;
- root-relative links written into templates (`href="/about/"`) while the site has a
  `baseurl`: they lead outside the site once it is served under that base URL.

Every finding is a warning; `pykyll doctor` exits with 1 if there is any, as
`jekyll doctor` aborts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pykyll.frontmatter import key_line
from pykyll.log import QUIET, Logger
from pykyll.models import Document, Page, StaticFile

#: configuration keys that Jekyll 3 renamed or dropped, with Jekyll 3's deprecation message
RENAMED_KEYS = {
    "gems": "plugins",
    "layouts": "layouts_dir",
    "data_source": "data_dir",
    "server_port": "port",
}
REMOVED_KEYS = {
    "auto": "Auto-regeneration can no longer be set from your configuration file(s). "
    "Use the --[no-]watch/-w command-line option instead.",
    "watch": "Auto-regeneration can no longer be set from your configuration file(s). "
    "Use the --[no-]watch/-w command-line option instead.",
    "server": "The 'server' configuration option is no longer accepted. Use the "
    "'pykyll serve' subcommand to serve your site.",
    "pygments": "The 'pygments' configuration option has been renamed to 'highlighter'. "
    "Please update your config file accordingly. The allowed values are 'rouge', "
    "'pygments' or null.",
}

_INCLUDE = re.compile(r"\{%-?\s*include(?:_cached)?\s+([^\s%}]+)")
_ROOT_RELATIVE = re.compile(r"""(?:href|src)\s*=\s*["'](/(?!/)[^"'{}\s]*)["']""")
_TEMPLATE_EXTS = {".html", ".htm", ".md", ".markdown", ".liquid", ".xml", ".txt", ".json"}


@dataclass
class Finding:
    """One problem: the check that found it, the first log line, and where it is."""

    check: str
    topic: str
    lines: list[str]
    file: str | None = None
    line: int | None = None


def _config_line(site: Any, needle: str) -> tuple[str | None, int | None]:
    """The configuration file and line that mention `needle` (for annotations)."""
    for name in ("_config.yml", "_config.yaml", "_config.toml"):
        path = Path(site.source) / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return name, None
        pattern = re.compile(rf"(^|[\s\[,'\"-]){re.escape(needle)}($|[\s\],'\":])")
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line.split("#", 1)[0]):
                return name, number
        return name, None
    return None, None


class Doctor:
    def __init__(self, site: Any, logger: Logger) -> None:
        self.site = site
        self.logger = logger
        self.findings: list[Finding] = []

    def add(
        self,
        check: str,
        topic: str,
        *lines: str,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.findings.append(Finding(check, topic, list(lines), file, line))

    def run(self) -> list[Finding]:
        self.deprecated_configuration()
        self.conflicting_urls()
        self.urls_only_differ_by_case()
        self.proper_site_url()
        self.properly_gathered_posts()
        self.unavailable_plugins()
        self.missing_layouts()
        self.unused_includes()
        self.links_without_baseurl()
        return self.findings

    # -- Jekyll's checks -------------------------------------------------------------------------
    def deprecated_configuration(self) -> None:
        config = self.site.config
        if config.get("paginate") and "jekyll-paginate" not in _plugin_names(config):
            file, line = _config_line(self.site, "paginate")
            self.add(
                "deprecated_configuration",
                "Deprecation:",
                "You appear to have pagination turned on, but you haven't included the "
                "`jekyll-paginate` gem. Ensure you have `plugins: [jekyll-paginate]` in your "
                "configuration file.",
                file=file,
                line=line,
            )
        if config.get("relative_permalinks"):
            file, line = _config_line(self.site, "relative_permalinks")
            self.add(
                "deprecated_relative_permalinks",
                "Deprecation:",
                "Your site still uses relative permalinks, which was removed in Jekyll v3.0.0.",
                file=file,
                line=line,
            )
        for old, new in RENAMED_KEYS.items():
            if old in config:
                file, line = _config_line(self.site, old)
                self.add(
                    "deprecated_configuration",
                    "Deprecation:",
                    f"The '{old}' configuration option has been renamed to '{new}'. "
                    "Please update your config file accordingly.",
                    file=file,
                    line=line,
                )
        for old, message in REMOVED_KEYS.items():
            if old in config:
                file, line = _config_line(self.site, old)
                self.add("deprecated_configuration", "Deprecation:", message, file=file, line=line)

    def conflicting_urls(self) -> None:
        destinations: dict[Path, list[Any]] = {}
        for item in self._site_files():
            destinations.setdefault(item.destination(self.site.dest), []).append(item)
        for dest, items in destinations.items():
            if len(items) < 2:
                continue
            self.add(
                "conflicting_urls",
                "Conflict:",
                "The following destination is shared by multiple files.",
                "The written file may end up with unexpected contents.",
                str(dest),
                *(f" - {_jekyll_path(item)}" for item in items),
                "",
                file=str(items[-1].relative_path).lstrip("/"),
            )

    def urls_only_differ_by_case(self) -> None:
        by_lower: dict[str, list[str]] = {}
        for item in [*self.site.pages, *self._docs_to_write()]:
            dest = str(item.destination(self.site.dest))
            by_lower.setdefault(dest.lower(), []).append(dest)
        for real in by_lower.values():
            if len(set(real)) > 1:
                self.add(
                    "urls_only_differ_by_case",
                    "Warning:",
                    "The following URLs only differ by case. On a case-insensitive file system "
                    "one of the URLs will be overwritten by the other: " + ", ".join(real),
                )

    def proper_site_url(self) -> None:
        url = self.site.config.get("url")
        file, line = _config_line(self.site, "url")
        if url is None or url == "":
            self.add(
                "proper_site_url",
                "Warning:",
                "You didn't set an URL in the config file, you may encounter problems with "
                "some plugins.",
                file=file,
                line=line,
            )
        if not isinstance(url, str) and url is not None:
            self.add(
                "proper_site_url",
                "Warning:",
                "The site URL does not seem to be valid, check the value of `url` in your "
                "config file.",
                file=file,
                line=line,
            )
        if not (isinstance(url, str) and urlparse(url).scheme):
            self.add(
                "proper_site_url",
                "Warning:",
                "Your site URL does not seem to be absolute, check the value of `url` in your "
                "config file.",
                file=file,
                line=line,
            )

    def properly_gathered_posts(self) -> None:
        collections_dir = str(self.site.config.get("collections_dir") or "")
        if not collections_dir:
            return
        posts_at_root = Path(self.site.source) / "_posts"
        if posts_at_root.is_dir():
            self.add(
                "properly_gathered_posts",
                "Warning:",
                "Detected '_posts' directory outside custom `collections_dir`!",
                f"Please move '{posts_at_root}' into the custom directory at "
                f"'{Path(self.site.source) / collections_dir}'",
                file="_posts",
            )

    # -- pykyll's checks -------------------------------------------------------------------------
    def unavailable_plugins(self) -> None:
        from pykyll.plugins import available_plugins

        available = available_plugins()
        for name in _plugin_names(self.site.config):
            if name not in available:
                file, line = _config_line(self.site, name)
                self.add(
                    "unavailable_plugins",
                    "Plugin Warning:",
                    f"'{name}' is listed in `plugins:` but pykyll does not have it; "
                    "the site is built without it.",
                    file=file,
                    line=line,
                )

    def missing_layouts(self) -> None:
        layouts = self.site.layouts
        items: list[Any] = [*self.site.pages]
        items += self.site.documents()
        for item in items:
            name = item.get("layout")
            if name is None or name == "none" or str(name) in layouts:
                continue
            if item.is_asset:
                continue
            self.add(
                "missing_layouts",
                "Build Warning:",
                f"Layout '{name}' requested in {item.relative_path} does not exist.",
                file=item.relative_path,
                line=key_line(item.path, "layout"),
            )
        for layout in layouts.values():
            parent = layout.data.get("layout")
            if parent is None or parent == "none" or str(parent) in layouts:
                continue
            relative = self._display(layout.path)
            self.add(
                "missing_layouts",
                "Build Warning:",
                f"Layout '{parent}' requested in {relative} does not exist.",
                file=relative,
                line=key_line(layout.path, "layout"),
            )

    def unused_includes(self) -> None:
        own = self.site.include_dirs()[0]
        if not own.is_dir():
            return
        used: set[str] = set()
        dynamic = False
        for text in self._templates():
            for match in _INCLUDE.finditer(text):
                name = match.group(1)
                if name.startswith("{{"):
                    dynamic = True
                else:
                    used.add(name.strip("'\""))
        if dynamic:
            self.logger.debug(
                "Doctor:",
                "an include's name is computed ({% include {{ … }} %}); "
                "not looking for unused includes",
            )
            return
        for path in sorted(p for p in own.rglob("*") if p.is_file()):
            name = path.relative_to(own).as_posix()
            if name in used or name.startswith("."):
                continue
            relative = self._display(path)
            self.add(
                "unused_includes",
                "Warning:",
                f"{relative} is never included by a page, layout or include.",
                file=relative,
            )

    def links_without_baseurl(self) -> None:
        baseurl = str(self.site.config.get("baseurl") or "").rstrip("/")
        if not baseurl:
            return
        sources: list[tuple[str, Path]] = []
        items: list[Any] = [*self.site.pages]
        items += self.site.documents()
        sources += [(item.relative_path, item.path) for item in items if not item.is_asset]
        sources += [(self._display(layout.path), layout.path) for layout in self._layouts()]
        sources += [(self._display(path), path) for path in self._include_files()]
        for relative, path in sources:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                for match in _ROOT_RELATIVE.finditer(line):
                    url = match.group(1)
                    if url == baseurl or url.startswith(baseurl + "/"):
                        continue
                    self.add(
                        "links_without_baseurl",
                        "Warning:",
                        f"{relative}:{number}: '{url}' ignores the baseurl '{baseurl}'; "
                        f"write {{{{ '{url}' | relative_url }}}} instead.",
                        file=relative,
                        line=number,
                    )

    # -- helpers -------------------------------------------------------------------------------
    def _docs_to_write(self) -> list[Document]:
        return [d for d in self.site.documents() if d.write()]

    def _site_files(self) -> Iterator[Any]:
        yield from self.site.pages
        yield from (f for f in self.site.static_files if f.write())
        yield from self._docs_to_write()

    def _display(self, path: Path) -> str:
        return str(self.site.display_path(Path(path)))

    def _layouts(self) -> list[Any]:
        return list(self.site.layouts.values())

    def _include_files(self) -> list[Path]:
        files: list[Path] = []
        for folder in self.site.include_dirs():
            if folder.is_dir():
                files += sorted(p for p in folder.rglob("*") if p.is_file())
        return files

    def _templates(self) -> Iterable[str]:
        paths: list[Path] = [layout.path for layout in self._layouts()]
        paths += self._include_files()
        for folder in self.site.layout_dirs():
            if folder.is_dir():
                paths += [p for p in folder.rglob("*") if p.is_file()]
        texts = [item.content for item in self.site.pages]
        texts += [d.content for d in self.site.documents()]
        yield from texts
        for path in paths:
            if path.suffix.lower() not in _TEMPLATE_EXTS and path.suffix:
                continue
            try:
                yield path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue


def _plugin_names(config: Any) -> list[str]:
    names = config.get("plugins") or []
    if isinstance(names, str):
        names = [names]
    return [str(n) for n in names]


def _jekyll_path(item: Any) -> str:
    """What Jekyll's doctor prints for a file: a page's path relative to the site, a
    document's or static file's absolute path."""
    if isinstance(item, Page):
        return str(item.relative_path)
    if isinstance(item, Document | StaticFile):
        return str(item.path)
    return str(getattr(item, "path", item))


def diagnose(config: dict[str, Any], logger: Logger) -> list[Finding]:
    """Read and generate the site (no rendering) and run the checks; the warnings of
    reading are logged as in a build, except the unavailable-plugin warning, which is
    one of the findings."""
    from pykyll.site import Site

    quiet = Logger(level=QUIET)
    site = Site(config, quiet)
    site.read()
    site.generate()
    for record in quiet.diagnostics:
        if record.topic == "Plugin Warning:":
            continue
        first, *rest = record.message.split("\n")
        logger.warn(record.topic, first, file=record.file, line=record.line, kind=record.kind)
        for more in rest:
            logger.warn("", more)
    return Doctor(site, logger).run()


def report(findings: list[Finding], logger: Logger) -> None:
    for finding in findings:
        first, *rest = finding.lines
        logger.warn(finding.topic, first, file=finding.file, line=finding.line)
        for more in rest:
            logger.warn("", more)
    if not findings:
        logger.info("Your test results", "are in. Everything looks fine.")


__all__ = ["Doctor", "Finding", "diagnose", "report"]
