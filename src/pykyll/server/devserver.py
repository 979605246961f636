"""The development server behind `pykyll serve`: first build, HTTP and live reload servers,
the watch loop, and a clean stop on Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import signal
import socket
import ssl
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pykyll.config import jekyll_env, watched_config_files
from pykyll.errors import ConfigError
from pykyll.log import Logger, log
from pykyll.server.options import DEFAULT_LIVERELOAD_PORT

if TYPE_CHECKING:
    from aiohttp import web

    from pykyll.server.rebuild import BuildResult, Rebuilder


def _setting(args: argparse.Namespace, config: dict[str, Any], name: str, default: Any) -> Any:
    """A flag wins over the configuration key of the same name, which wins over the default."""
    value = getattr(args, name, None)
    if value is not None:
        return value
    value = config.get(name)
    return default if value is None else value


def format_url(ssl_enabled: bool, host: str, port: int, baseurl: str = "") -> str:
    address = f"[{host}]" if ":" in host else host
    return f"{'https' if ssl_enabled else 'http'}://{address}:{port}{baseurl}"


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as err:
        raise ConfigError(
            f"cannot listen on {format_url(False, host, port)}: {err.strerror or err}",
            hint="another server may be running there; choose another --port",
        ) from err


def command_serve(args: argparse.Namespace) -> int:
    from pykyll.cli import _configure

    if args.detach:
        raise ConfigError(
            "--detach is not supported by pykyll serve",
            hint="run it in the background with your shell (`pykyll serve &`) instead",
        )
    first = _configure(args)
    host = str(_setting(args, first, "host", "127.0.0.1"))
    port = int(_setting(args, first, "port", 4000))
    livereload = bool(_setting(args, first, "livereload", False))
    cert, key = _setting(args, first, "ssl_cert", None), _setting(args, first, "ssl_key", None)
    context: ssl.SSLContext | None = None
    if cert or key:
        if not (cert and key):
            raise ConfigError("--ssl-cert and --ssl-key must be given together")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        source = Path(args.source).resolve()
        try:
            context.load_cert_chain(source / str(cert), source / str(key))
        except (OSError, ssl.SSLError) as err:
            raise ConfigError(f"cannot load the SSL certificate or key: {err}") from err
    http_socket = _bind(host, port)
    port = http_socket.getsockname()[1]
    lr_socket: socket.socket | None = None
    lr_port: int | None = None
    if livereload:
        wanted = int(_setting(args, first, "livereload_port", DEFAULT_LIVERELOAD_PORT))
        if wanted == port:
            lr_port = port
        else:
            lr_socket = _bind(host, wanted)
            lr_port = lr_socket.getsockname()[1]

    def for_serving(config: dict[str, Any]) -> dict[str, Any]:
        config["watch"] = bool(args.watch)
        config["serving"] = True
        config["host"], config["port"] = host, port
        config["livereload"] = livereload
        if lr_port is not None:
            config["livereload_port"] = lr_port
        if jekyll_env() == "development":
            shown = "localhost" if host == "127.0.0.1" else host
            config["url"] = format_url(context is not None, shown, port)
        return config

    def load_config() -> dict[str, Any]:
        return for_serving(_configure(args))

    from pykyll.server.rebuild import Rebuilder

    first = for_serving(first)
    rebuilder = Rebuilder(
        load_config,
        log,
        initial=first,
        config_files=watched_config_files(Path(args.source).resolve(), args.config),
        trace=bool(args.trace),
    )
    server = DevServer(
        args,
        first,
        rebuilder,
        log,
        http_socket=http_socket,
        livereload_socket=lr_socket,
        livereload_port=lr_port,
        ssl_context=context,
    )
    return server.start()


class DevServer:
    """The running server: first build, HTTP and live reload sockets, the watch loop."""

    def __init__(
        self,
        args: argparse.Namespace,
        config: dict[str, Any],
        rebuilder: Rebuilder,
        logger: Logger,
        *,
        http_socket: socket.socket,
        livereload_socket: socket.socket | None = None,
        livereload_port: int | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.args = args
        self.config = config
        self.rebuilder = rebuilder
        self.logger = logger
        self.http_socket = http_socket
        self.livereload_socket = livereload_socket
        self.livereload_port = livereload_port
        self.ssl_context = ssl_context
        self.host, self.port = http_socket.getsockname()[:2]
        self.ignore = [g.strip() for g in (args.livereload_ignore or "").split(",") if g.strip()]
        self.min_delay = float(args.livereload_min_delay or 0)
        self._stop: asyncio.Event | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> int:
        from pykyll.server.app import Settings, normalize_baseurl
        from pykyll.server.livereload import BuildState, LiveReloadHub

        self.state = BuildState()
        self.hub = LiveReloadHub(self.state)
        first = self._first_build()
        config = self.rebuilder.config or self.config
        self.settings = Settings(
            root=Path(str(config.get("destination") or Path(self.args.source) / "_site")),
            baseurl=normalize_baseurl(config.get("baseurl")),
            livereload_port=self.livereload_port,
            show_dir_listing=bool(_setting(self.args, config, "show_dir_listing", False)),
            encoding=str(config.get("encoding") or "utf-8"),
            headers=_custom_headers(config),
        )
        if first is not None and not first.ok:
            self.state.error = first.error
        return asyncio.run(self._serve())

    def _first_build(self) -> BuildResult | None:
        rebuilder = self.rebuilder
        if self.args.skip_initial_build:
            self.logger.info("Build Warning:", "Skipping the initial build.")
            error = rebuilder.prepare()
            if error is None:
                return None
            from pykyll.server.rebuild import BuildResult

            return BuildResult(False, 0.0, error)
        config = self.config
        self.logger.info("Source:", str(config["source"]))
        self.logger.info("Destination:", str(config["destination"]))
        self.logger.info("Incremental build:", "enabled where provably equal to a full build")
        self.logger.info("Generating...")
        result = rebuilder.build(None)
        if result.ok:
            self.logger.info("", f"done in {result.seconds:.3f} seconds.")
        else:
            self.logger.error("", "the server runs anyway; fix the error to rebuild the site.")
        return result

    async def _serve(self) -> int:
        from aiohttp import web

        from pykyll.server.app import make_app

        loop = asyncio.get_running_loop()
        self._stop = stop = asyncio.Event()

        def request_stop() -> None:
            stop.set()
            for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C ends at once
                loop.remove_signal_handler(sig)

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, request_stop)
        same_port = self.livereload_port is not None and self.livereload_socket is None
        app = make_app(self.settings, self.state, self.hub, with_socket=same_port)
        runners: list[web.AppRunner] = [web.AppRunner(app, handle_signals=False, access_log=None)]
        await runners[0].setup()
        await web.SockSite(runners[0], self.http_socket, ssl_context=self.ssl_context).start()
        if self.livereload_socket is not None:
            runners.append(web.AppRunner(self.hub.app(), handle_signals=False, access_log=None))
            await runners[1].setup()
            await web.SockSite(
                runners[1], self.livereload_socket, ssl_context=self.ssl_context
            ).start()
        source = self.rebuilder.config["source"] if self.rebuilder.config else self.args.source
        if self.args.watch:
            self.logger.info("Auto-regeneration:", f"enabled for '{source}'")
        else:
            self.logger.info("Auto-regeneration:", "disabled. Use --watch to enable.")
        secure = self.ssl_context is not None
        if self.livereload_port is not None:
            self.logger.info(
                "LiveReload address:", format_url(secure, self.host, self.livereload_port)
            )
        address = format_url(secure, self.host, self.port, self.settings.baseurl) + "/"
        self.logger.info("Server address:", address)
        self.logger.info("Server running...", "press ctrl-c to stop.")
        self.logger.push()
        if self.args.open_url:
            import webbrowser

            loop.run_in_executor(None, webbrowser.open, address)
        watching = asyncio.create_task(self._watch(stop)) if self.args.watch else None
        try:
            await stop.wait()
        finally:
            self.logger.info("", "Shutting down the server...")
            if watching is not None:
                try:
                    await asyncio.wait_for(watching, timeout=30)
                except (TimeoutError, asyncio.CancelledError):
                    watching.cancel()
            await self.hub.close()
            for runner in reversed(runners):
                await runner.cleanup()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
        return 0

    def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()

    # -- watching and rebuilding -------------------------------------------------------------
    async def _watch(self, stop: asyncio.Event) -> None:
        from pykyll.server.watch import SourceFilter, changes, watch_roots

        while not stop.is_set():
            config = self.rebuilder.config or {}
            source = Path(str(config.get("source") or self.args.source)).resolve()
            dest = Path(str(config.get("destination") or source / "_site")).resolve()
            always = self.rebuilder.config_files
            watch_filter = SourceFilter(
                source, dest, exclude=config.get("exclude") or (), always=always
            )
            polling = bool(_setting(self.args, config, "force_polling", False))
            restart = False
            batches = changes(
                watch_roots(source, always), watch_filter, stop, force_polling=polling
            )
            try:
                async for paths in batches:
                    result = await self._rebuild(paths, source)
                    if result.config_reloaded:
                        restart = True  # the excludes or the destination may have changed
                        break
            finally:
                await batches.aclose()
            if not restart:
                return

    async def _rebuild(self, paths: set[Path], source: Path) -> BuildResult:
        loop = asyncio.get_running_loop()
        now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        self.logger.info("Regenerating:", f"{len(paths)} file(s) changed at {now}")
        for path in sorted(paths)[:10]:
            try:
                shown = path.relative_to(source).as_posix()
            except ValueError:
                shown = str(path)
            self.logger.info("", shown)
        if len(paths) > 10:
            self.logger.info("", f"...and {len(paths) - 10} more")

        def on_swap(changed: set[str]) -> None:  # from the build's watcher thread
            asyncio.run_coroutine_threadsafe(self.announce(changed, False), loop)

        # a configuration change may move the site: announce it only once settings follow
        early = None if paths & self.rebuilder.config_files else on_swap
        result = await loop.run_in_executor(None, self.rebuilder.build, paths, early)
        await self.after_build(result)
        return result

    async def after_build(self, result: BuildResult) -> None:
        """Report the build; tell the browsers unless the swap was already announced."""
        from pykyll.server.app import normalize_baseurl

        if not result.ok:
            self.logger.push()
            self.state.error = result.error
            await self.hub.broadcast({"type": "error", "message": result.error})
            return
        how = "incremental, " if result.incremental else ""
        count = len(result.changed)
        self.logger.info("", f"...done in {result.seconds:.3f} seconds ({how}{count} changed).")
        self.logger.push()
        config = self.rebuilder.config or {}
        if result.config_reloaded:
            self.settings.root = Path(str(config["destination"]))
            self.settings.baseurl = normalize_baseurl(config.get("baseurl"))
            self.settings.headers = _custom_headers(config)
            self.settings.encoding = str(config.get("encoding") or "utf-8")
        if not result.announced:
            await self.announce(result.changed, result.config_reloaded)

    async def announce(self, changed_outputs: set[str], force: bool) -> None:
        """A reload, a stylesheet swap, or nothing if no output changed."""
        was_error = self.state.error is not None
        self.state.error = None
        changed = {p for p in changed_outputs if not self._ignored(p)}
        if not changed and not was_error and not force:
            return
        self.state.build += 1
        if self.min_delay > 0:
            await asyncio.sleep(self.min_delay)
        css_only = bool(changed) and all(p.endswith((".css", ".css.map")) for p in changed)
        kind = "css" if css_only and not was_error else "reload"
        await self.hub.broadcast({"type": kind, "build": self.state.build})

    def _ignored(self, output: str) -> bool:
        import fnmatch

        return any(fnmatch.fnmatch(output, glob) for glob in self.ignore)


def _custom_headers(config: dict[str, Any]) -> dict[str, str]:
    """`webrick: headers:` of `_config.yml`, as Jekyll applies them to every response."""
    webrick = config.get("webrick")
    headers = webrick.get("headers") if isinstance(webrick, dict) else None
    if not isinstance(headers, dict):
        return {}
    return {str(k): str(v) for k, v in headers.items() if v is not None}


__all__ = ["DevServer", "command_serve"]
