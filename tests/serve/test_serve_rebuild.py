"""The Rebuilder: full builds, configuration reloads, and the incremental path proved equal
to a full build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sitecheck import tree_bytes

from pykyll.cli import _configure, make_parser
from pykyll.log import Logger
from pykyll.server.rebuild import Rebuilder

from .conftest import make_site, write


def configure(site: Path, dest: Path) -> dict[str, Any]:
    return _configure(make_parser().parse_args(["build", "-s", str(site), "-d", str(dest)]))


def rebuilder_for(site: Path, dest: Path) -> Rebuilder:
    quiet = Logger(level=0)
    return Rebuilder(lambda: configure(site, dest), quiet, config_files=[site / "_config.yml"])


def full_build(site: Path, dest: Path) -> dict[str, bytes]:
    result = rebuilder_for(site, dest).build(None)
    assert result.ok, result.error
    return tree_bytes(dest)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, Rebuilder]:
    site = make_site(tmp_path)
    dest = tmp_path / "served"
    rebuilder = rebuilder_for(site, dest)
    assert rebuilder.build(None).ok
    return site, dest, rebuilder


def test_incremental_page_equals_full_build(built: Any, tmp_path: Path) -> None:
    site, dest, rebuilder = built
    before = tree_bytes(dest)
    write(site / "about.md", "---\nlayout: default\ntitle: About\n---\nAbout page, *edited*.\n")
    result = rebuilder.build({site / "about.md"})
    assert result.ok and result.incremental
    assert result.changed == {"about.html"}
    after = tree_bytes(dest)
    assert b"<em>edited</em>" in after["about.html"]
    assert {k for k in after if after[k] != before.get(k)} == {"about.html"}
    assert after == full_build(site, tmp_path / "fresh")
    # and again: a second edit of the same page stays incremental and equal
    write(site / "about.md", "---\nlayout: default\ntitle: About\n---\nThird *take*.\n")
    result = rebuilder.build({site / "about.md"})
    assert result.incremental
    assert tree_bytes(dest) == full_build(site, tmp_path / "fresh2")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (
            {
                "listing.md": "---\nlayout: default\n---\n"
                "{% for p in site.pages %}{{ p.title }}{% endfor %}\n"
            },
            "a page lists site.pages",
        ),
        (
            {"inc.md": "---\nlayout: default\n---\n{% include_relative about.md %}\n"},
            "another page includes about.md",
        ),
        (
            {
                "dyn.md": "---\nlayout: default\nf: x.md\n---\n"
                "{% include_relative {{ page.f }} %}\n",
                "x.md": "x\n",
            },
            "a computed include_relative",
        ),
        ({"stamp.md": "---\nlayout: default\n---\nBuilt {{ site.time }}\n"}, "site.time is shown"),
        (
            {"htmlp.md": "---\nlayout: default\n---\n{{ site.html_pages | size }}\n"},
            "a page counts site.html_pages",
        ),
    ],
)
def test_full_build_when_another_output_may_change(
    built: Any, tmp_path: Path, change: dict[str, str], why: str
) -> None:
    site, dest, rebuilder = built
    for name, text in change.items():
        write(site / name, text)
    assert rebuilder.build({site / name for name in change}).ok
    write(site / "about.md", (site / "about.md").read_text() + "\nMore.\n")
    result = rebuilder.build({site / "about.md"})
    assert result.ok and not result.incremental, why
    assert tree_bytes(dest) == full_build(site, tmp_path / "fresh") or "stamp.md" in change


def test_front_matter_change_is_a_full_build(built: Any, tmp_path: Path) -> None:
    site, dest, rebuilder = built
    write(site / "about.md", "---\nlayout: default\ntitle: Renamed\n---\nAbout page.\n")
    result = rebuilder.build({site / "about.md"})
    assert result.ok and not result.incremental
    assert tree_bytes(dest) == full_build(site, tmp_path / "fresh")


def test_posts_and_layouts_rebuild_fully(built: Any, tmp_path: Path) -> None:
    site, dest, rebuilder = built
    write(site / "_posts" / "2024-01-02-news.md", "---\nlayout: default\n---\nNews.\n")
    result = rebuilder.build({site / "_posts" / "2024-01-02-news.md"})
    assert result.ok and not result.incremental
    assert "2024/01/02/news.html" in result.changed
    write(
        site / "_layouts" / "default.html", "<html><head></head><body>{{ content }}!</body></html>"
    )
    result = rebuilder.build({site / "_layouts" / "default.html"})
    assert result.ok and not result.incremental and "about.html" in result.changed
    assert tree_bytes(dest) == full_build(site, tmp_path / "fresh")


def test_config_change_reloads_and_errors_keep_the_old_site(built: Any) -> None:
    site, dest, rebuilder = built
    write(site / "_config.yml", "title: New title\n")
    result = rebuilder.build({site / "_config.yml"})
    assert result.ok and result.config_reloaded
    assert b"New title" in (dest / "index.html").read_bytes()
    write(site / "_config.yml", "title: [unclosed\n")
    result = rebuilder.build({site / "_config.yml"})
    assert not result.ok and result.error and "_config.yml" in result.error
    assert b"New title" in (dest / "index.html").read_bytes()
    write(site / "_config.yml", "title: Fixed\n")
    result = rebuilder.build({site / "_config.yml"})
    assert result.ok and b"Fixed" in (dest / "index.html").read_bytes()


def test_listing_posts_does_not_block_page_edits(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(
        site / "news.md",
        "---\nlayout: default\n---\n"
        "{% for p in site.posts %}{{ p.title }} {{ p.content }}{% endfor %}\n",
    )
    write(
        site / "_posts" / "2024-01-02-hi.md",
        "---\nlayout: default\ntitle: Hi\n---\nHello *news*.\n",
    )
    dest = tmp_path / "served"
    rebuilder = rebuilder_for(site, dest)
    assert rebuilder.build(None).ok
    write(site / "about.md", "---\nlayout: default\ntitle: About\n---\nAbout, again.\n")
    result = rebuilder.build({site / "about.md"})
    assert result.ok and result.incremental
    assert tree_bytes(dest) == full_build(site, tmp_path / "fresh")


def test_links_and_static_files_take_the_fast_path(built: Any, tmp_path: Path) -> None:
    site, dest, rebuilder = built
    write(site / "links.md", "---\nlayout: default\n---\n[about]({% link about.md %})\n")
    assert rebuilder.build({site / "links.md"}).ok
    write(site / "about.md", "---\nlayout: default\ntitle: About\n---\nLinked, edited.\n")
    result = rebuilder.build({site / "about.md"})
    assert result.ok and result.incremental and result.changed == {"about.html"}
    write(site / "css" / "site.css", "body { color: green; }\n")
    result = rebuilder.build({site / "css" / "site.css"})
    assert result.ok and result.incremental and result.changed == {"css/site.css"}
    assert tree_bytes(dest) == full_build(site, tmp_path / "fresh")
    # a static file that gains front matter becomes a page: full build
    write(site / "css" / "site.css", "---\n---\nbody { color: {{ 'blue' }}; }\n")
    result = rebuilder.build({site / "css" / "site.css"})
    assert result.ok and not result.incremental
    assert (dest / "css" / "site.css").read_text() == "body { color: blue; }\n"


def test_documents_rerender_with_their_listing_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "_config.yml", "title: T\ncollections:\n  papers:\n    output: true\n")
    write(
        site / "papers.md",
        "---\nlayout: default\n---\n{% for p in site.papers %}<h2>{{ p.title }}</h2>"
        "{{ p.content }}{{ p.excerpt }}{% endfor %}"
        "{% for p in site.posts %}{{ p.url }}{% endfor %}\n",
    )
    write(site / "_papers" / "a.md", "---\nlayout: default\ntitle: A\n---\nPaper *A*.\n\nMore.\n")
    write(site / "_papers" / "b.md", "---\nlayout: default\ntitle: B\n---\nPaper B.\n")
    write(site / "_posts" / "2024-01-02-hi.md", "---\nlayout: default\ntitle: Hi\n---\nNews.\n")
    dest = tmp_path / "served"
    rebuilder = rebuilder_for(site, dest)
    assert rebuilder.build(None).ok
    before = tree_bytes(dest)
    write(site / "_papers" / "a.md", "---\nlayout: default\ntitle: A\n---\nPaper *A2*.\n\nMore.\n")
    result = rebuilder.build({site / "_papers" / "a.md"})
    assert result.ok and result.incremental
    assert result.changed == {"papers/a.html", "papers.html"}
    after = tree_bytes(dest)
    assert b"<em>A2</em>" in after["papers.html"] and b"<em>A2</em>" in after["papers/a.html"]
    assert {k for k in after if after[k] != before.get(k)} == {"papers/a.html", "papers.html"}
    assert after == full_build(site, tmp_path / "fresh")
    # a post: only its own page (papers.md reads site.posts: it is re-rendered too)
    write(site / "_posts" / "2024-01-02-hi.md", "---\nlayout: default\ntitle: Hi\n---\nNews 2.\n")
    result = rebuilder.build({site / "_posts" / "2024-01-02-hi.md"})
    assert result.ok and result.incremental
    assert tree_bytes(dest) == full_build(site, tmp_path / "fresh2")


@pytest.mark.parametrize(
    "template",
    [
        "{{ page.next.title }}",
        "{% if page.previous %}prev{% endif %}",
        "{% for p in site.related_posts %}{{ p.title }}{% endfor %}",
        "{{ site.time }}",
        "{% for p in site.pages %}{{ p.content }}{% endfor %}",
    ],
)
def test_documents_rebuild_fully_when_neighbours_or_pages_show(
    tmp_path: Path, template: str
) -> None:
    site = make_site(tmp_path)
    write(site / "_posts" / "2024-01-02-a.md", "---\nlayout: default\ntitle: A\n---\nA.\n")
    write(site / "_posts" / "2024-01-03-b.md", "---\nlayout: post\ntitle: B\n---\nB.\n")
    write(
        site / "_layouts" / "post.html", "---\nlayout: default\n---\n" + template + "{{ content }}"
    )
    dest = tmp_path / "served"
    rebuilder = rebuilder_for(site, dest)
    assert rebuilder.build(None).ok
    write(site / "_posts" / "2024-01-02-a.md", "---\nlayout: default\ntitle: A\n---\nA, edited.\n")
    result = rebuilder.build({site / "_posts" / "2024-01-02-a.md"})
    assert result.ok and not result.incremental
    if "site.time" not in template:
        assert tree_bytes(dest) == full_build(site, tmp_path / "fresh")


def test_a_document_listed_by_a_document_rebuilds_fully(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "_config.yml", "title: T\ncollections:\n  papers:\n    output: true\n")
    write(site / "_papers" / "a.md", "---\nlayout: default\n---\nA.\n")
    write(
        site / "_papers" / "list.md",
        "---\n---\n{% for p in site.papers %}{{ p.content }}{% endfor %}",
    )
    dest = tmp_path / "served"
    rebuilder = rebuilder_for(site, dest)
    assert rebuilder.build(None).ok
    write(site / "_papers" / "a.md", "---\nlayout: default\n---\nA, edited.\n")
    result = rebuilder.build({site / "_papers" / "a.md"})
    assert result.ok and not result.incremental
    assert tree_bytes(dest) == full_build(site, tmp_path / "fresh")
