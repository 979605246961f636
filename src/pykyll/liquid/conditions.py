"""Ruby Liquid's comparison semantics for `if`, `unless`, `case` and `where_exp` (and
Ruby's `for`/`tablerow` slicing), applied to parsed templates.

python-liquid compares with Python semantics (`blank == ""` is true, dates cannot be
ordered, `true` is in `[1]`). After parsing, :func:`rubyfy` walks a template's nodes and
replaces each comparison expression with a :class:`RubyComparison`, which follows
Liquid 5.4's `Condition` (`equal_variables`, `respond_to?(:<)`, `include?`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import Node
from liquid.builtin.expressions.logical import (
    ContainsExpression,
    EqExpression,
    GeExpression,
    GtExpression,
    LeExpression,
    LtExpression,
    NeExpression,
)
from liquid.builtin.expressions.loop import LoopExpression
from liquid.builtin.expressions.primitive import Blank, Empty
from liquid.builtin.tags.tablerow_tag import TablerowNode
from liquid.expression import Expression
from liquid.undefined import Undefined

from pykyll.liquid import ruby
from pykyll.liquid.ruby import RubyError

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.token import Token

_OPERATORS: dict[type, str] = {
    EqExpression: "==",
    NeExpression: "!=",
    LtExpression: "<",
    GtExpression: ">",
    LeExpression: "<=",
    GeExpression: ">=",
    ContainsExpression: "contains",
}


def _value(obj: object) -> object:
    if isinstance(obj, Undefined):
        return None
    if hasattr(obj, "__liquid__") and not isinstance(obj, (Empty, Blank)):
        return obj.__liquid__()
    return obj


def ruby_eq(a: object, b: object) -> bool:
    """Ruby's `==` between Liquid values."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    num = (int, float, Decimal)
    if isinstance(a, num) and isinstance(b, num):
        return a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(ruby_eq(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        if len(a) != len(b):
            return False
        return all(k in b and ruby_eq(_value(v), _value(b[k])) for k, v in a.items())
    if isinstance(a, _dt.datetime) != isinstance(b, _dt.datetime):
        return False
    try:
        return bool(a == b)
    except TypeError:
        return False


def _empty_check(other: object) -> bool:
    if isinstance(other, (str, list, tuple, Mapping)):
        return len(other) == 0
    return False


def equal_variables(left: object, right: object) -> bool:
    if isinstance(left, Blank) or isinstance(right, Blank):
        return False  # core Ruby objects have no `blank?`
    if isinstance(left, Empty):
        return _empty_check(right)
    if isinstance(right, Empty):
        return _empty_check(left)
    return ruby_eq(left, right)


def _orderable(value: object) -> bool:
    return isinstance(value, (int, float, Decimal, str, _dt.date)) and not isinstance(value, bool)


def ruby_order(op: str, left: object, right: object) -> bool:
    if not (_orderable(left) and _orderable(right)):
        return False
    c = ruby.spaceship(left, right)
    if c is None:
        raise RubyError(f"comparison of {ruby._class(left)} with {_describe(right)} failed")
    if op == "<":
        return c < 0
    if op == ">":
        return c > 0
    if op == "<=":
        return c <= 0
    return c >= 0


def _describe(value: object) -> str:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return ruby.inspect(value)
    return ruby._class(value)


def ruby_contains(left: object, right: object) -> bool:
    if left is None or left is False or right is None or right is False:
        return False
    if isinstance(left, str):
        return ruby.to_s(right) in left
    if isinstance(left, Mapping):
        return any(ruby_eq(k, right) for k in left)
    if isinstance(left, (list, tuple)):
        return any(ruby_eq(_value(item), right) for item in left)
    if isinstance(left, range):
        return any(ruby_eq(item, right) for item in left)
    return False


class RubyComparison(Expression):
    """`left op right` evaluated as Liquid 5.4's `Condition` does."""

    __slots__ = ("left", "method_literals", "op", "right")

    def __init__(
        self,
        token: Token,
        op: str,
        left: Expression,
        right: Expression,
        method_literals: bool = True,
    ) -> None:
        super().__init__(token=token)
        self.method_literals = method_literals
        self.op = op
        self.left = left
        self.right = right

    def __str__(self) -> str:
        return f"{self.left} {self.op} {self.right}"

    def evaluate(self, context: RenderContext) -> object:
        left = _value(self.left.evaluate(context))
        right = _value(self.right.evaluate(context))
        if not self.method_literals:
            # Jekyll's where_exp parses with `Expression.parse`: empty and blank are ""
            left = "" if isinstance(left, (Empty, Blank)) else left
            right = "" if isinstance(right, (Empty, Blank)) else right
        if self.op == "==":
            return equal_variables(left, right)
        if self.op == "!=":
            return not equal_variables(left, right)
        if self.op == "contains":
            return ruby_contains(left, right)
        return ruby_order(self.op, left, right)

    async def evaluate_async(self, context: RenderContext) -> object:
        return self.evaluate(context)

    def children(self) -> list[Expression]:
        return [self.left, self.right]


class RubyLoopExpression(LoopExpression):
    """`for` slicing as Ruby's Liquid: `limit: 0` renders nothing; drops that say so
    (`liquid_iterates_keys`) are iterated by key, as Jekyll's drops are."""

    __slots__ = ()

    def _to_iter(self, obj: object, context: RenderContext) -> tuple[Iterator[Any], int]:
        if getattr(obj, "liquid_iterates_keys", False):
            keys = list(obj)  # type: ignore[call-overload]
            return iter(keys), len(keys)
        return super()._to_iter(obj, context)

    def _slice(
        self,
        it: Iterator[object],
        length: int,
        context: RenderContext,
        *,
        limit: int | None,
        offset: int | str | None,
    ) -> tuple[Iterator[object], int]:
        key = f"{self.identifier}-{self.iterable}"
        start = context.stopindex(key) if offset == "continue" else int(offset or 0)
        stop = length if limit is None else limit + start
        start_ = min(max(start, 0), length)
        stop_ = max(min(stop, length), start_)
        context.stopindex(key=key, index=stop_)
        items = islice(it, start_, stop_)
        if self.reversed:
            return reversed(list(items)), stop_ - start_
        return items, stop_ - start_


class RubyTablerowNode(TablerowNode):
    """`tablerow` over nothing still writes one empty row, as Ruby's Liquid does."""

    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        _, length = self.expression.evaluate(context)
        if not length:
            return buffer.write('<tr class="row1">\n</tr>\n')
        return int(super().render_to_output(context, buffer))


def rubyfy_expression(expr: Any, *, method_literals: bool = True) -> Any:
    """Return `expr` with every comparison replaced by a :class:`RubyComparison`."""
    op = _OPERATORS.get(type(expr))
    if op is not None:
        return RubyComparison(
            expr.token,
            op,
            rubyfy_expression(expr.left, method_literals=method_literals),
            rubyfy_expression(expr.right, method_literals=method_literals),
            method_literals,
        )
    if type(expr) is LoopExpression:
        expr.__class__ = RubyLoopExpression
    if isinstance(expr, Expression):
        for slot in _slots(expr):
            child = getattr(expr, slot, None)
            if isinstance(child, Expression):
                setattr(expr, slot, rubyfy_expression(child, method_literals=method_literals))
    return expr


def _slots(obj: object) -> list[str]:
    names: list[str] = []
    for cls in type(obj).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    names.extend(getattr(obj, "__dict__", {}).keys())
    return names


def rubyfy(nodes: list[Any], _seen: set[int] | None = None) -> None:
    """Rewrite the conditions of parsed nodes (if/elsif/unless/case/when) in place."""
    seen = _seen if _seen is not None else set()
    for node in nodes:
        if id(node) in seen:
            continue
        seen.add(id(node))
        if type(node) is TablerowNode:
            node.__class__ = RubyTablerowNode
        for slot in _slots(node):
            if slot in ("token", "blank"):
                continue
            child = getattr(node, slot, None)
            if isinstance(child, Expression):
                setattr(node, slot, rubyfy_expression(child))
            elif isinstance(child, Node):
                rubyfy([child], seen)
            elif isinstance(child, list):
                rubyfy([c for c in child if isinstance(c, Node)], seen)
                for i, c in enumerate(child):
                    if isinstance(c, Expression):
                        child[i] = rubyfy_expression(c)
