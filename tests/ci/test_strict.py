"""`pykyll build --strict`: each defect fails with its exit code, file and line, and with
`GITHUB_ACTIONS=true` also as a workflow command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pykyll.log import workflow_command

from .sites import page, write_site

Run = Callable[..., tuple[int, str, str]]


def test_undefined_variable(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, {"index.md": page("Hello\n\n{{ site.titel }}\n")})
    code, _out, err = run(site, "build")
    assert code == 0, err
    (site / "_site" / "index.html").write_text("previous")
    code, out, err = run(site, "build", "--strict", github=True)
    assert code == 4
    assert "index.md:7: Liquid error: site.titel is undefined" in err
    assert (
        "::error file=index.md,line=7,title=Template error::Liquid error: site.titel is undefined"
        in out
    )
    assert (site / "_site" / "index.html").read_text() == "previous", "the failed build wrote"


def test_undefined_variable_in_a_layout(tmp_path: Path, run: Run) -> None:
    layout = "<html>\n<body>\n{{ page.subtitle }}\n{{ content }}\n</body>\n</html>\n"
    site = write_site(tmp_path, {"_layouts/default.html": layout, "index.md": page("Hi\n")})
    code, _out, err = run(site, "build", "--strict")
    assert code == 4
    assert "_layouts/default.html:3: Liquid error: page.subtitle is undefined" in err


def test_unknown_filter(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, {"index.md": page("Hello\n{{ page.title | shout }}\n")})
    assert run(site, "build")[0] == 0
    code, out, err = run(site, "build", "--strict", github=True)
    assert code == 4
    assert "index.md:6: Liquid error: unknown filter 'shout'" in err
    assert "::error file=index.md,line=6,title=Template error::" in out


def test_missing_layout(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, {"about.md": page("About\n", title="About", layout="post")})
    code, out, err = run(site, "build", github=True)
    assert code == 0
    assert "Layout 'post' requested in about.md does not exist." in err
    assert "::warning file=about.md,line=2,title=Build Warning::Layout 'post'" in out
    code, out, err = run(site, "build", "--strict", github=True)
    assert code == 3
    assert "Error: about.md:2: 1 warning treated as error (--strict)" in err
    assert "::error file=about.md,line=2,title=Build Warning::Layout 'post'" in out
    # one annotation per problem: the summary is not annotated again
    assert out.count("::error") == 1


def test_url_conflict(tmp_path: Path, run: Run) -> None:
    site = write_site(
        tmp_path,
        {"a.md": page("A\n", permalink="/same.html"), "b.md": page("B\n", permalink="/same.html")},
    )
    assert run(site, "build")[0] == 0
    code, out, err = run(site, "build", "--strict", github=True)
    assert code == 3
    assert "Conflict: The following destination is shared by multiple files." in err
    assert "::error file=b.md,title=Conflict::The following destination" in out
    assert "%0A" in out  # the file list, on the annotation's own lines


def test_invalid_front_matter(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, {"index.md": "---\ntitle: [unclosed\n---\nHi\n"})
    assert run(site, "build")[0] == 0
    code, _out, err = run(site, "build", "--strict")
    assert code == 3
    assert "index.md" in err


def test_unavailable_plugin_is_a_configuration_error(tmp_path: Path, run: Run) -> None:
    config = 'url: "https://example.org"\nplugins:\n  - jekyll-no-such-plugin\n'
    site = write_site(tmp_path, {"_config.yml": config, "index.md": page("Hi\n")})
    assert run(site, "build")[0] == 0
    code, _out, err = run(site, "build", "--strict")
    assert code == 2
    assert "jekyll-no-such-plugin" in err


def test_quiet_hides_warnings_but_not_strict_errors(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, {"about.md": page("About\n", layout="post")})
    code, _out, err = run(site, "build", "-q")
    assert (code, err) == (0, "")
    code, _out, err = run(site, "build", "-q", "--strict")
    assert code == 3
    assert "Layout 'post' requested in about.md does not exist." in err


def test_clean_site_passes_strict(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, {"index.md": page("Hello {{ page.title }}\n")})
    code, out, err = run(site, "build", "--strict", github=True)
    assert code == 0, err
    assert "::" not in out
    assert "Hello A page" in (site / "_site" / "index.html").read_text()


@pytest.mark.parametrize(
    ("message", "file", "expected"),
    [
        ("50% done\r\nnext", None, "::error::50%25 done%0D%0Anext"),
        ("m", "a,b:c%.md", "::error file=a%2Cb%3Ac%25.md,line=3,title=T%3A x::m"),
    ],
)
def test_workflow_command_escaping(message: str, file: str | None, expected: str) -> None:
    title = "T: x" if file else ""
    assert workflow_command("error", message, file=file, line=3, title=title) == expected


def test_annotations_name_files_from_the_working_directory(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path / "docs", {"index.md": page("{{ nope }}\n")})
    code, out, _err = run(tmp_path, "build", "--strict", "-s", "docs", github=True)
    assert code == 4
    assert "::error file=docs/index.md,line=5,title=Template error::" in out
    assert site.is_dir()


def test_liquid_syntax_warning(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, {"index.md": page('Hi\n{{ "a" "b" }}\n')})
    code, out, err = run(site, "build", github=True)
    assert code == 0
    assert "Liquid Warning: index.md:6: Liquid syntax error (line 2)" in err
    assert "::warning file=index.md,line=6,title=Liquid Warning::Liquid syntax error" in out
    code, out, err = run(site, "build", "--strict", github=True)
    assert code == 4
    assert "Error: index.md:6: 1 warning treated as error (--strict)" in err
    assert "::error file=index.md,line=6,title=Liquid Warning::Liquid syntax error" in out
