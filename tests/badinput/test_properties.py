"""Property tests: the markdown converter and the Liquid layer terminate on any input within
a bounded time and fail only with pykyll's own located errors; front matter round-trips.

Examples are derandomized and few, so the suite stays fast and the same in CI.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pykyll.errors import PykyllError
from pykyll.frontmatter import parse
from pykyll.liquid import FILTERS, LiquidEngine
from pykyll.markdown import jekyll_options, to_html

COMMON = settings(
    derandomize=True,
    database=None,
    deadline=dt.timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow],
)

# -- markdown ------------------------------------------------------------------------------

MARKDOWN_PIECES = [
    "# ",
    "## ",
    "### ",
    "* ",
    "- ",
    "+ ",
    "1. ",
    "> ",
    "    ",
    "\t",
    "```",
    "~~~",
    "`",
    "*",
    "**",
    "_",
    "__",
    "[",
    "]",
    "(",
    ")",
    "![",
    "<",
    ">",
    "</div>",
    "<div>",
    "<span>",
    "{: .c}",
    "{:#id}",
    "{::comment}",
    "{:/}",
    "|",
    "| a | b |\n|---|---|\n",
    "---",
    "***",
    "[^1]",
    "[^1]: note",
    "*[HTML]: Hyper",
    "$$",
    "$$x$$",
    "\\",
    "&amp;",
    "&",
    "&#x;",
    ": def",
    "term\n: def",
    "<!-- ",
    " -->",
    "http://x.org",
    "<http://x>",
    "\n",
    "\n\n",
    "  \n",
    "text",
    "word ",
    "é",
    "🙂",
    "\u200b",
    "\x00",
    "{% raw %}",
    "{{ x }}",
    "<script>",
    "[a]: http://x",
    "[a][]",
    "^",
    "~~",
    "==",
    "\r\n",
    "<pre>",
    "</pre>",
    "<!--",
    "-->",
]

markdown_texts = st.one_of(
    st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=40).map("".join),
    st.text(max_size=300),
)
OPTIONS = jekyll_options(None)


@COMMON
@given(markdown_texts)
def test_markdown_always_converts(text: str) -> None:
    html = to_html(text, OPTIONS)
    assert isinstance(html, str)


@settings(COMMON, max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=3000),
    st.sampled_from(["*", "[", "> ", "<div>", "`", "_", "**", "![", "- ", "{:"]),
)
def test_markdown_deep_nesting_is_not_quadratic(count: int, piece: str) -> None:
    """Pathological nesting (a classic for markdown parsers) stays fast. It found `[` runs
    taking O(n^2) (3000 brackets: minutes); the link scanner now answers them in O(n)."""
    started = time.monotonic()
    to_html(piece * count + " x " + piece[::-1] * count, OPTIONS)
    assert time.monotonic() - started < 5


# -- Liquid --------------------------------------------------------------------------------


class Services:
    """What the Liquid engine asks of a site: a real markdown converter, no files."""

    def __init__(self, root: Path) -> None:
        self._config: dict[str, Any] = {
            "source": str(root),
            "baseurl": "/base",
            "url": "https://example.org",
            "timezone": None,
            "liquid": {"error_mode": "warn"},
        }
        self.warnings: list[str] = []

    @property
    def config(self) -> dict[str, Any]:
        return self._config

    def include_dirs(self) -> list[Path]:
        return [Path(self._config["source"]) / "_includes"]

    def warn(self, file: str | None, line: int | None, message: str) -> None:
        self.warnings.append(message)

    def markdownify(self, text: str) -> str:
        return to_html(text, OPTIONS)

    def link_url(self, relative_path: str) -> str | None:
        return None

    def post_url(self, name: str) -> str | None:
        return None


VARIABLES: dict[str, Any] = {
    "site": {"title": "T", "posts": [{"title": "a", "date": "2020-01-01"}], "tags": {}},
    "page": {"title": "P", "tags": ["x", "y"], "date": dt.datetime(2020, 1, 2, 3, 4, 5)},
    "a": [3, 1, 2, None, "s"],
    "h": {"k": "v", "n": [1, 2]},
    "s": "Some <b>text</b> & more",
    "n": 7,
    "f": 2.5,
    "d": dt.date(2021, 2, 3),
}

ARGUMENTS = st.sampled_from(
    [
        "1",
        "-1",
        "0",
        "2.5",
        "99999999999",
        "'x'",
        "'%Y'",
        '"a,b"',
        "nil",
        "true",
        "a",
        "s",
        "h",
        "n",
        "page.title",
        "'title'",
        "'k'",
        "site.posts",
        "'item.k == 1'",
    ]
)
VALUES = st.sampled_from(
    [
        "a",
        "h",
        "s",
        "n",
        "f",
        "d",
        "page",
        "site.posts",
        "page.tags",
        "nil",
        "'str'",
        "3",
        "missing",
        "h.n",
        "a[1]",
        "a.first",
        "h['k']",
        "(1..3)",
    ]
)


@st.composite
def outputs(draw: st.DrawFn) -> str:
    names = sorted(FILTERS)
    filters = draw(
        st.lists(
            st.tuples(st.sampled_from(names), st.lists(ARGUMENTS, max_size=2)),
            max_size=3,
        )
    )
    chain = "".join(
        f" | {name}" + (": " + ", ".join(args) if args else "") for name, args in filters
    )
    return "{{ " + draw(VALUES) + chain + " }}"


def blocks(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(VALUES, inner).map(lambda t: f"{{% if {t[0]} %}}{t[1]}{{% endif %}}"),
        st.tuples(VALUES, inner).map(lambda t: f"{{% unless {t[0]} %}}{t[1]}{{% endunless %}}"),
        st.tuples(VALUES, st.sampled_from(["", " limit: 2", " reversed", " offset: 1"]), inner).map(
            lambda t: f"{{% for item in {t[0]}{t[1]} %}}{t[2]}{{% endfor %}}"
        ),
        # small ranges render; huge ones must be refused at once by the loop limit
        st.tuples(st.one_of(st.integers(-5, 40), st.integers(10**8, 10**15)), inner).map(
            lambda t: f"{{% for i in (1..{t[0]}) %}}{t[1]}{{% endfor %}}"
        ),
        inner.map(lambda t: f"{{% capture c %}}{t}{{% endcapture %}}{{{{ c }}}}"),
        st.tuples(VALUES, inner).map(
            lambda t: f"{{% case {t[0]} %}}{{% when 1 %}}{t[1]}{{% endcase %}}"
        ),
    )


LEAVES = st.one_of(
    outputs(),
    st.sampled_from(
        [
            "text ",
            "{% assign x = a | size %}",
            "{{ x }}",
            "{% increment k %}",
            "{% comment %}c{% endcomment %}",
            "{% raw %}{{ r }}{% endraw %}",
            "{% break %}",
            "{% continue %}",
            "{% cycle 'a', 'b' %}",
            "{{",
            "}}",
            "{%",
            "%}",
            "{% if %}",
            "{% endif %}",
            "{% for %}",
            "{% nosuchtag %}",
            "{{ a | nosuchfilter }}",
            "{% include missing.html %}",
            "{% echo s %}",
            "{% liquid assign y = 1\necho y %}",
            "{% tablerow t in a %}{{ t }}{% endtablerow %}",
        ]
    ),
    st.text(alphabet="{}%|:'\"- .abc\n", max_size=12),
)
templates = st.recursive(LEAVES, blocks, max_leaves=8).map(lambda t: t)
template_lists = st.lists(templates, max_size=5).map("".join)


@settings(COMMON, max_examples=150, deadline=None)
@given(template_lists)
def test_liquid_terminates_with_located_errors(source: str) -> None:
    engine = LiquidEngine(Services(Path("/nonexistent")))
    started = time.monotonic()
    try:
        template = engine.parse(source, "page.html", 3)
        output = engine.render(template, VARIABLES, 3)
    except PykyllError as err:  # the only failure a template may cause
        assert err.file is not None, err
        assert "Traceback" not in str(err)
    else:
        assert isinstance(output, str)
    assert time.monotonic() - started < 10  # generous: CI machines are shared


# -- front matter ----------------------------------------------------------------------------

KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789 ", min_size=1, max_size=12)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=40),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
VALUES_YAML = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)


@settings(COMMON, max_examples=200)
@given(
    st.dictionaries(KEYS, VALUES_YAML, max_size=8),
    # Jekyll's closing-line pattern (`---\s*$\n?`) also eats blank lines right after it
    st.text(max_size=200).filter(lambda body: body[:1] not in " \t\r\n\f\v"),
)
def test_front_matter_round_trips(data: dict[str, Any], body: str) -> None:
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    text = f"---\n{dumped}---\n{body}"
    parsed = parse(text, "page.md")
    assert parsed.has_front_matter
    assert (parsed.data or {}) == data
    assert parsed.content == body
    assert parsed.content_line == dumped.count("\n") + 3
