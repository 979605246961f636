"""jekyll-feed 0.17: Atom feeds and the `{% feed_meta %}` tag.

What the gem does, reproduced here:

* a feed per configured collection (`feed: collections:` as a list or a map; `posts` always),
  at `/feed.xml` (or `feed: path:`), `/feed/<collection>.xml` for other collections, and
  one per listed category (`/feed/<category>.xml`, `/feed/<collection>/<category>.xml`);
  with `feed: tags:` one per tag made of `[A-Za-z0-9_]` at `/feed/by_tag/<tag>.xml`
  (`path`, `only`, `except`); a feed whose file exists in the source is not generated;
  `feed: disable_in_development: true` skips everything when JEKYLL_ENV is development;
* the feed is the gem's Atom template, minified the way the gem minifies it (whitespace
  after `>` and after Liquid tags removed), so the whole feed is one line apart from the
  newlines inside the entries' content: newest 10 entries (`feed: posts_limit`), drafts
  left out unless `--drafts`, full content unless `excerpt_only` (site-wide or per post);
* `{% feed_meta %}` is `<link type="application/atom+xml" rel="alternate" href="…" title="…" />`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import Node
from liquid.tag import Tag

from pykyll.config import jekyll_env
from pykyll.drops import JEKYLL_VERSION, to_liquid
from pykyll.liquid.ruby import to_i, to_s
from pykyll.liquid.tags import markup_of
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._gemkit import (
    PluginPage,
    absolute_url,
    blank,
    capitalize,
    default,
    finish_plugin_page,
    lookup,
    normalize_whitespace,
    ruby_strip,
    smartify,
    source_exists,
    strip_html,
    truthy,
    xml_escape,
    xmlschema,
)

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

    from pykyll.models import Document
    from pykyll.site import Site

SIMPLE_TAG = re.compile(r"[^a-zA-Z0-9_]")
MEDIA = "http://search.yahoo.com/mrss/"


def feed_config(site: Site) -> dict[str, Any]:
    config = site.config.get("feed")
    return config if isinstance(config, dict) else {}


def _attr(value: Any) -> str:
    """Ruby's `String#encode(xml: :attr)`: escaped and wrapped in double quotes."""
    text = (
        to_s(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )
    return f'"{text}"'


def feed_meta(site: Site) -> str:
    path = feed_config(site).get("path") or "feed.xml"
    title = site.config.get("title") or site.config.get("name")
    attributes: dict[str, Any] = {
        "type": "application/atom+xml",
        "rel": "alternate",
        "href": absolute_url(site, path),
    }
    if truthy(title):
        attributes["title"] = title
    return "<link " + " ".join(f"{k}={_attr(v)}" for k, v in attributes.items()) + " />"


def _make_meta_tag(site: Site) -> type[Tag]:
    class FeedMetaNode(Node):
        __slots__ = ()

        def __init__(self, token: Any) -> None:
            super().__init__(token)
            self.blank = False

        def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
            return buffer.write(feed_meta(site))

    class FeedMetaTag(Tag):
        name = "feed_meta"
        block = False

        def parse(self, stream: TokenStream) -> Node:
            token, _markup = markup_of(stream)
            return FeedMetaNode(token)

    return FeedMetaTag


class Feed(Plugin):
    name = "jekyll-feed"
    priority = -100  # :lowest

    def tags(self) -> list[type[Tag]]:
        return [_make_meta_tag(self.site)]

    @property
    def config(self) -> dict[str, Any]:
        return feed_config(self.site)

    def generate(self) -> None:
        site = self.site
        config = self.config
        if config.get("disable_in_development") and jekyll_env() == "development":
            site.logger.info("Jekyll Feed:", "Skipping feed generation in development")
            return
        for name, meta in self._collections().items():
            site.logger.info("Jekyll Feed:", f"Generating feed for {name}")
            for category in [*meta["categories"], None]:
                path = self._feed_path(name, category, meta)
                if source_exists(site, path):
                    continue
                site.pages.append(self._make_page(path, name, category, None))
        if config.get("tags") and self._site_tags():
            self._tag_feeds()

    def post_render(self, item: Any) -> None:
        finish_plugin_page(self, item)

    # -- which feeds -------------------------------------------------------------------------
    def _collections(self) -> dict[str, dict[str, Any]]:
        config = self.config
        configured = config.get("collections")
        if isinstance(configured, list):
            collections: dict[str, Any] = {str(c): {} for c in configured}
        elif isinstance(configured, dict):
            collections = {
                str(k): (v if isinstance(v, dict) else {}) for k, v in configured.items()
            }
        else:
            collections = {}
        posts = collections.setdefault("posts", {})
        if posts.get("path") is None:
            posts["path"] = config.get("path")
        if posts.get("categories") is None:
            posts["categories"] = config.get("categories")
        if config.get("path") is None and posts.get("path") is not None:
            # the gem writes the posts feed's path back into `site.config["feed"]`,
            # where `{% feed_meta %}` reads it
            config["path"] = posts["path"]
        normalized: dict[str, dict[str, Any]] = {}
        for name, meta in collections.items():
            categories = meta.get("categories") or []
            if not isinstance(categories, list):
                categories = [categories]
            normalized[name] = {**meta, "categories": list(dict.fromkeys(categories))}
        return normalized

    @staticmethod
    def _feed_path(collection: str, category: Any, meta: Mapping[str, Any]) -> str:
        prefix = "/feed" if collection == "posts" else f"/feed/{collection}"
        if category is not None:
            return f"{prefix}/{to_s(category)}.xml"
        path = meta.get("path")
        return to_s(path) if path else f"{prefix}.xml"

    def _site_tags(self) -> dict[Any, list[Document]]:
        grouped: dict[Any, list[Document]] = {}
        posts = self.site.collections.get("posts")
        for doc in posts.docs if posts else []:
            for tag in doc.data.get("tags") or []:
                grouped.setdefault(tag, []).append(doc)
        return grouped

    def _tag_feeds(self) -> None:
        tags_config = self.config.get("tags")
        if not isinstance(tags_config, dict):
            tags_config = {}
        except_ = tags_config.get("except") or []
        only = tags_config.get("only") or list(self._site_tags())
        pool = [t for t in only if t not in except_]
        tags_path = to_s(tags_config.get("path") or "/feed/by_tag/")
        for tag in pool:
            if SIMPLE_TAG.search(to_s(tag)):
                continue
            self.site.logger.info("Jekyll Feed:", f"Generating feed for posts tagged {tag}")
            path = f"{tags_path}{tag}"
            path += ".xml"
            if source_exists(self.site, path):
                continue
            self.site.pages.append(self._make_page(path, "posts", None, tag))

    def _make_page(self, path: str, collection: str, category: Any, tags: Any) -> PluginPage:
        data = {
            "layout": None,
            "sitemap": False,
            "xsl": source_exists(self.site, "feed.xslt.xml"),
            "collection": collection,
            "category": category,
            "tags": tags,
        }
        return PluginPage(self.site, "", path, data, self, self._render_feed)

    # -- the feed ----------------------------------------------------------------------------
    def _posts(self, page: PluginPage) -> list[Any]:
        site = self.site
        tags: Any = page.data.get("tags")
        collection = to_s(page.data.get("collection"))
        docs: list[Document]
        if truthy(tags):
            docs = self._site_tags().get(tags, [])
        elif collection == "posts":
            docs = sorted(site.collections["posts"].docs, key=lambda d: d.sort_key(), reverse=True)
        else:
            found = site.collections.get(collection)
            docs = list(found.docs) if found else []
        category = page.data.get("category")
        if truthy(category):
            wanted = to_s(category)
            docs = [
                d
                for d in docs
                if wanted in [to_s(c) for c in _as_list(to_liquid(d).get("categories"))]
            ]
        if not site.config.get("show_drafts"):
            docs = [d for d in docs if to_liquid(d).get("draft") is not True]
        # `sort: "date" | reverse`; Ruby's sort is not stable, ties keep Python's order
        docs = sorted(docs, key=lambda d: d.date)[::-1]
        return [to_liquid(d) for d in docs]

    def _render_feed(self, page: PluginPage) -> str:
        site = self.site
        config = site.config
        lang = config.get("lang")
        page_url = page.url
        out: list[str] = ['<?xml version="1.0" encoding="utf-8"?>']
        if page.data.get("xsl"):
            href = absolute_url(site, "/feed.xslt.xml")
            out.append(f'<?xml-stylesheet type="text/xml" href="{href}"?>')
        out.append('<feed xmlns="http://www.w3.org/2005/Atom" ')
        if truthy(lang):
            out.append(f'xml:lang="{to_s(lang)}"')
        out.append(">")
        out.append(
            f'<generator uri="https://jekyllrb.com/" version="{JEKYLL_VERSION}">Jekyll</generator>'
        )
        out.append(
            f'<link href="{absolute_url(site, page_url)}" rel="self" type="application/atom+xml" />'
        )
        out.append(f'<link href="{absolute_url(site, "/")}" rel="alternate" type="text/html" ')
        if truthy(lang):
            out.append(f'hreflang="{to_s(lang)}" ')
        out.append("/>")
        out.append(f"<updated>{xmlschema(site.time)}</updated>")
        out.append(f"<id>{xml_escape(absolute_url(site, page_url))}</id>")

        title: Any = default(config.get("title"), config.get("name"))
        collection = page.data.get("collection")
        if collection != "posts":
            title = to_s(title) + " | " + capitalize(collection)
        category = page.data.get("category")
        if truthy(category):
            title = to_s(title) + " | " + capitalize(category)
        if truthy(title):
            out.append(f'<title type="html">{xml_escape(smartify(title))}</title>')
        description = config.get("description")
        if truthy(description):
            out.append(f"<subtitle>{xml_escape(description)}</subtitle>")
        author = config.get("author")
        if truthy(author):
            out.append("<author>")
            name = default(lookup(author, "name"), author)
            out.append(f"<name>{xml_escape(name)}</name>")
            if truthy(lookup(author, "email")):
                out.append(f"<email>{xml_escape(lookup(author, 'email'))}</email>")
            if truthy(lookup(author, "uri")):
                out.append(f"<uri>{xml_escape(lookup(author, 'uri'))}</uri>")
            out.append("</author>")

        limit = to_i(default(lookup(config.get("feed"), "posts_limit"), 10))
        posts = self._posts(page)
        for post in posts[: max(limit, 0)]:
            out.append(self._entry(post))
        out.append("</feed>")
        return "".join(out)

    def _entry(self, post: Any) -> str:
        site = self.site
        config = site.config
        out: list[str] = ["<entry"]
        post_lang = post.get("lang")
        if truthy(post_lang):
            out.append(f' xml:lang="{to_s(post_lang)}"')
        out.append(">")
        title = xml_escape(normalize_whitespace(strip_html(smartify(post.get("title")))))
        url = absolute_url(site, post.get("url"))
        out.append(f'<title type="html">{title}</title>')
        out.append(f'<link href="{url}" rel="alternate" type="text/html" title="{title}" />')
        date = post.get("date")
        out.append(f"<published>{xmlschema(date)}</published>")
        out.append(f"<updated>{xmlschema(default(post.get('last_modified_at'), date))}</updated>")
        out.append(f"<id>{xml_escape(absolute_url(site, post.get('id')))}</id>")
        excerpt_only = default(
            lookup(post.get("feed"), "excerpt_only"), lookup(config.get("feed"), "excerpt_only")
        )
        if not truthy(excerpt_only):
            out.append(
                f'<content type="html" xml:base="{xml_escape(url)}">'
                f"<![CDATA[{ruby_strip(post.get('content'))}]]></content>"
            )

        authors = post.get("authors")
        first = authors[0] if isinstance(authors, list) and authors else None
        author = default(default(post.get("author"), first), config.get("author"))
        data_authors = lookup(site.data, "authors")
        known = None
        if isinstance(data_authors, Mapping) and isinstance(author, str | int | float):
            known = data_authors.get(author)
        author = default(known, author)
        email = lookup(author, "email")
        uri = lookup(author, "uri")
        name = default(lookup(author, "name"), author)
        out.append(f"<author><name>{xml_escape(default(name, ''))}</name>")
        if truthy(email):
            out.append(f"<email>{xml_escape(email)}</email>")
        if truthy(uri):
            out.append(f"<uri>{xml_escape(uri)}</uri>")
        out.append("</author>")

        category = post.get("category")
        categories = post.get("categories")
        if truthy(category):
            out.append(f'<category term="{xml_escape(category)}" />')
        elif truthy(categories):
            for item in _as_list(categories):
                out.append(f'<category term="{xml_escape(item)}" />')
        for tag in _as_list(post.get("tags")):
            out.append(f'<category term="{xml_escape(tag)}" />')

        summary = default(post.get("description"), post.get("excerpt"))
        if not blank(summary):
            text = normalize_whitespace(strip_html(summary))
            out.append(f'<summary type="html"><![CDATA[{text}]]></summary>')

        image = default(lookup(post.get("image"), "path"), post.get("image"))
        if truthy(image):
            if not (isinstance(image, str) and "://" in image):
                image = absolute_url(site, image)
            src = xml_escape(image)
            out.append(f'<media:thumbnail xmlns:media="{MEDIA}" url="{src}" />')
            out.append(f'<media:content medium="image" url="{src}" xmlns:media="{MEDIA}" />')
        out.append("</entry>")
        return "".join(out)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


PLUGINS = [Feed]
