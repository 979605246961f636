"""The `pykyll` command line: Jekyll's commands and flags, Jekyll's log lines."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from pykyll import __version__
from pykyll.config import load_configuration
from pykyll.errors import PykyllError
from pykyll.log import NORMAL, QUIET, VERBOSE, log
from pykyll.server import SERVE_COMMANDS, add_serve_parser


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-s", "--source", default=".", help="source directory (default: .)")
    parser.add_argument("-d", "--destination", help="destination directory (default: ./_site)")
    parser.add_argument("--config", help="custom configuration file(s), comma separated")
    parser.add_argument(
        "--safe",
        action="store_true",
        default=None,
        help="safe mode: no _plugins, no symlinks outside the source",
    )
    parser.add_argument(
        "-t", "--trace", action="store_true", help="show the full backtrace on error"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="silence output")
    parser.add_argument("-V", "--verbose", action="store_true", help="print verbose output")


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    _add_site_options(parser)
    parser.add_argument(
        "--future", action="store_true", default=None, help="publish posts with a future date"
    )
    parser.add_argument(
        "--limit_posts", type=int, help="limit the number of posts to parse and publish"
    )
    parser.add_argument("-b", "--baseurl", help="serve the website from the given base URL")
    parser.add_argument(
        "-D",
        "--drafts",
        action="store_true",
        default=None,
        help="render posts in the _drafts folder",
    )
    parser.add_argument(
        "--unpublished",
        action="store_true",
        default=None,
        help="render posts marked as unpublished",
    )
    parser.add_argument(
        "--strict_front_matter",
        "--strict-front-matter",
        action="store_true",
        default=None,
        help="fail if errors are present in front matter",
    )
    parser.add_argument(
        "--profile", action="store_true", default=None, help="print a Liquid render time profile"
    )
    parser.add_argument(
        "-I",
        "--incremental",
        action="store_true",
        default=None,
        help="rebuild only posts and pages that have changed",
    )
    parser.add_argument(
        "--disable-disk-cache",
        action="store_true",
        default=None,
        help="do not write a cache to disk",
    )
    parser.add_argument(
        "-w",
        "--watch",
        action="store_true",
        help="watch for changes and rebuild (use `pykyll serve`)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pykyll", description="Jekyll, in Python: builds the same _site from the same repo."
    )
    parser.add_argument("-v", "--version", action="version", version=f"pykyll {__version__}")
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", aliases=["b"], help="build your site")
    _add_build_options(build)
    add_serve_parser(commands, _add_build_options)
    clean = commands.add_parser(
        "clean", help="clean the site (removes site output and metadata file)"
    )
    _add_site_options(clean)
    helper = commands.add_parser(
        "help", help="show the help message, optionally for a given command"
    )
    helper.add_argument("topic", nargs="?")
    return parser


def overrides_from(args: argparse.Namespace) -> dict[str, Any]:
    """Command-line flags as configuration keys, the way Jekyll names them."""
    mapping = {
        "destination": "destination",
        "safe": "safe",
        "future": "future",
        "limit_posts": "limit_posts",
        "baseurl": "baseurl",
        "drafts": "show_drafts",
        "unpublished": "unpublished",
        "strict_front_matter": "strict_front_matter",
        "profile": "profile",
        "incremental": "incremental",
        "disable_disk_cache": "disable_disk_cache",
        "quiet": "quiet",
        "verbose": "verbose",
    }
    overrides: dict[str, Any] = {}
    for attribute, key in mapping.items():
        value = getattr(args, attribute, None)
        if value is not None and value is not False:
            overrides[key] = value
    return overrides


def _configure(args: argparse.Namespace) -> dict[str, Any]:
    source = Path(args.source).resolve()
    files = [f.strip() for f in args.config.split(",")] if args.config else None
    overrides = overrides_from(args)
    if "destination" in overrides:
        overrides["destination"] = str(Path(overrides["destination"]).resolve())
    config = load_configuration(source, files, overrides)
    if "destination" not in overrides:
        destination = Path(str(config.get("destination") or "_site"))
        config["destination"] = str(
            destination if destination.is_absolute() else source / destination
        )
    return config


def command_build(args: argparse.Namespace) -> int:
    from pykyll.site import build

    config = _configure(args)
    log.info("Source:", config["source"])
    log.info("Destination:", config["destination"])
    log.info("Incremental build:", "disabled. Enable with --incremental")
    log.info("Generating...")
    site, _stats, seconds = build(config, log)
    if site.profiler is not None:
        print("\n" + site.profiler.table() + "\n")
    log.info("", f"done in {seconds:.3f} seconds.")
    log.info("Auto-regeneration:", "disabled. Use --watch to enable.")
    return 0


def command_clean(args: argparse.Namespace) -> int:
    config = _configure(args)
    source = Path(config["source"])
    for target in (
        Path(config["destination"]),
        source / ".jekyll-metadata",
        source / ".pykyll-cache",
        source / ".sass-cache",
    ):
        if target.is_dir():
            shutil.rmtree(target)
            log.info("Cleaner:", f"Removing {target}...")
        elif target.exists():
            target.unlink()
            log.info("Cleaner:", f"Removing {target}...")
        else:
            log.info("Cleaner:", f"Nothing to do for {target}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command in (None, "help"):
        topic = getattr(args, "topic", None)
        if topic:
            parser.parse_args([topic, "--help"])
        parser.print_help()
        return 0
    log.level = QUIET if args.quiet else VERBOSE if args.verbose else NORMAL
    log.warnings.clear()
    commands = {"build": command_build, "b": command_build, "clean": command_clean}
    commands.update(SERVE_COMMANDS)
    try:
        return commands[args.command](args)
    except PykyllError as err:
        if args.trace:
            raise
        log.error("Error:", str(err))
        if not args.trace:
            log.error("", "Run with --trace to see the Python traceback.")
        return err.exit_code
    except KeyboardInterrupt:
        log.error("Interrupted:", "the build was stopped; the previous _site is unchanged.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
