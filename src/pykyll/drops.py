"""What templates see: read-only Mapping views of the site, pages and documents.

They follow Jekyll's drops (`SiteDrop`, `DocumentDrop`, `StaticFileDrop`, …): named
attributes first, then front matter, then front matter defaults. Views are lazy, so a
page that never touches `site.posts` never pays for building it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from pykyll import __version__
from pykyll.config import deep_merge, jekyll_env

if TYPE_CHECKING:
    from pykyll.models import Collection, Document, Excerpt, Page, StaticFile
    from pykyll.site import Site

JEKYLL_VERSION = "4.3.1"

#: what an item shows of another item that depends on the render order (converted or
#: not yet), and what does not (the excerpt is rendered from the content as read)
_ORDERED = frozenset({"content", "output"})
_EXCERPT = frozenset({"excerpt"})


class Drop(Mapping[str, Any]):
    """A Mapping whose named attributes are computed on access, over fallback data."""

    #: `{% for x in drop %}` sees only the keys of a Jekyll::Drops::Drop (its `each` yields
    #: key and value to a one-argument block); a Ruby Hash gives [key, value] pairs.
    liquid_iterates_keys: ClassVar[bool] = True

    def _attributes(self) -> Mapping[str, Callable[[], Any]]:
        return {}

    def _fallback(self, key: str) -> Any:
        raise KeyError(key)

    def _fallback_keys(self) -> list[str]:
        return []

    def __getitem__(self, key: str) -> Any:
        getter = self._attributes().get(key) if isinstance(key, str) else None
        if getter is not None:
            return getter()
        return self._fallback(key)

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._attributes(), *self._fallback_keys()]))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)


class DocumentDrop(Drop):
    def __init__(self, doc: Document) -> None:
        self.doc = doc

    @cached_property
    def _attrs(self) -> dict[str, Callable[[], Any]]:
        doc = self.doc
        return {
            "collection": lambda: doc.collection.label,
            "excerpt": lambda: (
                str(doc.data["excerpt"]) if doc.data.get("excerpt") is not None else ""
            ),
            "name": lambda: doc.data.get("name") or doc.basename,
            "previous": lambda: _drop_or_none(doc.previous_doc()),
            "next": lambda: _drop_or_none(doc.next_doc()),
            "id": lambda: doc.id,
            "output": lambda: doc.output,
            "content": lambda: doc.content,
            "relative_path": lambda: doc.relative_path,
            "path": lambda: doc.relative_path,
            "url": lambda: doc.url,
            "date": lambda: doc.date,
            "title": lambda: doc.data.get("title"),
            "categories": lambda: doc.data.get("categories"),
            "tags": lambda: doc.data.get("tags"),
        }

    def _attributes(self) -> Mapping[str, Callable[[], Any]]:
        return self._attrs

    def __getitem__(self, key: str) -> Any:
        if key in _ORDERED:
            self.doc.site.tracker.read_item(self.doc, "content")
        elif key in _EXCERPT:
            self.doc.site.tracker.read_item(self.doc, "excerpt")
        return super().__getitem__(key)

    def _fallback(self, key: str) -> Any:
        if key in self.doc.data:
            value = self.doc.data[key]
            return str(value) if key == "excerpt" and value is not None else value
        value = self.doc.site.defaults.find(self.doc.relative_path, self.doc.type, key)
        if value is None:
            raise KeyError(key)
        return value

    def _fallback_keys(self) -> list[str]:
        return list(self.doc.data)

    def __str__(self) -> str:
        self.doc.site.tracker.read_item(self.doc, "content")
        return self.doc.output or self.doc.content or ""


class ExcerptDrop(DocumentDrop):
    def __init__(self, excerpt: Excerpt) -> None:
        super().__init__(excerpt.doc)
        self.excerpt = excerpt

    @cached_property
    def _attrs(self) -> dict[str, Callable[[], Any]]:
        attrs = dict(super()._attrs)
        doc, excerpt = self.doc, self.excerpt
        attrs.update(
            {
                "layout": lambda: doc.data.get("layout"),
                "excerpt": lambda: None,
                "content": lambda: excerpt.content,
                "output": lambda: excerpt.output,
                "path": lambda: str(doc.path) + "/#excerpt",
                "relative_path": lambda: excerpt.relative_path,
                "id": lambda: doc.id + "#excerpt",
            }
        )
        return attrs

    def __getitem__(self, key: str) -> Any:
        # the excerpt's `output` exists once it was rendered: that depends on the order
        kind = "content" if key == "output" else "excerpt"
        self.doc.site.tracker.read_item(self.doc, kind)
        return Drop.__getitem__(self, key)

    def _fallback(self, key: str) -> Any:
        if key in ("layout", "excerpt"):
            raise KeyError(key)
        return super()._fallback(key)

    def __str__(self) -> str:
        self.doc.site.tracker.read_item(self.doc, "content")
        return self.excerpt.output or self.excerpt.content


def page_hash(page: Page) -> dict[str, Any]:
    """`Page#to_liquid`: a fresh hash of defaults, front matter and a few attributes."""
    attributes = page.liquid_attributes()
    defaults = page.site.defaults.all(page.relative_path, page.type)
    return deep_merge(defaults, deep_merge(page.data, attributes))


class PageDrop(Drop):
    """A page inside a listing such as `site.pages`: the hash is built when first read."""

    liquid_iterates_keys = False  # a Page is a Hash in Jekyll

    def __init__(self, page: Page) -> None:
        self.page = page

    def _fallback(self, key: str) -> Any:
        if key in _ORDERED:
            self.page.site.tracker.read_item(self.page, "content")
        return page_hash(self.page)[key]

    def _fallback_keys(self) -> list[str]:
        return list(page_hash(self.page))

    def __str__(self) -> str:
        self.page.site.tracker.read_item(self.page, "content")
        return self.page.content


class StaticFileDrop(Drop):
    def __init__(self, file: StaticFile) -> None:
        self.file = file

    @cached_property
    def _attrs(self) -> dict[str, Callable[[], Any]]:
        f = self.file
        return {
            "name": lambda: f.name,
            "extname": lambda: f.extname,
            "modified_time": lambda: f.modified_time,
            "basename": lambda: f.basename,
            "path": lambda: f.relative_path,
            "collection": lambda: f.type,
        }

    def _attributes(self) -> Mapping[str, Callable[[], Any]]:
        return self._attrs

    def _fallback(self, key: str) -> Any:
        return self.file.data[key]

    def _fallback_keys(self) -> list[str]:
        return list(self.file.data)


class CollectionDrop(Drop):
    def __init__(self, collection: Collection) -> None:
        self.collection = collection

    @cached_property
    def _attrs(self) -> dict[str, Callable[[], Any]]:
        c = self.collection
        return {
            "output": lambda: c.write,
            "label": lambda: c.label,
            "docs": lambda: [to_liquid(d) for d in c.docs],
            "files": lambda: [to_liquid(f) for f in c.files],
            "directory": lambda: str(c.directory),
            "relative_directory": lambda: c.relative_directory,
        }

    def _attributes(self) -> Mapping[str, Callable[[], Any]]:
        return self._attrs

    def _fallback(self, key: str) -> Any:
        return self.collection.metadata[key]

    def _fallback_keys(self) -> list[str]:
        return list(self.collection.metadata)


class SiteDrop(Drop):
    """`site`: collections by label, computed listings, then the configuration."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.current_document: Any = None

    @cached_property
    def _attrs(self) -> dict[str, Callable[[], Any]]:
        return {
            "time": lambda: self.site.time,
            "pages": lambda: self.pages,
            "static_files": lambda: [to_liquid(f) for f in self.site.static_files],
            "tags": lambda: self.tags,
            "categories": lambda: self.categories,
            "data": lambda: self.site.data,
            "posts": lambda: self.posts,
            "html_pages": lambda: self.html_pages,
            "collections": lambda: self.collections,
            "documents": lambda: self.documents,
            "related_posts": lambda: self.related_posts,
            "config": lambda: None,
        }

    def _attributes(self) -> Mapping[str, Callable[[], Any]]:
        return self._attrs

    def __getitem__(self, key: str) -> Any:
        self.site.tracker.site_key(key)
        collection = self.site.collections.get(key) if key != "posts" else None
        if collection is not None:
            return [to_liquid(d) for d in collection.docs]
        return super().__getitem__(key)

    def _fallback(self, key: str) -> Any:
        return self.site.config[key]

    def _fallback_keys(self) -> list[str]:
        return list(self.site.config)

    @cached_property
    def pages(self) -> list[Any]:
        return [to_liquid(p) for p in self.site.pages]

    @cached_property
    def posts(self) -> list[Any]:
        docs = sorted(self.site.collections["posts"].docs, key=lambda d: d.sort_key(), reverse=True)
        return [to_liquid(d) for d in docs]

    @cached_property
    def html_pages(self) -> list[Any]:
        return [to_liquid(p) for p in self.site.pages if p.is_html() or p.url.endswith("/")]

    @cached_property
    def collections(self) -> list[Any]:
        ordered = sorted(self.site.collections.values(), key=lambda c: c.label)
        return [to_liquid(c) for c in ordered]

    @cached_property
    def documents(self) -> list[Any]:
        seen: dict[int, Any] = {}
        for collection in self.site.collections.values():
            for item in [*collection.docs, *collection.files]:
                seen.setdefault(id(item), item)
        return [to_liquid(item) for item in seen.values()]

    @cached_property
    def tags(self) -> dict[str, list[Any]]:
        return self._posts_by("tags")

    @cached_property
    def categories(self) -> dict[str, list[Any]]:
        return self._posts_by("categories")

    def _posts_by(self, attribute: str) -> dict[str, list[Any]]:
        grouped: dict[Any, list[Document]] = {}
        for doc in self.site.collections["posts"].docs:
            for value in doc.data.get(attribute) or []:
                grouped.setdefault(value, []).append(doc)
        return {
            key: [to_liquid(d) for d in sorted(docs, key=lambda d: d.sort_key(), reverse=True)]
            for key, docs in grouped.items()
        }

    @property
    def related_posts(self) -> Any:
        from pykyll.models import Document

        doc = self.current_document
        if not isinstance(doc, Document):
            return None
        return [p for p in self.posts if p is not to_liquid(doc)][:10]


def jekyll_drop() -> dict[str, str]:
    return {"version": JEKYLL_VERSION, "environment": jekyll_env()}


def to_liquid(item: Any) -> Any:
    """The drop for a model object, created once per object and reused."""
    from pykyll.models import Collection, Document, Page, StaticFile

    cached = getattr(item, "_drop", None)
    if cached is not None:
        return cached
    drop: Any
    if isinstance(item, Document):
        drop = DocumentDrop(item)
    elif isinstance(item, Page):
        drop = PageDrop(item)
    elif isinstance(item, StaticFile):
        drop = StaticFileDrop(item)
    elif isinstance(item, Collection):
        drop = CollectionDrop(item)
    else:
        return item
    item._drop = drop  # type: ignore[union-attr]
    return drop


def _drop_or_none(doc: Document | None) -> Any:
    return None if doc is None else to_liquid(doc)


__all__ = ["SiteDrop", "__version__", "jekyll_drop", "page_hash", "to_liquid"]
