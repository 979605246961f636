"""The `pykyll` command line: Jekyll's commands and flags, Jekyll's log lines."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from pykyll import __version__
from pykyll.config import load_configuration, watched_config_files
from pykyll.errors import PykyllError
from pykyll.log import NORMAL, QUIET, VERBOSE, log
from pykyll.server.options import add_serve_parser


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
        help="rebuild only posts and pages that have changed (a resident process keeps "
        "the site read for the next incremental build; PYKYLL_RESIDENT=0 turns it off)",
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
        help="watch for changes and rebuild",
    )


def _add_strict_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on any warning: strict front matter, strict Liquid variables and filters "
        "(exit 2: configuration, 3: content, 4: template)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pykyll", description="Jekyll, in Python: builds the same _site from the same repo."
    )
    parser.add_argument("-v", "--version", action="version", version=f"pykyll {__version__}")
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", aliases=["b"], help="build your site")
    _add_build_options(build)
    _add_strict_option(build)
    add_serve_parser(commands, _add_build_options)
    doctor = commands.add_parser(
        "doctor",
        aliases=["hyde"],
        help="search the site for problems: Jekyll's doctor checks and pykyll's (exit 1 if any)",
    )
    _add_site_options(doctor)
    doctor.add_argument("-b", "--baseurl", help="serve the website from the given base URL")
    check = commands.add_parser(
        "check",
        help="build the site, then check its links, anchors, images, scripts and stylesheets "
        "(exit 1 if any leads nowhere)",
    )
    _add_build_options(check)
    check.add_argument(
        "--skip-build", action="store_true", help="check the destination as it is, do not build"
    )
    check.add_argument(
        "--external", action="store_true", help="also fetch external links (default: list them)"
    )
    check.add_argument(
        "--timeout", type=float, default=5.0, help="seconds to wait for an external link"
    )
    check.add_argument("--format", choices=["text", "json"], default="text", help="report format")
    clean = commands.add_parser(
        "clean", help="clean the site (removes site output and metadata file)"
    )
    _add_site_options(clean)
    new = commands.add_parser(
        "new", help="create a new academic homepage (theme pykyll-academic) in PATH"
    )
    new.add_argument("path", help="where to create the site: a new or empty folder")
    new.add_argument("-q", "--quiet", action="store_true", help="silence output")
    new.add_argument("-V", "--verbose", action="store_true", help="print verbose output")
    new.add_argument("-t", "--trace", action="store_true", help="show the full backtrace")
    _add_scholar_parser(commands)
    helper = commands.add_parser(
        "help", help="show the help message, optionally for a given command"
    )
    helper.add_argument("topic", nargs="?")
    return parser


def _add_scholar_parser(commands: Any) -> None:
    scholar = commands.add_parser("scholar", help="Google Scholar citation data for the site")
    actions = scholar.add_subparsers(dest="scholar_command", required=True)
    update = actions.add_parser(
        "update",
        help="write gs_data.json and gs_data_shieldsio.json as AcadHomepage's crawler does "
        "(needs: pip install 'pykyll[scholar]')",
    )
    update.add_argument(
        "--user",
        default=os.environ.get("GOOGLE_SCHOLAR_ID", ""),
        help="the Google Scholar ID (`user=` in the profile URL; default: $GOOGLE_SCHOLAR_ID)",
    )
    update.add_argument(
        "--out", default="google-scholar-stats", help="folder to write (default: %(default)s)"
    )
    update.add_argument("-q", "--quiet", action="store_true", help="silence output")
    update.add_argument("-V", "--verbose", action="store_true", help="print verbose output")
    update.add_argument("-t", "--trace", action="store_true", help="show the full backtrace")


def command_scholar(args: argparse.Namespace) -> int:
    from pykyll.scholar.update import update

    data_path, shields_path, data = update(args.user, Path(args.out))
    log.info("Scholar:", f"{data.get('name')}: {data.get('citedby', 0)} citations")
    log.info("", f"wrote {data_path} and {shields_path}")
    return 0


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
    if getattr(args, "strict", False):
        config["strict_front_matter"] = True
        liquid = config.get("liquid")
        config["liquid"] = {
            **(liquid if isinstance(liquid, dict) else {}),
            "strict_variables": True,
            "strict_filters": True,
        }
    log.source = source
    if "destination" not in overrides:
        destination = Path(str(config.get("destination") or "_site"))
        config["destination"] = str(
            destination if destination.is_absolute() else source / destination
        )
    return config


def build_configuration(args: argparse.Namespace) -> dict[str, Any]:
    config = _configure(args)
    config["serving"] = False  # Jekyll's build command sets it, so `site.serving` exists
    return config


def command_build(args: argparse.Namespace) -> int:
    from pykyll.site import build

    log.strict = bool(getattr(args, "strict", False))
    config = build_configuration(args)
    log.info("Source:", config["source"])
    log.info("Destination:", config["destination"])
    if config.get("incremental"):
        log.info("Incremental build:", "enabled")
    else:
        log.info("Incremental build:", "disabled. Enable with --incremental")
    log.info("Generating...")
    site, _stats, seconds = build(config, log)
    failure = log.strict_failure()  # warned after the build's own check (while writing)
    if failure is not None:
        raise failure
    if site.profiler is not None:
        print("\n" + site.profiler.table() + "\n")
    log.info("", f"done in {seconds:.3f} seconds.")
    if not args.watch:
        log.info("Auto-regeneration:", "disabled. Use --watch to enable.")
        return 0
    from pykyll.build_watch import watch_and_rebuild

    def rebuild() -> float:
        fresh = build_configuration(args)  # a changed _config.yml takes effect at once
        return build(fresh, log)[2]

    files = watched_config_files(Path(str(config["source"])), args.config)
    return watch_and_rebuild(config, files, rebuild, log)


def command_doctor(args: argparse.Namespace) -> int:
    from pykyll.doctor import diagnose, report

    findings = diagnose(_configure(args), log)
    report(findings, log)
    return 1 if findings else 0


def command_check(args: argparse.Namespace) -> int:
    stream = log._stream
    if args.format == "json":
        log._stream = sys.stderr  # stdout is the report
    try:
        return _check(args)
    finally:
        log._stream = stream


def _check(args: argparse.Namespace) -> int:
    from pykyll.checker import check_site
    from pykyll.log import Logger
    from pykyll.site import Site, build

    config = _configure(args)
    if args.skip_build:
        if not Path(config["destination"]).is_dir():
            raise PykyllError(
                f"There is no built site at {config['destination']}.",
                hint="run `pykyll build` first, or leave out --skip-build",
            )
        site = Site(config, Logger(level=QUIET))
        site.read()
        site.generate()
    else:
        log.info("Source:", config["source"])
        log.info("Destination:", config["destination"])
        log.info("Generating...")
        site, _stats, seconds = build(config, log)
        log.info("", f"done in {seconds:.3f} seconds.")
    report = check_site(site, external=args.external, timeout=args.timeout)
    if args.format == "json":
        print(report.to_json())
    else:
        print(report.to_text())
    for problem, _count in report.grouped():
        title = problem.title.capitalize()
        log.annotate_problem(title, problem.message, problem.source, problem.source_line)
    return 0 if report.ok else 1


def command_new(args: argparse.Namespace) -> int:
    from pykyll.scaffold import new_site

    path = Path(args.path)
    written = new_site(path)
    log.info("New site:", f"{len(written)} files written to {path.resolve()}")
    log.info("", "Next: fill in _config.yml, write _pages/about.md, then")
    log.info("", f"`cd {args.path}` and `pykyll serve`.")
    return 0


def command_clean(args: argparse.Namespace) -> int:
    from pykyll.resident.client import stop_resident

    config = _configure(args)
    source = Path(config["source"])
    stopped = stop_resident(str(source))
    if stopped is not None:
        log.info("Cleaner:", f"Stopped the resident build process ({stopped}).")
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


def _stop_on_sigterm() -> Any:
    """SIGTERM stops a build like Ctrl-C does, so the half-built staging folder is removed
    (the writer holds both signals back while it swaps the new site in)."""

    owner = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != owner:  # a forked worker (its pool stops it with SIGTERM): just die
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise KeyboardInterrupt("SIGTERM")

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, stop)


def command_serve(args: argparse.Namespace) -> int:
    from pykyll.server.devserver import command_serve as serve

    return serve(args)


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
    log.reset()
    commands = {
        "build": command_build,
        "b": command_build,
        "doctor": command_doctor,
        "hyde": command_doctor,
        "check": command_check,
        "clean": command_clean,
        "new": command_new,
        "scholar": command_scholar,
    }
    commands.update(dict.fromkeys(("serve", "server", "s"), command_serve))
    previous_handler = _stop_on_sigterm() if args.command in ("build", "b") else None
    try:
        return commands[args.command](args)
    except PykyllError as err:
        if args.trace:
            raise
        log.error("Error:", str(err))
        log.annotate_error(err)
        if not args.trace:
            log.error("", "Run with --trace to see the Python traceback.")
        return err.exit_code
    except KeyboardInterrupt as err:
        log.error(
            "Interrupted:",
            "the build was stopped; the destination holds the previous build "
            "(or, if the new one was already complete, the new one).",
        )
        return 143 if str(err) == "SIGTERM" else 130
    finally:
        log.flush()
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)


if __name__ == "__main__":
    sys.exit(main())
