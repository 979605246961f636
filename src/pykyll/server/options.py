"""The `serve` command's flags, kept apart from the server so that `pykyll build` does not
import asyncio and aiohttp just to build its argument parser."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

DEFAULT_LIVERELOAD_PORT = 35729


def add_serve_parser(
    commands: Any, add_build_options: Callable[[argparse.ArgumentParser], None]
) -> argparse.ArgumentParser:
    """Add `serve` (aliases `server`, `s`) to the subcommands of the `pykyll` parser."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve", aliases=["server", "s"], help="serve your site locally"
    )
    add_build_options(parser)
    option = parser.add_argument
    option("-H", "--host", help="host to bind to (default: 127.0.0.1)")
    option("-P", "--port", type=int, help="port to listen on (default: 4000; 0: any free port)")
    option("-o", "--open-url", action="store_true", default=None, help="open the site in a browser")
    option(
        "-B",
        "--detach",
        action="store_true",
        default=None,
        help="run the server in the background (not supported)",
    )
    option("--ssl-cert", help="X.509 (SSL) certificate (PEM), with --ssl-key")
    option("--ssl-key", help="X.509 (SSL) private key (PEM), with --ssl-cert")
    option(
        "--show-dir-listing",
        action="store_true",
        default=None,
        help="list a folder without an index file",
    )
    option(
        "--skip-initial-build",
        action="store_true",
        default=None,
        help="serve the existing _site, build only on change",
    )
    option(
        "-l",
        "--livereload",
        action="store_true",
        default=None,
        help="reload the page in the browser on change",
    )
    option("--livereload-ignore", help="output globs whose change never reloads, comma separated")
    option(
        "--livereload-min-delay", type=float, help="seconds to wait before a reload (default: 0)"
    )
    option("--livereload-max-delay", type=float, help="accepted for Jekyll compatibility")
    option(
        "--livereload-port", type=int, help=f"live reload port (default: {DEFAULT_LIVERELOAD_PORT})"
    )
    option("--no-watch", dest="watch", action="store_false", help="do not rebuild on change")
    option(
        "--force_polling",
        "--force-polling",
        action="store_true",
        default=None,
        help="poll the file system instead of inotify",
    )
    parser.set_defaults(watch=True)
    return parser
