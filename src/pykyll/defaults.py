"""Front matter defaults (`defaults:` in `_config.yml`), as `Jekyll::FrontmatterDefaults`."""

from __future__ import annotations

import glob
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pykyll.config import deep_merge
from pykyll.log import log

_DEPRECATED_TYPES = {"page": "pages", "post": "posts", "draft": "drafts"}


class FrontmatterDefaults:
    def __init__(self, config: Mapping[str, Any], source: Path) -> None:
        self.source = source
        self.collections_dir = str(config.get("collections_dir") or "")
        self.sets = self._valid_sets(config.get("defaults"))
        self._cache: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        self._glob_cache: dict[str, list[str]] = {}

    def _valid_sets(self, sets: Any) -> list[dict[str, Any]]:
        if not isinstance(sets, list):
            return []
        valid = []
        for entry in sets:
            if not (isinstance(entry, dict) and isinstance(entry.get("values"), dict)):
                log.warn("Defaults:", "An invalid front-matter default set was found:")
                log.warn("", str(entry))
                continue
            scope = entry.get("scope")
            if isinstance(scope, dict) and "type" in scope:
                scope = {**scope, "type": _DEPRECATED_TYPES.get(scope["type"], scope["type"])}
                entry = {**entry, "scope": scope}
            valid.append(entry)
        return valid

    def find(self, path: str, type: str | None, key: str) -> Any:
        value = None
        old_scope = None
        for entry in self._matching(path, type):
            if key in entry["values"] and self._has_precedence(old_scope, entry.get("scope")):
                value = entry["values"][key]
                old_scope = entry.get("scope")
        return value

    def all(self, path: str, type: str | None) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        old_scope = None
        for entry in self._matching(path, type):
            if self._has_precedence(old_scope, entry.get("scope")):
                defaults = deep_merge(defaults, entry["values"])
                old_scope = entry.get("scope")
            else:
                defaults = deep_merge(entry["values"], defaults)
        return defaults

    def _matching(self, path: str, type: str | None) -> list[dict[str, Any]]:
        key = (path, type)
        if key not in self._cache:
            self._cache[key] = [
                e
                for e in self.sets
                if not isinstance(e.get("scope"), dict) or self._applies(e["scope"], path, type)
            ]
        return self._cache[key]

    def _applies(self, scope: dict[str, Any], path: str, type: str | None) -> bool:
        if "type" in scope and str(type) != str(scope["type"]):
            return False
        scope_path = scope.get("path")
        if not isinstance(scope_path, str) or not scope_path:
            return True
        sanitized = _sanitize(path)
        if "*" in scope_path:
            return any(
                sanitized.startswith(self._strip_collections_dir(p)) for p in self._glob(scope_path)
            )
        return sanitized.startswith(self._strip_collections_dir(scope_path))

    def _glob(self, scope_path: str) -> list[str]:
        if scope_path not in self._glob_cache:
            matches = glob.glob(str(self.source / scope_path))
            self._glob_cache[scope_path] = [
                Path(m).relative_to(self.source).as_posix() for m in matches
            ]
        return self._glob_cache[scope_path]

    def _strip_collections_dir(self, path: str) -> str:
        prefix = f"{self.collections_dir}/"
        if self.collections_dir and path.startswith(prefix):
            return path.replace(prefix, "", 1)
        return path

    @staticmethod
    def _has_precedence(old: Any, new: Any) -> bool:
        if old is None:
            return True
        old = old if isinstance(old, dict) else {}
        new = new if isinstance(new, dict) else {}
        new_path, old_path = _sanitize(new.get("path")), _sanitize(old.get("path"))
        if len(new_path) != len(old_path):
            return len(new_path) >= len(old_path)
        if "type" in new:
            return True
        return "type" not in old


def _sanitize(path: Any) -> str:
    if not path:
        return ""
    path = str(path)
    if path.startswith("/"):
        path = path[1:]
    return path
