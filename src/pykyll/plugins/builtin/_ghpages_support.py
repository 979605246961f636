"""Helpers shared by the GitHub Pages plugins: markdown detection, URL filters, HTML text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pykyll.site import Site

#: Jekyll's priorities (`Jekyll::Plugin::PRIORITIES`)
HIGHEST, HIGH, NORMAL, LOW, LOWEST = 100, 10, 0, -10, -100


def markdown_extensions(site: Site) -> list[str]:
    """`Converters::Markdown#extname_list`: `.markdown`, `.md`, … from `markdown_ext`."""
    raw = str(site.config.get("markdown_ext") or "markdown,mkdown,mkdn,mkd,md")
    return ["." + ext.strip() for ext in raw.split(",")]


def is_markdown(site: Site, extname: str) -> bool:
    return extname.lower() in markdown_extensions(site)


def relative_url(site: Site, url: str) -> str:
    """Jekyll's `relative_url` filter for a site-relative path."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
        return url
    baseurl = str(site.config.get("baseurl") or "").rstrip("/")
    parts = [p if not p or p.startswith("/") else "/" + p for p in (baseurl, url)]
    return "".join(parts)


def strip_html(text: str) -> str:
    """Liquid's `strip_html`."""
    text = re.sub(r"<script.*?</script>|<!--.*?-->|<style.*?</style>", "", text, flags=re.S | re.I)
    return re.sub(r"<.*?>", "", text, flags=re.S)


def normalize_whitespace(text: str) -> str:
    """Jekyll's `normalize_whitespace`."""
    return re.sub(r"\s+", " ", text).strip()


_TOKENS = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?.*?>|</?[A-Za-z][^>]*>", re.S)
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)")
_RAW_TEXT = ("script", "style", "textarea", "title")


def replace_in_text(
    html: str, replace: Callable[[str], str], ignored_parents: Iterable[str]
) -> str:
    """Apply `replace` to the text between tags, outside the `ignored_parents` elements —
    what html-pipeline's filters do on Nokogiri text nodes."""
    ignored = {name.lower() for name in ignored_parents}
    out: list[str] = []
    open_ignored: list[str] = []
    pos = 0
    while pos < len(html):
        match = _TOKENS.search(html, pos)
        end = match.start() if match else len(html)
        text = html[pos:end]
        if text:
            out.append(text if open_ignored else replace(text))
        if match is None:
            break
        token = match.group(0)
        out.append(token)
        pos = match.end()
        name_match = _TAG_NAME.match(token)
        if name_match is None:
            continue
        name = name_match.group(1).lower()
        closing = token.startswith("</")
        if not closing and name in _RAW_TEXT:
            close = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
            stop = close.start() if close else len(html)
            raw = html[pos:stop]
            # title/textarea hold text (entities allowed), script/style hold none
            if name in ("title", "textarea") and name not in ignored and not open_ignored:
                raw = replace(raw)
            out.append(raw)
            pos = stop
            continue
        if name not in ignored or token.endswith("/>"):
            continue
        if closing:
            if name in open_ignored:
                while open_ignored and open_ignored.pop() != name:
                    pass
        else:
            open_ignored.append(name)
    return "".join(out)


_BODY = re.compile(r"<body(.*?)>\s*", re.S)


def replace_in_body(output: str, process: Callable[[str], str]) -> str:
    """Process only the `<body>` of a full document, as jemoji and jekyll-mentions do."""
    if "<body" not in output:
        return process(output)
    match = _BODY.search(output)
    if match is None:
        return process(output)
    head, opener, tail = output[: match.start()], match.group(0), output[match.end() :]
    body, sep, rest = tail.partition("</body>")
    return head + opener + process(body) + sep + rest


def site_of(context: object) -> Site | None:
    """The site a Liquid render context belongs to (the environment's `services`)."""
    env = getattr(context, "env", None)
    site = getattr(env, "services", None)
    return site if site is not None and hasattr(site, "logger") else None


def option(site: Site, section: str, key: str) -> object:
    """`site.config[section][key]` when the section is a mapping, else None."""
    value = site.config.get(section)
    return value.get(key) if isinstance(value, dict) else None
