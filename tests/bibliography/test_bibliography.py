"""`{% bibliography %}`, `{% bibliography_count %}` and `{% paper_box %}` (the jekyll-scholar
plugin) on `site/`: a fictional researcher's 50-entry `.bib` file.

Expected selections are computed from the `.bib` text with a few regular expressions,
independently of pykyll's BibTeX reader; the structure of the pages is checked on a parsed
DOM (`_dom.py`).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from pykyll.cli import main

from ._dom import Element, parse

SITE = Path(__file__).with_name("site")
BIB = SITE / "_bibliography" / "papers.bib"
YEARS = ["2026", "2025", "2024", "2023", "2022", "2021", "2020"]


def _raw_entries() -> list[dict[str, str]]:
    """type, key and the simple `name = {value}` fields of each entry, by regex."""
    text = BIB.read_text(encoding="utf-8")
    entries = []
    for m in re.finditer(r"^@(\w+)\{([^,\s=]+),\n(.*?)\n\}", text, re.S | re.M):
        if m.group(1) == "string":
            continue
        fields = dict(re.findall(r"^\s+(\w+) = \{?(.*?)\}?,?$", m.group(3), re.M))
        fields.update(type=m.group(1), key=m.group(2))
        entries.append(fields)
    return entries


RAW = _raw_entries()


def build(source: Path, dest: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["build", "-s", str(source), "-d", str(dest)])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("bib") / "_site"
    assert main(["build", "-q", "-s", str(SITE), "-d", str(dest)]) == 0
    return dest


def page(site: Path, name: str) -> Element:
    return parse((site / name / "index.html").read_text(encoding="utf-8"))


def keys_in(el: Element) -> list[str]:
    return [e.get("id") or "" for e in el.find_all("div", cls="bib-entry")]


def test_the_fixture_has_fifty_entries() -> None:
    assert len(RAW) == 50
    assert len({e["key"] for e in RAW}) == 50


def test_grouped_by_year_newest_first(site: Path) -> None:
    doc = page(site, "publications")
    main_el = doc.find("main")
    headings = main_el.find_all("h2", cls="bibliography")
    assert [h.clean_text() for h in headings] == YEARS
    per_year = Counter(e["year"] for e in RAW)
    children = main_el.element_children()
    for heading in headings:
        following = children[children.index(heading) + 1]
        assert following.tag == "ol" and "bibliography" in following.classes
        items = following.element_children()
        assert all(li.tag == "li" for li in items)
        assert len(items) == per_year[heading.clean_text()]
    ids = keys_in(main_el)
    assert sorted(ids) == sorted(e["key"] for e in RAW)
    assert len(set(ids)) == 50
    assert "All 50 papers" in main_el.clean_text()


def test_sorted_by_year_then_month_descending(site: Path) -> None:
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    doc = page(site, "publications")
    heading = next(h for h in doc.find_all("h2", cls="bibliography") if h.clean_text() == "2023")
    children = heading.parent.element_children() if heading.parent else []
    ol = children[children.index(heading) + 1]
    in_2023 = [e for e in RAW if e["year"] == "2023"]
    dated = sorted(
        (e for e in in_2023 if "month" in e), key=lambda e: -(months.index(e["month"]) + 1)
    )
    undated = [e for e in in_2023 if "month" not in e]  # no month: last, in file order
    assert keys_in(ol) == [e["key"] for e in dated + undated]


def test_entry_like_al_folio(site: Path) -> None:
    doc = page(site, "publications")
    entry = doc.by_id("holloway2026token0")
    assert "bib-selected" in entry.classes
    badge = entry.find(cls="bib-abbr").find("a", cls="badge")
    assert badge.clean_text() == "CVPR"
    assert badge.get("href") == "https://cvpr.example.org/"  # _data/venues.yml
    assert "#00369f" in (badge.get("style") or "")
    assert entry.find(cls="title").clean_text() == "Token Pruning for Vision-language models"
    author = entry.find(cls="author")
    assert author.find("strong", cls="author-self").clean_text() == "Maren Holloway"
    assert "Ingrid Ødegård" in author.clean_text()
    assert entry.find(cls="periodical").clean_text() == (
        "In Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern "
        "Recognition, January 2026"
    )
    links = {a.clean_text(): a.get("href") for a in entry.find(cls="links").find_all("a")}
    assert links == {
        "arXiv": "https://arxiv.org/abs/2601.10000",
        "HTML": "https://example.org/papers/holloway2026token0.html",
        "PDF": "/assets/pdf/holloway2026token0.pdf",
        "Code": "https://github.com/example/holloway2026token0",
        "Website": "https://example.org/holloway2026token0/",
    }
    cites = entry.find("span", cls="show_paper_citations")
    assert cites.get("data") == "EXAMPLEAAAAJ:paper0"


def test_toggles_are_accessible_buttons(site: Path) -> None:
    doc = page(site, "publications")
    for raw in RAW:
        entry = doc.by_id(raw["key"])
        buttons = {b.clean_text(): b for b in entry.find_all("button", cls="btn")}
        assert ("Abs" in buttons) == ("abstract" in raw), raw["key"]
        assert ("Bib" in buttons) == (raw.get("bibtex_show") == "true"), raw["key"]
        for label, button in buttons.items():
            assert button.get("type") == "button"
            assert button.get("aria-label") == {"Abs": "Abstract", "Bib": "BibTeX"}[label]
            assert button.get("aria-expanded") == "false"
            panel = doc.by_id(button.get("aria-controls") or "")
            assert "hidden" in panel.attrs
            assert entry in _ancestors(panel)
    abstract = doc.by_id("holloway2026token0-abstract").clean_text()
    assert abstract.startswith("We study token pruning for vision-language models.")
    assert "2% faster than naïve baselines" in abstract


def _ancestors(el: Element) -> list[Element]:
    out = []
    node = el.parent
    while node is not None:
        out.append(node)
        node = node.parent
    return out


def test_bibtex_panel_is_the_entry_without_display_fields(site: Path) -> None:
    doc = page(site, "publications")
    code = doc.by_id("holloway2026token0-bibtex").find("code").text()
    assert code.startswith("@inproceedings{holloway2026token0,\n  title = {{Token Pruning}")
    assert "author = {Holloway, Maren and {\\O}deg{\\aa}rd, Ingrid}" in code
    assert "year = {2026}" in code and "month = {January}" in code
    for hidden in ("abstract", "pdf", "code =", "selected", "bibtex_show", "abbr", "preview"):
        assert hidden not in code, hidden
    assert code.rstrip().endswith("}")


def test_more_authors_truncation(site: Path) -> None:
    doc = page(site, "publications")
    # 8 authors, max_author_limit: 4 → 4 shown, "4 more authors"
    author = doc.by_id("holloway2024kvcache21").find(cls="author")
    shown = [c for c in author.element_children() if c.tag in ("span", "strong", "a")]
    button = author.find("button", cls="more-authors")
    assert button.clean_text() == "4 more authors"
    assert button.get("aria-expanded") == "false"
    hidden = doc.by_id(button.get("aria-controls") or "")
    assert "hidden" in hidden.attrs
    visible = [c for c in shown if c is not hidden]
    assert [c.clean_text() for c in visible] == [
        "Anaïs François",
        "Aoife Brennan",
        "Felix Weber",
        "Emre Göktaş",
    ]
    assert hidden.find("strong", cls="author-self").clean_text() == "M. Holloway"
    assert "Ingrid Ødegård" in hidden.clean_text()
    # three authors: all shown, "A, B, and C"
    three = doc.by_id("holloway2026tiny2").find(cls="author")
    assert three.clean_text() == "Emre Göktaş, Anaïs François, and Maren Holloway"
    assert not three.find_all("button")
    # `and others`
    others = doc.by_id("holloway2024early17").find(cls="author")
    assert others.clean_text().endswith("et al.")
    # a co-author from _data/coauthors.yml is a link
    link = doc.by_id("holloway2026kvcache1").find("a", cls="author-link")
    assert (link.clean_text(), link.get("href")) == ("Chidi Okafor", "https://chidi.example.org/")


def test_latex_in_titles_and_names_is_unicode(site: Path) -> None:
    doc = page(site, "publications")
    titles = {e.get("id"): e.find(cls="title").clean_text() for e in doc.find_all(cls="bib-entry")}
    assert titles["holloway2026layer3"] == (
        "Über-Efficient KV Caches: Schrödinger's Tokens — a Study"
    )
    assert titles["holloway2025mixtureofexperts8"] == (
        "Naïve Baselines and the α-Entmax Trick for Tiny Models"
    )
    tiny = doc.by_id("holloway2025tiny12").find(cls="title").text()
    assert tiny == "Écoute: Listening on a Budget in 256\u2009KB of RAM"
    emphasis = doc.by_id("holloway2025mixtureofexperts8").find(cls="title").find("em")
    assert emphasis.clean_text() == "Tiny"
    shown = doc.find_all(cls="title") + doc.find_all(cls="author") + doc.find_all(cls="abstract")
    text = " ".join(el.text() for el in shown + doc.find_all(cls="periodical"))
    for name in ("Jörg Müller", "María de la Cruz", "Émile Zola", "Tomáš Novák", "Łukasz"):
        assert name in text, name
    assert "\\" not in text and "{" not in text and "}" not in text


def test_selected_query(site: Path) -> None:
    doc = page(site, "selected")
    section = doc.find("section", cls="selected")
    assert not section.find_all("h2")
    expected = [e for e in RAW if e.get("selected") == "true"]
    expected.sort(key=lambda e: e["year"], reverse=True)
    assert sorted(keys_in(section)) == sorted(e["key"] for e in expected)
    years = [doc.by_id(k).find(cls="periodical").clean_text()[-4:] for k in keys_in(section)]
    assert years == sorted(years, reverse=True)


def test_type_and_comparison_queries(site: Path) -> None:
    doc = page(site, "queries")
    recent = doc.by_id("q-recent")
    expected = {e["key"] for e in RAW if e["type"] == "article" and int(e["year"]) >= 2024}
    assert set(keys_in(recent)) == expected and expected
    assert [h.clean_text() for h in recent.find_all("h2")] == ["2026", "2025", "2024"]

    cvpr = doc.by_id("q-cvpr")
    expected = {e["key"] for e in RAW if e["type"] == "inproceedings" and e.get("abbr") == "CVPR"}
    assert set(keys_in(cvpr)) == expected and expected
    assert not cvpr.find_all("h2")

    no_misc = doc.by_id("q-no-misc")
    ids = keys_in(no_misc)
    assert len(ids) == 5
    assert all(i.startswith("q-") for i in ids)  # --prefix q
    by_key = {e["key"]: e for e in RAW}
    assert all(by_key[i[2:]]["type"] != "misc" for i in ids)
    assert {by_key[i[2:]]["year"] for i in ids} == {"2026"}

    by_type = doc.by_id("q-by-type")
    names = [h.clean_text() for h in by_type.find_all("h2")]
    types_2026 = {e["type"] for e in RAW if e["year"] == "2026"}
    label = {
        "article": "Journal Articles",
        "inproceedings": "Conference Articles",
        "misc": "Miscellaneous",
        "techreport": "Technical Reports",
    }
    assert names == sorted(label[t] for t in types_2026)

    count = doc.by_id("count-recent").clean_text()
    assert count == str(sum(1 for e in RAW if int(e["year"]) >= 2024))


def test_paper_box_markup(site: Path) -> None:
    doc = page(site, "paperbox")
    boxes = doc.find_all("div", cls="paper-box")
    assert [b.get("id") for b in boxes] == ["holloway2026token0", "holloway2026layer3"]
    box = boxes[0]
    image, text = box.element_children()
    assert "paper-box-image" in image.classes and "paper-box-text" in text.classes
    figure = image.element_children()[0]
    assert figure.find(cls="badge").clean_text() == "CVPR"
    img = figure.find("img")
    assert img.get("src") == "/assets/img/publication_preview/holloway2026token0.png"
    assert img.get("alt") == "Token Pruning for Vision-language models"
    title = text.find("p", cls="title").find("a")
    assert title.get("href") == "https://example.org/papers/holloway2026token0.html"
    assert text.find("strong", cls="author-self").clean_text() == "Maren Holloway"
    cites = text.find("span", cls="show_paper_citations")
    assert cites.get("data") == "EXAMPLEAAAAJ:paper0"
    # an HTML page keeps AcadHomepage's markup as written
    raw = (site / "paperbox-raw" / "index.html").read_text(encoding="utf-8")
    assert "<div class='paper-box' id=\"holloway2025tiny12\"" in raw
    assert "<div class='paper-box-text' markdown=\"1\">" in raw
    parse(raw)  # well formed


def test_assets_are_written_and_linked_once(site: Path) -> None:
    html = (site / "queries" / "index.html").read_text(encoding="utf-8")
    assert html.count("pykyll-scholar.css") == 1 and html.count("pykyll-scholar.js") == 1
    script = (site / "assets" / "js" / "pykyll-scholar.js").read_text(encoding="utf-8")
    assert "aria-expanded" in script and "jQuery" not in script and "$(" not in script
    assert (site / "assets" / "css" / "pykyll-scholar.css").read_text().count(".bib-entry")


# -- errors ---------------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    source = tmp_path / "site"
    shutil.copytree(SITE, source)
    return source


def test_malformed_entry_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _copy(tmp_path)
    bib = source / "_bibliography" / "papers.bib"
    text = bib.read_text(encoding="utf-8")
    line = text.count("\n") + 3
    bib.write_text(
        text + "\n@article{broken2020,\n  title = {Missing comma}\n  author = {Doe, Jane},\n"
        "  year = {2020}\n}\n",
        encoding="utf-8",
    )
    code, output = build(source, tmp_path / "_site", capsys)
    assert code != 0
    assert f"_bibliography/papers.bib:{line + 1}:" in output
    assert "malformed BibTeX entry 'broken2020'" in output


def test_unbalanced_braces_point_at_the_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _copy(tmp_path)
    bib = source / "_bibliography" / "papers.bib"
    lines = bib.read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("@article{holloway2026tiny2,"))
    lines[start + 1] = "  title = {{Tiny Speech Recognition for Microcontrollers},"
    bib.write_text("\n".join(lines), encoding="utf-8")
    code, output = build(source, tmp_path / "_site", capsys)
    assert code != 0
    assert f"_bibliography/papers.bib:{start + 1}:" in output
    assert "'holloway2026tiny2'" in output and "braces are not balanced" in output


def test_repeated_key_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _copy(tmp_path)
    bib = source / "_bibliography" / "papers.bib"
    text = bib.read_text(encoding="utf-8")
    line = text.count("\n") + 2
    bib.write_text(text + "\n@misc{holloway2026token0,\n  title = {Again}\n}\n", encoding="utf-8")
    code, output = build(source, tmp_path / "_site", capsys)
    assert code == 0
    assert f"papers.bib:{line}: the BibTeX key 'holloway2026token0' is used again" in output
    doc = parse((tmp_path / "_site" / "publications" / "index.html").read_text())
    assert doc.by_id("holloway2026token0").find(cls="title").clean_text() != "Again"


def test_missing_file_and_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _copy(tmp_path)
    (source / "extra.md").write_text("---\n---\n\n{% bibliography --file nope %}\n")
    code, output = build(source, tmp_path / "_site", capsys)
    assert code != 0
    assert "_bibliography/nope.bib does not exist" in output
    (source / "extra.md").write_text("---\n---\n\ntext\n\n{% bibliography --cited %}\n")
    code, output = build(source, tmp_path / "_site", capsys)
    assert code != 0 and "--cited is not supported" in output
    (source / "extra.md").write_text("---\n---\n\ntext\n\n{% bibliography year %}\n")
    code, output = build(source, tmp_path / "_site", capsys)
    assert code != 0 and "extra.md:6:" in output and "unexpected text 'year'" in output


def test_unknown_paper_box_key_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _copy(tmp_path)
    (source / "extra.md").write_text("---\n---\n\nx\n\n{% paper_box nokey %}\n")
    code, output = build(source, tmp_path / "_site", capsys)
    assert code == 0
    assert "extra.md:6" in output and "paper_box nokey" in output
    assert "(missing reference)" in (tmp_path / "_site" / "extra.html").read_text()


def test_site_layout_and_literal_templates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """jekyll-scholar: `bibliography_template` names a layout, else it is Liquid source."""
    source = _copy(tmp_path)
    (source / "_layouts" / "bib.html").write_text(
        '---\n---\n<span class="mine" data-i="{{ index }}">{{ entry.title }} '
        "({{ entry.author_array | size }}, {{ site.title | size }})</span>\n"
    )
    (source / "extra.md").write_text(
        '---\n---\n\n<div id="a">{% bibliography --query @*[year=2020] --group_by none %}</div>'
        '\n\n<div id="b">{% bibliography --query @phdthesis --template {{reference}} %}</div>\n'
    )
    code, _ = build(source, tmp_path / "_site", capsys)
    assert code == 0
    doc = parse((tmp_path / "_site" / "extra.html").read_text())
    mine = doc.by_id("a").find_all("span", cls="mine")
    assert len(mine) == sum(1 for e in RAW if e["year"] == "2020")
    assert [m.get("data-i") for m in mine] == [str(i) for i in range(1, len(mine) + 1)]
    reference = doc.by_id("b").find("li").clean_text()
    assert reference.startswith("Holloway, M. (2020).")


def test_strict_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The built-in templates use only defined variables (`pykyll build --strict`)."""
    code = main(["build", "--strict", "-s", str(SITE), "-d", str(tmp_path / "_site")])
    output = capsys.readouterr()
    assert code == 0, output.out + output.err


def test_several_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _copy(tmp_path)
    (source / "_bibliography" / "talks.bib").write_text(
        "@misc{talk2026,\n  title = {An Invited Talk},\n  author = {Holloway, Maren},\n"
        "  year = {2026}\n}\n",
        encoding="utf-8",
    )
    config = (source / "_config.yml").read_text().replace("papers.bib", '"*.bib"')
    (source / "_config.yml").write_text(config)
    (source / "extra.md").write_text(
        '---\n---\n\n<p id="all">{% bibliography_count %}</p>\n\n'
        '<p id="talks">{% bibliography_count --file talks %}</p>\n\n'
        '<p id="both">{% bibliography_count -f talks.bib -f papers --query @misc %}</p>\n'
    )
    code, output = build(source, tmp_path / "_site", capsys)
    assert code == 0, output
    doc = parse((tmp_path / "_site" / "extra.html").read_text())
    misc = sum(1 for e in RAW if e["type"] == "misc")
    assert doc.by_id("all").clean_text() == "51"
    assert doc.by_id("talks").clean_text() == "1"
    assert doc.by_id("both").clean_text() == str(misc + 1)
