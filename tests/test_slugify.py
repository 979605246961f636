"""`Jekyll::Utils.slugify`: the one-regex path for ASCII text against the per-character rule
(`[^\\p{M}\\p{L}\\p{Nd}]+` and the modes' extra kept characters) that Unicode text takes."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pykyll import utils


def per_character(text: str, mode: str) -> str:
    if mode == "latin":
        text = utils.transliterate(text)
    slug = utils._collapse(text, utils._keeps(mode))
    return utils._EDGE_HYPHEN.sub("", slug).lower()


@pytest.mark.parametrize("mode", ["default", "pretty", "ascii", "latin"])
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=string.printable, max_size=40))
def test_ascii_text_slugs_as_the_per_character_rule(mode: str, text: str) -> None:
    assert utils.slugify(text, mode) == per_character(text, mode)


@pytest.mark.parametrize(
    ("text", "mode", "slug"),
    [
        # as Jekyll 4.3.1 slugifies them (`Jekyll::Utils.slugify(text, mode:)`)
        ("The _config.yml file", "default", "the-config-yml-file"),
        ("The _config.yml file", "pretty", "the-_config.yml-file"),
        ("The _config.yml file?", "ascii", "the-config-yml-file"),
        ("  Hello, World!  ", "default", "hello-world"),
        ("Blog: (2024) Re-cap", "pretty", "blog-(2024)-re-cap"),
        ("Café crème", "default", "café-crème"),
        ("Café crème", "latin", "cafe-creme"),
    ],
)
def test_known_slugs(text: str, mode: str, slug: str) -> None:
    assert utils.slugify(text, mode) == slug
