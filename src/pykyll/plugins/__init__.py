"""Plugins: one small interface for the GitHub Pages plugin set and users' own plugins.

A plugin is a subclass of :class:`Plugin`. It can add converters, Liquid tags and
filters, run as a generator (add or change pages before rendering) and react at Jekyll's
hook points. Plugins are found in three places:

* built in: every module of `pykyll.plugins.builtin` lists its classes in `PLUGINS`;
  they are enabled by name in `plugins:` (`jekyll-sitemap`, `jekyll-feed`, …), as Jekyll
  enables gems;
* installed packages: the entry point group `pykyll.plugins`, enabled by name too;
* the site's `_plugins/*.py` files: always enabled, except with `--safe` (as in Jekyll).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pykyll.errors import PykyllError

if TYPE_CHECKING:
    from liquid.tag import Tag

    from pykyll.converters import Converter
    from pykyll.models import Convertible
    from pykyll.site import Site


class Plugin:
    """Override what the plugin needs; every method has a do-nothing default."""

    #: the name users write in `plugins:` — the Jekyll gem's name for the built-in ones
    name: ClassVar[str] = ""
    #: whether the plugin may run with `--safe` (GitHub Pages' whitelist)
    safe: ClassVar[bool] = True
    #: generators run from the highest priority to the lowest, like Jekyll's
    priority: ClassVar[int] = 0

    def __init__(self, site: Site) -> None:
        self.site = site

    # what the plugin adds
    def converters(self) -> list[Converter]:
        return []

    def tags(self) -> list[type[Tag]]:
        return []

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {}

    # the generate stage
    def generate(self) -> None:
        """Add or change pages, documents and static files before rendering."""

    # hook points (Jekyll's :site and :pages/:documents hooks)
    def post_read(self) -> None:
        """After everything is read (`:site, :post_read`)."""

    def pre_render(self, payload: dict[str, Any]) -> None:
        """Before rendering starts (`:site, :pre_render`)."""

    def post_convert(self, item: Convertible) -> None:
        """After an item's content is converted, before layouts (`:post_convert`)."""

    def post_render(self, item: Convertible) -> None:
        """After an item is rendered; `item.output` may be changed (`:post_render`)."""

    def post_write(self) -> None:
        """After the site is written (`:site, :post_write`)."""


def _builtin_plugins() -> dict[str, type[Plugin]]:
    from pykyll.plugins import builtin

    found: dict[str, type[Plugin]] = {}
    for info in pkgutil.iter_modules(builtin.__path__):
        module = importlib.import_module(f"{builtin.__name__}.{info.name}")
        for cls in getattr(module, "PLUGINS", []):
            found[cls.name] = cls
    return found


def _installed_plugins() -> dict[str, type[Plugin]]:
    from importlib.metadata import entry_points  # slow to import; only for plugins

    found: dict[str, type[Plugin]] = {}
    for entry in entry_points(group="pykyll.plugins"):
        try:
            cls = entry.load()
        except Exception as err:  # a broken third-party package must not stop the build
            raise PykyllError(
                f"the plugin package '{entry.name}' could not be loaded: {err}",
                hint="reinstall it or remove it from `plugins:`",
            ) from err
        if isinstance(cls, type) and issubclass(cls, Plugin):
            found[cls.name or entry.name] = cls
    return found


def available_plugins() -> dict[str, type[Plugin]]:
    """Every plugin that can be enabled by name: built-in ones, then installed packages."""
    return {**_builtin_plugins(), **_installed_plugins()}


def _site_plugins(site: Site) -> list[type[Plugin]]:
    folders = site.config.get("plugins_dir") or "_plugins"
    classes: list[type[Plugin]] = []
    for folder in [folders] if isinstance(folders, str) else list(folders):
        directory = site.source / str(folder)
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.py")):
            classes.extend(_load_plugin_file(path, site))
    return classes


def _load_plugin_file(path: Path, site: Site) -> list[type[Plugin]]:
    spec = importlib.util.spec_from_file_location(f"pykyll_site_plugin_{path.stem}", path)
    if spec is None or spec.loader is None:
        return []
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as err:
        raise PykyllError(
            f"the plugin file could not be loaded: {err}", file=site.display_path(path)
        ) from err
    return [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, Plugin)
        and obj is not Plugin
        and obj.__module__ == module.__name__
    ]


def load_plugins(site: Site) -> list[Plugin]:
    """The plugins this site enables, instantiated, highest priority first."""
    names = site.config.get("plugins") or []
    if isinstance(names, str):
        names = [names]
    available = available_plugins() if names else {}  # importing them all takes a while
    classes: list[type[Plugin]] = []
    for name in names:
        cls = available.get(str(name))
        if cls is None:
            site.logger.warn(
                "Plugin Warning:",
                f"'{name}' (listed in `plugins:`) is not available in pykyll and was skipped.",
            )
            continue
        if site.safe and not cls.safe:
            continue
        classes.append(cls)
    if not site.safe:
        classes.extend(_site_plugins(site))
    unique = list(dict.fromkeys(classes))
    return sorted((cls(site) for cls in unique), key=lambda p: -p.priority)
