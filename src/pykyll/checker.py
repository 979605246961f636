"""`pykyll check`: links, anchors and assets of the built site that lead nowhere.

Every HTML file of the destination folder is parsed (the standard library's
`html.parser`) and each reference is resolved the way GitHub Pages serves the folder:

- links (`<a href>`, `<area href>`) to a page or file of the site, and their `#anchor`
  (an element with that `id`, or an `<a name>`, on the target page);
- images (`<img src/srcset>`, `<source>`, `<video poster>`, `<input type=image>`),
  scripts (`<script src>`), stylesheets and icons (`<link href>`), frames and media;
- `baseurl` mistakes: with a `baseurl` of `/blog`, a link to `/about/` leaves the site.

External links (another host, or `//host/`) are listed, not fetched, unless `external=True`
(then each is requested once, HEAD and if refused GET, with a short timeout).

A problem names the built file and line, and the source file (and its line, when the URL is
written there literally: in the page, its layouts or an include).
"""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

#: the attributes that hold a URL, by tag, and what a broken one is called
_REFERENCES: dict[str, dict[str, str]] = {
    "a": {"href": "link"},
    "area": {"href": "link"},
    "img": {"src": "image", "srcset": "image"},
    "source": {"src": "media", "srcset": "image"},
    "script": {"src": "script"},
    "link": {"href": "stylesheet"},
    "iframe": {"src": "frame"},
    "frame": {"src": "frame"},
    "embed": {"src": "media"},
    "video": {"src": "media", "poster": "image"},
    "audio": {"src": "media"},
    "track": {"src": "media"},
    "input": {"src": "image"},
    "object": {"data": "media"},
}
#: `<link rel=…>` that name a host or a feed rather than a file to load
_LINK_RELS_SKIPPED = {"preconnect", "dns-prefetch", "webmention", "pingback", "me", "openid"}
_SKIPPED_SCHEMES = {"mailto", "tel", "javascript", "data", "sms", "ftp", "file", "about", "blob"}
_HTML = (".html", ".htm", ".xhtml")

KIND_NAMES = {
    "link": "broken link",
    "anchor": "missing anchor",
    "image": "missing image",
    "script": "missing script",
    "stylesheet": "missing stylesheet",
    "frame": "missing frame",
    "media": "missing media",
    "baseurl": "baseurl mistake",
    "external": "broken external link",
}


@dataclass
class Reference:
    url: str
    kind: str  # link, image, script, stylesheet, frame, media
    line: int


@dataclass
class Problem:
    kind: str
    url: str
    message: str
    #: the built file (relative to the destination) and the line in it
    page: str
    line: int
    #: the source file (relative to the site) and, when found, the line in it
    source: str | None = None
    source_line: int | None = None

    @property
    def title(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    def where(self) -> str:
        built = f"{self.page}:{self.line}"
        if self.source is None:
            return built
        source = self.source + (f":{self.source_line}" if self.source_line else "")
        return f"{source} ({built})"


@dataclass
class Report:
    pages: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: external URL -> the pages that link to it
    external: dict[str, list[str]] = field(default_factory=dict)
    #: external URL -> the status or error when fetched (`external=True` only)
    fetched: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> str:
        return json.dumps(
            {
                "ok": self.ok,
                "pages": self.pages,
                "problems": [asdict(p) | {"title": p.title} for p in self.problems],
                "external": [
                    {"url": url, "pages": pages, "status": self.fetched.get(url)}
                    for url, pages in sorted(self.external.items())
                ],
            },
            indent=2,
        )

    def grouped(self) -> list[tuple[Problem, int]]:
        """Problems, the same one (same source line, same URL) from several pages once,
        with how many pages have it: a broken link in a layout is one mistake."""
        groups: dict[tuple[Any, ...], list[Problem]] = {}
        for problem in self.problems:
            key: tuple[Any, ...] = (id(problem),)
            if problem.source is not None and problem.source_line is not None:
                key = (problem.source, problem.source_line, problem.kind, problem.url)
            groups.setdefault(key, []).append(problem)
        return [(members[0], len(members)) for members in groups.values()]

    def to_text(self) -> str:
        lines = []
        for problem, count in self.grouped():
            more = f" (and on {count - 1} more page{'s' if count > 2 else ''})" if count > 1 else ""
            lines.append(f"{problem.where()}: {problem.title}: {problem.message}{more}")
        if self.external:
            lines.append(f"External links ({len(self.external)}):")
            for url, pages in sorted(self.external.items()):
                status = f" [{self.fetched[url]}]" if url in self.fetched else ""
                lines.append(f"  {url}{status}  (in {', '.join(sorted(set(pages))[:3])})")
        problems, places = len(self.problems), len(self.grouped())
        summary = "no problems."
        if problems:
            summary = f"{problems} problem{'s' if problems != 1 else ''}"
            summary += f" in {places} places." if places != problems else "."
        lines.append(f"Checked {self.pages} page{'s' if self.pages != 1 else ''}: {summary}")
        return "\n".join(lines)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[Reference] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for name in ("id",):
            if values.get(name):
                self.ids.add(values[name])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        wanted = _REFERENCES.get(tag)
        if not wanted:
            return
        if tag == "link":
            rels = set((values.get("rel") or "").lower().split())
            if rels & _LINK_RELS_SKIPPED:
                return
            if "stylesheet" in rels:
                wanted = {"href": "stylesheet"}
            elif rels & {"icon", "apple-touch-icon", "mask-icon", "shortcut"}:
                wanted = {"href": "image"}
            elif rels & {"preload", "modulepreload", "prefetch", "manifest"}:
                wanted = {"href": "media"}
            else:
                wanted = {"href": "link"}
        if tag == "input" and (values.get("type") or "").lower() != "image":
            return
        line = self.getpos()[0]
        for attribute, kind in wanted.items():
            value = values.get(attribute)
            if value is None:
                continue
            if attribute == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.references.append(Reference(url, kind, line))
            else:
                self.references.append(Reference(value.strip(), kind, line))

    handle_startendtag = handle_starttag


@dataclass
class _Parsed:
    ids: set[str]
    references: list[Reference]
    base: str | None


class Checker:
    """Checks the HTML files of `dest`, a site built with `baseurl` (and `url`)."""

    def __init__(
        self,
        dest: Path,
        *,
        baseurl: str = "",
        url: str = "",
        sources: dict[str, Any] | None = None,
    ) -> None:
        self.dest = Path(dest)
        self.baseurl = "/" + baseurl.strip("/") if baseurl.strip("/") else ""
        self.url = url.rstrip("/")
        #: built file (relative to dest) -> how to find its source (see `SourceMap`)
        self.sources: dict[str, Any] = sources or {}
        self._parsed: dict[Path, _Parsed] = {}

    # -- parsing ---------------------------------------------------------------------------------
    def parse(self, path: Path) -> _Parsed:
        cached = self._parsed.get(path)
        if cached is None:
            parser = _PageParser()
            try:
                parser.feed(path.read_text(encoding="utf-8", errors="replace"))
                parser.close()
            except (OSError, AssertionError):
                pass
            cached = _Parsed(parser.ids, parser.references, parser.base)
            self._parsed[path] = cached
        return cached

    def pages(self) -> list[Path]:
        return sorted(p for p in self.dest.rglob("*") if p.suffix.lower() in _HTML and p.is_file())

    # -- resolving -------------------------------------------------------------------------------
    def _page_url(self, path: Path) -> str:
        relative = path.relative_to(self.dest).as_posix()
        return f"{self.baseurl}/{relative}"

    def target(self, path: str) -> Path | None:
        """The file GitHub Pages serves for a path of the site (without the baseurl)."""
        relative = unquote(path).lstrip("/")
        candidate = self.dest / relative
        if not relative or relative.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        if candidate.is_file():
            return candidate
        with_html = self.dest / (relative + ".html")
        if relative and with_html.is_file():
            return with_html
        return None

    def check_page(self, path: Path, report: Report) -> None:
        page = path.relative_to(self.dest).as_posix()
        parsed = self.parse(path)
        page_url = self._page_url(path)
        base = urljoin(page_url, parsed.base) if parsed.base else page_url
        for ref in parsed.references:
            for problem in self._check_reference(ref, page, path, base, report):
                report.problems.append(problem)

    def _check_reference(
        self, ref: Reference, page: str, path: Path, base: str, report: Report
    ) -> Iterator[Problem]:
        raw = ref.url
        if not raw:
            return
        parts = urlsplit(raw)
        if parts.scheme and parts.scheme.lower() in _SKIPPED_SCHEMES:
            return
        absolute = parts.scheme.lower() in ("http", "https") or raw.startswith("//")
        if absolute:
            internal = self._internal_path(raw)
            if internal is None:
                report.external.setdefault(raw, []).append(page)
                return
            site_path, fragment = internal
        elif parts.scheme:
            return
        else:
            if raw.startswith("#"):
                site_path, fragment = None, unquote(raw[1:])
            else:
                resolved = urlsplit(urljoin(base, raw))
                fragment = unquote(resolved.fragment)
                full = resolved.path
                if self.baseurl and not (
                    full == self.baseurl or full.startswith(self.baseurl + "/")
                ):
                    outside = self.target(full)
                    hint = (
                        f" (write {self.baseurl}{full}, e.g. with the relative_url filter)"
                        if outside is not None
                        else ""
                    )
                    yield self._problem(
                        "baseurl",
                        raw,
                        f"{raw} is outside the baseurl {self.baseurl}{hint}",
                        page,
                        ref.line,
                    )
                    return
                site_path = full[len(self.baseurl) :] or "/"
        if site_path is None:
            target: Path | None = path
        else:
            target = self.target(site_path)
            if target is None:
                kind = ref.kind
                label = "leads nowhere" if kind == "link" else "does not exist"
                yield self._problem(kind, raw, f"{raw} {label}", page, ref.line)
                return
        if fragment and fragment != "top" and target is not None:
            if target.suffix.lower() not in _HTML:
                return
            ids = self.parse(target).ids
            if fragment not in ids and html.unescape(fragment) not in ids:
                shown = target.relative_to(self.dest).as_posix()
                yield self._problem(
                    "anchor", raw, f"{raw}: no id '{fragment}' in {shown}", page, ref.line
                )

    def _internal_path(self, raw: str) -> tuple[str, str] | None:
        """(path without baseurl, fragment) of an absolute URL into this site (same host as
        the site's `url`, under its path and the baseurl), else None."""
        if not self.url:
            return None
        site = urlsplit(self.url)
        parts = urlsplit(raw if not raw.startswith("//") else f"https:{raw}")
        if not site.netloc or parts.netloc.lower() != site.netloc.lower():
            return None
        path = parts.path or "/"
        prefix = site.path.rstrip("/") + self.baseurl
        if prefix and not (path == prefix or path.startswith(prefix + "/")):
            return None
        return path[len(prefix) :] or "/", unquote(parts.fragment)

    def _problem(self, kind: str, url: str, message: str, page: str, line: int) -> Problem:
        problem = Problem(kind, url, message, page, line)
        source = self.sources.get(page)
        if source is not None:
            problem.source, problem.source_line = source.locate(url, self.baseurl)
        return problem

    # -- the whole site --------------------------------------------------------------------------
    def run(self, *, external: bool = False, timeout: float = 5.0) -> Report:
        report = Report()
        for path in self.pages():
            report.pages += 1
            self.check_page(path, report)
        if external and report.external:
            report.fetched = fetch_all(list(report.external), timeout)
            for url, status in report.fetched.items():
                if status.isdigit() and int(status) < 400:
                    continue
                for page in sorted(set(report.external[url])):
                    line = next(
                        (r.line for r in self.parse(self.dest / page).references if r.url == url),
                        1,
                    )
                    report.problems.append(
                        self._problem("external", url, f"{url} answered {status}", page, line)
                    )
        return report


# -- external links --------------------------------------------------------------------------------
def fetch(url: str, timeout: float) -> str:
    """The HTTP status of `url` as text (HEAD, then GET if HEAD is refused), or the error."""
    target = url if not url.startswith("//") else "https:" + url
    headers = {"User-Agent": "pykyll-check (+https://pypi.org/project/pykyll/)"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(target, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return str(response.status)
        except urllib.error.HTTPError as err:
            if method == "HEAD" and err.code in (403, 405, 501):
                continue
            return str(err.code)
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            return f"error: {reason}"
    return "error: no answer"


def fetch_all(urls: Iterable[str], timeout: float) -> dict[str, str]:
    unique = sorted(set(urls))
    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(unique, pool.map(lambda u: fetch(u, timeout), unique), strict=True))


# -- where a built file came from ------------------------------------------------------------
class SourceMap:
    """The source of one built file, and the files its HTML came from (the source itself,
    its layouts, the includes), to find the line where a URL is written.

    `files` holds (name, path, first line to search): a page's front matter is skipped.
    """

    def __init__(self, source: str, files: list[tuple[str, Path, int]]) -> None:
        self.source = source
        self.files = files

    def locate(self, url: str, baseurl: str) -> tuple[str, int | None]:
        # a URL written in an attribute, a Markdown link or a reference definition; under a
        # baseurl, not one that a URL filter turns into another (`{{ '/x' | relative_url }}`)
        written = r"(?:(?<=[\"'(=<])|(?<=\]: ))"
        not_filtered = r"(?![\w/.-])"
        if baseurl:
            not_filtered += r"(?!['\"]?\s*\|\s*(?:relative_url|absolute_url))"
        patterns = [written + re.escape(url) + not_filtered]
        escaped = html.escape(url, quote=False)
        if escaped != url:
            patterns.append(written + re.escape(escaped) + not_filtered)
        fragment = url.partition("#")[2]
        if baseurl and url.startswith(baseurl + "/"):
            # written without the baseurl, for a URL filter to add it
            patterns.append(written + re.escape(url[len(baseurl) :]) + r"(?![\w/.-])")
        if fragment:
            patterns.append(r"(?<![\w-])" + re.escape("#" + fragment) + r"(?![\w-])")
        texts: dict[Path, list[str]] = {}
        for pattern in map(re.compile, patterns):
            for name, file, first in self.files:
                if file not in texts:
                    try:
                        texts[file] = file.read_text(encoding="utf-8-sig").splitlines()
                    except (OSError, UnicodeDecodeError):
                        texts[file] = []
                lines = texts[file]
                for number in range(max(first, 1), len(lines) + 1):
                    if pattern.search(lines[number - 1]):
                        return name, number
        return self.source, None


def source_maps(site: Any) -> dict[str, SourceMap]:
    """Built file (relative to the destination) -> its `SourceMap`, for a site that was read."""
    maps: dict[str, SourceMap] = {}
    layouts = site.layouts
    includes: list[tuple[str, Path, int]] = []
    for folder in site.include_dirs():
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    includes.append((site.display_path(path), path, 1))
    items: list[Any] = [*site.pages]
    items += [d for d in site.documents() if d.write()]
    for item in items:
        files = [(str(item.relative_path), Path(item.path), int(item.content_line or 1))]
        name = item.get("layout")
        seen: set[str] = set()
        while name is not None and str(name) in layouts and str(name) not in seen:
            seen.add(str(name))
            layout = layouts[str(name)]
            files.append((site.display_path(Path(layout.path)), Path(layout.path), 1))
            name = layout.data.get("layout")
        relative = item.destination(site.dest).relative_to(site.dest).as_posix()
        maps[relative] = SourceMap(str(item.relative_path), files + includes)
    for static in site.static_files:
        relative = static.destination(site.dest).relative_to(site.dest).as_posix()
        if relative.endswith(_HTML):
            name = str(static.relative_path).lstrip("/")
            maps[relative] = SourceMap(name, [(name, Path(static.path), 1)])
    return maps


def check_site(site: Any, *, external: bool = False, timeout: float = 5.0) -> Report:
    """Check the built destination of `site` (read, so sources are known)."""
    checker = Checker(
        site.dest,
        baseurl=str(site.config.get("baseurl") or ""),
        url=str(site.config.get("url") or ""),
        sources=source_maps(site),
    )
    return checker.run(external=external, timeout=timeout)


__all__ = ["Checker", "Problem", "Report", "SourceMap", "check_site", "fetch"]
