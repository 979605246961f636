"""`* TOC\\n{:toc}`: the list is replaced by kramdown's `<ul id="markdown-toc">`."""

from __future__ import annotations

from typing import Any

Token = dict[str, Any]


def _collect_headings(tokens: list[Token], levels: set[int], out: list[Token]) -> None:
    for tok in tokens:
        if tok["type"] == "heading":
            attrs = tok.get("html_attrs") or {}
            classes = str(attrs.get("class", "")).split()
            if tok["attrs"]["level"] in levels and attrs.get("id") and "no_toc" not in classes:
                out.append(tok)
        elif tok["type"] in ("block_quote", "html_element") and tok.get("children"):
            _collect_headings(tok["children"], levels, out)


def _without_links(children: list[Token]) -> list[Token]:
    """TOC entries keep the header's text but not its links or footnote markers."""
    out: list[Token] = []
    for child in children:
        if child["type"] == "link":
            out.extend(_without_links(child.get("children") or []))
        elif child["type"] != "footnote_ref":
            out.append(child)
    return out


def _entry(heading: Token) -> Token:
    hid = heading["html_attrs"]["id"]
    link = {
        "type": "link",
        "attrs": {"url": f"#{hid}"},
        "html_attrs": {"id": f"markdown-toc-{hid}"},
        "children": _without_links(heading["children"]),
    }
    return {"type": "list_item", "children": [link], "level": heading["attrs"]["level"]}


def build_toc(headings: list[Token], attrs: dict[str, Any]) -> Token:
    """Nest entries by level the way kramdown does (a deeper header opens a sub-list)."""
    root: Token = {"type": "list", "attrs": {"ordered": False}, "children": [], "html_attrs": attrs}
    stack: list[tuple[int, Token]] = [(0, root)]
    for heading in headings:
        level = heading["attrs"]["level"]
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        entry = _entry(heading)
        parent = stack[-1][1]
        if parent["type"] == "list_item":
            sub = next((c for c in parent["children"] if c["type"] == "list"), None)
            if sub is None:
                sub = {"type": "list", "attrs": {"ordered": False}, "children": []}
                parent["children"].append(sub)
            sub["children"].append(entry)
        else:
            parent["children"].append(entry)
        stack.append((level, entry))
    return root


def toc_levels(value: object) -> set[int]:
    """kramdown accepts `toc_levels` as a list, a range string (`2..3`) or `1,2,3`."""
    if isinstance(value, str):
        text = value.strip()
        if ".." in text:
            low, _, high = text.partition("..")
            if low.strip().isdigit() and high.strip().isdigit():
                return set(range(int(low), int(high) + 1))
        return {int(x) for x in text.split(",") if x.strip().isdigit()}
    if isinstance(value, (list, tuple, range, set)):
        return {int(x) for x in value if str(x).strip().isdigit()}
    return set(range(1, 7))


def replace_toc_lists(tokens: list[Token], options: dict[str, Any]) -> None:
    """Swap every list marked `{:toc}` for the table of contents of the whole document."""
    levels = toc_levels(options.get("toc_levels"))
    headings: list[Token] = []
    _collect_headings(tokens, levels, headings)
    for index, tok in enumerate(tokens):
        attrs = tok.get("html_attrs") or {}
        if tok["type"] == "list" and "toc" in attrs.get("__refs", ()):
            new_attrs = {k: v for k, v in attrs.items() if k != "__refs"}
            new_attrs.setdefault("id", "markdown-toc")
            tokens[index] = build_toc(headings, new_attrs)
