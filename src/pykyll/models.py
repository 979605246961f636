"""What a site is made of: pages, collection documents, static files, layouts, collections.

Each class mirrors its Jekyll namesake closely enough that URLs, paths and front matter
merging come out identical. Objects carry their own source path and the line where their
content starts, so any error can name the file and the line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pykyll.config import deep_merge
from pykyll.converters import Converter
from pykyll.errors import ContentError
from pykyll.permalinks import (
    add_permalink_suffix,
    document_placeholders,
    sanitize_url,
    url_from_drop,
    url_from_hash,
)
from pykyll.utils import (
    InvalidDate,
    parse_date,
    relative_posix,
    sanitized_path,
    titleize_slug,
    unescape_path,
)

if TYPE_CHECKING:
    from pykyll.site import Site

HTML_EXTENSIONS = (".html", ".xhtml", ".htm")
SASS_EXTENSIONS = (".sass", ".scss")
YAML_EXTENSIONS = (".yaml", ".yml")
DATE_FILENAME = re.compile(r"^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")
DATELESS_FILENAME = re.compile(r"^(?:.+/)*(.*)(\.[^.]+)$")


class Convertible:
    """Common ground of pages and documents: front matter, content, converters, output."""

    site: Site
    path: Path
    relative_path: str
    ext: str
    data: dict[str, Any]
    content: str
    content_line: int
    output: str | None

    @property
    def extname(self) -> str:
        return self.ext

    def get(self, key: str) -> Any:
        """A front matter value, falling back to the front matter defaults like Jekyll's
        `data.default_proc`."""
        if key in self.data:
            return self.data[key]
        return self.site.defaults.find(self.relative_path, self.type, key)

    @property
    def type(self) -> str | None:
        return None

    @cached_property
    def converter(self) -> Converter:
        return self.site.converter_for(self.ext)

    @cached_property
    def output_ext(self) -> str:
        permalink = self.permalink
        if permalink and not permalink.endswith("/"):
            ext = os.path.splitext(permalink)[1]
            if ext:
                return ext
        return self.converter.output_ext(self.ext)

    @property
    def permalink(self) -> str | None:
        value = self.data.get("permalink") if isinstance(self.data, dict) else None
        return None if value is None else str(value)

    @property
    def is_sass(self) -> bool:
        return self.ext in SASS_EXTENSIONS

    @property
    def is_asset(self) -> bool:
        return self.is_sass or self.ext == ".coffee"

    def render_with_liquid(self) -> bool:
        from pykyll.utils import has_liquid_construct

        if self.get("render_with_liquid") is False:
            return False
        return has_liquid_construct(self.content)

    def place_in_layout(self) -> bool:
        return not (self.is_asset or self.get("layout") == "none")

    @property
    def url(self) -> str:
        raise NotImplementedError

    def destination(self, dest: Path) -> Path:
        raise NotImplementedError


class Page(Convertible):
    def __init__(self, site: Site, base: Path, dir: str, name: str) -> None:
        self.site = site
        self.base = base
        self.dir_ = dir
        self.name = name
        self.path = base / dir.lstrip("/") / name
        self.relative_path = f"{dir}/{name}".lstrip("/")
        self.ext = os.path.splitext(name)[1]
        self.basename = re.sub(r"\.*\Z", "", name[: len(name) - len(self.ext)])
        self.output: str | None = None
        self.pager: Any = None
        self.data, self.content, self.content_line = site.read_front_matter(self.path, page=True)
        if self.data.get("permalink") == "":
            raise ContentError(f"Invalid permalink in {self.path}", file=self.relative_path)

    @property
    def type(self) -> str:
        return "pages"

    def is_html(self) -> bool:
        return self.output_ext in HTML_EXTENSIONS

    def is_index(self) -> bool:
        return self.basename == "index"

    @cached_property
    def template(self) -> str:
        if not self.is_html():
            return "/:path/:basename:output_ext"
        if self.is_index():
            return "/:path/"
        return add_permalink_suffix("/:path/:basename", self.site.permalink_style)

    @cached_property
    def url(self) -> str:  # type: ignore[override]
        placeholders = {"path": self.dir_, "basename": self.basename, "output_ext": self.output_ext}
        return url_from_hash(self.permalink or self.template, placeholders)

    @property
    def dir(self) -> str:
        url = self.url
        if url.endswith("/"):
            return url
        parent = os.path.dirname(url)
        return parent if parent.endswith("/") else parent + "/"

    @property
    def liquid_path(self) -> str:
        return str(self.data.get("path", self.relative_path))

    def liquid_attributes(self) -> dict[str, Any]:
        """`ATTRIBUTES_FOR_LIQUID`: what `page` shows on top of the front matter; a page
        class made by a plugin (jekyll-archives' `Archive`) may show other ones."""
        return {
            "content": self.content,
            "dir": self.dir,
            "excerpt": self.data.get("excerpt"),
            "name": self.name,
            "path": self.liquid_path,
            "url": self.url,
        }

    def destination(self, dest: Path) -> Path:
        target = unescape_path(self.url)
        if target.endswith("/"):
            target += "index"
        if not target.endswith(self.output_ext):
            target += self.output_ext
        return sanitized_path(dest, target)

    def published(self) -> bool:
        return self.data.get("published", True) is not False


class GeneratedPage(Page):
    """A page made by a plugin rather than read from a file (Jekyll's `PageWithoutAFile`)."""

    def __init__(
        self,
        site: Site,
        dir: str,
        name: str,
        content: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        self.site = site
        self.base = site.source
        self.dir_ = dir
        self.name = name
        self.path = site.source / dir.lstrip("/") / name
        self.relative_path = f"{dir}/{name}".lstrip("/")
        self.ext = os.path.splitext(name)[1]
        self.basename = re.sub(r"\.*\Z", "", name[: len(name) - len(self.ext)])
        self.output = None
        self.pager = None
        self.data = dict(data or {})
        self.content = content
        self.content_line = 1


class Document(Convertible):
    """A file of a collection (posts included)."""

    def __init__(self, site: Site, path: Path, collection: Collection) -> None:
        self.site = site
        self.path = path
        self.collection = collection
        self.ext = path.suffix
        self.relative_path = relative_posix(path, site.collections_path)
        self.basename = path.name
        self.basename_without_ext = path.stem if path.suffix else path.name
        self.data: dict[str, Any] = {}
        self.content = ""
        self.content_line = 1
        self.output: str | None = None
        self.excerpt: Excerpt | None = None
        self.is_draft = collection.label == "posts" and collection.relative_directory not in (
            self.relative_path
        )
        # Jekyll's `draft?` memoises itself into the data, so `page.draft` is true or false
        self.data["draft"] = self.is_draft
        self._categories_from_path("_drafts" if self.is_draft else collection.relative_directory)

    @property
    def type(self) -> str:
        return self.collection.label

    # -- reading ---------------------------------------------------------------------------
    def read(self) -> None:
        if self.ext in YAML_EXTENSIONS:
            raw = self.site.read_yaml_file(self.path)
            self.data = raw if isinstance(raw, dict) else {}
            return
        defaults = self.site.defaults.all(self.relative_path, self.type)
        if defaults:
            self.merge_data(defaults, "front matter defaults")
        front, self.content, self.content_line = self.site.read_front_matter(self.path, page=False)
        if front:
            self.merge_data(front, "YAML front matter")
        self._populate_title()
        self._populate_categories()
        self._populate_tags()
        if self.excerpt_separator:
            self.excerpt = Excerpt(self)
            self.data.setdefault("excerpt", self.excerpt)

    def merge_data(self, other: dict[str, Any], source: str) -> None:
        other = dict(other)
        categories = other.get("categories")
        if categories is not None:
            if isinstance(categories, str):
                categories = categories.split()
            if isinstance(self.data.get("categories"), list):
                merged = list(self.data["categories"])
                merged += [c for c in _listify(categories) if c not in merged]
                categories = merged
            other["categories"] = categories
        self.data = deep_merge(self.data, other)
        if "date" in self.data:
            try:
                self.data["date"] = parse_date(
                    self.data["date"],
                    self.site.tz,
                    f"Document '{self.relative_path}' does not have a valid date in the {source}.",
                )
            except InvalidDate as err:
                raise ContentError(str(err), file=self.relative_path, line=None) from err

    def _categories_from_path(self, special_dir: str) -> None:
        if self.relative_path.startswith(special_dir):
            superdirs: list[str] = []
        else:
            head = self.relative_path.split(special_dir, 1)[0]
            superdirs = [
                c for c in head.split("/") if c and c != special_dir and c != self.basename
            ]
        self.merge_data({"categories": superdirs}, "file path")

    def _populate_title(self) -> None:
        match = DATE_FILENAME.match(self.relative_path)
        ext = None
        if match:
            date, slug, ext = match.groups()
            if not self.data.get("date") or int(self.data["date"].timestamp()) == int(
                self.site.time.timestamp()
            ):
                self.merge_data({"date": date}, "filename")
        else:
            dateless = DATELESS_FILENAME.match(self.relative_path)
            slug, ext = dateless.groups() if dateless else (self.basename_without_ext, None)
        slug = re.sub(r"\.*\Z", "", slug)
        if not self.get("title"):
            self.data["title"] = titleize_slug(slug)
        if not self.get("slug"):
            self.data["slug"] = slug
        if not self.get("ext"):
            self.data["ext"] = ext

    def _populate_categories(self) -> None:
        categories = _listify(self.data.get("categories")) + _pluralized(
            self.data, "category", "categories"
        )
        unique = list(dict.fromkeys(str(c) for c in _flatten(categories)))
        self.merge_data({"categories": unique}, "YAML front matter")

    def _populate_tags(self) -> None:
        tags = _flatten(_pluralized(self.data, "tag", "tags"))
        self.merge_data({"tags": tags}, "YAML front matter")

    # -- attributes ------------------------------------------------------------------------
    @property
    def date(self) -> dt.datetime:
        value = self.data.get("date")
        if value is None:
            value = (
                dt.datetime.fromtimestamp(self.path.stat().st_mtime, self.site.tz)
                if self.is_draft
                else self.site.time
            )
            self.data["date"] = value
        return value  # type: ignore[no-any-return]

    @property
    def excerpt_separator(self) -> str:
        value = self.data.get("excerpt_separator", self.site.config.get("excerpt_separator"))
        return "" if value is None else str(value)

    @cached_property
    def cleaned_relative_path(self) -> str:
        stem = self.relative_path[: len(self.relative_path) - len(self.ext)]
        stem = stem.replace(self.collection.relative_directory, "", 1)
        return re.sub(r"\.*\Z", "", stem)

    @cached_property
    def url(self) -> str:  # type: ignore[override]
        template = self.permalink or self.collection.url_template
        return url_from_drop(template, document_placeholders(self), self.relative_path)

    @property
    def id(self) -> str:
        slug = self.data.get("slug") or self.basename_without_ext
        # Ruby's File.dirname ignores a trailing slash: "/talks/x/" → "/talks"
        return os.path.join(os.path.dirname(self.url.rstrip("/") or "/"), str(slug))

    def published(self) -> bool:
        return self.data.get("published", True) is not False

    def write(self) -> bool:
        return self.collection.write and self.site.publish(self)

    def destination(self, dest: Path) -> Path:
        target = unescape_path(self.url)
        if target.endswith("/"):
            target += "index.html"
        elif not target.endswith(self.output_ext):
            target += self.output_ext
        return sanitized_path(dest, target)

    def sort_key(self) -> DocumentOrder:
        return DocumentOrder(self.data.get("date"), str(self.path))

    def place_in_layout(self) -> bool:
        return not (self.is_asset or self.ext in YAML_EXTENSIONS or self.get("layout") == "none")

    def render_with_liquid(self) -> bool:
        if self.ext in YAML_EXTENSIONS or self.ext == ".coffee":
            return False
        return super().render_with_liquid()

    def next_doc(self) -> Document | None:
        docs = self.collection.docs
        pos = _index_of(docs, self)
        return docs[pos + 1] if pos is not None and pos < len(docs) - 1 else None

    def previous_doc(self) -> Document | None:
        docs = self.collection.docs
        pos = _index_of(docs, self)
        return docs[pos - 1] if pos else None


class DocumentOrder:
    """`Document#<=>`: by the date in the data, then by path.

    A document without a date compares by path only (Ruby's `nil <=> time` is nil), which
    is why this is a comparison object rather than a plain tuple key.
    """

    __slots__ = ("date", "path")

    def __init__(self, date: Any, path: str) -> None:
        self.date = date
        self.path = path

    def _cmp(self, other: DocumentOrder) -> int:
        if self.date is not None and other.date is not None and self.date != other.date:
            return -1 if self.date < other.date else 1
        return (self.path > other.path) - (self.path < other.path)

    def __lt__(self, other: DocumentOrder) -> bool:
        return self._cmp(other) < 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocumentOrder) and self._cmp(other) == 0

    __hash__ = None  # type: ignore[assignment]


class Excerpt:
    """The part of a document before its excerpt separator, rendered on first use."""

    _LIQUID_TAG = re.compile(r"{%-?\s*(\w+)\s*.*?-?%}", re.DOTALL)
    _LINK_REF = re.compile(r"^ {0,3}(?:(\[[^\]]+\])(:.+))$", re.MULTILINE)

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.content = self._extract(doc.content)
        self.output: str | None = None

    @property
    def relative_path(self) -> str:
        return self.doc.relative_path + "/#excerpt"

    def _extract(self, content: str) -> str:
        head, _sep, tail = content.partition(self.doc.excerpt_separator)
        if not tail:
            return head
        if "{%" in head:
            head = self._close_liquid_blocks(head)
        definitions = (
            ["".join(groups) for groups in self._LINK_REF.findall(tail) if groups[0] in head]
            if "]:" in tail  # no link definition can follow otherwise
            else []
        )
        if definitions:
            head += "\n\n" + "\n".join(definitions)
        return head

    def _close_liquid_blocks(self, head: str) -> str:
        modified = False
        for name in reversed(self._LIQUID_TAG.findall(head)):
            if not self.doc.site.is_liquid_block(name):
                continue
            if re.search(r"{%-?\s*end" + re.escape(name) + r".*?\s*-?%}", head, re.DOTALL):
                continue
            head += "\n{% end" + name + " %}"
            modified = True
        if modified:
            self.doc.site.warn_excerpt_modified(self.doc)
        return head

    def render(self) -> str:
        if self.output is None:
            self.output = self.doc.site.render_excerpt(self)
        return self.output

    def __str__(self) -> str:
        return self.render()


class StaticFile:
    def __init__(
        self, site: Site, base: Path, dir: str, name: str, collection: Collection | None = None
    ) -> None:
        self.site = site
        self.dir = dir
        self.name = name
        self.collection = collection
        # File.join("", name) is "/name": site files keep a leading slash, as in Jekyll
        self.relative_path = f"{dir}/{name}"
        self.extname = os.path.splitext(name)[1]
        if collection is not None and site.config.get("collections_dir"):
            self.path = base / site.config["collections_dir"] / dir.lstrip("/") / name
        else:
            self.path = base / dir.lstrip("/") / name
        self.basename = re.sub(r"\.*\Z", "", name[: len(name) - len(self.extname)])

    @property
    def type(self) -> str | None:
        return self.collection.label if self.collection else None

    @cached_property
    def cleaned_relative_path(self) -> str:
        cleaned = self.relative_path[: len(self.relative_path) - len(self.extname)]
        cleaned = re.sub(r"\.*\Z", "", cleaned)
        if self.collection is not None:
            cleaned = cleaned.replace(self.collection.relative_directory, "", 1)
        return cleaned

    @cached_property
    def url(self) -> str:
        if self.collection is None:
            base = self.cleaned_relative_path
        else:
            placeholders: dict[str, str | None] = {
                "collection": self.collection.label,
                "path": self.cleaned_relative_path,
                "output_ext": "",
                "name": self.basename,
                "title": "",
            }
            base = url_from_hash(self.collection.url_template, placeholders)
        return base.removesuffix("/") + self.extname

    @cached_property
    def data(self) -> dict[str, Any]:
        return self.site.defaults.all(self.relative_path, self.type)

    def write(self) -> bool:
        defaults = self.site.defaults.all(self.url, self.type)
        publishable = defaults.get("published", True) is not False
        if self.collection is None:
            return publishable
        return publishable and self.collection.write

    def destination(self, dest: Path) -> Path:
        return sanitized_path(dest, unescape_path(self.url))

    @cached_property
    def modified_time(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.path.stat().st_mtime, self.site.tz)


@dataclass
class Layout:
    name: str
    path: Path
    relative_path: str
    data: dict[str, Any]
    content: str
    content_line: int


@dataclass
class Collection:
    label: str
    metadata: dict[str, Any]
    site: Site
    docs: list[Document] = field(default_factory=list)
    files: list[StaticFile] = field(default_factory=list)

    @property
    def relative_directory(self) -> str:
        return f"_{self.label}"

    @property
    def directory(self) -> Path:
        return self.site.collections_path / self.relative_directory

    @property
    def write(self) -> bool:
        return bool(self.metadata.get("output", False))

    @cached_property
    def url_template(self) -> str:
        permalink = self.metadata.get("permalink")
        if permalink is not None:
            return str(permalink)
        return add_permalink_suffix("/:collection/:path", self.site.permalink_style)


def _listify(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _flatten(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list):
            out.extend(_flatten(item))
        elif item is not None:
            out.append(item)
    return out


def _pluralized(data: dict[str, Any], singular: str, plural: str) -> list[Any]:
    """`Utils.pluralized_array_from_hash`: the singular key wins over the plural one."""
    value = data.get(singular)
    if value is None and data.get(plural) is not None:
        plural_value = data[plural]
        if isinstance(plural_value, str):
            value = plural_value.split()
        elif isinstance(plural_value, list):
            value = [v for v in plural_value if v is not None]
    return _flatten([value])


def _index_of(docs: list[Document], doc: Document) -> int | None:
    for i, other in enumerate(docs):
        if other is doc:
            return i
    return None


__all__ = [
    "Collection",
    "Convertible",
    "Document",
    "Excerpt",
    "Layout",
    "Page",
    "StaticFile",
    "sanitize_url",
]
