"""Reading stage: find layouts, pages, static files, posts, collections and data.

A port of `Jekyll::Reader` and its helpers, keeping their order and filtering rules
(`EntryFilter`), because the order decides what `site.pages` and friends list.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pykyll.cache import CACHE_DIR
from pykyll.config import deep_merge
from pykyll.errors import ContentError, invalid_utf8
from pykyll.frontmatter import has_yaml_header
from pykyll.models import DATE_FILENAME, DATELESS_FILENAME, Document, Layout, Page, StaticFile
from pykyll.utils import ruby_fnmatch

if TYPE_CHECKING:
    from pykyll.models import Collection
    from pykyll.site import Site

_SPECIAL_LEADING = (".", "_", "#", "~")


class EntryFilter:
    """Which directory entries Jekyll reads: no dot/underscore/backup files unless included."""

    def __init__(self, site: Site, base_directory: str = "") -> None:
        self.site = site
        base = base_directory
        source = str(site.source)
        if base.startswith(source):
            base = base[len(source) :]
        self.base_directory = base
        self.include = [str(p) for p in site.config.get("include") or []]
        self.exclude = [str(p) for p in site.config.get("exclude") or [] if p not in self.include]

    def filter(self, entries: list[str]) -> list[str]:
        return [e for e in entries if not self._rejected(e)]

    def _rejected(self, entry: str) -> bool:
        if entry.endswith("."):
            return True
        if not self.base_directory.strip("/") and entry.split("/", 1)[0] == CACHE_DIR:
            return True  # pykyll's own cache folder is never site content
        included = self.included(entry)
        if self.excluded(entry) and not included:
            return True
        if self.symlink_outside(entry):
            return True
        if included:
            return False
        return self.special(entry) or entry.endswith("~")

    def included(self, entry: str) -> bool:
        return self._glob_include(self.include, entry) or self._glob_include(
            self.include, os.path.basename(entry)
        )

    @staticmethod
    def special(entry: str) -> bool:
        return entry.startswith(_SPECIAL_LEADING) or os.path.basename(entry).startswith(
            _SPECIAL_LEADING
        )

    def excluded(self, entry: str) -> bool:
        relative = os.path.join(self.base_directory, entry) if self.base_directory else "/" + entry
        return self._glob_include(self.exclude, relative)

    def symlink_outside(self, entry: str) -> bool:
        if not self.site.safe:
            return False
        path = (
            Path(entry)
            if os.path.isabs(entry)
            else self.site.source / self.base_directory.lstrip("/") / entry
        )
        if not path.is_symlink():
            return False
        return not str(path.resolve()).startswith(str(self.site.source.resolve()))

    def _glob_include(self, patterns: list[str], entry: str) -> bool:
        source = str(self.site.source)
        entry_with_source = _join(source, entry)
        for pattern in patterns:
            pattern_with_source = _join(source, pattern)
            if ruby_fnmatch(pattern_with_source, entry_with_source):
                return True
            if entry_with_source.startswith(pattern_with_source):
                return True
            # a folder named with a trailing slash; asked last, as it needs a stat
            if pattern_with_source == entry_with_source + "/" and os.path.isdir(entry_with_source):
                return True
        return False


def _join(base: str, item: str) -> str:
    """Ruby's File.join: exactly one slash between the parts."""
    if not item:
        return base + "/" if not base.endswith("/") else base
    return base.rstrip("/") + "/" + item.lstrip("/")


class Reader:
    def __init__(self, site: Site) -> None:
        self.site = site

    def read(self) -> None:
        site = self.site
        site.layouts = self.read_layouts()
        self.read_directories("")
        self.read_included_excludes()
        site.pages.sort(key=lambda p: p.name)
        site.static_files.sort(key=lambda f: f.relative_path)
        for collection in site.collections.values():
            if collection.label != "posts":
                self.read_collection(collection)
        site.sort_posts()
        self.read_theme_assets()
        site.data = DataReader(site).read(site.source / str(site.config["data_dir"]))
        theme = site.theme
        if theme is not None and theme.data_path is not None:
            site.data = deep_merge(DataReader(site).read(theme.data_path), site.data)

    def read_theme_assets(self) -> None:
        """The theme's `assets` folder, unless the site has a file at the same path."""
        theme = self.site.theme
        if theme is None or theme.assets_path is None:
            return
        for relative in _files_under(self.site, theme.assets_path):
            path = theme.assets_path / relative
            if path.is_symlink():
                self.site.logger.warn("Theme reader:", f"Ignored symlinked asset: {path}")
                continue
            dir = "/" + str(Path("assets", relative).parent.as_posix())
            if has_yaml_header(path):
                page = Page(self.site, theme.root, dir, path.name)
                if not any(p.relative_path == page.relative_path for p in self.site.pages):
                    self.site.pages.append(page)
            else:
                static = StaticFile(self.site, theme.root, dir, path.name)
                if not any(f.relative_path == static.relative_path for f in self.site.static_files):
                    self.site.static_files.append(static)

    # -- layouts ---------------------------------------------------------------------------
    def read_layouts(self) -> dict[str, Layout]:
        layouts: dict[str, Layout] = {}
        for folder in self.site.layout_dirs():
            if not _probed(self.site, folder).is_dir():
                continue
            names = EntryFilter(self.site).filter(_files_under(self.site, folder, dotted_only=True))
            for name in names:
                key = ".".join(name.split(".")[:-1])
                if key in layouts:
                    continue
                path = folder / name
                data, content, line = self.site.read_front_matter(path, page=True)
                layouts[key] = Layout(key, path, self.site.display_path(path), data, content, line)
        return layouts

    # -- pages, static files, posts ----------------------------------------------------------
    def read_directories(self, dir: str) -> None:
        site = self.site
        base = site.source / dir.lstrip("/")
        if not _probed(site, base).is_dir():
            return
        entries = EntryFilter(site, str(base)).filter(_listing(site, base))
        dirs, pages, statics = [], [], []
        for entry in entries:
            path = base / entry
            if path.is_dir():
                dirs.append(entry)
            elif has_yaml_header(path):
                pages.append(entry)
            else:
                statics.append(entry)
        self.retrieve_posts(dir)
        for entry in dirs:
            if (base / entry).resolve() != site.dest.resolve():
                self.read_directories(f"{dir}/{entry}")
        for entry in pages:
            page = Page(site, site.source, dir, entry)
            if site.publish(page):
                site.pages.append(page)
        for entry in statics:
            site.static_files.append(StaticFile(site, site.source, dir, entry))

    def retrieve_posts(self, dir: str) -> None:
        collections_dir = str(self.site.config.get("collections_dir") or "")
        if collections_dir and not dir.startswith(f"/{collections_dir}"):
            return
        posts = self.site.collections["posts"]
        posts.docs.extend(self.read_publishable(dir, "_posts", DATE_FILENAME))
        if self.site.show_drafts:
            posts.docs.extend(self.read_publishable(dir, "_drafts", DATELESS_FILENAME))

    def read_publishable(
        self, dir: str, magic_dir: str, matcher: re.Pattern[str]
    ) -> list[Document]:
        base = self.site.source / dir.lstrip("/") / magic_dir
        if not _probed(self.site, base).exists():
            return []
        entries = EntryFilter(self.site, str(base)).filter(_files_under(self.site, base))
        docs = []
        for entry in entries:
            if not matcher.match(entry):
                continue
            doc = Document(self.site, base / entry, self.site.collections["posts"])
            doc.read()
            if self.site.publish(doc):
                docs.append(doc)
            elif self.site.hidden_in_the_future(doc):
                self.site.logger.warn("Skipping:", f"{doc.relative_path} has a future date")
        return docs

    def read_included_excludes(self) -> None:
        site = self.site
        for entry in site.config.get("include") or []:
            path = site.source / str(entry)
            if _probed(site, path).is_dir() or not path.is_file():
                continue
            parent = path.parent
            rel_dir = (
                "" if parent == site.source else "/" + parent.relative_to(site.source).as_posix()
            )
            if has_yaml_header(path):
                if not any(site.source / p.relative_path == path for p in site.pages):
                    page = Page(site, site.source, rel_dir, path.name)
                    if site.publish(page):
                        site.pages.append(page)
            elif not any(
                site.source / f.relative_path.lstrip("/") == path for f in site.static_files
            ):
                site.static_files.append(StaticFile(site, site.source, rel_dir, path.name))

    # -- collections ---------------------------------------------------------------------------
    def read_collection(self, collection: Collection) -> None:
        directory = collection.directory
        if not _probed(self.site, directory).is_dir():
            return
        entry_filter = EntryFilter(self.site, collection.relative_directory)
        entries = entry_filter.filter(_files_under(self.site, directory, include_dot=True))
        for entry in entries:
            full = directory / entry
            if full.is_dir():
                continue
            if has_yaml_header(full):
                doc = Document(self.site, full, collection)
                doc.read()
                if self.site.unpublished or doc.published():
                    collection.docs.append(doc)
            else:
                rel_dir = os.path.normpath(
                    os.path.join(collection.relative_directory, os.path.dirname(entry))
                )
                collection.files.append(
                    StaticFile(self.site, self.site.source, rel_dir, full.name, collection)
                )
        self.site.static_files.extend(collection.files)
        sort_collection(self.site, collection)


def sort_collection(site: Site, collection: Collection) -> None:
    order = collection.metadata.get("order")
    sort_by = collection.metadata.get("sort_by")
    if isinstance(order, list):
        by_path = {d.relative_path: d for d in sorted(collection.docs, key=Document.sort_key)}
        ordered = [
            by_path.pop(f"{collection.relative_directory}/{e}")
            for e in order
            if f"{collection.relative_directory}/{e}" in by_path
        ]
        collection.docs = ordered + list(by_path.values())
    elif isinstance(sort_by, str):

        def key(doc: Document) -> tuple[int, Any, Any]:
            value = doc.data.get(sort_by)
            if value is None:
                site.logger.warn("Sort warning:", f"'{sort_by}' not defined in {doc.relative_path}")
                return (1, 0, doc.sort_key())
            return (0, value, doc.sort_key())

        try:
            collection.docs.sort(key=key)
        except TypeError:  # values of mixed types: Ruby's <=> gives up the same way
            collection.docs.sort(key=Document.sort_key)
    else:
        collection.docs.sort(key=Document.sort_key)


def _probed(site: Site, path: Path) -> Path:
    """`path`, noted as looked at (for a read kept for later, see `pykyll.read_log`)."""
    if site.read_log is not None:
        site.read_log.probed(path)
    return path


def _listing(site: Site, folder: Path) -> list[str]:
    names = sorted(os.listdir(folder))
    if site.read_log is not None:
        site.read_log.listed(folder, names)
    return names


def _files_under(
    site: Site, base: Path, *, dotted_only: bool = False, include_dot: bool = False
) -> list[str]:
    found = _glob_files(base, dotted_only=dotted_only, include_dot=include_dot)
    if site.read_log is not None:
        site.read_log.globbed(base, (dotted_only, include_dot), found)
    return found


def _glob_files(base: Path, *, dotted_only: bool = False, include_dot: bool = False) -> list[str]:
    """The files of Ruby's `Dir["**/*"]` under `base` (`**/*.*` for layouts), relative, sorted.

    Without `include_dot` (FNM_DOTMATCH) dot files and dot folders are not listed at all.
    """
    found: list[str] = []
    for root, dirs, files in os.walk(base):
        rel_root = os.path.relpath(root, base)
        if not include_dot:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not include_dot and name.startswith("."):
                continue
            if dotted_only and "." not in name:
                continue
            found.append(name if rel_root == "." else f"{rel_root}/{name}")
    return sorted(found)


class DataReader:
    """`_data` files: YAML, JSON, CSV and TSV, folders becoming nested mappings."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def read(self, folder: Path) -> dict[str, Any]:
        data: dict[str, Any] = {}
        self._read_into(folder, data)
        return data

    def _read_into(self, folder: Path, data: dict[str, Any]) -> None:
        if not _probed(self.site, folder).is_dir():
            return
        if EntryFilter(self.site).symlink_outside(str(folder)):
            return
        names = _listing(self.site, folder)
        files = [
            n
            for ext in ("yaml", "yml", "json", "csv", "tsv")
            for n in names
            if not n.startswith(".") and n.endswith("." + ext) and (folder / n).is_file()
        ]
        dirs = [n for n in names if not n.startswith(".") and (folder / n).is_dir()]
        for name in files + dirs:
            path = folder / name
            if EntryFilter(self.site).symlink_outside(str(path)):
                continue  # Jekyll's DataReader skips these in safe mode
            if path.is_dir():
                child: dict[str, Any] = {}
                data[sanitize_filename(name)] = child
                self._read_into(path, child)
            else:
                data[sanitize_filename(os.path.splitext(name)[0])] = self.read_file(path)

    def read_file(self, path: Path) -> Any:
        ext = path.suffix.lower()
        if ext in (".csv", ".tsv"):
            return self._read_table(path, "\t" if ext == ".tsv" else ",")
        if ext == ".json":
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as err:
                raise invalid_utf8(err, self.site.display_path(path), ContentError) from err
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                pass  # Jekyll reads JSON with its YAML parser, which accepts more
        return self.site.read_yaml_file(path)

    def _read_table(self, path: Path, delimiter: str) -> list[Any]:
        config_key = "tsv_reader" if delimiter == "\t" else "csv_reader"
        options = self.site.config.get(config_key) or {}
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            raise invalid_utf8(err, self.site.display_path(path), ContentError) from err
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        if options.get("headers", True) is False:
            return rows
        if not rows:
            return []
        header, body = rows[0], rows[1:]
        return [
            {key: (row[i] if i < len(row) else None) for i, key in enumerate(header)}
            for row in body
        ]


def sanitize_filename(name: str) -> str:
    name = re.sub(r"[^\w\s-]+|(?:^|(?<=\b\s))\s+(?=$|\s?\b)", "", name)
    return re.sub(r"\s+", "_", name)
