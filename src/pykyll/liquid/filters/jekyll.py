"""Jekyll 4.3's 33 filters (lib/jekyll/filters.rb, date_filters.rb, grouping_filters.rb,
url_filters.rb), implemented from their documented behaviour with Ruby semantics."""

from __future__ import annotations

import datetime as _dt
import functools
import html
import json
import random
import re
import urllib.parse
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from liquid.builtin.expressions import BooleanExpression, FilteredExpression, tokenize
from liquid.builtin.expressions.primitive import Blank, Empty
from liquid.exceptions import LiquidSyntaxError
from liquid.filter import with_context
from liquid.stream import TokenStream
from liquid.token import TOKEN_EXPRESSION, Token

from pykyll import utils
from pykyll.liquid import ruby
from pykyll.liquid.conditions import rubyfy_expression
from pykyll.liquid.filters.standard import cgi_escape, nil
from pykyll.liquid.ruby import RubyError, to_s

if TYPE_CHECKING:
    from liquid.context import RenderContext


def _services(context: RenderContext) -> Any:
    return getattr(context.env, "services", None)


def _config(context: RenderContext) -> Mapping[str, Any]:
    services = _services(context)
    if services is not None:
        return services.config
    site = context.resolve("site", default=None)
    return site if isinstance(site, Mapping) else {}


# -- URLs ----------------------------------------------------------------------------------

_UNRESERVED = "-._~"
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = _UNRESERVED + _SUB_DELIMS + ":@/"
_QUERY_SAFE = _PATH_SAFE + "?"
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")


_ALREADY_SAFE: dict[str, re.Pattern[str]] = {}


def _encode_component(text: str, safe: str) -> str:
    """Percent-encode like Addressable: keep valid escapes (upper-cased), decode escaped
    unreserved characters, encode everything outside `safe`."""
    plain = _ALREADY_SAFE.get(safe)
    if plain is None:
        plain = _ALREADY_SAFE[safe] = re.compile(f"[A-Za-z0-9{re.escape(safe)}]*")
    if plain.fullmatch(text):
        return text  # nothing to encode (the common case: a site's own paths)
    out: list[str] = []
    i = 0
    while i < len(text):
        m = _PCT.match(text, i)
        if m:
            ch = chr(int(m.group(1), 16))
            if ch.isascii() and (ch.isalnum() or ch in _UNRESERVED):
                out.append(ch)
            else:
                out.append("%" + m.group(1).upper())
            i = m.end()
            continue
        out.append(urllib.parse.quote(text[i], safe=safe))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
            continue
        if seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
            continue
        out.append(seg)
    result = "/".join(out)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


_SCHEME = re.compile(r"\A([A-Za-z][A-Za-z0-9+.-]*):")


def is_absolute(url: str) -> bool:
    return bool(_SCHEME.match(url))


@functools.lru_cache(maxsize=8192)
def normalize_url(url: str) -> str:
    """`Addressable::URI.parse(url).normalize.to_s` for the URLs Jekyll builds."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if netloc:
        host = parts.hostname or ""
        port = parts.port
        userinfo = netloc.rpartition("@")[0]
        netloc = (userinfo + "@" if userinfo else "") + host.lower()
        if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
            netloc += f":{port}"
    path = _encode_component(_remove_dot_segments(parts.path), _PATH_SAFE)
    if netloc and not path and scheme in ("http", "https"):
        path = "/"
    out = ""
    if scheme:
        out += scheme + ":"
    if netloc or url.startswith("//") or scheme in ("http", "https"):
        out += "//" + netloc
    out += path
    if parts.query or url.rstrip("#").endswith("?"):
        out += "?" + _encode_component(parts.query, _QUERY_SAFE)
    if parts.fragment or "#" in url:
        out += "#" + _encode_component(parts.fragment, _QUERY_SAFE)
    return out


def _ensure_leading_slash(text: str) -> str:
    return text if not text or text.startswith("/") else "/" + text


def _url_of(value: object) -> object:
    if isinstance(value, Mapping) and "url" in value and not isinstance(value, dict):
        return value["url"]
    return value


def compute_relative_url(value: object, config: Mapping[str, Any]) -> str:
    baseurl = config.get("baseurl")
    return _relative_url(to_s(_url_of(value)), "" if baseurl is None else to_s(baseurl))


@functools.lru_cache(maxsize=8192)  # menus repeat the same few URLs on every page
def _relative_url(text: str, base: str) -> str:
    if is_absolute(text):
        return text
    if base.endswith("/"):
        base = base[:-1]
    return normalize_url(_ensure_leading_slash(base) + _ensure_leading_slash(text))


@with_context
def relative_url(value: object, *, context: RenderContext) -> str | None:
    value = nil(value)
    if value is None:
        return None
    return compute_relative_url(value, _config(context))


@with_context
def absolute_url(value: object, *, context: RenderContext) -> str | None:
    value = nil(value)
    if value is None:
        return None
    config = _config(context)
    text = to_s(_url_of(value))
    if is_absolute(text):
        return text
    site_url = config.get("url")
    relative = compute_relative_url(text, config)
    if site_url is None or to_s(site_url) == "":
        return relative
    return normalize_url(to_s(site_url) + relative)


def strip_index(value: object) -> object:
    value = nil(value)
    if value is None or to_s(value) == "":
        return value
    return re.sub(r"/index\.html?$", "/", to_s(value), count=1, flags=re.M)


# -- dates ---------------------------------------------------------------------------------


def _time(value: object) -> _dt.datetime:
    parsed = ruby.to_date(value)
    if parsed is None:
        raise RubyError(f"Invalid Date: '{ruby.inspect(value)}' is not a valid datetime.")
    return ruby.localtime(ruby.to_time(parsed))


def date_to_xmlschema(value: object) -> object:
    value = nil(value)
    if to_s(value) == "":
        return value
    return ruby.xmlschema(_time(value))


def date_to_rfc822(value: object) -> object:
    value = nil(value)
    if to_s(value) == "":
        return value
    return ruby.rfc822(_time(value))


def _ordinal(day: int) -> str:
    if 11 <= day <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _stringify_date(value: object, month: str, kind: object, style: object) -> object:
    value = nil(value)
    if to_s(value) == "":
        return value
    time = _time(value)
    if nil(kind) == "ordinal":
        day = f"{time.day}{_ordinal(time.day)}"
        if nil(style) == "US":
            return ruby.strftime(time, f"{month} {day}, %Y")
        return ruby.strftime(time, f"{day} {month} %Y")
    return ruby.strftime(time, f"%d {month} %Y")


def date_to_string(value: object, kind: object = None, style: object = None) -> object:
    return _stringify_date(value, "%b", kind, style)


def date_to_long_string(value: object, kind: object = None, style: object = None) -> object:
    return _stringify_date(value, "%B", kind, style)


# -- collections ---------------------------------------------------------------------------

_INTEGER_LIKE = re.compile(r"\A\s*-?\d+\s*\Z")
_FLOAT_LIKE = re.compile(r"\A\s*-?(?:\d+\.?\d*|\.\d+)\s*\Z")


def _parse_sort_input(value: object) -> object:
    text = to_s(value)
    if _INTEGER_LIKE.match(text):
        return ruby.to_i(text)
    if _FLOAT_LIKE.match(text):
        return ruby.to_f(text)
    return value


def _lookup(obj: object, key: str) -> object:
    obj = nil(obj)
    if isinstance(obj, Mapping):
        return nil(obj.get(key))
    if isinstance(obj, str):
        return key if key in obj else None
    if obj is None:
        raise RubyError("undefined method `[]' for nil:NilClass")
    if isinstance(obj, (list, tuple)):
        raise RubyError("no implicit conversion of String into Integer")
    raise RubyError(f"undefined method `[]' for {ruby._class(obj)}")


def _read_attribute(data: object, key: str) -> object:
    """`data.respond_to?(:[]) && data[key]`, one step of a dotted property."""
    data = nil(data)
    if data is None or isinstance(data, (bool, float, Decimal)):
        return False
    if isinstance(data, int):
        raise RubyError("no implicit conversion of String into Integer")
    return _lookup(data, key)


def item_property(item: object, prop: object) -> object:
    """Jekyll 4.3's `item_property`: `item[prop]` (or a dotted path read with
    `read_liquid_attribute`), then numbers in strings become numbers."""
    name = to_s(prop)
    if "." not in name:
        return _parse_sort_input(_lookup(item, name))
    value: object = item
    for key in name.split("."):
        value = _read_attribute(value, key)
    return _parse_sort_input(value)


def _selectable(value: object) -> list[Any] | None:
    value = nil(value)
    if isinstance(value, Mapping):
        return list(value.values())
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, range):
        return list(value)
    return None


def _matches(prop: object, target: object) -> bool:
    target = nil(target)
    if target is None:
        return prop is None
    if isinstance(target, (Empty, Blank)):
        if prop == "":
            return True
        return ruby.join(_ruby_array(prop)) == ""
    t = to_s(target)
    if isinstance(prop, str):
        return prop == t
    return any(to_s(p) == t for p in _ruby_array(prop))


def _ruby_array(value: object) -> list[Any]:
    """`Kernel#Array`."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, Mapping):
        return [[k, v] for k, v in value.items()]
    return [value]


def where(value: object, prop: object, target: object = None) -> object:
    if nil(prop) is None or isinstance(nil(target), (list, tuple, Mapping)):
        return value
    items = _selectable(value)
    if items is None:
        return value
    return [i for i in items if _matches(item_property(i, prop), target)]


def find(value: object, prop: object, target: object = None) -> object:
    if nil(prop) is None or isinstance(nil(target), (list, tuple, Mapping)):
        return value
    items = _selectable(value)
    if items is None:
        return value
    for i in items:
        if _matches(item_property(i, prop), target):
            return i
    return None


def _parse_condition(context: RenderContext, expression: str) -> BooleanExpression:
    cache: dict[str, BooleanExpression] = context.env.__dict__.setdefault("_condition_cache", {})
    parsed = cache.get(expression)
    if parsed is None:
        token = Token(TOKEN_EXPRESSION, expression, 0, expression)
        parsed = BooleanExpression.parse(context.env, TokenStream(tokenize(expression, token)))
        rubyfy_expression(parsed, method_literals=False)
        cache[expression] = parsed
    return parsed


def _parse_expression(context: RenderContext, expression: str) -> Any:
    cache: dict[str, Any] = context.env.__dict__.setdefault("_expression_cache", {})
    parsed = cache.get(expression)
    if parsed is None:
        token = Token(TOKEN_EXPRESSION, expression, 0, expression)
        try:
            parsed = FilteredExpression.parse(context.env, TokenStream(tokenize(expression, token)))
        except LiquidSyntaxError:
            from pykyll.liquid.environment import lax_expression

            parsed = lax_expression(context.env, token)
        cache[expression] = parsed
    return parsed


@with_context
def where_exp(value: object, variable: object, expression: object, *, context: RenderContext):  # type: ignore[no-untyped-def]
    items = _selectable(value)
    if items is None:
        return value
    condition = _parse_condition(context, to_s(expression))
    name = to_s(variable)
    out = []
    for item in items:
        with context.extend({name: item}):
            if condition.evaluate(context):
                out.append(item)
    return out


@with_context
def find_exp(value: object, variable: object, expression: object, *, context: RenderContext):  # type: ignore[no-untyped-def]
    items = _selectable(value)
    if items is None:
        return value
    condition = _parse_condition(context, to_s(expression))
    name = to_s(variable)
    for item in items:
        with context.extend({name: item}):
            if condition.evaluate(context):
                return item
    return None


def _grouped(keys_items: list[tuple[object, object]]) -> list[dict[str, Any]]:
    groups: dict[object, tuple[object, list[Any]]] = {}
    for key, item in keys_items:
        k = _hash_key(key)
        if k not in groups:
            groups[k] = (key, [])
        groups[k][1].append(item)
    return [{"name": key, "items": items, "size": len(items)} for key, items in groups.values()]


def _hash_key(value: object) -> object:
    if isinstance(value, (list, tuple, Mapping)):
        return ("repr", ruby.inspect(value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (type(value).__name__, value)
    return value


def group_by(value: object, prop: object) -> object:
    items = _groupable(value)
    if items is None:
        return value
    return _grouped([(to_s(item_property(i, prop)), i) for i in items])


def _groupable(value: object) -> list[Any] | None:
    value = nil(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, Mapping):
        return [[k, v] for k, v in value.items()]
    return None


@with_context
def group_by_exp(value: object, variable: object, expression: object, *, context: RenderContext):  # type: ignore[no-untyped-def]
    items = _groupable(value)
    if items is None:
        return value
    expr = _parse_expression(context, to_s(expression))
    name = to_s(variable)
    keyed = []
    for item in items:
        with context.extend({name: item}):
            keyed.append((nil(expr.evaluate(context)), item))
    return _grouped(keyed)


def sort(value: object, prop: object = None, nils: object = "first") -> object:
    value = nil(value)
    if value is None:
        raise RubyError("Cannot sort a null object.")
    if isinstance(value, Mapping):
        items: list[Any] = [[k, v] for k, v in value.items()]
    elif isinstance(value, (list, tuple, range)):
        items = list(value)
    else:
        raise RubyError(f"undefined method `sort' for {ruby.inspect(value)}:{ruby._class(value)}")
    prop = nil(prop)
    if prop is None:
        return ruby.ruby_sort(items)
    nils = nil(nils)
    if nils == "first":
        order = -1
    elif nils == "last":
        order = 1
    else:
        raise RubyError(
            f"Invalid nils order: '{to_s(nils)}' is not a valid nils order. "
            "It must be 'first' or 'last'."
        )
    keyed = [(item_property(i, prop), i) for i in items]

    def cmp(a: tuple[object, object], b: tuple[object, object]) -> int:
        x, y = a[0], b[0]
        if x is not None and y is None:
            return -order
        if x is None and y is not None:
            return order
        c = ruby.spaceship(x, y)
        if c is None:
            c = ruby.compare(to_s(x), to_s(y))
        return c

    return [i for _, i in ruby.ruby_sort(keyed, cmp)]


def sample(value: object, num: object = 1) -> object:
    value = nil(value)
    if not isinstance(value, (list, tuple)):
        return value
    try:
        n = ruby.liquid_to_integer(num)
    except RubyError:
        n = 1
    if n == 1:
        return random.choice(value) if value else None
    return random.sample(list(value), min(max(n, 0), len(value)))


def push(value: object, item: object) -> object:
    if not isinstance(value, (list, tuple)):
        return value
    return [*value, item]


def pop(value: object, num: object = 1) -> object:
    if not isinstance(value, (list, tuple)):
        return value
    n = ruby.liquid_to_integer(num)
    items = list(value)
    return items[: max(len(items) - n, 0)] if n > 0 else items


def shift(value: object, num: object = 1) -> object:
    if not isinstance(value, (list, tuple)):
        return value
    n = ruby.liquid_to_integer(num)
    return list(value)[n:] if n > 0 else list(value)


def unshift(value: object, item: object) -> object:
    if not isinstance(value, (list, tuple)):
        return value
    return [item, *value]


def array_to_sentence_string(value: object, connector: object = "and") -> str:
    value = nil(value)
    if not isinstance(value, (list, tuple, str, Mapping)):
        raise RubyError(f"undefined method `length' for {ruby.inspect(value)}")
    items = list(value)
    conn = to_s(nil(connector))
    if not items:
        return ""
    if len(items) == 1:
        return to_s(items[0])
    if len(items) == 2:
        return f"{to_s(items[0])} {conn} {to_s(items[1])}"
    return f"{ruby.join(items[:-1], ', ')}, {conn} {to_s(items[-1])}"


# -- text ----------------------------------------------------------------------------------


@with_context
def markdownify(value: object, *, context: RenderContext) -> str:
    services = _services(context)
    text = to_s(nil(value))
    if services is None:
        return text
    return str(services.markdownify(text))


def smartify(value: object) -> str:
    text = to_s(nil(value))
    from pykyll.markdown.smartypants import smartypants

    return smartypants(text)


def sassify(value: object) -> str:
    return _sass(value, "sass")


def scssify(value: object) -> str:
    return _sass(value, "scss")


def _sass(value: object, syntax: str) -> str:
    text = to_s(nil(value))
    try:
        import sass  # type: ignore[import-not-found]
    except ImportError as err:  # pragma: no cover
        raise RubyError(f"{syntax}ify needs libsass") from err
    return str(sass.compile(string=text, indented=syntax == "sass", output_style="expanded"))


def slugify(value: object, mode: object = None) -> object:
    value = nil(value)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RubyError(f"undefined method `gsub' for {to_s(value)}:{ruby._class(value)}")
    return utils.slugify(value, to_s(nil(mode)) if nil(mode) is not None else None)


_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3041-\u3096"
    "\u309d-\u309f\u30a1-\u30fa\u30fd-\u30ff\u3131-\u318e\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff6f"
    "\uff71-\uff9d\uffa0-\uffdc\U00020000-\U0003134f"
)
_CJK_RE = re.compile(f"[{_CJK}]")
_WORD_RE = re.compile(f"[^{_CJK}\\s]+")


def number_of_words(value: object, mode: object = None) -> int:
    text = to_s(nil(value))
    m = nil(mode)
    if m == "cjk":
        return len(_CJK_RE.findall(text)) + len(_WORD_RE.findall(text))
    if m == "auto":
        cjk = len(_CJK_RE.findall(text))
        return len(text.split()) if cjk == 0 else cjk + len(_WORD_RE.findall(text))
    return len(text.split())


def normalize_whitespace(value: object) -> str:
    return re.sub(r"\s+", " ", to_s(nil(value))).strip(" ")


def xml_escape(value: object) -> str:
    text = to_s(nil(value))
    return html.escape(text, quote=True).replace("&#x27;", "&apos;")


def cgi_escape_filter(value: object) -> str:
    return cgi_escape(to_s(nil(value)))


_URI_SAFE = ":/?#[]@!$&'()*+,;=" + "-._~"


def uri_escape(value: object) -> str:
    text = to_s(nil(value))
    decoded = _PCT.sub(
        lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 128 else m.group(0), text
    )
    return urllib.parse.quote(decoded, safe=_URI_SAFE)


def to_json(value: object) -> str:
    """Ruby's `to_json` of a Liquid value."""
    value = nil(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return ruby.format_float(float(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return (
            "{"
            + ",".join(
                f"{json.dumps(to_s(k), ensure_ascii=False)}:{to_json(v)}" for k, v in value.items()
            )
            + "}"
        )
    if isinstance(value, (list, tuple, range)):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    return json.dumps(to_s(value), ensure_ascii=False)


def jsonify(value: object) -> str:
    return to_json(value)


def inspect(value: object) -> str:
    return xml_escape(ruby.inspect(nil(value)))


def to_integer(value: object) -> int:
    value = nil(value)
    if value is True:
        return 1
    if value is False:
        return 0
    return ruby.to_i(value)


FILTERS: dict[str, Any] = {
    "relative_url": relative_url,
    "absolute_url": absolute_url,
    "strip_index": strip_index,
    "date_to_xmlschema": date_to_xmlschema,
    "date_to_rfc822": date_to_rfc822,
    "date_to_string": date_to_string,
    "date_to_long_string": date_to_long_string,
    "where": where,
    "where_exp": where_exp,
    "find": find,
    "find_exp": find_exp,
    "group_by": group_by,
    "group_by_exp": group_by_exp,
    "sort": sort,
    "sample": sample,
    "push": push,
    "pop": pop,
    "shift": shift,
    "unshift": unshift,
    "array_to_sentence_string": array_to_sentence_string,
    "markdownify": markdownify,
    "smartify": smartify,
    "sassify": sassify,
    "scssify": scssify,
    "slugify": slugify,
    "number_of_words": number_of_words,
    "normalize_whitespace": normalize_whitespace,
    "xml_escape": xml_escape,
    "cgi_escape": cgi_escape_filter,
    "uri_escape": uri_escape,
    "jsonify": jsonify,
    "inspect": inspect,
    "to_integer": to_integer,
}
