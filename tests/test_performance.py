"""The speed machinery must never change a byte: the disk cache, the process pool and
incremental builds are checked against a plain serial build (no timing is asserted)."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sitecheck import ROOT, environment, load_module, tree_bytes

from pykyll.cli import _configure, make_parser
from pykyll.errors import PykyllError
from pykyll.log import log
from pykyll.site import Site, build

goldens = load_module("make_goldens", ROOT / "scripts" / "make_goldens.py")
make_site = load_module("make_site", ROOT / "benchmarks" / "make_site.py").make_site


def write(root: Path, found: dict[str, str]) -> None:
    for name, text in found.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run(
    src: Path, dest: Path, *args: str, jobs: int = 1, env: dict[str, str] | None = None
) -> Site:
    """Build like `pykyll build`, with `jobs` workers (and no size threshold)."""
    parallel = {"PYKYLL_JOBS": str(jobs), "PYKYLL_PARALLEL_MIN": "1"}
    log.warnings.clear()
    with environment(src, {**(env or {}), **parallel}):
        parsed = make_parser().parse_args(["build", "-s", str(src), "-d", str(dest), "-q", *args])
        site, _stats, _seconds = build(_configure(parsed), log)
    site.warned = list(log.warnings)  # type: ignore[attr-defined]
    return site


# -- serial, parallel, cached: the same bytes, on every compatibility site ---------------


@pytest.mark.parametrize("name", goldens.site_names())
def test_parallel_and_cached_builds_match_serial(name: str, tmp_path: Path) -> None:
    spec = goldens.load_spec(goldens.SITES / name)
    env = goldens.build_env(spec)
    serial_src, fast_src = tmp_path / "serial", tmp_path / "fast"
    for copy in (serial_src, fast_src):
        shutil.copytree(
            goldens.SITES / name,
            copy,
            symlinks=True,
            ignore=shutil.ignore_patterns(".pykyll-cache"),
        )
    outs = {k: tmp_path / k for k in ("serial_out", "cold_out", "warm_out")}
    for dest in outs.values():
        goldens.seed_destination(dest, spec)
    # (not `--disable-disk-cache`: the flag is a configuration key, which `site` shows)
    serial = run(serial_src, outs["serial_out"], *spec.args, env=env)
    reference = tree_bytes(outs["serial_out"])
    cold = run(fast_src, outs["cold_out"], *spec.args, jobs=2, env=env)
    assert tree_bytes(outs["cold_out"]) == reference
    assert cold.warned == serial.warned  # type: ignore[attr-defined]
    assert (fast_src / ".pykyll-cache").is_dir()
    # markdown from the cache, pages rendered in workers (the last build's records)
    warm = run(fast_src, outs["warm_out"], *spec.args, jobs=2, env=env)
    assert tree_bytes(outs["warm_out"]) == reference
    assert warm.warned == serial.warned  # type: ignore[attr-defined]
    run(fast_src, outs["warm_out"], *spec.args, "--incremental", jobs=2, env=env)
    assert tree_bytes(outs["warm_out"]) == reference
    assert not any(".pykyll-cache" in rel for rel in reference)


def test_benchmark_site_parallel_matches_serial(tmp_path: Path) -> None:
    make_site(150, tmp_path / "src")
    serial = run(tmp_path / "src", tmp_path / "serial", "--disable-disk-cache")
    assert serial.rendered_in_workers == 0
    parallel = run(tmp_path / "src", tmp_path / "parallel", "--disable-disk-cache", jobs=2)
    if parallel.rendered_in_workers == 0:
        pytest.skip(f"this process cannot fork workers (other threads: {threading.enumerate()})")
    assert parallel.rendered_in_workers > 140
    assert tree_bytes(tmp_path / "parallel") == tree_bytes(tmp_path / "serial")
    for _ in range(3):  # cold cache, then the last build's records
        again = run(tmp_path / "src", tmp_path / "again", jobs=2)
        assert again.rendered_in_workers > 140
        assert tree_bytes(tmp_path / "again") == tree_bytes(tmp_path / "serial")
        # what the workers read from the cache counts as used: a full build keeps it
        assert cached_entries(tmp_path / "src", "markdown") >= 140


def test_markdown_converted_ahead_in_workers(tmp_path: Path) -> None:
    """The serial loop (plugins, small sites) still converts markdown in workers first."""
    make_site(120, tmp_path / "src")
    site = run(tmp_path / "src", tmp_path / "out", "--disable-disk-cache")
    fresh = Site(site.config)
    fresh.reset()
    fresh.read()
    items = [*(d for c in fresh.collections.values() for d in c.docs), *fresh.pages]
    with environment(tmp_path / "src", {"PYKYLL_JOBS": "2", "PYKYLL_PARALLEL_MIN": "1"}):
        started = fresh.conversions.prefetch(items)
        fresh.conversions.finish()
    if started == 0:
        pytest.skip("this process cannot fork workers")
    assert fresh.conversions.parallel == started > 100
    converter = fresh.converter_for(".md")
    for item in items[:20]:
        if item.converter is converter and not item.render_with_liquid():
            expected = converter.convert(item.content, item.relative_path).output
            assert fresh.conversions.convert(converter, item.content, "x").output == expected


def cached_entries(src: Path, name: str) -> int:
    shards = (src / ".pykyll-cache" / name).glob("*.json")
    return sum(len(json.loads(p.read_text())["entries"]) for p in shards)


# -- the disk cache ----------------------------------------------------------------------

SITE = {
    "_config.yml": "title: T\ncollections:\n  notes:\n    output: true\n",
    "_layouts/default.html": "<main>{% include head.html %}{{ content }}</main>\n",
    "_includes/head.html": "<h1>{{ page.title }}</h1>",
    "_sass/_colors.scss": "$main: red;\n",
    "assets/main.scss": "---\n---\n@import 'colors';\nbody { color: $main; }\n",
    "index.md": '---\nlayout: default\ntitle: Home\n---\nHello *world* -- "quoted"\n',
    "_notes/a.md": "---\nlayout: default\ntitle: A\n---\nNote **A**\n",
}


def test_cache_hits_and_is_never_site_content(tmp_path: Path) -> None:
    write(tmp_path / "src", SITE)
    first = run(tmp_path / "src", tmp_path / "one")
    assert first.conversions.markdown.misses > 0
    assert list((tmp_path / "src" / ".pykyll-cache" / "markdown").glob("*.json"))
    second = run(tmp_path / "src", tmp_path / "two")
    assert second.conversions.markdown.misses == 0
    assert second.conversions.markdown.hits >= 2
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")
    assert not any("pykyll-cache" in rel for rel in tree_bytes(tmp_path / "two"))


def test_shards_of_the_older_layout_go_at_the_next_full_build(tmp_path: Path) -> None:
    write(tmp_path / "src", SITE)
    run(tmp_path / "src", tmp_path / "one")
    folder = tmp_path / "src" / ".pykyll-cache" / "markdown"
    shards = list(folder.glob("*.json"))
    assert shards and all(len(p.stem) == 1 for p in shards)
    (folder / "3f.json").write_text('{"pykyll": "0.1.0", "format": 1, "entries": {}}')
    (folder / "notes.json").write_text("{}")  # not a shard's name: left alone
    second = run(tmp_path / "src", tmp_path / "two")
    assert second.conversions.markdown.misses == 0
    assert not (folder / "3f.json").exists()
    assert (folder / "notes.json").exists()


def test_options_are_part_of_the_key(tmp_path: Path) -> None:
    write(tmp_path / "src", SITE)
    run(tmp_path / "src", tmp_path / "one")
    assert (
        "&ldquo;" in (tmp_path / "one" / "index.html").read_text()
        or "“" in (tmp_path / "one" / "index.html").read_text()
    )
    config = tmp_path / "src" / "_config.yml"
    config.write_text(config.read_text() + "kramdown:\n  smart_quotes: apos,apos,quot,quot\n")
    run(tmp_path / "src", tmp_path / "two")
    fresh = run(tmp_path / "src", tmp_path / "three", "--disable-disk-cache")
    assert fresh.conversions.markdown.hits == 0
    assert tree_bytes(tmp_path / "two") == tree_bytes(tmp_path / "three")
    assert tree_bytes(tmp_path / "two") != tree_bytes(tmp_path / "one")


def test_sass_partial_change_is_not_served_from_the_cache(tmp_path: Path) -> None:
    write(tmp_path / "src", SITE)
    run(tmp_path / "src", tmp_path / "out")
    assert "red" in (tmp_path / "out" / "assets" / "main.css").read_text()
    (tmp_path / "src" / "_sass" / "_colors.scss").write_text("$main: blue;\n")
    run(tmp_path / "src", tmp_path / "out")
    assert "blue" in (tmp_path / "out" / "assets" / "main.css").read_text()


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"",
        b"[1, 2, 3]",
        json.dumps({"pykyll": "0.0.0", "format": 1, "entries": {}}).encode(),
        b"\x80\x81\xff",
    ],
)
def test_corrupt_cache_is_ignored(tmp_path: Path, damage: bytes) -> None:
    write(tmp_path / "src", SITE)
    run(tmp_path / "src", tmp_path / "ref", "--disable-disk-cache")
    run(tmp_path / "src", tmp_path / "out")
    cache = tmp_path / "src" / ".pykyll-cache"
    damaged = [*cache.glob("*/*.json"), cache / "incremental.json"]
    assert len(damaged) > 3
    for path in damaged:
        path.write_bytes(damage)
    run(tmp_path / "src", tmp_path / "out")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "ref")
    run(tmp_path / "src", tmp_path / "out", "--incremental")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "ref")


def test_corrupt_entries_are_ignored(tmp_path: Path) -> None:
    write(tmp_path / "src", SITE)
    run(tmp_path / "src", tmp_path / "ref", "--disable-disk-cache")
    run(tmp_path / "src", tmp_path / "out")
    for path in (tmp_path / "src" / ".pykyll-cache").glob("*/*.json"):
        payload = json.loads(path.read_text())
        payload["entries"] = {key: [1, {"x": 2}] for key in payload["entries"]}
        path.write_text(json.dumps(payload))
    run(tmp_path / "src", tmp_path / "out")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "ref")


def test_disable_disk_cache_in_config(tmp_path: Path) -> None:
    write(
        tmp_path / "src",
        {**SITE, "_config.yml": SITE["_config.yml"] + "disable_disk_cache: true\n"},
    )
    run(tmp_path / "src", tmp_path / "out")
    assert not (tmp_path / "src" / ".pykyll-cache").exists()
    assert (tmp_path / "out" / "index.html").is_file()


def test_deleting_the_cache_is_safe(tmp_path: Path) -> None:
    write(tmp_path / "src", SITE)
    run(tmp_path / "src", tmp_path / "out")
    run(tmp_path / "src", tmp_path / "out")
    before = tree_bytes(tmp_path / "out")
    shutil.rmtree(tmp_path / "src" / ".pykyll-cache")
    run(tmp_path / "src", tmp_path / "out", "--incremental")
    assert tree_bytes(tmp_path / "out") == before


def test_reused_staging_folder_never_changes_the_old_site(tmp_path: Path) -> None:
    """The writer reuses the tree before the last one; files shared by hard links with
    the current site must be replaced, never written through."""
    write(tmp_path / "src", SITE)
    outputs = []
    for text in ("one", "two", "three", "two"):
        write(tmp_path / "src", {"index.md": f"---\nlayout: default\n---\n{text}\n"})
        run(tmp_path / "src", tmp_path / "out")
        outputs.append(tree_bytes(tmp_path / "out"))
        ref = tmp_path / f"ref-{len(outputs)}"
        run(tmp_path / "src", ref, "--disable-disk-cache")
        assert outputs[-1] == tree_bytes(ref)
    assert (tmp_path / "src" / ".pykyll-cache" / "spare-site").is_dir()
    write(tmp_path / "src", {"gone.md": "---\n---\nx\n"})
    run(tmp_path / "src", tmp_path / "out")
    (tmp_path / "src" / "gone.md").unlink()
    run(tmp_path / "src", tmp_path / "out")
    assert not (tmp_path / "out" / "gone.html").exists()


# -- incremental builds ------------------------------------------------------------------

BLOG: dict[str, str] = {
    "_config.yml": (
        "title: Blog\ntime: 2024-01-01 10:00:00\n"
        "collections:\n  papers:\n    output: true\n    permalink: /papers/:path/\n"
        "defaults:\n  - scope: {path: ''}\n    values: {layout: default}\n"
    ),
    "_layouts/default.html": (
        "<html>{% include nav.html %}<main>{{ content }}</main>"
        "<footer>{{ site.data.people.owner }}</footer></html>\n"
    ),
    "_layouts/paper.html": "---\nlayout: default\n---\n<article>{{ content }}</article>\n",
    "_layouts/bare.html": "<div>{{ content }}</div>\n",
    "_includes/nav.html": "<nav>{% for p in site.pages %}{{ p.title }} {% endfor %}</nav>",
    "_includes/card.html": "<b>{{ include.title }}</b>",
    "_data/people.yml": "owner: Ada\n",
    "_data/links.yml": "- a\n",
    "index.md": "---\ntitle: Home\n---\nWelcome.\n",
    "news.html": (
        "---\ntitle: News\n---\n{% for post in site.posts %}"
        "<li>{{ post.title }}: {{ post.excerpt }}</li>{% endfor %}\n"
    ),
    "papers.html": (
        "---\ntitle: Papers\nlayout: bare\n---\n"
        "{% for p in site.papers %}{% include card.html title=p.title %}{% endfor %}\n"
    ),
    "files.html": (
        "---\ntitle: Files\nlayout: bare\n---\n"
        "{% for f in site.static_files %}{{ f.path }} {{ f.modified_time }}{% endfor %}\n"
    ),
    "robots.txt": "User-agent: *\n",
    "_posts/2024-01-01-first.md": "---\ntitle: First\n---\nFirst post.\n\nMore text.\n",
    "_posts/2024-01-02-second.md": "---\ntitle: Second\n---\nSecond post.\n\nMore.\n",
    "_papers/p1.md": "---\ntitle: P1\nlayout: paper\n---\nPaper *one*.\n",
    "_papers/p2.md": "---\ntitle: P2\nlayout: paper\n---\nPaper *two*.\n",
}


def incremental_matches_full(tmp_path: Path, change: dict[str, str | None]) -> Site:
    """Build, change files, build `--incremental`; the result must equal a full build."""
    src, out = tmp_path / "src", tmp_path / "out"
    write(src, BLOG)
    run(src, out)
    for name, text in change.items():
        if text is None:
            (src / name).unlink()
        else:
            write(src, {name: text})
    site = run(src, out, "--incremental")
    ref = tmp_path / "ref"
    shutil.rmtree(ref, ignore_errors=True)
    run(src, ref, "--disable-disk-cache")
    assert tree_bytes(out) == tree_bytes(ref)
    return site


def rendered(site: Site) -> set[str]:
    return {Path(p).relative_to(site.source).as_posix() for p in site.tracker.rendered}


def everything(site: Site) -> set[str]:
    items = [*site.pages, *(d for c in site.collections.values() for d in c.docs)]
    return {Path(i.path).relative_to(site.source).as_posix() for i in items}


def test_incremental_body_edit_renders_the_document_and_its_excerpt_listing(
    tmp_path: Path,
) -> None:
    site = incremental_matches_full(
        tmp_path, {"_posts/2024-01-01-first.md": "---\ntitle: First\n---\nChanged.\n\nMore.\n"}
    )
    assert rendered(site) == {"_posts/2024-01-01-first.md", "news.html"}


def test_incremental_paper_edit_renders_only_the_paper(tmp_path: Path) -> None:
    site = incremental_matches_full(
        tmp_path, {"_papers/p2.md": "---\ntitle: P2\nlayout: paper\n---\nPaper **2**.\n"}
    )
    assert rendered(site) == {"_papers/p2.md"}


def test_incremental_layout_change(tmp_path: Path) -> None:
    site = incremental_matches_full(
        tmp_path,
        {"_layouts/paper.html": "---\nlayout: default\n---\n<section>{{ content }}</section>\n"},
    )
    assert rendered(site) == {"_papers/p1.md", "_papers/p2.md"}


def test_incremental_include_change(tmp_path: Path) -> None:
    site = incremental_matches_full(tmp_path, {"_includes/card.html": "<i>{{ include.title }}</i>"})
    assert rendered(site) == {"papers.html"}


def test_incremental_data_change(tmp_path: Path) -> None:
    site = incremental_matches_full(tmp_path, {"_data/people.yml": "owner: Grace\n"})
    assert "papers.html" not in rendered(site)  # its layout does not show site.data
    assert "index.md" in rendered(site)


def test_incremental_config_change_is_a_full_build(tmp_path: Path) -> None:
    site = incremental_matches_full(
        tmp_path, {"_config.yml": BLOG["_config.yml"].replace("title: Blog", "title: Other")}
    )
    assert rendered(site) == everything(site)


def test_incremental_collection_changes(tmp_path: Path) -> None:
    incremental_matches_full(tmp_path / "add", {"_papers/p3.md": "---\ntitle: P3\n---\nThree\n"})
    incremental_matches_full(tmp_path / "remove", {"_papers/p1.md": None})
    site = incremental_matches_full(
        tmp_path / "front", {"_papers/p1.md": "---\ntitle: Renamed\nlayout: paper\n---\nx\n"}
    )
    assert rendered(site) == everything(site)  # front matter: listings, order, URLs may change


def test_incremental_static_file_change(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src, BLOG)
    run(src, tmp_path / "out")
    time.sleep(0.01)
    write(src, {"robots.txt": "User-agent: bot\n"})
    site = run(src, tmp_path / "out", "--incremental")
    run(src, tmp_path / "ref", "--disable-disk-cache")
    assert rendered(site) == {"files.html"}
    assert (tmp_path / "out" / "robots.txt").read_text() == "User-agent: bot\n"
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "ref")


def test_incremental_static_rewrite_with_its_size_and_time(tmp_path: Path) -> None:
    """Same size, the old modification time given back: only the change time tells."""
    src = tmp_path / "src"
    write(src, BLOG)
    run(src, tmp_path / "out")
    robots = src / "robots.txt"
    times = os.stat(robots)
    robots.write_bytes(robots.read_bytes().swapcase())
    os.utime(robots, ns=(times.st_atime_ns, times.st_mtime_ns))
    run(src, tmp_path / "out", "--incremental")
    assert (tmp_path / "out" / "robots.txt").read_bytes() == robots.read_bytes()


def test_incremental_when_a_page_shows_other_content_is_full(tmp_path: Path) -> None:
    src = tmp_path / "src"
    listing = "---\ntitle: All\n---\n{% for p in site.papers %}{{ p.content }}{% endfor %}\n"
    write(src, {**BLOG, "all.html": listing})
    run(src, tmp_path / "out")
    write(src, {"_papers/p1.md": "---\ntitle: P1\nlayout: paper\n---\nNew *one*.\n"})
    site = run(src, tmp_path / "out", "--incremental")
    run(src, tmp_path / "ref", "--disable-disk-cache")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "ref")
    assert rendered(site) == everything(site)


def test_incremental_edit_that_starts_showing_other_content(tmp_path: Path) -> None:
    """The records are from the last build: a page that now shows other documents'
    content is found out after rendering, and the build becomes full."""
    site = incremental_matches_full(
        tmp_path,
        {
            "index.md": (
                "---\ntitle: Home\n---\n{% for p in site.papers %}{{ p.content }}{% endfor %}\n"
            )
        },
    )
    assert rendered(site) == everything(site)


def test_incremental_without_changes_renders_nothing(tmp_path: Path) -> None:
    site = incremental_matches_full(tmp_path, {})
    assert rendered(site) == set()


def test_incremental_restores_a_deleted_output(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src, BLOG)
    run(src, tmp_path / "out")
    (tmp_path / "out" / "papers" / "p1" / "index.html").unlink()
    site = run(src, tmp_path / "out", "--incremental")
    assert rendered(site) == {"_papers/p1.md"}
    run(src, tmp_path / "ref", "--disable-disk-cache")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "ref")


def test_incremental_twice_in_a_row(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src, BLOG)
    run(src, tmp_path / "out")
    for i in range(3):
        write(src, {"_papers/p1.md": f"---\ntitle: P1\nlayout: paper\n---\nEdit {i}\n"})
        site = run(src, tmp_path / "out", "--incremental")
        assert rendered(site) == {"_papers/p1.md"}
    write(src, {"_includes/nav.html": "<nav>changed</nav>"})
    site = run(src, tmp_path / "out", "--incremental")
    assert "_papers/p1.md" in rendered(site)  # its record survived the earlier builds
    run(src, tmp_path / "ref", "--disable-disk-cache")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "ref")


def test_incremental_reading_the_previous_payload_is_full(tmp_path: Path) -> None:
    """A page whose own Liquid shows `content` sees what the previous item left: when it
    is to be rendered again, the build is full; when it is not, it is left alone."""
    src = tmp_path / "src"
    leftover = "---\ntitle: Odd\n---\n[{{ content | size }}]\n"
    write(src, {**BLOG, "odd.md": leftover})
    run(src, tmp_path / "out")
    write(src, {"_papers/p2.md": "---\ntitle: P2\nlayout: paper\n---\nzz\n"})
    site = run(src, tmp_path / "out", "--incremental")
    assert rendered(site) == {"_papers/p2.md"}
    write(src, {"odd.md": leftover + "edited\n"})
    site = run(src, tmp_path / "out", "--incremental")
    assert rendered(site) == everything(site)
    run(src, tmp_path / "ref", "--disable-disk-cache")
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "ref")


# -- --profile ---------------------------------------------------------------------------


def test_profile_prints_jekylls_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pykyll.cli import main

    write(tmp_path / "src", SITE)
    assert (
        main(["build", "-s", str(tmp_path / "src"), "-d", str(tmp_path / "out"), "--profile"]) == 0
    )
    out = capsys.readouterr().out
    assert "Build Process Summary:" in out and "Site Render Stats:" in out
    assert "| PHASE      |" in out and "| TOTAL TIME |" in out
    rows = {line.split("|")[1].strip(): line for line in out.splitlines() if line.startswith("| ")}
    assert "_layouts/default.html" in rows
    assert "_includes/head.html" in rows  # includes are timed too, as in Jekyll
    assert rows["_includes/head.html"].split("|")[2].strip() == "2"  # count: index, note
    assert any(name.startswith("TOTAL (for ") for name in rows)


_REAL_RENDER_CHUNK: Any = None


def dying_render_chunk(indices: list[int]) -> Any:
    if 5 in indices:
        os._exit(1)  # as if the worker were killed
    return _REAL_RENDER_CHUNK(indices)


def test_a_lost_worker_does_not_hang_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    global _REAL_RENDER_CHUNK
    from pykyll import parallel

    make_site(100, tmp_path / "src")
    serial = tmp_path / "serial"
    run(tmp_path / "src", serial, "--disable-disk-cache")
    _REAL_RENDER_CHUNK = parallel._render_chunk
    monkeypatch.setattr(parallel, "_render_chunk", dying_render_chunk)
    site = run(tmp_path / "src", tmp_path / "out", "--disable-disk-cache", jobs=2)
    assert tree_bytes(tmp_path / "out") == tree_bytes(serial)
    assert site.rendered_in_workers < 100


# -- the garbage collector, includes, the order work goes out in ---------------------------


def test_the_read_site_is_frozen_only_while_it_renders(tmp_path: Path) -> None:
    import gc

    write(tmp_path / "src", SITE)
    run(tmp_path / "src", tmp_path / "out")
    assert gc.get_freeze_count() == 0
    (tmp_path / "src" / "_includes" / "head.html").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(PykyllError):
        run(tmp_path / "src", tmp_path / "out")
    assert gc.get_freeze_count() == 0  # a failed build unfreezes too


def test_a_site_built_again_reads_an_edited_include(tmp_path: Path) -> None:
    """Includes are read once per build (as Jekyll does), not once per site object: `serve`
    builds the same site again and again."""
    write(tmp_path / "src", SITE)
    site = run(tmp_path / "src", tmp_path / "out")
    include = tmp_path / "src" / "_includes" / "head.html"
    include.write_text("<h2>{{ page.title }}</h2>", encoding="utf-8")
    os.utime(include, ns=(1, 1))  # any time at all: the next build reads it
    site.process()
    assert "<h2>Home</h2>" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_pages_go_to_the_workers_first_a_few_at_a_time(tmp_path: Path) -> None:
    from pykyll.models import Page
    from pykyll.parallel import _PAGE_CHUNK, _chunks

    make_site(60, tmp_path / "src")
    site = run(tmp_path / "src", tmp_path / "out", "--disable-disk-cache")
    items = [*(d for c in site.collections.values() for d in c.docs), *site.pages]
    safe = [True] * len(items)
    safe[0] = False  # rendered here, at its turn
    chunks = _chunks(items, safe)
    pages = [i for i, item in enumerate(items) if isinstance(item, Page)]
    handed_out = [i for chunk in chunks for i in chunk]
    assert handed_out[: len(pages)] == pages
    assert all(len(c) <= _PAGE_CHUNK for c in chunks if isinstance(items[c[0]], Page))
    assert sorted(handed_out) == list(range(1, len(items)))
    for chunk in chunks:  # runs of neighbours, each all pages or all documents
        assert chunk == list(range(chunk[0], chunk[-1] + 1))
        assert len({isinstance(items[i], Page) for i in chunk}) == 1
