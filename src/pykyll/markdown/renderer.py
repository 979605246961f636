"""HTMLRenderer subclass producing kramdown's HTML from the (post-processed) token tree."""

from __future__ import annotations

import html
from typing import Any

from mistune.core import BlockState
from mistune.renderers.html import HTMLRenderer

from .attrs import escape_attr, merge_attrs, render_attrs
from .code import render_code_block, render_code_span
from .html_blocks import VOID

Token = dict[str, Any]


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False)


class KramdownRenderer(HTMLRenderer):
    """Every method receives the whole token, so IAL attributes travel with it."""

    NAME = "html"  # type: ignore[assignment]

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(escape=False)
        self.options = options
        self._dispatch: dict[str, Any] = {}

    def opts(self, state: BlockState) -> dict[str, Any]:
        """This document's options ({::options} may have changed some)."""
        return state.env.get("kd_doc_options") or self.options  # type: ignore[no-any-return]

    # -- dispatch -------------------------------------------------------------------------
    def render_token(self, token: Token, state: BlockState) -> str:
        method: Any = self._dispatch.get(token["type"])
        if method is None:
            method = getattr(self, "r_" + token["type"], self.r_unknown)
            self._dispatch[token["type"]] = method
        return str(method(token, state))

    def render_tokens(self, tokens: Any, state: BlockState) -> str:
        render = self.render_token
        return "".join([render(tok, state) for tok in tokens])

    def children(self, token: Token, state: BlockState) -> str:
        return self.render_tokens(token.get("children") or [], state)

    @staticmethod
    def attrs(token: Token, extra: dict[str, Any] | None = None) -> str:
        merged = dict(extra or {})
        return render_attrs(merge_attrs(merged, token.get("html_attrs") or {}))

    def r_unknown(self, token: Token, state: BlockState) -> str:
        if "children" in token:
            return self.children(token, state)
        return _escape_text(str(token.get("raw", "")))

    # -- spans ----------------------------------------------------------------------------
    def r_text(self, token: Token, state: BlockState) -> str:
        return _escape_text(token["raw"])

    def r_raw_span(self, token: Token, state: BlockState) -> str:
        return str(token["raw"])

    def r_emphasis(self, token: Token, state: BlockState) -> str:
        return f"<em{self.attrs(token)}>{self.children(token, state)}</em>"

    def r_strong(self, token: Token, state: BlockState) -> str:
        return f"<strong{self.attrs(token)}>{self.children(token, state)}</strong>"

    def r_strikethrough(self, token: Token, state: BlockState) -> str:
        return f"<del{self.attrs(token)}>{self.children(token, state)}</del>"

    def r_link(self, token: Token, state: BlockState) -> str:
        a = token.get("attrs") or {}
        extra: dict[str, Any] = {"href": a.get("url", "")}
        if a.get("title") is not None:
            extra["title"] = a["title"]
        text = self.children(token, state)
        if token.get("_autolink") and text.startswith("mailto:"):
            text = text[len("mailto:") :]  # kramdown shows the bare address
        return f"<a{self.attrs(token, extra)}>{text}</a>"

    def r_image(self, token: Token, state: BlockState) -> str:
        a = token.get("attrs") or {}
        extra: dict[str, Any] = {"src": a.get("url", ""), "alt": plain_text(token)}
        if a.get("title") is not None:
            extra["title"] = a["title"]
        return f"<img{self.attrs(token, extra)} />"

    def r_codespan(self, token: Token, state: BlockState) -> str:
        return render_code_span(token["raw"], token.get("html_attrs") or {}, self.opts(state))

    def r_linebreak(self, token: Token, state: BlockState) -> str:
        return "<br />\n"

    def r_softbreak(self, token: Token, state: BlockState) -> str:
        return "\n"

    def r_inline_html(self, token: Token, state: BlockState) -> str:
        return str(token["raw"])

    def r_inline_math(self, token: Token, state: BlockState) -> str:
        return f"\\({_escape_text(token['raw'])}\\)"

    def r_abbr(self, token: Token, state: BlockState) -> str:
        title = (token.get("attrs") or {}).get("title")
        extra = {"title": title} if title else {}
        return f"<abbr{self.attrs(token, extra)}>{self.children(token, state)}</abbr>"

    def r_footnote_ref(self, token: Token, state: BlockState) -> str:
        name, number, ref_id = token["name"], token["number"], token["ref_id"]
        return (
            f'<sup id="{escape_attr(ref_id)}" role="doc-noteref"><a href="#fn:{escape_attr(name)}"'
            f' class="footnote" rel="footnote">{number}</a></sup>'
        )

    # -- blocks ---------------------------------------------------------------------------
    def r_blank_line(self, token: Token, state: BlockState) -> str:
        return ""

    def r_eob(self, token: Token, state: BlockState) -> str:
        return ""

    def r_kd_options(self, token: Token, state: BlockState) -> str:
        return ""

    def r_footnote_def(self, token: Token, state: BlockState) -> str:
        return ""

    def r_link_def(self, token: Token, state: BlockState) -> str:
        return ""

    def r_abbr_def(self, token: Token, state: BlockState) -> str:
        return ""

    def r_paragraph(self, token: Token, state: BlockState) -> str:
        children = token.get("children") or []
        if len(children) == 1 and _is_standalone_image(children[0]):
            return self.standalone_image(token, children[0], state)
        return f"<p{self.attrs(token)}>{self.children(token, state)}</p>\n"

    def standalone_image(self, para: Token, image: Token, state: BlockState) -> str:
        """kramdown 2.4: an image alone in its paragraph with the `standalone` marker becomes
        a figure; the image's id and class move to the figure unless it has its own."""
        figure = dict(para.get("html_attrs") or {})
        img = dict(image.get("html_attrs") or {})
        for key in ("class", "id"):
            if key in img and key not in figure:
                figure[key] = img.pop(key)
        alt = plain_text(image)
        inner = self.r_image({**image, "html_attrs": img}, state)
        return (
            f"<figure{render_attrs(figure)}>\n{inner}\n"
            f"<figcaption>{_escape_text(alt)}</figcaption>\n</figure>\n"
        )

    def r_block_text(self, token: Token, state: BlockState) -> str:
        return self.children(token, state)

    def r_heading(self, token: Token, state: BlockState) -> str:
        level = token["attrs"]["level"]
        return f"<h{level}{self.attrs(token)}>{self.children(token, state)}</h{level}>\n"

    def r_thematic_break(self, token: Token, state: BlockState) -> str:
        return f"<hr{self.attrs(token)} />\n"

    def r_block_code(self, token: Token, state: BlockState) -> str:
        info = (token.get("attrs") or {}).get("info")
        lang = info.split(None, 1)[0] if info else None
        attrs = dict(token.get("html_attrs") or {})
        if lang:  # the fence's language replaces any language class from an IAL
            others = [c for c in attrs.get("class", "").split() if not c.startswith("language-")]
            attrs["class"] = " ".join([f"language-{lang.partition('?')[0]}", *others])
        code = token["raw"]
        if not code.endswith("\n"):  # kramdown's code block values always end a line
            code += "\n"
        return render_code_block(code, attrs, lang, self.opts(state))

    def r_block_quote(self, token: Token, state: BlockState) -> str:
        return f"<blockquote{self.attrs(token)}>\n{self.children(token, state)}</blockquote>\n"

    def r_block_html(self, token: Token, state: BlockState) -> str:
        return str(token["raw"])

    def r_raw_block(self, token: Token, state: BlockState) -> str:
        return str(token["raw"])

    def r_list(self, token: Token, state: BlockState) -> str:
        tag = "ol" if token["attrs"]["ordered"] else "ul"
        children = token.get("children") or []
        extra = (
            {"class": "task-list"} if any(c["type"] == "task_list_item" for c in children) else {}
        )
        return f"<{tag}{self.attrs(token, extra)}>\n{self.children(token, state)}</{tag}>\n"

    def r_list_item(self, token: Token, state: BlockState) -> str:
        return f"<li{self.attrs(token)}>{self.children(token, state)}</li>\n"

    def r_task_list_item(self, token: Token, state: BlockState) -> str:
        checked = ' checked="checked"' if token["attrs"].get("checked") else ""
        box = (
            '<input type="checkbox" class="task-list-item-checkbox" disabled="disabled"'
            f"{checked} />"
        )
        extra = {"class": "task-list-item"}
        return f"<li{self.attrs(token, extra)}>{box}{self.children(token, state)}</li>\n"

    def r_block_math(self, token: Token, state: BlockState) -> str:
        body = f"\\[{_escape_text(token['raw'])}\\]"
        if token.get("html_attrs"):
            return f"<div{self.attrs(token)}>{body}\n</div>\n"
        return body + "\n"

    def r_def_list(self, token: Token, state: BlockState) -> str:
        return f"<dl{self.attrs(token)}>\n{self.children(token, state)}</dl>\n"

    def r_def_list_head(self, token: Token, state: BlockState) -> str:
        return f"<dt{self.attrs(token)}>{self.children(token, state)}</dt>\n"

    def r_def_list_item(self, token: Token, state: BlockState) -> str:
        return f"<dd{self.attrs(token)}>{self.children(token, state)}</dd>\n"

    def r_table(self, token: Token, state: BlockState) -> str:
        return f"<table{self.attrs(token)}>\n{self.children(token, state)}</table>\n"

    def r_table_head(self, token: Token, state: BlockState) -> str:
        return f"<thead>\n{self.children(token, state)}</thead>\n"

    def r_table_body(self, token: Token, state: BlockState) -> str:
        return f"<tbody>\n{self.children(token, state)}</tbody>\n"

    def r_table_foot(self, token: Token, state: BlockState) -> str:
        return f"<tfoot>\n{self.children(token, state)}</tfoot>\n"

    def r_table_row(self, token: Token, state: BlockState) -> str:
        return f"<tr>\n{self.children(token, state)}</tr>\n"

    def r_table_cell(self, token: Token, state: BlockState) -> str:
        a = token.get("attrs") or {}
        tag = "th" if a.get("head") else "td"
        extra = {"style": f"text-align: {a['align']}"} if a.get("align") else {}
        return f"<{tag}{self.attrs(token, extra)}>{self.children(token, state)}</{tag}>\n"

    def r_footnotes(self, token: Token, state: BlockState) -> str:
        start = token.get("start", 1)
        ol_attrs = f' start="{start}"' if start != 1 else ""
        return (
            f'<div class="footnotes" role="doc-endnotes">\n<ol{ol_attrs}>\n'
            f"{self.children(token, state)}</ol>\n</div>\n"
        )

    def r_footnote_item(self, token: Token, state: BlockState) -> str:
        name = escape_attr(token["name"])
        return f'<li id="fn:{name}" role="doc-endnote">\n{self.children(token, state)}</li>\n'

    def r_html_element(self, token: Token, state: BlockState) -> str:
        tag = token["tag"]
        if tag in VOID and not token.get("children"):
            return f"<{tag}{self.attrs(token)} />"
        inner = self.children(token, state)
        if token.get("model") == "block":
            return f"<{tag}{self.attrs(token)}>\n{inner}</{tag}>\n"
        return f"<{tag}{self.attrs(token)}>{inner}</{tag}>" + ("\n" if token.get("block") else "")

    def r_toc(self, token: Token, state: BlockState) -> str:
        return str(token["raw"])


def _is_standalone_image(token: Token) -> bool:
    refs = (token.get("html_attrs") or {}).get("__refs", ())
    return token["type"] == "image" and "standalone" in refs


def plain_text(token: Token) -> str:
    """The text content of a token tree (image alt text, header raw text)."""
    if token["type"] in ("text", "codespan", "inline_math", "raw_text"):
        return str(token.get("raw", ""))
    if token["type"] == "footnote_ref":
        return ""
    return "".join(plain_text(child) for child in token.get("children") or [])
