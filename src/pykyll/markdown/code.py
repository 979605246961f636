"""Code blocks and code spans with kramdown's Rouge wrapper markup."""

from __future__ import annotations

import html
import re
from typing import Any

from .attrs import render_attrs

_LANG_CLASS = re.compile(r"\blanguage-(\S+)")


def extract_language(attrs: dict[str, Any], remove: bool) -> str | None:
    """Take `language-x` out of the class attribute, as kramdown's converter does."""
    cls = attrs.get("class")
    if not cls:
        return None
    m = _LANG_CLASS.search(cls)
    if not m:
        return None
    if remove:
        rest = _LANG_CLASS.sub("", cls, count=1).strip()
        if rest:
            attrs["class"] = rest
        else:
            del attrs["class"]
    return m.group(1)


def _highlighter_language(lang: str | None, options: dict[str, Any]) -> str | None:
    """The language Rouge would highlight in, or None when kramdown leaves the code plain."""
    if not options.get("syntax_highlighter"):
        return None
    hl = options.get("syntax_highlighter_opts") or {}
    if hl.get("disable"):
        return None
    default = hl.get("default_lang")
    guess = hl.get("guess_lang")
    chosen = lang or default
    if not chosen:
        return None
    from pykyll.highlight import is_known_language  # Pygments: only when code is shown

    if not is_known_language(chosen):
        return None
    plaintext = chosen.partition("?")[0].lower() in ("plaintext", "text", "plain", "txt")
    if plaintext and not guess:
        return None
    return chosen


def _add_highlighter_class(attrs: dict[str, Any], lang: str) -> dict[str, Any]:
    name = lang.partition("?")[0]
    # kramdown puts the language class first and highlighter-rouge last
    classes = [f"language-{name}"]
    classes += [c for c in (attrs.get("class") or "").split() if c]
    classes.append("highlighter-rouge")
    result = dict(attrs)
    result["class"] = " ".join(classes)
    return result


def render_code_block(
    code: str, attrs: dict[str, Any], info_lang: str | None, options: dict[str, Any]
) -> str:
    """`<div class="language-x highlighter-rouge">…` or a plain `<pre><code>`."""
    attrs = dict(attrs)
    lang = extract_language(attrs, remove=True)
    hl_lang = _highlighter_language(info_lang or lang, options)
    if hl_lang:
        from pykyll.highlight import highlight

        body = highlight(code, hl_lang)
        wrapper = _add_highlighter_class(attrs, lang or hl_lang)
        return (
            f'<div{render_attrs(wrapper)}><div class="highlight"><pre class="highlight">'
            f"<code>{body}</code></pre></div></div>\n"
        )
    text = html.escape(code, quote=False)
    if text.endswith("\n"):
        text = text[:-1]
    if re.search(r"\bshow-whitespaces\b", str(attrs.get("class", ""))):
        text = _show_whitespace(text)
    code_attrs = {"class": f"language-{lang}"} if lang else {}
    return f"<pre{render_attrs(attrs)}><code{render_attrs(code_attrs)}>{text}\n</code></pre>\n"


_WHITESPACE = re.compile(r"(^[ \t]+)|([ \t]+$)|([ \t]+)", re.M)


def _show_whitespace(text: str) -> str:
    """kramdown's `show-whitespaces` class: visible tabs and spaces (leading, trailing, inner)."""

    def mark(m: re.Match[str]) -> str:
        suffix = "-l" if m.group(1) else "-r" if m.group(2) else ""
        return "".join(
            f'<span class="ws-tab{suffix}">\t</span>'
            if c == "\t"
            else f'<span class="ws-space{suffix}">&#8901;</span>'
            for c in m.group(0)
        )

    return _WHITESPACE.sub(mark, text)


def render_code_span(code: str, attrs: dict[str, Any], options: dict[str, Any]) -> str:
    """`<code class="language-x highlighter-rouge">` when Rouge handles it, else `<code>`."""
    attrs = dict(attrs)
    lang = extract_language(attrs, remove=False)
    hl_lang = _highlighter_language(lang, options)
    if hl_lang:
        attrs = dict(attrs)
        extract_language(attrs, remove=True)
        return (
            f"<code{render_attrs(_add_highlighter_class(attrs, hl_lang))}>"
            + _highlight(code, hl_lang)
            + "</code>"
        )
    return f"<code{render_attrs(attrs)}>{html.escape(code, quote=False)}</code>"


FENCE_START = (
    r"^ {0,3}(?P<kd_fence>(?P<kd_fence_char>[~`])(?P=kd_fence_char){2,})"
    r"[ \t]*(?P<kd_fence_info>\S+)?[ \t]*$"
)


def parse_fenced_code(block: Any, m: re.Match[str], state: Any) -> int | None:
    """GFM fences as kramdown-parser-gfm reads them: a closing fence is required and the
    content keeps its indentation."""
    fence = m.group("kd_fence")
    body_start = m.end() + 1
    close = re.compile(
        r"^ {0,3}" + re.escape(fence) + re.escape(fence[0]) + r"*[ \t]*(?:\n|\Z)", re.M
    )
    end = close.search(state.src, body_start)
    if end is None:
        return None
    token: dict[str, Any] = {
        "type": "block_code",
        "raw": state.src[body_start : end.start()],
        "style": "fenced",
    }
    if m.group("kd_fence_info"):
        token["attrs"] = {"info": m.group("kd_fence_info")}
    state.append_token(token)
    return end.end()


def register(md: Any) -> None:
    md.block.register("fenced_code", FENCE_START, parse_fenced_code)
    block = md.block
    block.register("kd_indent_code", INDENTED_CODE, parse_indented_code, before="indent_code")
    # mistune's own indented code (and its fast path, keyed on the rule name) must go
    for rules in (block.rules, block.block_quote_rules, block.list_rules):
        if "indent_code" in rules:
            rules[rules.index("indent_code")] = "kd_indent_code"
        while rules.count("kd_indent_code") > 1:
            rules.remove("kd_indent_code")


_LAZY_STOP = (
    r"(?! {0,3}\{:(?!:|/)[^}\n]+\}[ \t]*\n|\^\s*?\n"
    r"| {0,3}</?(?!(?:a|abbr|acronym|b|big|bdo|br|button|cite|code|del|dfn|em|i|img|input|ins"
    r"|kbd|label|option|q|rb|rbc|rp|rt|rtc|ruby|samp|select|small|span|strong|sub|sup|tt|var)"
    r"\b)[A-Za-z])"
)
_CODE_CHUNK = r"(?:(?:\t| {4})[ \t]*\S.*\n)+(?:" + _LAZY_STOP + r"[ \t]*\S.*\n)*"
INDENTED_CODE = r"^" + _CODE_CHUNK + r"(?:(?:[ \t]*\n)+" + _CODE_CHUNK + r")*"
_INDENT = re.compile(r"^(?:\t| {4})", re.M)


def parse_indented_code(block: Any, m: re.Match[str], state: Any) -> int | None:
    """kramdown's indented code: lazy (less indented) lines join the line before them."""
    if state.last_token() is not None and state.last_token()["type"] == "paragraph":
        return None
    data = re.sub(r"\n( {0,3}\S)", r" \1", m.group(0))
    data = _INDENT.sub("", data)
    state.append_token({"type": "block_code", "raw": data, "style": "indent"})
    return m.end()


def _highlight(code: str, lang: str) -> str:
    from pykyll.highlight import highlight

    return highlight(code, lang)
