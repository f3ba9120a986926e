"""The coding-query language: its grammar, a hand-written parser, and the printer that writes a tree back.

A query names themes and details of the cases, and combines them the way an NVivo user expects::

    "Funding/Training" AND NOT "Ethos"
    ("Risk"/* OR "Trust") AND participant_group = "Client"
    "Workload" NEAR/200 "Training" AND coder = "Ailsa"
    "Workload" NEAR/TURN "Training" AND format IN ("group", "paired")

The grammar, loosest first (keywords in any case)::

    query   := or
    or      := and ("OR" and)*
    and     := near (("AND" | "AND NOT" | "NOT") near)*    "A NOT B" is "A AND NOT B": A but not B
    near    := unary ("NEAR" "/" (NUMBER | "TURN" | "PARAGRAPH") unary)*
    unary   := "NOT" unary | "(" or ")" | theme | filter
    theme   := STRING ["/*"]            a theme by its path; "/*" after it adds its sub-themes
    filter  := key ("=" | "!=") value | key ["NOT"] "IN" "(" value ("," value)* ")"
    key     := WORD | "[" any text but "]" "]"      participant_group, council_area, coder, [Years in post]
    value   := STRING | WORD | NUMBER

A STRING is in double quotes, with ``\\"`` and ``\\\\`` for a quote and a backslash inside it. A theme's
name cannot hold "/", so ``"Funding/Training"`` is the theme Training under Funding, alone; its
sub-themes are added with ``"Funding/Training"/*``. What a key means (its short forms ``group``,
``area``, ``interview``; ``coder``; a case's own attributes) is the evaluator's business
(:mod:`jswcoder.analysis.query`): the parser keeps the key as written.

Nothing is ever evaluated as Python. A malformed query is refused with one plain line naming the
character where it went wrong (counted from 1): ``at character 14: expected a theme path in double
quotes``. :func:`unparse` writes a tree so that :func:`parse` gives the same tree back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from jswcoder.errors import InvalidInput

MAX_LENGTH = 10_000  # characters in one query
MAX_DEPTH = 60  # nested parentheses and NOTs: far beyond any real query, well inside Python's stack
MAX_DISTANCE = 10_000_000  # characters for NEAR/n
MAX_PARTS = 100  # themes and filters in one query (a chain of them is as deep as it is long)

Scope = int | Literal["turn", "paragraph"]
FilterOp = Literal["=", "!=", "in", "not in"]


class QuerySyntaxError(InvalidInput):
    """A query that does not follow the grammar; ``position`` is the character (from 1) where it failed."""

    def __init__(self, position: int, expected: str, at_end: bool = False) -> None:
        self.position = position
        where = f"at character {position} (the end)" if at_end else f"at character {position}"
        super().__init__(f"{where}: {expected}")


@dataclass(frozen=True, slots=True)
class Theme:
    path: str
    subthemes: bool = False


@dataclass(frozen=True, slots=True)
class Filter:
    """A restriction by a detail of the case, an attribute, or the coder."""

    key: str
    op: FilterOp
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Near:
    left: Node
    right: Node
    scope: Scope  # within this many characters, or the same speaker turn or paragraph


Node = Theme | Filter | Not | And | Or | Near

KEYWORDS = frozenset({"AND", "OR", "NOT", "NEAR", "IN", "TURN", "PARAGRAPH"})
_WORD = re.compile(r"[^\W\d]\w*|\d+")  # a name (letters, digits, _) or a whole number
_SPACE = re.compile(r"\s*")
_SYMBOLS = ("!=", "=", "(", ")", ",", "/", "*")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Literal["word", "string", "key", "symbol", "end"]
    text: str  # a word or symbol as written; a string's or bracketed key's content, unescaped
    at: int  # where it starts in the query (from 0)

    def keyword(self) -> str | None:
        upper = self.text.upper()
        return upper if self.kind == "word" and upper in KEYWORDS else None


def _tokens(query: str) -> list[_Token]:
    found: list[_Token] = []
    at = _SPACE.match(query, 0).end()  # type: ignore[union-attr]  # \s* always matches
    while at < len(query):
        char = query[at]
        if char == '"':
            text, after = _string(query, at)
            found.append(_Token("string", text, at))
        elif char == "[":
            close = query.find("]", at + 1)
            if close < 0:
                raise QuerySyntaxError(at + 1, "a key in [brackets] needs its closing ]")
            found.append(_Token("key", query[at + 1 : close], at))
            after = close + 1
        elif word := _WORD.match(query, at):
            found.append(_Token("word", word.group(), at))
            after = word.end()
        else:
            symbol = next((s for s in _SYMBOLS if query.startswith(s, at)), None)
            if symbol is None:
                raise QuerySyntaxError(at + 1, f"{char!r} has no meaning in a query")
            found.append(_Token("symbol", symbol, at))
            after = at + len(symbol)
        at = _SPACE.match(query, after).end()  # type: ignore[union-attr]
    found.append(_Token("end", "", len(query)))
    return found


def _string(query: str, at: int) -> tuple[str, int]:
    """The text of the string opening at ``query[at]`` (a double quote), and where it ends."""
    chars: list[str] = []
    i = at + 1
    while i < len(query):
        char = query[i]
        if char == '"':
            return "".join(chars), i + 1
        if char == "\\":
            if i + 1 < len(query) and query[i + 1] in '"\\':
                chars.append(query[i + 1])
                i += 2
                continue
            raise QuerySyntaxError(i + 1, 'inside quotes a backslash is written \\\\ and a quote \\"')
        chars.append(char)
        i += 1
    raise QuerySyntaxError(at + 1, "this double quote is never closed")


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokens(query)
        self.i = 0
        self.depth = 0
        self.parts = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.i]

    def fail(self, expected: str) -> QuerySyntaxError:
        token = self.token
        return QuerySyntaxError(token.at + 1, expected, at_end=token.kind == "end")

    def take(self) -> _Token:
        token = self.token
        self.i += 1
        return token

    def at_keyword(self, *words: str) -> bool:
        return self.token.keyword() in words

    def at_symbol(self, symbol: str) -> bool:
        return self.token.kind == "symbol" and self.token.text == symbol

    def expect_symbol(self, symbol: str, expected: str) -> None:
        if not self.at_symbol(symbol):
            raise self.fail(expected)
        self.i += 1

    def query_tree(self) -> Node:
        node = self.or_()
        if self.token.kind != "end":
            if self.at_symbol(")"):
                raise self.fail("this ) closes no (")
            raise self.fail("expected AND, OR, NOT or NEAR between two parts")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.at_keyword("OR"):
            self.i += 1
            node = Or(node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.near()
        while self.at_keyword("AND", "NOT"):
            negated = self.take().keyword() == "NOT"
            if not negated and self.at_keyword("NOT"):
                negated = True
                self.i += 1
            right = self.near()
            node = And(node, Not(right) if negated else right)
        return node

    def near(self) -> Node:
        node = self.unary()
        while self.at_keyword("NEAR"):
            self.i += 1
            self.expect_symbol("/", "expected / after NEAR (NEAR/200, NEAR/TURN or NEAR/PARAGRAPH)")
            scope = self.scope()
            node = Near(node, self.unary(), scope)
        return node

    def scope(self) -> Scope:
        token = self.token
        if token.kind == "word" and token.text.isdecimal():
            distance = int(token.text)
            if distance > MAX_DISTANCE:
                raise self.fail(f"NEAR's distance can be at most {MAX_DISTANCE:,} characters")
            self.i += 1
            return distance
        if token.keyword() in ("TURN", "PARAGRAPH"):
            self.i += 1
            return "turn" if token.keyword() == "TURN" else "paragraph"
        raise self.fail("expected a number of characters, TURN or PARAGRAPH after NEAR/")

    def unary(self) -> Node:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise self.fail(f"a query can combine at most {MAX_PARTS} themes and details")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"the query is nested more than {MAX_DEPTH} deep")
        try:
            token = self.token
            if token.keyword() == "NOT":
                self.i += 1
                return Not(self.unary())
            if self.at_symbol("("):
                self.i += 1
                node = self.or_()
                self.expect_symbol(")", "expected ) to close the ( at character " + str(token.at + 1))
                return node
            if token.kind == "string":
                self.i += 1
                if self.at_symbol("/"):
                    self.i += 1
                    self.expect_symbol("*", 'expected * after the theme\'s / ("Theme"/* adds its sub-themes)')
                    return Theme(token.text, subthemes=True)
                return Theme(token.text)
            if token.kind == "key" or (token.kind == "word" and token.keyword() is None):
                return self.filter()
            raise self.fail("expected a theme path in double quotes, or a detail such as participant_group")
        finally:
            self.depth -= 1

    def filter(self) -> Filter:
        key = self.take()
        if key.kind == "word" and key.text[0].isdecimal():
            raise QuerySyntaxError(key.at + 1, "expected a theme path in double quotes, or a detail's name")
        if not key.text.strip():
            raise QuerySyntaxError(key.at + 1, "a key in [brackets] needs a name")
        if self.at_symbol("=") or self.at_symbol("!="):
            op: FilterOp = "=" if self.take().text == "=" else "!="
            return Filter(key.text, op, (self.value(),))
        negated = self.at_keyword("NOT")
        if negated:
            self.i += 1
        if not self.at_keyword("IN"):
            raise self.fail(f"expected =, != or IN after {key.text!r}")
        self.i += 1
        self.expect_symbol("(", "expected ( and the values after IN")
        values = [self.value()]
        while self.at_symbol(","):
            self.i += 1
            values.append(self.value())
        self.expect_symbol(")", "expected , or ) after a value")
        return Filter(key.text, "not in" if negated else "in", tuple(values))

    def value(self) -> str:
        token = self.token
        if token.kind == "string" or (token.kind == "word" and token.keyword() is None):
            self.i += 1
            return token.text
        raise self.fail("expected a value, in double quotes")


def parse(query: str) -> Node:
    """The tree of a query; :class:`QuerySyntaxError` (one plain line) if it is malformed."""
    if len(query) > MAX_LENGTH:
        raise QuerySyntaxError(MAX_LENGTH + 1, f"a query can be at most {MAX_LENGTH:,} characters long")
    return _Parser(query).query_tree()


# -- writing a tree back ------------------------------------------------------------------------------

_PRECEDENCE = {Or: 1, And: 2, Near: 3, Not: 4, Theme: 5, Filter: 5}
_PLAIN_KEY = re.compile(r"[^\W\d]\w*")


def quoted(text: str) -> str:
    """*text* as a query string: in double quotes, a quote or backslash inside escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(key: str) -> str:
    if _PLAIN_KEY.fullmatch(key) and key.upper() not in KEYWORDS:
        return key
    if "]" in key:
        raise InvalidInput("an attribute whose name holds ] cannot be named in a query")
    return f"[{key}]"


def _side(node: Node, least: int) -> str:
    text = unparse(node)
    return text if _PRECEDENCE[type(node)] >= least else f"({text})"


def unparse(node: Node) -> str:
    """The query text of a tree, in the canonical spelling: :func:`parse` of it gives *node* again."""
    match node:
        case Theme(path, subthemes):
            return quoted(path) + ("/*" if subthemes else "")
        case Filter(key, op, values):
            if op in ("=", "!="):
                return f"{_key(key)} {op} {quoted(values[0])}"
            listed = ", ".join(quoted(v) for v in values)
            return f"{_key(key)} {'NOT IN' if op == 'not in' else 'IN'} ({listed})"
        case Not(operand):
            return "NOT " + _side(operand, 4)
        case And(left, Not(right)):
            return f"{_side(left, 2)} AND NOT {_side(right, 3)}"
        case And(left, right):
            text = _side(right, 3)  # a right side opening with NOT would be read as AND NOT
            return f"{_side(left, 2)} AND {f'({text})' if text.startswith('NOT ') else text}"
        case Or(left, right):
            return f"{_side(left, 1)} OR {_side(right, 2)}"
        case Near(left, right, scope):
            distance = str(scope) if isinstance(scope, int) else scope.upper()
            return f"{_side(left, 3)} NEAR/{distance} {_side(right, 4)}"
    raise TypeError(node)
