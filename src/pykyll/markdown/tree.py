"""Token-tree passes run between block parsing and rendering (kramdown's semantics)."""

from __future__ import annotations

from typing import Any

import mistune
from mistune.core import BlockState

from . import abbreviations, doc_options, footnotes, ial, toc
from .ids import IdGenerator
from .inline_text import process_inline
from .renderer import plain_text

Token = dict[str, Any]


def parse_inlines(md: mistune.Markdown, tokens: list[Token], state: BlockState) -> None:
    """Inline-parse every block's text now, so later passes see the whole tree."""
    for tok in tokens:
        if tok["type"] == "kd_options":  # span-level parser options change from here on
            parser = state.env.setdefault("kd_parser_options", {})
            parser.update({k: v for k, v in tok["values"].items() if k == "parse_span_html"})
        if "children" in tok:
            parse_inlines(md, tok["children"], state)
        elif "text" in tok:
            text = tok.pop("text")
            tok["children"] = md.inline(text.strip(" \r\n\t\f"), state.env)


def typeset(tokens: list[Token], settings: dict[str, Any]) -> None:
    """Entities and typography for every inline token list in the tree."""
    for tok in tokens:
        children = tok.get("children")
        if children is None:
            continue
        if tok.get("inline_children") or _is_inline_container(tok):
            tok["children"] = process_inline(children, settings)
        else:
            typeset(children, settings)


_INLINE_CONTAINERS = {"paragraph", "block_text", "heading", "table_cell", "def_list_head"}


def _is_inline_container(tok: Token) -> bool:
    return tok["type"] in _INLINE_CONTAINERS


def assign_header_ids(tokens: list[Token], gen: IdGenerator, options: dict[str, Any]) -> None:
    """parser-gfm's ids for headers in document order (explicit `{#id}`s are kept)."""
    for tok in tokens:
        if tok["type"] == "heading":
            attrs = tok.setdefault("html_attrs", {})
            if attrs.get("id") == "":  # an IAL's empty id switches the automatic one off
                del attrs["id"]
            elif "id" not in attrs and options.get("auto_ids"):
                new_id = gen.gfm(plain_text(tok))
                if new_id:
                    attrs["id"] = new_id
        elif tok["type"] == "html_element":
            assign_basic_ids(tok.get("children") or [], gen, options)
        elif tok["type"] == "def_list":
            assign_term_ids(tok, gen)
            assign_header_ids(tok.get("children") or [], gen, options)
        elif tok["type"] in _BLOCK_CONTAINERS:
            assign_header_ids(tok.get("children") or [], gen, options)


_BLOCK_CONTAINERS = {
    "block_quote",
    "list",
    "list_item",
    "task_list_item",
    "def_list",
    "def_list_item",
    "footnotes",
    "footnote_item",
}


def assign_term_ids(dl: Token, gen: IdGenerator) -> None:
    """`{:auto_ids}` / `{:auto_ids-prefix}` on a definition list gives its terms ids."""
    refs = (dl.get("html_attrs") or {}).get("__refs", ())
    marker = next((r for r in refs if r == "auto_ids" or r.startswith("auto_ids-")), None)
    if marker is None:
        return
    prefix = marker[len("auto_ids-") :] if marker != "auto_ids" else ""
    for term in dl.get("children") or []:
        if term["type"] == "def_list_head":
            attrs = term.setdefault("html_attrs", {})
            if "id" not in attrs:
                attrs["id"] = gen.basic(plain_text(term), prefix=prefix)


def assign_basic_ids(tokens: list[Token], gen: IdGenerator, options: dict[str, Any]) -> None:
    """parser-gfm leaves headers inside HTML to kramdown's own id algorithm."""
    for tok in tokens:
        if tok["type"] == "heading":
            attrs = tok.setdefault("html_attrs", {})
            if "id" not in attrs and options.get("auto_ids"):
                attrs["id"] = gen.basic(plain_text(tok), bool(options.get("auto_id_stripping")))
        elif tok.get("children") and tok["type"] != "paragraph":
            assign_basic_ids(tok["children"], gen, options)


def split_header_ids(tokens: list[Token]) -> None:
    """Move a trailing `{#id}` of a header's text into its attributes."""
    for tok in tokens:
        if tok["type"] == "heading" and "text" in tok:
            tok["text"], explicit = ial.split_header_id(tok["text"].rstrip())
            if explicit:
                tok.setdefault("html_attrs", {})["id"] = explicit
        elif tok.get("children"):
            split_header_ids(tok["children"])


def prepare(
    md: mistune.Markdown, tokens: list[Token], state: BlockState, settings: dict[str, Any]
) -> list[Token]:
    """IALs, explicit header ids, inline parsing and typography for one token list."""
    alds: dict[str, Any] = state.env.get("alds", {})
    tokens = ial.attach_block_ials(tokens, alds)
    split_header_ids(tokens)
    parse_inlines(md, tokens, state)
    tokens = ial.attach_span_ials(tokens, alds)
    typeset(tokens, settings)
    return tokens


def parse_blocks(md: mistune.Markdown, text: str, state: BlockState) -> list[Token]:
    """Block tokens for a piece of markdown (a footnote definition's text)."""
    child = state.child_state(text + "\n")
    md.block.parse(child)
    return child.tokens  # type: ignore[no-any-return]


def add_footnotes(
    md: mistune.Markdown, state: BlockState, options: dict[str, Any], settings: dict[str, Any]
) -> None:
    """Number the references, parse the referenced definitions and add the endnotes."""
    numbering = footnotes.FootnoteNumbering(int(options.get("footnote_nr") or 1))
    numbering.number(state.tokens)
    defs: dict[str, str] = state.env.get("footnote_defs", {})
    items: list[tuple[str, list[Token]]] = []
    done = 0
    while done < len(numbering.order):
        name = numbering.order[done]
        done += 1
        blocks = prepare(md, parse_blocks(md, defs[name], state), state, settings)
        numbering.number(blocks)
        items.append((name, blocks))
    if items:
        notes = footnotes.endnotes(items, numbering, options)
        for index, tok in enumerate(state.tokens):  # `{:footnotes}` on a list marks the place
            if tok["type"] == "list" and "footnotes" in (tok.get("html_attrs") or {}).get(
                "__refs", ()
            ):
                state.tokens[index] = notes
                return
        state.tokens.append(notes)


def process(
    md: mistune.Markdown, state: BlockState, options: dict[str, Any], settings: dict[str, Any]
) -> None:
    """All passes between block parsing and rendering, in kramdown's order."""
    # span-level parsing starts again from the top with the initial parser options
    state.env.pop("kd_parser_options", None)
    options = doc_options.document_options(state.env, options)
    state.tokens = prepare(md, state.tokens, state, settings)
    gen = IdGenerator(
        str(options.get("auto_id_prefix") or ""), bool(options.get("transliterated_header_ids"))
    )
    add_footnotes(md, state, options, settings)
    abbreviations.apply_abbreviations(state.tokens, state.env.get("kd_abbrevs", {}))
    assign_header_ids(state.tokens, gen, options)
    toc.replace_toc_lists(state.tokens, options)
