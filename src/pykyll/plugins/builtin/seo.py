"""jekyll-seo-tag 2.8: the `{% seo %}` tag.

The tag writes what the gem's template writes, line for line: `<title>` (left out with
`{% seo title=false %}`), generator, Open Graph, canonical URL (only with `site.url`),
image (`image` as a path or a map with `path`/`facebook`/`twitter`, `height`, `width`,
`alt`), article dates, `rel=prev/next` from the paginator, Twitter card, Facebook and the
webmaster verifications, then the JSON-LD object (keys sorted, nils left out).

Values are computed as in the gem's drops: titles and descriptions go through
markdownify → strip_html → normalize_whitespace → escape_once; the title is
"page | site", or "site | tagline/description" on a page without its own title, and is
prefixed by "Page N of M for " on paginated pages after the first
(`seo_paginator_message`); the author comes from `page.author`, the first of
`page.authors`, or `site.author`, completed from `site.data.authors`; the homepage and
`/about/` are `WebSite`s, dated pages `BlogPosting`s, the rest `WebPage`s (`seo.type`
overrides); `seo.name`, `seo.links`, `seo.date_modified`, `site.social.name/links`,
`site.logo`, `lang`/`locale`, `canonical_url`, `twitter.card` are honoured.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import Node
from liquid.tag import Tag

from pykyll.drops import JEKYLL_VERSION
from pykyll.liquid.filters.jekyll import is_absolute, to_json
from pykyll.liquid.ruby import to_output, to_s
from pykyll.liquid.tags import MarkupNode, markup_of
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._gemkit import (
    absolute_url,
    default,
    escape_once,
    lookup,
    normalize_whitespace,
    strip_html,
    truthy,
    uri_escape,
    xmlschema,
)

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

    from pykyll.site import Site

VERSION = "2.8.0"
TITLE_SEPARATOR = " | "
HOMEPAGE_OR_ABOUT = re.compile(r"^/(about/)?(index.html?)?$", re.M)
VERIFICATIONS = (
    ("google", "google-site-verification"),
    ("bing", "msvalidate.01"),
    ("alexa", "alexaVerifyID"),
    ("yandex", "yandex-verification"),
    ("baidu", "baidu-site-verification"),
    ("facebook", "facebook-domain-verification"),
)


def _or(*values: Any) -> Any:
    """Ruby's `a || b || …`: the first value that is neither nil nor false."""
    for value in values:
        if truthy(value):
            return value
    return values[-1] if values and values[-1] is False else None


def _sub_hash(value: Any, key: str) -> Mapping[str, Any]:
    found = lookup(value, key)
    return found if isinstance(found, Mapping) else {}


def _ruby_empty_to_s(value: Any) -> bool:
    """Whether `value.to_s` is empty in Ruby (nil and "" only)."""
    return value is None or (isinstance(value, str) and value == "")


def _ruby_format(template: str, values: Mapping[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        return to_s(values.get(match.group(1)))

    return re.sub(r"%%|%<(\w+)>s", replace, template)


class SeoData:
    """The gem's `SeoTag::Drop` for one rendering of the tag."""

    def __init__(
        self,
        site: Site,
        page: Any,
        paginator: Any,
        text: str,
        formatted: dict[str, str | None] | None = None,
    ) -> None:
        self.site = site
        self.formatted = {} if formatted is None else formatted
        self.config = site.config
        self.page: Any = page if isinstance(page, Mapping) else {}
        self.paginator = paginator
        self.text = text

    # -- formatting ------------------------------------------------------------------------
    def format_string(self, value: Any) -> str | None:
        source = "" if value is None else to_s(value)
        if source not in self.formatted:
            text = self.site.markdownify(source)
            self.formatted[source] = escape_once(normalize_whitespace(strip_html(text))) or None
        return self.formatted[source]

    def absolute(self, value: Any) -> str | None:
        return absolute_url(self.site, value)

    # -- titles ----------------------------------------------------------------------------
    @cached_property
    def site_title(self) -> str | None:
        return self.format_string(_or(self.config.get("title"), self.config.get("name")))

    @cached_property
    def site_tagline(self) -> str | None:
        return self.format_string(self.config.get("tagline"))

    @cached_property
    def site_description(self) -> str | None:
        return self.format_string(self.config.get("description"))

    @cached_property
    def page_title(self) -> str | None:
        return self.format_string(lookup(self.page, "title")) or self.site_title

    @cached_property
    def _base_title(self) -> str | None:
        if self.site_title and self.page_title != self.site_title:
            return f"{self.page_title}{TITLE_SEPARATOR}{self.site_title}"
        if self.site_description and self.site_title:
            tagline = self.site_tagline or self.site_description
            return f"{self.site_title}{TITLE_SEPARATOR}{tagline}"
        return self.page_title or self.site_title

    @property
    def page_number(self) -> str | None:
        paginator = self.paginator
        current = lookup(paginator, "page")
        if not truthy(paginator) or not truthy(current):
            return None
        total = lookup(paginator, "total_pages")
        message = _or(
            self.config.get("seo_paginator_message"), "Page %<current>s of %<total>s for "
        )
        if isinstance(current, int) and current > 1:
            return _ruby_format(to_s(message), {"current": current, "total": total})
        return None

    @property
    def title(self) -> str | None:
        title = self._base_title
        number = self.page_number
        if number is not None:
            return number + to_s(title)
        return title

    @property
    def show_title(self) -> bool:
        if not self.title:
            return False
        return re.search(r"title=false", self.text, re.I) is None

    # -- description, name, author, image --------------------------------------------------
    @cached_property
    def description(self) -> str | None:
        value = _or(lookup(self.page, "description"), lookup(self.page, "excerpt"))
        return self.format_string(value) or self.site_description

    @cached_property
    def page_seo(self) -> Mapping[str, Any]:
        return _sub_hash(self.page, "seo")

    @cached_property
    def site_social(self) -> Mapping[str, Any]:
        return _sub_hash(self.config, "social")

    @cached_property
    def homepage_or_about(self) -> bool:
        url = lookup(self.page, "url")
        return isinstance(url, str) and HOMEPAGE_OR_ABOUT.search(url) is not None

    @cached_property
    def name(self) -> str | None:
        seo_name = self.page_seo.get("name")
        if truthy(seo_name):
            return self.format_string(seo_name)
        if not self.homepage_or_about:
            return None
        if truthy(self.site_social.get("name")):
            return self.format_string(self.site_social["name"])
        return self.site_title

    @cached_property
    def author(self) -> dict[str, Any]:
        sources = [lookup(self.page, "author")]
        authors = lookup(self.page, "authors")
        if isinstance(authors, list):
            sources.append(authors[0] if authors else None)
        sources.append(self.config.get("author"))
        resolved = next((s for s in sources if not _ruby_empty_to_s(s)), None)
        if isinstance(resolved, Mapping):
            return dict(resolved)
        if isinstance(resolved, str):
            extra: Any = {}
            authors_data = lookup(self.site.data, "authors")
            if isinstance(authors_data, Mapping):
                extra = authors_data.get(resolved)
            return {"name": resolved, **(extra if isinstance(extra, Mapping) else {})}
        return {}

    @property
    def author_name(self) -> Any:
        return self.author.get("name")

    @property
    def author_twitter(self) -> str | None:
        twitter = _or(self.author.get("twitter"), self.author.get("name"))
        return re.sub(r"^@", "", twitter, count=1) if isinstance(twitter, str) else None

    @cached_property
    def image_hash(self) -> dict[str, Any]:
        meta = lookup(self.page, "image")
        if isinstance(meta, Mapping):
            return {"path": None, **meta}
        if isinstance(meta, str):
            return {"path": meta}
        return {"path": None}

    @cached_property
    def image_path(self) -> str | None:
        raw = _or(
            self.image_hash.get("path"),
            self.image_hash.get("facebook"),
            self.image_hash.get("twitter"),
        )
        if not truthy(raw):
            return None
        url = self.absolute(raw) if isinstance(raw, str) and not is_absolute(raw) else raw
        return uri_escape(url) if truthy(url) else None

    def image_value(self, key: str) -> Any:
        return self.image_path if key == "path" else self.image_hash.get(key)

    # -- dates, type, links, logo, locale, canonical ---------------------------------------
    @cached_property
    def date_modified(self) -> str | None:
        date = _or(
            self.page_seo.get("date_modified"),
            lookup(self.page, "last_modified_at"),
            lookup(self.page, "date"),
        )
        return xmlschema(date) if truthy(date) else None

    @cached_property
    def date_published(self) -> str | None:
        date = lookup(self.page, "date")
        return xmlschema(date) if truthy(date) else None

    @cached_property
    def type(self) -> Any:
        if truthy(self.page_seo.get("type")):
            return self.page_seo["type"]
        if self.homepage_or_about:
            return "WebSite"
        if truthy(lookup(self.page, "date")):
            return "BlogPosting"
        return "WebPage"

    @cached_property
    def links(self) -> Any:
        if truthy(self.page_seo.get("links")):
            return self.page_seo["links"]
        if self.homepage_or_about and truthy(self.site_social.get("links")):
            return self.site_social["links"]
        return None

    @cached_property
    def logo(self) -> str | None:
        logo = self.config.get("logo")
        if not truthy(logo):
            return None
        if isinstance(logo, str) and is_absolute(logo):
            return uri_escape(logo)
        return uri_escape(self.absolute(logo))

    @cached_property
    def page_locale(self) -> str:
        lang = _or(lookup(self.page, "lang"), self.config.get("lang"), "en_US")
        locale = _or(lookup(self.page, "locale"), self.config.get("locale"), lang)
        return to_s(locale).replace("-", "_")

    @cached_property
    def canonical_url(self) -> Any:
        canonical = lookup(self.page, "canonical_url")
        if _ruby_empty_to_s(canonical):
            url = to_s(self.absolute(lookup(self.page, "url")))
            return re.sub(r"/index\.html$", "/", url, flags=re.M)
        return canonical

    # -- JSON-LD ---------------------------------------------------------------------------
    def json_ld(self) -> dict[str, Any]:
        author: dict[str, Any] | None = None
        if truthy(self.author_name):
            kind = self.author.get("type")
            if not truthy(kind) or kind in ("Organization", "Person"):
                author = {"@type": kind if truthy(kind) else "Person", "name": self.author_name}
                if truthy(self.author.get("url")):
                    author["url"] = self.author["url"]
        image: Any = None
        if self.image_path is not None:
            keys = list(dict.fromkeys(["path", *self.image_hash]))
            if len(keys) == 1:
                image = self.image_path
            else:
                image = {key: self.image_value(key) for key in keys}
                image["url"] = image.pop("path")
                image["@type"] = "imageObject"
        publisher: dict[str, Any] | None = None
        if self.logo:
            publisher = {
                "@type": "Organization",
                "logo": {"@type": "ImageObject", "url": self.logo},
            }
            if truthy(self.author_name):
                publisher["name"] = self.author_name
        main_entity = None
        if self.type in ("BlogPosting", "CreativeWork"):
            main_entity = {"@type": "WebPage", "@id": self.canonical_url}
        values = {
            "@context": "https://schema.org",
            "@type": self.type,
            "author": author,
            "dateModified": self.date_modified,
            "datePublished": self.date_published,
            "description": self.description,
            "headline": self.page_title,
            "image": image,
            "mainEntityOfPage": main_entity,
            "name": self.name,
            "publisher": publisher,
            "sameAs": self.links,
            "url": self.canonical_url,
        }
        return {k: values[k] for k in sorted(values) if values[k] is not None}

    # -- the tag's output ------------------------------------------------------------------
    def render(self) -> str:
        config = self.config
        out = [f"<!-- Begin Jekyll SEO tag v{VERSION} -->"]

        def meta(kind: str, key: str, value: Any) -> None:
            out.append(f'<meta {kind}="{key}" content="{to_output(value)}" />')

        if self.show_title:
            out.append(f"<title>{to_output(self.title)}</title>")
        meta("name", "generator", f"Jekyll v{JEKYLL_VERSION}")
        if self.page_title:
            meta("property", "og:title", self.page_title)
        if truthy(self.author_name):
            meta("name", "author", self.author_name)
        meta("property", "og:locale", self.page_locale)
        if self.description:
            meta("name", "description", self.description)
            meta("property", "og:description", self.description)
        if truthy(config.get("url")):
            out.append(f'<link rel="canonical" href="{to_output(self.canonical_url)}" />')
            meta("property", "og:url", self.canonical_url)
        if self.site_title:
            meta("property", "og:site_name", self.site_title)
        if self.image_path is not None:
            meta("property", "og:image", self.image_path)
            for key in ("height", "width", "alt"):
                if truthy(self.image_hash.get(key)):
                    meta("property", f"og:image:{key}", self.image_hash[key])
        page_date = lookup(self.page, "date")
        if truthy(page_date):
            meta("property", "og:type", "article")
            meta("property", "article:published_time", xmlschema(page_date))
        else:
            meta("property", "og:type", "website")
        if truthy(lookup(self.paginator, "previous_page")):
            href = self.absolute(lookup(self.paginator, "previous_page_path"))
            out.append(f'<link rel="prev" href="{to_output(href)}" />')
        if truthy(lookup(self.paginator, "next_page")):
            href = self.absolute(lookup(self.paginator, "next_page_path"))
            out.append(f'<link rel="next" href="{to_output(href)}" />')
        if self.image_path is not None:
            card = default(
                lookup(lookup(self.page, "twitter"), "card"),
                default(lookup(config.get("twitter"), "card"), "summary_large_image"),
            )
            meta("name", "twitter:card", card)
            meta("property", "twitter:image", self.image_path)
        else:
            meta("name", "twitter:card", "summary")
        if self.image_path is not None and truthy(self.image_hash.get("alt")):
            meta("name", "twitter:image:alt", self.image_hash["alt"])
        if self.page_title:
            meta("property", "twitter:title", self.page_title)
        twitter = config.get("twitter")
        if truthy(twitter):
            username = to_output(lookup(twitter, "username")).replace("@", "")
            meta("name", "twitter:site", "@" + username)
            if truthy(self.author_twitter):
                meta("name", "twitter:creator", "@" + to_s(self.author_twitter).replace("@", ""))
        facebook = config.get("facebook")
        if truthy(facebook):
            for key, prop in (
                ("admins", "fb:admins"),
                ("publisher", "article:publisher"),
                ("app_id", "fb:app_id"),
            ):
                if truthy(lookup(facebook, key)):
                    meta("property", prop, lookup(facebook, key))
        verifications = config.get("webmaster_verifications")
        if truthy(verifications):
            for key, name in VERIFICATIONS:
                if truthy(lookup(verifications, key)):
                    meta("name", name, lookup(verifications, key))
        elif truthy(config.get("google_site_verification")):
            meta("name", "google-site-verification", config["google_site_verification"])
        lines = "".join(line + "\n" for line in out)
        return (
            lines
            + '<script type="application/ld+json">\n'
            + to_json(self.json_ld())
            + "</script>\n<!-- End Jekyll SEO tag -->\n"
        )


def _make_seo_tag(site: Site) -> type[Tag]:
    # markdownify is the costly part and its result depends on the text alone, so the
    # site-wide strings (title, description…) are converted once per build
    formatted: dict[str, str | None] = {}

    class SeoNode(MarkupNode):
        __slots__ = ()

        def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
            page = context.resolve("page", default=None)
            paginator = context.resolve("paginator", default=None)
            return buffer.write(SeoData(site, page, paginator, self.markup, formatted).render())

    class SeoTag(Tag):
        name = "seo"
        block = False

        def parse(self, stream: TokenStream) -> Node:
            token, markup = markup_of(stream)
            return SeoNode(token, markup or "")

    return SeoTag


class Seo(Plugin):
    name = "jekyll-seo-tag"

    def tags(self) -> list[type[Tag]]:
        return [_make_seo_tag(self.site)]


PLUGINS = [Seo]
