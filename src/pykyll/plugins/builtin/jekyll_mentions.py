"""jekyll-mentions 1.6: `@user` in rendered HTML pages becomes a link to the user's profile.

Mirrors `Jekyll::Mentions` and html-pipeline's `MentionFilter`: only text outside `pre`,
`code`, `a`, `style` and `script`; only the `<body>` of full documents; `@mention`,
`@mentions`, `@mentioned` and `@mentioning` stay plain; the base URL comes from
`jekyll-mentions` (a string or `{base_url: …}`) in the site config or the front matter.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from pykyll.errors import ConfigError
from pykyll.models import Document, Page
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import replace_in_body, replace_in_text

if TYPE_CHECKING:
    from pykyll.models import Convertible

GITHUB_DOT_COM = "https://github.com"
IGNORE_PARENTS = ("pre", "code", "a", "style", "script")
MENTION_LOGINS = {"mention", "mentions", "mentioned", "mentioning"}
MENTION = re.compile(
    r"(?:^|\W)@((?>[\w][\w-]*))(?!/)(?=\.+[ \t\W]|\.+$|[^0-9a-zA-Z_.]|$)",
    re.ASCII | re.IGNORECASE | re.MULTILINE,
)


def default_base() -> str:
    ssl, host = os.environ.get("SSL", ""), os.environ.get("GITHUB_HOSTNAME", "")
    if ssl and host:
        return ("https://" if ssl == "true" else "http://") + host.rstrip("/")
    return GITHUB_DOT_COM


def mention_base(config: dict[str, Any]) -> str:
    value = config.get("jekyll-mentions")
    if value is None:
        return default_base()
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        base = value.get("base_url", default_base())
        return str(base) if base is not None else ""
    raise ConfigError(
        "Your jekyll-mentions config has to either be a string or a hash. "
        f"It's a {type(value).__name__} right now."
    )


def mentionify_text(text: str, base: str) -> str:
    if "@" not in text:
        return text
    url = base if re.search(r"[/~]\Z", base) else base + "/"

    def link(match: re.Match[str]) -> str:
        login = match.group(1)
        if login.lower() in MENTION_LOGINS:
            return match.group(0)
        anchor = f"<a href='{url}{login}' class='user-mention'>@{login}</a>"
        return match.group(0).replace("@" + login, anchor, 1)

    return MENTION.sub(link, text)


def mentionify(html: str, base: str) -> str:
    def process(fragment: str) -> str:
        if not MENTION.search(fragment):
            return fragment
        return replace_in_text(fragment, lambda t: mentionify_text(t, base), IGNORE_PARENTS)

    return replace_in_body(html, process)


class JekyllMentions(Plugin):
    name = "jekyll-mentions"

    def post_render(self, item: Convertible) -> None:
        if not self.mentionable(item) or not item.output or "@" not in item.output:
            return
        config = self.site.config
        if "jekyll-mentions" in item.data:
            config = {**config, **item.data}
        item.output = mentionify(item.output, mention_base(config))

    @staticmethod
    def mentionable(item: Convertible) -> bool:
        written = isinstance(item, Page) or (isinstance(item, Document) and item.write())
        html = item.output_ext == ".html" or (item.permalink or "").endswith("/")
        return written and html and item.data.get("jekyll-mentions") is not False


PLUGINS = [JekyllMentions]
