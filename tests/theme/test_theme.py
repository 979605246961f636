"""The packaged theme pykyll-academic: pages written for AcadHomepage and academicpages."""

from __future__ import annotations

import re
from pathlib import Path

from pykyll.cli import main
from pykyll.theme import find_theme

THEME = Path(__file__).resolve().parents[2] / "src" / "pykyll" / "themes" / "academic"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_theme_is_installed_under_its_name() -> None:
    theme = find_theme("pykyll-academic")
    assert theme is not None, "pip install -e . registers the entry point"
    assert theme.root == THEME.resolve()
    for folder in ("_layouts", "_includes", "_sass", "assets"):
        assert (theme.root / folder).is_dir()


def test_academicpages_config_and_page(tmp_path: Path) -> None:
    """academicpages writes user names, a bare avatar file name and `layout: single`."""
    src, out = tmp_path / "src", tmp_path / "out"
    write(
        src,
        {
            "_config.yml": (
                "theme: pykyll-academic\n"
                "author:\n"
                "  name: Grace\n  avatar: profile.png\n  pronouns: she/her\n"
                '  github: "grace"\n  linkedin: "grace-h"\n  twitter: "grace_h"\n'
                '  orcid: "https://orcid.org/0000-0001-2345-6789"\n'
                '  researchgate: "https://www.researchgate.net/profile/Grace"\n'
                '  dblp: "12/3456"\n  email: "grace@example.edu"\n'
                '  googlescholar: "https://scholar.google.com/citations?user=G"\n'
            ),
            "_data/navigation.yml": "main:\n  - title: Publications\n    url: /publications/\n",
            "_pages/about.md": (
                "---\npermalink: /\ntitle: About me\nlayout: single\nauthor_profile: true\n---\n"
                "Hello.\n"
            ),
            "images/profile.png": "png",
        },
    )
    write(src, {"_config.yml": (src / "_config.yml").read_text() + "include: [_pages]\n"})
    assert main(["build", "--strict", "-q", "-s", str(src), "-d", str(out)]) == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<h1 class="page__title">About me</h1>' in html
    assert "<title>About me · </title>" in html or "<title>About me" in html
    assert 'src="/images/profile.png"' in html
    assert "she/her" in html
    hrefs = set(re.findall(r'href="([^"]+)"', html))
    for href in (
        "https://github.com/grace",
        "https://www.linkedin.com/in/grace-h",
        "https://x.com/grace_h",
        "https://orcid.org/0000-0001-2345-6789",
        "https://www.researchgate.net/profile/Grace",
        "https://dblp.org/pid/12/3456",
        "mailto:grace@example.edu",
        "https://scholar.google.com/citations?user=G",
        "/publications/",
    ):
        assert href in hrefs, href
    # every link icon is inline SVG: no icon font, nothing fetched from a CDN
    assert html.count('<svg class="icon') >= 8
    assert not re.search(r'src="https?:|<link[^>]*href="https?:', html)
    assert "<aside" in html and "<main" in html and "<nav" in html


def test_pages_without_author_profile_have_no_sidebar(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write(
        src,
        {
            "_config.yml": "theme: pykyll-academic\n",
            "cv.md": "---\nlayout: default\n---\n# CV\n",
        },
    )
    assert main(["build", "--strict", "-q", "-s", str(src), "-d", str(out)]) == 0
    html = (out / "cv.html").read_text(encoding="utf-8")
    assert "<aside" not in html and '<h1 id="cv">CV</h1>' in html


def test_stylesheet_has_dark_print_and_focus_rules_and_no_remote_urls(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write(src, {"_config.yml": "theme: pykyll-academic\n"})
    assert main(["build", "-q", "-s", str(src), "-d", str(out)]) == 0
    css = (out / "assets/css/main.css").read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media print" in css
    assert ":focus-visible" in css
    assert not re.search(r"""url\(\s*["']?https?:|@import\s+(url\()?["']?https?:""", css)
    # the site's _sass/_custom.scss replaces the theme's empty one, last in main.css
    write(src, {"_sass/_custom.scss": ".mine { color: red; }\n"})
    assert main(["build", "-q", "-s", str(src), "-d", str(out)]) == 0
    css = (out / "assets/css/main.css").read_text(encoding="utf-8")
    assert css.index(".mine") > css.index("@media print")


def test_theme_javascript_is_only_the_optional_refresh() -> None:
    scripts = list((THEME / "assets").rglob("*.js"))
    assert [p.name for p in scripts] == ["scholar.js"]
    text = scripts[0].read_text(encoding="utf-8")
    assert "jQuery" not in text and "$(" not in text


def test_academicpages_publications_collection(tmp_path: Path) -> None:
    """academicpages' publications page: a collection listed with archive-single.html."""
    src, out = tmp_path / "src", tmp_path / "out"
    write(
        src,
        {
            "_config.yml": (
                "theme: pykyll-academic\nauthor:\n  name: Grace\n"
                "collections:\n  publications:\n    output: true\n"
                "    permalink: /:collection/:path/\n"
                "defaults:\n  - scope: {path: '', type: publications}\n"
                "    values: {layout: single, author_profile: true}\n"
            ),
            "_publications/2024-01-01-paper.md": (
                "---\ntitle: A Paper\ncollection: publications\ndate: 2024-01-01\n"
                "venue: Journal of Things\nexcerpt: It is about things.\n"
                "citation: 'Grace. (2024). A Paper.'\npaperurl: 'https://example.org/p.pdf'\n"
                "---\nThe paper.\n"
            ),
            "publications.md": (
                "---\nlayout: archive\ntitle: Publications\npermalink: /publications/\n"
                "author_profile: true\n---\n{% include base_path %}\n"
                "{% for post in site.publications reversed %}{% include archive-single.html %}"
                "{% endfor %}\n"
            ),
        },
    )
    assert main(["build", "-q", "-s", str(src), "-d", str(out)]) == 0
    html = (out / "publications/index.html").read_text(encoding="utf-8")
    assert '<a href="/publications/2024-01-01-paper/" rel="permalink">A Paper</a>' in html
    assert "Published in <i>Journal of Things</i>, 2024" in html
    assert "It is about things." in html
    assert '<a href="https://example.org/p.pdf">Download Paper</a>' in html
    assert "<aside" in html
    paper = (out / "publications/2024-01-01-paper/index.html").read_text(encoding="utf-8")
    assert '<h1 class="page__title">A Paper</h1>' in paper and "<aside" in paper
