"""The pieces of the bibliography: LaTeX decoding, bibtex-ruby queries, sorting, grouping,
jekyll-scholar's option parsing and the `.bib` reader's errors."""

from __future__ import annotations

import pytest

from pykyll.errors import ContentError
from pykyll.scholar.bibtex import Entry, parse
from pykyll.scholar.latex import to_html, to_text
from pykyll.scholar.query import grouping, matches, parse_options, sort_entries


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"U}ber Schr{\"o}dinger", "Über Schrödinger"),
        (r"Mar\'{i}a, \'{\i}, \'\i", "María, í, í"),
        (r"Fran{\c{c}}ois \v{S}koda \v s", "François Škoda š"),
        (r"Nov{\'a}k Tom{\'a}{\v{s}} {\L}ukasz Ng{\~u}y{\^e}n", "Novák Tomáš Łukasz Ngũyên"),
        (r"\ss{} \o{} {\aa}ngstr\"om \AE", "ß ø ångström Æ"),
        (r"\H{o} \k{a} \={a} \.{z} \u{a} \r{u}", "ő ą ā ż ă ů"),
        (r"{GPU}s and {{BERT}}", "GPUs and BERT"),
        (r"10--20 --- ``quoted''", "10–20 — “quoted”"),
        (r"Fast \& cheap: 5\% \$ \#1 \_x", "Fast & cheap: 5% $ #1 _x"),
        (r"New~York", "New\u00a0York"),
        (r"$\alpha$-nets, $\ell_2$ loss", "α-nets, $\\ell_2$ loss"),
        (r"\emph{a} \textbf{b} {\em c d} e", "a b c d e"),
        (r"\LaTeX{} and \TeX", "LaTeX and TeX"),
        (r"\href{http://x.org}{the text} \url{http://y.org/a_b}", "the text http://y.org/a_b"),
        ("  spaces\n  and\tlines  ", "spaces and lines"),
        (r"\unknowncmd{x}", "\\unknowncmdx"),
    ],
)
def test_latex_to_text(latex: str, text: str) -> None:
    assert to_text(latex) == text


def test_latex_to_html() -> None:
    assert to_html(r"\emph{a} \textbf{b} {\em c} \textsc{d}") == (
        '<em>a</em> <strong>b</strong> <em>c</em> <span class="smallcaps">d</span>'
    )
    assert to_html(r"A \& B <x> {\"o}") == "A &amp; B &lt;x&gt; ö"
    assert to_html(r"$x^2 < y$") == "$x^2 &lt; y$"


BIB = r"""
@string{conf = "Conference on Things"}
@inproceedings{a2021,
  title = {Alpha},
  author = {Doe, Jane and Roe, Richard},
  booktitle = conf # " 2021",
  year = 2021, month = mar,
  selected = {true},
  abbr = {CoT},
}
@article{b2019,
  title = {Beta},
  author = {Roe, Richard},
  journal = {Journal},
  year = {2019}, month = {11},
  pdf = {b.pdf},
}
@article{c2021,
  title = {Gamma},
  author = {Doe, Jane},
  journal = {Journal},
  year = {2021},
}
@misc{d,
  title = {Delta},
  howpublished = {online},
}
"""


@pytest.fixture
def entries() -> list[Entry]:
    return parse(BIB, "t.bib", lambda message: None)


def keys(found: list[Entry]) -> list[str]:
    return [e.key for e in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("@*", ["a2021", "b2019", "c2021", "d"]),
        (None, ["a2021", "b2019", "c2021", "d"]),
        ("@article", ["b2019", "c2021"]),
        ("!@article", ["a2021", "d"]),
        ("@article, @misc", ["b2019", "c2021", "d"]),
        ("@*[year=2021]", ["a2021", "c2021"]),
        ("@*[year>=2020]", ["a2021", "c2021"]),
        ("@*[year<=2020]", ["b2019"]),
        ("@*[year!=2021]", ["b2019", "d"]),
        ("@*[selected=true]*", ["a2021"]),
        ("@*[pdf]", ["b2019"]),
        ("@article[year=2021]", ["c2021"]),
        ("@*[title^=Be]", ["b2019"]),
        ("@*[title~=^(Alpha|Gamma)$]", ["a2021", "c2021"]),
        ("@*[title!~a$]", []),
        ("@*[author~=Roe, year=2021]", ["a2021"]),
        ("@*[author~=Roe && year=2021]", ["a2021"]),
        ("@*[year=2019 || abbr=CoT]", ["a2021", "b2019"]),
        ("@*[booktitle=Conference on Things 2021]", ["a2021"]),
        ("@*[key=c2021]", ["c2021"]),
        ("@*[type=misc]", ["d"]),
        ("@*[month_numeric>=11]", ["b2019"]),
        ("c2021", ["c2021"]),
    ],
)
def test_queries(entries: list[Entry], query: str | None, expected: list[str]) -> None:
    assert keys([e for e in entries if matches(e, query)]) == expected


def test_sorting(entries: list[Entry]) -> None:
    assert keys(sort_entries(entries, "none", "descending")) == ["a2021", "b2019", "c2021", "d"]
    # missing values are "" : first ascending, last descending; equal ones keep file order
    assert keys(sort_entries(entries, "year", "ascending")) == ["d", "b2019", "a2021", "c2021"]
    assert keys(sort_entries(entries, "year,month", "descending")) == [
        "a2021",
        "c2021",
        "b2019",
        "d",
    ]
    assert keys(sort_entries(entries, ["year", "title"], "descending, ascending")) == [
        "a2021",
        "c2021",
        "b2019",
        "d",
    ]
    assert keys(sort_entries(entries, "title", "reverse")) == ["c2021", "d", "b2019", "a2021"]


def test_grouping(entries: list[Entry]) -> None:
    by_year = grouping({}, "year", "descending")
    assert by_year is not None
    groups = by_year.group(entries)
    assert [(g.name, keys(g.entries)) for g in groups] == [
        ("2021", ["a2021", "c2021"]),
        ("2019", ["b2019"]),
        ("Other", ["d"]),
    ]
    nested = grouping({"type_order": ["misc", "article"]}, "type, month", ["ascending"])
    assert nested is not None
    outer = nested.group(entries)
    assert [g.name for g in outer] == ["Miscellaneous", "Journal Articles", "Conference Articles"]
    assert [(g.name, keys(g.entries)) for g in outer[1].children] == [
        ("November", ["b2019"]),
        ("Other", ["c2021"]),
    ]
    assert grouping({}, "none", "ascending") is None


def test_option_parsing() -> None:
    def error(message: str) -> Exception:
        return ValueError(message)

    options = parse_options(
        "--file papers -f more.bib --query @article[year>=2020, title~=pre-training] -g year "
        "--group_order descending -T bib -m 3 --prefix sel",
        error,
    )
    assert options.files == ["papers", "more.bib"]
    assert options.values == {
        "query": "@article[year>=2020, title~=pre-training]",
        "group_by": "year",
        "group_order": "descending",
        "template": "bib",
        "max": "3",
        "prefix": "sel",
    }
    assert parse_options("", error).values == {}
    with pytest.raises(ValueError, match="needs a value"):
        parse_options("--query", error)
    with pytest.raises(ValueError, match="unexpected text"):
        parse_options("papers.bib", error)


def test_entry_fields_and_lines(entries: list[Entry]) -> None:
    alpha = entries[0]
    assert (alpha.line, alpha.type) == (3, "inproceedings")
    assert alpha.text("booktitle") == "Conference on Things 2021"
    assert alpha.month_numeric == 3 and entries[1].month_numeric == 11
    assert alpha.order[:4] == ["title", "author", "booktitle", "year"]
    assert alpha.bibtex({"selected", "abbr"}) == (
        "@inproceedings{a2021,\n  title = {Alpha},\n  author = {Doe, Jane and Roe, Richard},\n"
        "  booktitle = {Conference on Things 2021},\n  year = {2021},\n  month = {March}\n}"
    )


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("@article{x,\n  title = {A}\n  year = {2020}\n}\n", 3, "'x': '}' expected"),
        (
            "@article{ok, title={A}}\n\n@misc{y,\n  title = {A {b},\n}\n\n@misc{z, title={c}}\n",
            3,
            "'y': its braces are not balanced",
        ),
        ("@article{x,\n  title = {A},\n  month = undefinedmacro,\n}\n", 3, "undefinedmacro"),
    ],
)
def test_malformed(source: str, line: int, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse(source, "refs.bib", lambda m: None)
    assert caught.value.file == "refs.bib" and caught.value.line == line
    assert message in caught.value.message


def test_repeated_field_and_key_warn() -> None:
    warnings: list[str] = []
    found = parse(
        "@misc{k,\n title={a},\n title={b}}\n\n@misc{k, title={c}}\n", "r.bib", warnings.append
    )
    assert keys(found) == ["k"] and found[0].text("title") == "a"
    assert any(w.startswith("r.bib:5: the BibTeX key 'k' is used again") for w in warnings)
    assert any(w.startswith("r.bib:1:") and "title" in w for w in warnings)
