"""`pykyll doctor`: Jekyll's checks with Jekyll's messages (as `jekyll doctor` 4.3.1 prints
them for the same sites), pykyll's own checks, exit 1 when anything is found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .sites import page, write_site

Run = Callable[..., tuple[int, str, str]]


def test_healthy_site(tmp_path: Path, run: Run) -> None:
    site = write_site(
        tmp_path,
        {
            "index.md": page("{% include note.html %}\n"),
            "_includes/note.html": "<p>note</p>\n",
        },
    )
    code, out, err = run(site, "doctor")
    assert code == 0, err
    assert "Your test results are in. Everything looks fine." in out
    assert not (site / "_site").exists(), "doctor does not build"


def test_url_conflict_as_jekyll_prints_it(tmp_path: Path, run: Run) -> None:
    site = write_site(
        tmp_path,
        {"a.md": page("A\n", permalink="/a.html"), "a.html": "---\n---\nA2\n"},
    )
    code, out, err = run(site, "doctor", github=True)
    assert code == 1
    # jekyll doctor, same site:
    #           Conflict: The following destination is shared by multiple files.
    #                     The written file may end up with unexpected contents.
    #                     /…/_site/a.html
    #                      - a.html
    #                      - a.md
    lines = [line.strip() for line in err.splitlines()]
    start = lines.index("Conflict: The following destination is shared by multiple files.")
    assert lines[start + 1 : start + 5] == [
        "The written file may end up with unexpected contents.",
        str(site / "_site" / "a.html"),
        "- a.html",
        "- a.md",
    ]
    assert "::warning file=a.md,title=Conflict::" in out


def test_urls_that_only_differ_by_case(tmp_path: Path, run: Run) -> None:
    site = write_site(
        tmp_path,
        {"One.md": page("1\n", permalink="/About/"), "two.md": page("2\n", permalink="/about/")},
    )
    code, _out, err = run(site, "doctor")
    assert code == 1
    dest = site / "_site"
    assert (
        "Warning: The following URLs only differ by case. On a case-insensitive file system one "
        "of the URLs will be overwritten by the other: "
        f"{dest}/About/index.html, {dest}/about/index.html"
    ) in err


def test_site_url(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, {"_config.yml": "title: x\n", "index.md": page("Hi\n")})
    code, _out, err = run(site, "doctor")
    assert code == 1
    assert (
        "Warning: You didn't set an URL in the config file, you may encounter problems with "
        "some plugins."
    ) in err
    assert (
        "Warning: Your site URL does not seem to be absolute, check the value of `url` in your "
        "config file."
    ) in err


def test_deprecated_configuration(tmp_path: Path, run: Run) -> None:
    config = 'url: "https://example.org"\nrelative_permalinks: true\npaginate: 2\ngems: []\n'
    site = write_site(tmp_path, {"_config.yml": config, "index.md": page("Hi\n")})
    code, out, err = run(site, "doctor", github=True)
    assert code == 1
    assert (
        "Deprecation: Your site still uses relative permalinks, which was removed in Jekyll v3.0.0."
    ) in err
    assert (
        "Deprecation: You appear to have pagination turned on, but you haven't included the "
        "`jekyll-paginate` gem."
    ) in err
    assert "Deprecation: The 'gems' configuration option has been renamed to 'plugins'." in err
    assert "::warning file=_config.yml,line=2,title=Deprecation::Your site still uses" in out


def test_posts_outside_collections_dir(tmp_path: Path, run: Run) -> None:
    config = 'url: "https://example.org"\ncollections_dir: my_collections\n'
    site = write_site(
        tmp_path,
        {"_config.yml": config, "index.md": page("Hi\n"), "_posts/2020-01-01-a.md": "---\n---\n"},
    )
    code, _out, err = run(site, "doctor")
    assert code == 1
    assert "Warning: Detected '_posts' directory outside custom `collections_dir`!" in err


def test_unavailable_plugin(tmp_path: Path, run: Run) -> None:
    config = 'url: "https://example.org"\nplugins:\n  - jekyll-feed\n  - jekyll-nonexistent\n'
    site = write_site(tmp_path, {"_config.yml": config, "index.md": page("Hi\n")})
    code, out, err = run(site, "doctor", github=True)
    assert code == 1
    assert "'jekyll-nonexistent' is listed in `plugins:` but pykyll does not have it" in err
    assert "jekyll-feed" not in err
    assert "::warning file=_config.yml,line=4,title=Plugin Warning::" in out
    assert err.count("jekyll-nonexistent") == 1, "reported once, not again by the reader"


def test_missing_layouts(tmp_path: Path, run: Run) -> None:
    site = write_site(
        tmp_path,
        {
            "index.md": page("Hi\n", title="Home", layout="home"),
            "_layouts/post.html": "---\nlayout: base\n---\n{{ content }}\n",
            "ok.md": page("Fine\n", layout="post"),
            "bare.md": page("No layout\n", layout="none"),
        },
    )
    code, out, err = run(site, "doctor", github=True)
    assert code == 1
    assert "Layout 'home' requested in index.md does not exist." in err
    assert "Layout 'base' requested in _layouts/post.html does not exist." in err
    assert "'none'" not in err
    assert "::warning file=index.md,line=2,title=Build Warning::Layout 'home'" in out
    assert "::warning file=_layouts/post.html,line=2,title=Build Warning::Layout 'base'" in out


def test_unused_includes(tmp_path: Path, run: Run) -> None:
    site = write_site(
        tmp_path,
        {
            "index.md": page("{% include used.html %}\n"),
            "_layouts/default.html": "<html>{%- include nav/menu.html -%}{{ content }}</html>\n",
            "_includes/used.html": "{% include nested.html %}",
            "_includes/nested.html": "n",
            "_includes/nav/menu.html": "m",
            "_includes/spare.html": "s",
        },
    )
    code, _out, err = run(site, "doctor")
    assert code == 1
    assert "_includes/spare.html is never included by a page, layout or include." in err
    for used in ("used.html", "nested.html", "menu.html"):
        assert f"{used} is never included" not in err


def test_unused_includes_not_judged_when_include_names_are_computed(
    tmp_path: Path, run: Run
) -> None:
    site = write_site(
        tmp_path,
        {
            "index.md": page("{% include {{ page.box }} %}\n", box="spare.html"),
            "_includes/spare.html": "s",
        },
    )
    code, _out, err = run(site, "doctor")
    assert code == 0, err


def test_links_without_baseurl(tmp_path: Path, run: Run) -> None:
    layout = (
        '<html>\n<a href="{{ "/" | relative_url }}">home</a>\n<a href="/about/">about</a>\n'
        '<img src="/blog/ok.png">\n{{ content }}</html>\n'
    )
    config = 'url: "https://example.org"\nbaseurl: /blog\n'
    site = write_site(
        tmp_path,
        {"_config.yml": config, "_layouts/default.html": layout, "index.md": page("Hi\n")},
    )
    code, _out, err = run(site, "doctor")
    assert code == 1
    assert "_layouts/default.html:3: '/about/' ignores the baseurl '/blog'" in err
    assert "ok.png" not in err
    # without a baseurl a root-relative link is fine
    code, _out, err = run(site, "doctor", "--baseurl", "")
    assert code == 0, err
