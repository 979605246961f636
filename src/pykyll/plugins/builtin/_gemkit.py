"""Helpers shared by pykyll's equivalents of jekyll-feed, jekyll-sitemap, jekyll-seo-tag,
jekyll-redirect-from and jekyll-paginate.

They apply Jekyll's own filters (from `pykyll.liquid.filters`) to plain Python values, so a
generated file goes through exactly the code a Liquid template would, and add the few
things the gems do outside Liquid: pages whose output a plugin writes itself, and Liquid
truthiness.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pykyll.liquid.filters import jekyll as jekyll_filters
from pykyll.liquid.filters import standard as standard_filters
from pykyll.liquid.ruby import to_s
from pykyll.models import GeneratedPage

if TYPE_CHECKING:
    from pykyll.site import Site


def truthy(value: Any) -> bool:
    """Liquid's truthiness: only nil and false are false."""
    return value is not None and value is not False


def blank(value: Any) -> bool:
    """What Liquid's `default` filter replaces: nil, false, empty strings and collections."""
    if value is None or value is False:
        return True
    if isinstance(value, str | list | tuple | dict):
        return len(value) == 0
    return False


def default(value: Any, fallback: Any) -> Any:
    return fallback if blank(value) else value


def lookup(value: Any, key: str) -> Any:
    """`value.key` in Liquid: a hash or drop look-up, nil for anything else."""
    if isinstance(value, Mapping):
        try:
            return value[key]
        except (KeyError, TypeError):
            return None
    return None


def absolute_url(site: Site, value: Any) -> str | None:
    """Jekyll's `absolute_url` filter with the site's `url` and `baseurl`."""
    if value is None:
        return None
    text = to_s(value)
    if jekyll_filters.is_absolute(text):
        return text
    relative = jekyll_filters.compute_relative_url(text, site.config)
    site_url = site.config.get("url")
    if site_url is None or to_s(site_url) == "":
        return relative
    return jekyll_filters.normalize_url(to_s(site_url) + relative)


def xml_escape(value: Any) -> str:
    return jekyll_filters.xml_escape(value)


def xmlschema(value: Any) -> str:
    return to_s(jekyll_filters.date_to_xmlschema(value))


def strip_html(value: Any) -> str:
    return standard_filters.strip_html(value)


def normalize_whitespace(value: Any) -> str:
    return jekyll_filters.normalize_whitespace(value)


def smartify(value: Any) -> str:
    return jekyll_filters.smartify(value)


def escape_once(value: Any) -> str:
    return standard_filters.escape_once(value)


def uri_escape(value: Any) -> str:
    return jekyll_filters.uri_escape(value)


def ruby_strip(value: Any) -> str:
    return standard_filters.strip(value)


def capitalize(value: Any) -> str:
    return standard_filters.capitalize(value)


class PluginPage(GeneratedPage):
    """A generated page whose output its plugin writes when the page is rendered.

    Jekyll renders such pages (feed.xml, sitemap.xml) with a Liquid template shipped in
    the gem; pykyll produces the same text in Python, in `produce`, when the page's turn
    to be rendered comes (after every document, as in Jekyll's render order).
    """

    def __init__(
        self,
        site: Site,
        dir: str,
        name: str,
        data: dict[str, Any],
        owner: object,
        produce: Callable[[PluginPage], str],
    ) -> None:
        super().__init__(site, dir, name, "", data)
        self.owner = owner
        self.produce = produce

    def render_with_liquid(self) -> bool:
        return False

    def place_in_layout(self) -> bool:
        return False


def finish_plugin_page(owner: object, item: object) -> None:
    """The `post_render` step of the plugins that make `PluginPage`s."""
    if isinstance(item, PluginPage) and item.owner is owner:
        item.output = item.produce(item)


def source_exists(site: Site, path: str) -> bool:
    """`File.exist?(site.in_source_dir(path))`."""
    return (site.source / path.lstrip("/")).exists()
