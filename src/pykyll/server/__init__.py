"""`pykyll serve` (aliases `server`, `s`): build, serve `_site`, rebuild on change, live reload.

The command line follows `jekyll serve` (every build flag plus Jekyll's 13 serve flags).
The HTTP server is aiohttp (`app.py`), the watcher watchfiles (`watch.py`), builds go
through a `Rebuilder` (`rebuild.py`) on a worker thread so the old site stays served while
the new one is built, and the browser is told over a WebSocket (`livereload.py`).

Importing this package costs nothing: `options.py` (the flags) is all `pykyll build` needs,
and `devserver.py` (asyncio, aiohttp, watchfiles) is imported only when serving.
"""
