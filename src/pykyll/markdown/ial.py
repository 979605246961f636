"""Inline attribute lists (`{: .cls #id k="v"}`), ALDs (`{:name: …}`) and `{::ext}` blocks."""

from __future__ import annotations

import re
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState, InlineState
from mistune.inline_parser import InlineParser

from . import doc_options
from .attrs import merge_attrs

Token = dict[str, Any]

_BODY = r"(?:[^}\"'\\]|\\.|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')*"
BLOCK_IAL = r"^ {0,3}\{:(?!:|/)(?P<ial_body>" + _BODY + r")\}[ \t]*$"
SPAN_IAL = r"\{:(?!:|/)(?P<span_ial_body>" + _BODY + r")\}"
_ALD_NAME = re.compile(r"^\s*(\w[\w-]*):(?=\s|$)")
_ATTR_ITEM = re.compile(
    r"""(?:\A|\s)(?:
        (?P<key>\w[\w-]*)=(?P<q>["'])(?P<val>(?:\\\}|\\(?P=q)|[^}])*?)(?P=q)
      | (?P<ref>\w[\w-]*)
      | (?P<idcls>(?:\#[A-Za-z][\w:-]*|\.[^\s.#]+)+)
    )(?=\s|\Z)""",
    re.X,
)
_ID_OR_CLASS = re.compile(r"#([A-Za-z][\w:-]*)|\.([^\s.#]+)")
EXT_START = (
    r"^ {0,3}\{::(?P<ext_name>comment|nomarkdown|options)(?P<ext_attrs>" + _BODY + r")\}[ \t]*$"
)


def _parse_raw(body: str) -> dict[str, Any]:
    """One attribute list, references unresolved (kramdown's parse_attribute_list)."""
    attrs: dict[str, Any] = {}
    for m in _ATTR_ITEM.finditer(body):
        if m.group("ref"):
            attrs.setdefault("__refs", []).append(m.group("ref"))
        elif m.group("idcls"):
            for id_name, class_name in _ID_OR_CLASS.findall(m.group("idcls")):
                if class_name:
                    merge_attrs(attrs, {"class": class_name})
                else:
                    attrs["id"] = id_name
        else:
            quote = m.group("q")
            attrs[m.group("key")] = re.sub(r"\\([}" + quote + "])", r"\1", m.group("val"))
    return attrs


def _resolve(raw: dict[str, Any], alds: dict[str, Any], seen: frozenset[str]) -> dict[str, Any]:
    """Apply referenced ALDs first, then the list's own attributes; unknown references stay
    in `__refs` (they are markers such as `toc`, `footnotes`, `auto_ids`)."""
    attrs: dict[str, Any] = {}
    for ref in raw.get("__refs", ()):
        if ref in alds and ref not in seen:
            resolved = _resolve(alds[ref], alds, seen | {ref})
            resolved.pop("__refs", None)
            merge_attrs(attrs, resolved)
        else:
            attrs.setdefault("__refs", []).append(ref)
    merge_attrs(attrs, {k: v for k, v in raw.items() if k != "__refs"})
    return attrs


def parse_attr_list(body: str, alds: dict[str, Any] | None = None) -> dict[str, Any]:
    """Turn an attribute list body into attributes, ALD references expanded."""
    return _resolve(_parse_raw(body), alds or {}, frozenset())


def parse_block_ial(block: BlockParser, m: re.Match[str], state: BlockState) -> int:
    body = m.group("ial_body")
    ald = _ALD_NAME.match(body)
    if ald:  # a repeated ALD name adds to the earlier definition
        alds = state.env.setdefault("alds", {})
        merge_attrs(alds.setdefault(ald.group(1), {}), _parse_raw(body[ald.end() :]))
        state.append_token({"type": "blank_line"})
    else:
        state.append_token({"type": "ial", "body": body})
    return m.end() + 1


def parse_extension(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    """`{::comment}…{:/}`, `{::nomarkdown}…{:/}` and `{::options … /}`."""
    name = m.group("ext_name")
    attrs = m.group("ext_attrs")
    if attrs.rstrip().endswith("/"):
        if name == "options":
            values = doc_options.parse_options(attrs)
            doc_options.apply(state.env, values, state.env["kd_base_options"])
            state.append_token({"type": "kd_options", "values": values})
        return m.end() + 1 if state.src[m.end() : m.end() + 1] == "\n" else m.end()
    end = re.compile(r"^ {0,3}\{:/(?:" + name + r")?\}[ \t]*$", re.M).search(state.src, m.end())
    if end is None:  # unclosed: the line is ordinary paragraph text
        return None
    body = state.src[m.end() : end.start()]
    after = end.end()
    ext_type = parse_attr_list(attrs).get("type")
    if name == "comment":
        state.append_token({"type": "raw_block", "raw": f"<!--{body.strip(chr(10))}-->\n"})
    elif name == "nomarkdown" and ext_type in (None, "html"):
        state.append_token({"type": "raw_block", "raw": body.strip("\n") + "\n"})
    nl = state.src.find("\n", after)
    return len(state.src) if nl == -1 else nl + 1


def parse_end_of_block(block: BlockParser, m: re.Match[str], state: BlockState) -> int:
    """kramdown's `^` line ends the current block and produces nothing."""
    state.append_token({"type": "eob"})
    return m.end() + 1


def parse_span_ial(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    state.append_token({"type": "span_ial", "body": m.group("span_ial_body")})
    return m.end()


def parse_span_extension(inline: InlineParser, m: re.Match[str], state: InlineState) -> int | None:
    name = m.group("sext_name")
    if m.group("sext_attrs").rstrip().endswith("/"):
        if name == "options":
            values = doc_options.parse_options(m.group("sext_attrs"))
            doc_options.apply(state.env, values, state.env["kd_base_options"])
        return m.end()
    end = re.compile(r"\{:/(?:" + name + r")?\}").search(state.src, m.end())
    if end is None:
        return None
    body = state.src[m.end() : end.start()]
    if name == "comment":
        state.append_token({"type": "raw_span", "raw": f"<!--{body}-->"})
    elif name == "nomarkdown":
        state.append_token({"type": "raw_span", "raw": body})
    return end.end()


def attach_block_ials(tokens: list[Token], alds: dict[str, Any]) -> list[Token]:
    """Give each block IAL's attributes to the block right before it (or else after it)."""
    out: list[Token] = []
    pending: dict[str, Any] | None = None
    tokens = _hoist_trailing_list_ials(tokens)
    for tok in tokens:
        if tok.get("children") and tok["type"] not in ("paragraph", "heading", "block_text"):
            tok["children"] = attach_block_ials(tok["children"], alds)
        if tok["type"] == "ial":
            attrs = parse_attr_list(tok["body"], alds)
            prev = out[-1] if out else None
            if prev is not None and prev["type"] not in ("blank_line", "ial", "eob"):
                merge_attrs(prev.setdefault("html_attrs", {}), attrs)
            else:
                pending = merge_attrs(pending or {}, attrs)
            continue
        if pending is not None and tok["type"] != "blank_line":
            merge_attrs(tok.setdefault("html_attrs", {}), pending)
            pending = None
        out.append(tok)
    return out


def _hoist_trailing_list_ials(tokens: list[Token]) -> list[Token]:
    """An IAL line right after a list belongs to the list, not to its last item's text."""
    out: list[Token] = []
    for tok in tokens:
        out.append(tok)
        if tok["type"] != "list" or not tok.get("children"):
            continue
        last_item = tok["children"][-1].get("children") or []
        if last_item and last_item[-1]["type"] == "ial":
            out.append(last_item.pop())
    return out


def attach_span_ials(tokens: list[Token], alds: dict[str, Any]) -> list[Token]:
    """A span IAL applies to the span element right before it; otherwise it vanishes."""
    out: list[Token] = []
    for tok in tokens:
        if tok.get("children"):
            tok["children"] = attach_span_ials(tok["children"], alds)
        if tok["type"] == "span_ial":
            prev = out[-1] if out else None
            if prev is not None and prev["type"] not in ("text", "softbreak", "linebreak"):
                merge_attrs(prev.setdefault("html_attrs", {}), parse_attr_list(tok["body"], alds))
            else:
                # after plain text an IAL has nothing to attach to and stays literal
                out.append({"type": "text", "raw": "{:" + tok["body"] + "}", "literal": True})
            continue
        out.append(tok)
    return out


_HEADER_ID = re.compile(r"[ \t]+\{#([A-Za-z][\w:.-]*)\}[ \t]*$")


def split_header_id(text: str) -> tuple[str, str | None]:
    """`Title {#id}` → ("Title", "id")."""
    m = _HEADER_ID.search(text)
    if not m:
        return text, None
    return text[: m.start()], m.group(1)


def register(md: Any) -> None:
    block: BlockParser = md.block
    for name, pattern, func in (
        ("kd_extension", EXT_START, parse_extension),
        ("kd_ial", BLOCK_IAL, parse_block_ial),
        ("kd_eob", r"^\^[ \t]*$", parse_end_of_block),
    ):
        block.register(name, pattern, func, before="fenced_code")
        for rules in (block.block_quote_rules, block.list_rules):
            if name not in rules:
                rules.insert(0, name)
    md.inline.register("span_ial", SPAN_IAL, parse_span_ial, before="escape", start_chars=["{"])
    md.inline.register(
        "span_extension",
        r"\{::(?P<sext_name>comment|nomarkdown|options)(?P<sext_attrs>" + _BODY + r")\}",
        parse_span_extension,
        before="escape",
        start_chars=["{"],
    )
