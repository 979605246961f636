"""Configuration stage: Jekyll's defaults, `_config.yml`/`.toml` files, command-line overrides.

Mirrors `Jekyll::Configuration`: defaults deep-merged with each config file in order, then
the command line; `posts` is always a collection; Jekyll 4 appends its default excludes.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from pykyll import yamlload
from pykyll.errors import ConfigError, invalid_utf8
from pykyll.log import log
from pykyll.markdown.options import JEKYLL_KRAMDOWN_DEFAULTS

DEFAULTS: dict[str, Any] = {
    # Where things are
    "source": ".",
    "destination": "_site",
    "collections_dir": "",
    "cache_dir": ".jekyll-cache",
    "plugins_dir": "_plugins",
    "layouts_dir": "_layouts",
    "data_dir": "_data",
    "includes_dir": "_includes",
    "collections": {},
    # Handling reading
    "safe": False,
    "include": [".htaccess"],
    "exclude": [],
    "keep_files": [".git", ".svn"],
    "encoding": "utf-8",
    "markdown_ext": "markdown,mkdown,mkdn,mkd,md",
    "strict_front_matter": False,
    # Filtering content
    "show_drafts": None,
    "limit_posts": 0,
    "future": False,
    "unpublished": False,
    # Plugins
    "whitelist": [],
    "plugins": [],
    # Conversion
    "markdown": "kramdown",
    "highlighter": "rouge",
    "lsi": False,
    "excerpt_separator": "\n\n",
    "incremental": False,
    # Serving
    "detach": False,
    "port": "4000",
    "host": "127.0.0.1",
    "baseurl": None,
    "show_dir_listing": False,
    # Output configuration
    "permalink": "date",
    "paginate_path": "/page:num",
    "timezone": None,
    "quiet": False,
    "verbose": False,
    "defaults": [],
    "liquid": {"error_mode": "warn", "strict_filters": False, "strict_variables": False},
    "kramdown": JEKYLL_KRAMDOWN_DEFAULTS,
}

DEFAULT_EXCLUDES = [
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
]

STYLE_TO_PERMALINK = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}

DEFAULT_CONFIG_FILES = ("_config.yml", "_config.yaml", "_config.toml")


def watched_config_files(source: Path, option: str | None) -> list[Path]:
    """The files whose change reloads the configuration, for `--config a.yml,b.yml` or,
    without it, the default names (candidates, whether they exist yet or not)."""
    if not option:
        return [source / name for name in DEFAULT_CONFIG_FILES]
    found = []
    for name in (n.strip() for n in option.split(",")):
        path = Path(name) if Path(name).is_absolute() else Path.cwd() / name
        if not path.exists() and (source / name).exists():
            path = source / name
        found.append(path.resolve())
    return found


def deep_merge(base: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """Jekyll's `Utils.deep_merge_hashes`: nested mappings merge, `nil` never overrides."""
    merged = dict(base)
    for key, new in other.items():
        old = merged.get(key)
        if new is None and key in merged:
            continue
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            merged[key] = deep_merge(old, new)
        else:
            merged[key] = new
    return merged


def jekyll_env() -> str:
    return os.environ.get("JEKYLL_ENV") or "development"


def load_configuration(
    source: Path,
    config_files: list[str] | None = None,
    overrides: Mapping[str, Any] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Read the configuration of the site at `source`, as `jekyll build` would."""
    config = copy.deepcopy(DEFAULTS)
    origins: dict[str, tuple[str, int | None]] = {}
    for path in _config_paths(source, config_files):
        values = read_config_file(path)
        origins.update({key: (str(path), _key_line(path, key)) for key in values})
        config = deep_merge(config, values)
    config = deep_merge(config, dict(overrides or {}))
    config["source"] = str(source)
    return normalize(config, source, origins)


def _key_line(path: Path, key: str) -> int | None:
    """The line of a top-level `key:` in a YAML configuration file, for messages."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    wanted = re.compile(rf"""^["']?{re.escape(key)}["']?\s*[:=]""")
    return next((number for number, line in enumerate(lines, 1) if wanted.match(line)), None)


def _config_paths(source: Path, config_files: list[str] | None) -> list[Path]:
    if config_files:
        paths = []
        for name in config_files:
            path = Path(name) if Path(name).is_absolute() else Path.cwd() / name
            if not path.exists() and (source / name).exists():
                path = source / name
            if not path.exists():
                raise ConfigError(
                    f"The configuration file '{name}' could not be found.",
                    hint="check the --config argument",
                )
            paths.append(path)
        return paths
    for name in DEFAULT_CONFIG_FILES:
        if (source / name).is_file():
            return [source / name]
    log.warn("Configuration file:", "none")
    return []


def read_config_file(path: Path) -> dict[str, Any]:
    log.info("Configuration file:", str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise invalid_utf8(err, str(path), ConfigError) from err
    except OSError as err:
        raise ConfigError(f"cannot read the configuration file: {err}", file=str(path)) from err
    if path.suffix == ".toml":
        import tomllib  # rare: not loaded for every build

        try:
            data: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"invalid TOML: {err}", file=str(path)) from err
    else:
        try:
            data = yamlload.load(text, str(path))
        except yaml.YAMLError as err:
            raise yamlload.error(err, str(path), 0, ConfigError) from err
    if data is None or data is False or data == "":
        return {}
    if not isinstance(data, dict):
        # Jekyll warns and builds with its defaults (an ArgumentError it rescues)
        log.warn(
            "WARNING:",
            f"Error reading configuration {path}: it must be `key: value` lines, not a "
            f"{type(data).__name__}. Using defaults (and options).",
            file=str(path),
            line=1,
            kind="config",
        )
        return {}
    return {str(k): v for k, v in data.items()}


def normalize(
    config: dict[str, Any],
    source: Path,
    origins: Mapping[str, tuple[str, int | None]] | None = None,
) -> dict[str, Any]:
    """Apply Jekyll's fix-ups: default collections, default excludes, typed checks.

    `origins` tells, for each key, the configuration file and line that set it, so a
    wrong value is reported where the user wrote it."""
    origins = origins or {}

    def where(key: str) -> dict[str, Any]:
        file, line = origins.get(key, ("_config.yml", None))
        return {"file": file, "line": line}

    if config.get("plugins") in (None, []) and config.get("gems"):
        config["plugins"] = config["gems"]
    for key in ("include", "exclude", "keep_files"):
        value = config.get(key)
        if value is None:
            config[key] = []
        elif not isinstance(value, list):
            raise ConfigError(
                f"'{key}' should be set as an array, but was: {_ruby_inspect(value)}.",
                **where(key),
                hint=f"write it as a list, e.g. {key}: [{value}]",
            )
    plugins = config.get("plugins")
    if plugins is None:
        config["plugins"] = []
    elif not isinstance(plugins, list):
        raise ConfigError(
            f"'plugins' should be set as an array of gem-names, but was: {_ruby_inspect(plugins)}.",
            **where("plugins"),
            hint=f"write it as a list, e.g. plugins: [{plugins}]; use 'plugins_dir' for a "
            "folder of plugins",
        )
    permalink = config.get("permalink")
    if permalink not in (None, False) and not isinstance(permalink, str):
        raise ConfigError(
            f"'permalink' should be a style name or a pattern, but was: "
            f"{_ruby_inspect(permalink)}.",
            **where("permalink"),
            hint="write e.g. permalink: pretty or permalink: /:year/:title/",
        )
    config["exclude"] = list(dict.fromkeys([*config["exclude"], *DEFAULT_EXCLUDES]))
    config["collections"] = _normalize_collections(config, where("collections"))
    for key in ("liquid", "kramdown"):
        if not isinstance(config.get(key), dict):
            config[key] = copy.deepcopy(DEFAULTS[key])
    try:
        config["limit_posts"] = int(config.get("limit_posts") or 0)
    except (TypeError, ValueError) as err:
        raise ConfigError("limit_posts must be a number", **where("limit_posts")) from err
    if config["limit_posts"] < 0:
        raise ConfigError(
            "limit_posts must be a non-negative number",
            **where("limit_posts"),
            hint="use 0 to show all posts",
        )
    if config.get("collections_dir") is None:
        config["collections_dir"] = ""
    paginate = config.get("paginate")
    if paginate is not None and (not isinstance(paginate, int) or paginate < 1):
        log.warn("Config Warning:", "The `paginate` key must be a positive integer or nil.")
        config["paginate"] = None
    return config


def _ruby_inspect(value: Any) -> str:
    """A value as Jekyll's messages show it (Ruby's `inspect`): strings in double quotes."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _normalize_collections(config: dict[str, Any], where: dict[str, Any]) -> dict[str, Any]:
    raw = config.get("collections") or {}
    if isinstance(raw, list):
        raw = {str(name): {} for name in raw}
    if not isinstance(raw, dict):
        raise ConfigError(
            "Your `collections` key must be a hash or an array.",
            **where,
            hint="list the collections (collections: [talks]) or map them to their settings",
        )
    collections: dict[str, Any] = {"posts": {}}
    for label, meta in raw.items():
        collections[str(label)] = dict(meta) if isinstance(meta, dict) else {}
    posts = collections["posts"]
    posts["output"] = True
    if config.get("permalink"):
        posts.setdefault("permalink", style_to_permalink(config["permalink"]))
    return collections


def style_to_permalink(style: Any) -> str:
    return STYLE_TO_PERMALINK.get(str(style), str(style))
