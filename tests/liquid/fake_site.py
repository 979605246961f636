"""A small fake of the site for rendering snippets outside a build.

It loads tests/liquid/site the way Jekyll sees it (config, data, the snippet pages'
front matter) and answers `SiteServices` questions from fixed tables.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import yaml

SITE = Path(__file__).with_name("site")

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d\d?)-(\d\d?)(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)(?:\.(\d+))?"
    r"[ \t]*(Z|[-+]\d\d?(?::?\d\d)?)?$"
)


class RubyYamlLoader(yaml.SafeLoader):
    """PyYAML plus Psych's timestamps with `+0800` offsets (no colon)."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    value = loader.construct_scalar(node)  # type: ignore[arg-type]
    m = _TIMESTAMP.match(str(value))
    if not m:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    year, month, day, hour, minute, second, frac, tz = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    tzinfo: dt.tzinfo = dt.UTC
    if tz and tz != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        hours = int(digits[:-2] if len(digits) > 2 else digits)
        minutes = int(digits[-2:]) if len(digits) > 2 else 0
        tzinfo = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return dt.datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo
    )


RubyYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
RubyYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(
        r"^\d{4}-\d\d?-\d\d?(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d+)?"
        r"[ \t]*(?:Z|[-+]\d\d?(?::?\d\d)?)?$"
    ),
    list("0123456789"),
)


def load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=RubyYamlLoader)


LINKS = {
    "about.md": "/about/",
    "assets/file.pdf": "/assets/file.pdf",
    "_posts/2020-01-02-hello-world.md": "/2020/01/02/hello-world.html",
    "_posts/2021-05-06-second.md": "/news/2021/05/06/second.html",
}
POSTS = {
    "2020-01-02-hello-world": "/2020/01/02/hello-world.html",
    "2021-05-06-second": "/news/2021/05/06/second.html",
}


def fake_markdownify(text: str) -> str:
    """Enough of kramdown for the snippets: paragraphs, emphasis, strong, code."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    out = []
    for block in blocks:
        body = html.escape(block, quote=False)
        body = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", body)
        body = re.sub(r"\*(.+?)\*", r"<em>\1</em>", body)
        body = re.sub(r"`(.+?)`", r"<code>\1</code>", body)
        out.append(f"<p>{body}</p>\n")
    return "\n".join(out) if out else "\n"


class FakeSite:
    """`SiteServices` for tests/liquid/site."""

    def __init__(self, site: Path = SITE, **config_overrides: Any) -> None:
        self.root = site
        config = load_yaml(site / "_config.yml") or {}
        config["source"] = str(site)
        config.update(config_overrides)
        self._config = config
        self.warnings: list[tuple[str | None, int | None, str]] = []
        self.data = {p.stem: load_yaml(p) for p in sorted((site / "_data").glob("*.yml"))}

    @property
    def config(self) -> dict[str, Any]:
        return self._config

    def include_dirs(self) -> list[Path]:
        return [self.root / "_includes"]

    def warn(self, file: str | None, line: int | None, message: str) -> None:
        self.warnings.append((file, line, message))

    def markdownify(self, text: str) -> str:
        return fake_markdownify(text)

    def link_url(self, relative_path: str) -> str | None:
        return LINKS.get(relative_path.lstrip("/"))

    def post_url(self, name: str) -> str | None:
        return POSTS.get(name)

    # -- render variables ------------------------------------------------------------------

    def site_variable(self) -> dict[str, Any]:
        return {**self._config, "data": self.data}

    def page_variable(self, page_path: str, front_matter: dict[str, Any]) -> dict[str, Any]:
        name = page_path.rsplit("/", 1)[-1]
        folder = "/" + page_path.rsplit("/", 1)[0] + "/" if "/" in page_path else "/"
        return {
            **front_matter,
            "url": "/" + page_path,
            "path": page_path,
            "name": name,
            "dir": folder,
        }

    def variables(self, page_path: str, front_matter: dict[str, Any]) -> dict[str, Any]:
        return {
            "site": self.site_variable(),
            "page": self.page_variable(page_path, front_matter),
            "jekyll": {"version": "4.3.1", "environment": "development"},
            "layout": None,
            "content": None,
            "paginator": None,
        }
