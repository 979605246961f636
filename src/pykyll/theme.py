"""Themes shipped as Python packages, standing in for Jekyll's gem-based themes.

A package advertises a theme with an entry point in the group `pykyll.themes`, named
as users write it in `theme:`; the entry point names a module (or package) whose folder
holds `_layouts`, `_includes`, `_sass`, `assets`, `_data` and optionally `_config.yml`.
The site's own files override the theme's, as in Jekyll.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pykyll.errors import ConfigError


@dataclass(frozen=True)
class Theme:
    name: str
    root: Path

    def _folder(self, name: str) -> Path | None:
        path = self.root / name
        return path if path.is_dir() and not path.is_symlink() else None

    @property
    def layouts_path(self) -> Path | None:
        return self._folder("_layouts")

    @property
    def includes_path(self) -> Path | None:
        return self._folder("_includes")

    @property
    def sass_path(self) -> Path | None:
        return self._folder("_sass")

    @property
    def assets_path(self) -> Path | None:
        return self._folder("assets")

    @property
    def data_path(self) -> Path | None:
        return self._folder("_data")

    @property
    def config_file(self) -> Path | None:
        path = self.root / "_config.yml"
        return path if path.is_file() and not path.is_symlink() else None


def _root_of(target: Any) -> Path:
    if isinstance(target, str | Path):
        return Path(target)
    if callable(target):
        return Path(target())
    module_file = getattr(target, "__file__", None)
    if module_file is None:
        raise TypeError(f"{target!r} is neither a path nor a module")
    return Path(module_file).parent


def find_theme(name: Any) -> Theme | None:
    """The installed theme called `name`, or None when no package provides it."""
    from importlib.metadata import entry_points  # slow to import; only for themes

    if not isinstance(name, str):
        raise ConfigError(
            f"value of 'theme' in config should be String to use gem-based themes, "
            f"but got {type(name).__name__}",
            file="_config.yml",
        )
    for entry in entry_points(group="pykyll.themes"):
        if entry.name == name:
            return Theme(name, _root_of(entry.load()).resolve())
    return None
