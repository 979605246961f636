"""jemoji 0.13: `:emoji:` in rendered HTML becomes GitHub's emoji image.

As jemoji with html-pipeline's `EmojiFilter`: every alias of gemoji (4.1's list, in
`jemoji_data.json`) between colons, in text outside `pre`, `code` and `tt`, only in the
`<body>` of full documents, becomes
`<img class="emoji" title=":name:" alt=":name:" src="…" height="20" width="20">`;
images come from `https://github.githubassets.com/images/icons/emoji/` (or
`$ASSET_HOST_URL/images/icons/emoji/`, or `emoji: {src: …}` + `emoji/`).
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pykyll.models import Document, Page
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import replace_in_body, replace_in_text

if TYPE_CHECKING:
    from pykyll.models import Convertible

GITHUB_DOT_COM_ASSET_HOST_URL = "https://github.githubassets.com"
ASSET_PATH = "/images/icons/"
IGNORED_ANCESTOR_TAGS = ("pre", "code", "tt")


@cache
def emoji_table() -> dict[str, str]:
    """Alias → image file name (`unicode/1f604.png`, `octocat.png`)."""
    path = Path(__file__).with_name("jemoji_data.json")
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def emoji_pattern() -> re.Pattern[str]:
    names = sorted(emoji_table())
    return re.compile(":(" + "|".join(re.escape(n) for n in names) + "):")


def default_asset_root() -> str:
    host = os.environ.get("ASSET_HOST_URL", "")
    if host:
        return host.rstrip("/") + ASSET_PATH
    return GITHUB_DOT_COM_ASSET_HOST_URL + ASSET_PATH


def emoji_src(config: dict[str, Any]) -> str:
    emoji = config.get("emoji")
    if isinstance(emoji, dict) and "src" in emoji:
        return str(emoji["src"])
    return default_asset_root()


def file_join(*parts: str) -> str:
    """Ruby's File.join: one slash between the parts."""
    out = parts[0]
    for part in parts[1:]:
        out = out.rstrip("/") + "/" + part.lstrip("/")
    return out


def emoji_image_tag(name: str, asset_root: str) -> str:
    src = file_join(asset_root, "emoji", emoji_table()[name])
    return f'<img class="emoji" title=":{name}:" alt=":{name}:" src="{src}" height="20" width="20">'


def emojify(html: str, asset_root: str) -> str:
    pattern = emoji_pattern()

    def in_text(text: str) -> str:
        if ":" not in text:
            return text
        return pattern.sub(lambda m: emoji_image_tag(m.group(1), asset_root), text)

    def process(fragment: str) -> str:
        return replace_in_text(fragment, in_text, IGNORED_ANCESTOR_TAGS)

    return replace_in_body(html, process)


class Jemoji(Plugin):
    name = "jemoji"

    def post_render(self, item: Convertible) -> None:
        output = item.output
        if not output or not self.emojiable(item) or not emoji_pattern().search(output):
            return
        item.output = emojify(output, emoji_src(self.site.config))

    @staticmethod
    def emojiable(item: Convertible) -> bool:
        written = isinstance(item, Page) or (isinstance(item, Document) and item.write())
        # the gem's precedence: (page-or-written and .html) or permalink ending in "/"
        return (written and item.output_ext == ".html") or (item.permalink or "").endswith("/")


PLUGINS = [Jemoji]
