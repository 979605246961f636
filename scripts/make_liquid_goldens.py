#!/usr/bin/env python3
"""Render every Liquid snippet of tests/liquid/snippets.txt with real Jekyll.

Builds ONE Jekyll site: the fixture site tests/liquid/site (config, data, includes,
posts) plus generated pages `snip/pNN.html`, each holding many snippets between
markers and sharing the front matter of `tests/liquid/site/_snippet_page.yml`.
What Jekyll rendered between the markers is stored per snippet in
tests/liquid/goldens.json, with the Liquid warnings Jekyll printed for it.
Snippets that make Jekyll fail the build are isolated (one page each) and stored as
`{"error": message}`.

Usage: python scripts/make_liquid_goldens.py [--jekyll CMD] [--per-page N]
Needs Jekyll (the Debian jekyll 4.3.1 on Liquid 5.4.0 is the reference).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "liquid"))

from snippets import Snippet, load_snippets  # noqa: E402

SITE = ROOT / "tests" / "liquid" / "site"
GOLDENS = ROOT / "tests" / "liquid" / "goldens.json"
THEME_GOLDENS = ROOT / "tests" / "liquid" / "theme_goldens.json"
# fixture theme pages (layouts, includes, data) -> where Jekyll writes them
THEME_PAGES = {
    "theme/index.html": "theme/index.html",
    "theme/publications.html": "theme/publications/index.html",
}
START = "\u27e6S:{}\u27e7"
END = "\u27e6E:{}\u27e7"


def page_text(front_matter: str, snippets: list[Snippet]) -> tuple[str, dict[str, tuple[int, int]]]:
    """The page source and, per snippet, its first and last line in the page body."""
    body: list[str] = []
    lines: dict[str, tuple[int, int]] = {}
    line = 1
    for snip in snippets:
        text = START.format(snip.id) + snip.source + END.format(snip.id) + "\n"
        count = text.count("\n")
        lines[snip.id] = (line, line + count - 1)
        line += count
        body.append(text)
    return "---\n" + front_matter + "---\n" + "".join(body), lines


def build(jekyll: list[str], src: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true")
    return subprocess.run(
        [*jekyll, "build", "-s", str(src), "-d", str(dest), "--disable-disk-cache"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


_WARNING = re.compile(r"Liquid Warning: (.*?) in (snip/[\w.-]+)\s*$")
_LINE = re.compile(r"\(line (\d+)\)")
_FAILED_PAGE = re.compile(r"(?:Liquid Exception|Error):? .*? in (?:.*/)?(snip/[\w.-]+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jekyll", default="jekyll", help="command running Jekyll")
    parser.add_argument("--per-page", type=int, default=40)
    args = parser.parse_args()
    jekyll = args.jekyll.split()

    snippets = load_snippets()
    front_matter = (SITE / "_snippet_page.yml").read_text(encoding="utf-8")

    # page name -> snippets; starts with chunks, failing pages get split into singles
    pages: dict[str, list[Snippet]] = {}
    for i in range(0, len(snippets), args.per_page):
        pages[f"p{i // args.per_page:02d}"] = snippets[i : i + args.per_page]

    errors: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="liquid-goldens-") as tmp:
        src = Path(tmp) / "src"
        dest = Path(tmp) / "_site"
        shutil.copytree(SITE, src)
        while True:
            snipdir = src / "snip"
            for old in snipdir.glob("p*.html"):
                old.unlink()
            layout: dict[str, dict[str, tuple[int, int]]] = {}
            for name, group in pages.items():
                text, lines = page_text(front_matter, group)
                (snipdir / f"{name}.html").write_text(text, encoding="utf-8")
                layout[name] = lines
            result = build(jekyll, src, dest)
            log = _ANSI.sub("", result.stdout + result.stderr).replace(str(src), "SRC")
            if result.returncode == 0:
                # a top-level `break` stops the page: isolate the snippets of such pages
                cut = [
                    name
                    for name, group in pages.items()
                    if len(group) > 1
                    and END.format(group[-1].id)
                    not in (dest / "snip" / f"{name}.html").read_text(encoding="utf-8")
                ]
                if not cut:
                    break
                for name in cut:
                    for j, snip in enumerate(pages.pop(name)):
                        pages[f"{name}_{j:03d}"] = [snip]
                continue
            m = _FAILED_PAGE.search(log)
            if not m:
                print(log, file=sys.stderr)
                print("jekyll failed and no snippet page was named", file=sys.stderr)
                return 1
            failed = Path(m.group(1)).stem
            group = pages.pop(failed)
            if len(group) == 1:
                message = next(
                    (ln.strip() for ln in log.splitlines() if "Exception" in ln or "Error" in ln),
                    log.strip().splitlines()[-1],
                )
                errors[group[0].id] = message
                print(f"error: {group[0].id}: {message}", file=sys.stderr)
            else:
                for j, snip in enumerate(group):
                    pages[f"{failed}_{j:03d}"] = [snip]

        goldens: dict[str, dict[str, object]] = {}
        warnings: dict[str, list[str]] = {}
        for ln in log.splitlines():
            w = _WARNING.search(ln)
            if not w:
                continue
            page = Path(w.group(2)).stem
            lm = _LINE.search(w.group(1))
            for sid, (first, last) in layout.get(page, {}).items():
                if lm is None or first <= int(lm.group(1)) <= last:
                    warnings.setdefault(sid, []).append(_LINE.sub("(line N)", w.group(1)))
                    if lm is not None:
                        break
        for name, group in pages.items():
            html = (dest / "snip" / f"{name}.html").read_text(encoding="utf-8")
            for snip in group:
                start = html.index(START.format(snip.id)) + len(START.format(snip.id))
                end = html.find(END.format(snip.id), start)
                if end < 0:  # the snippet stopped the page (top-level break)
                    end = len(html)
                goldens[snip.id] = {
                    "page": f"snip/{name}.html",
                    "output": html[start:end],
                    "warnings": warnings.get(snip.id, []),
                }
        theme = {
            source: (dest / output).read_text(encoding="utf-8")
            for source, output in THEME_PAGES.items()
        }
        for sid, message in errors.items():
            goldens[sid] = {"page": "snip/error.html", "error": message}

    ordered = {s.id: goldens[s.id] for s in snippets if s.id in goldens}
    GOLDENS.write_text(
        json.dumps(ordered, ensure_ascii=False, indent=1, sort_keys=False) + "\n",
        encoding="utf-8",
    )
    THEME_GOLDENS.write_text(
        json.dumps(theme, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(ordered)} snippets ({len(errors)} errors) -> {GOLDENS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
