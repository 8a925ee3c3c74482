"""A Cypher tokenizer for the read-only guard, and the rewrites that bound a query.

The guard must read a query the way the engine does: a procedure name may be
written ``db.labels``, ```db.labels``` or ```db`.`labels``` (the engine runs
all three), a comment or a string may hold any word, and a quoted name may hold
a dot. :func:`tokenize` splits a query into tokens with those rules, so every
check works on names as the engine resolves them, never on the raw text.

Two rewrites keep a query's cost bounded before it runs:

* :func:`check_ranges` refuses ``range()`` calls whose size cannot be known up
  front or is over a limit (FalkorDB builds the whole list in one allocation,
  which neither its time limit nor its memory capacity stops);
* :func:`cap_rows` puts a ``LIMIT`` on every top-level ``RETURN`` so the engine
  never builds more rows than the caller may see.

Examples
--------
>>> [t.text for t in tokenize("MATCH (p) // note\\nRETURN `p`.id")]
['MATCH', '(', 'p', ')', 'RETURN', '`p`', '.', 'id']
>>> procedure_names(tokenize("CALL `db`.`labels`() YIELD label RETURN label"))
[('db.labels', 0)]
>>> cap_rows("MATCH (p) RETURN p.id AS id", {}, 11)
'MATCH (p) RETURN p.id AS id LIMIT 11'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from collabgraph.errors import CollabGraphError

__all__ = [
    "RANGE_MAX_VALUES",
    "CypherSyntaxError",
    "Token",
    "cap_rows",
    "check_ranges",
    "function_names",
    "procedure_names",
    "tokenize",
]

#: The most values one ``range()`` call may produce on the read-only path.
RANGE_MAX_VALUES: Final = 1_000_000

Kind = Literal["word", "quoted", "string", "number", "param", "punct"]


class CypherSyntaxError(CollabGraphError):
    """The query cannot be split into tokens (an unclosed string, name or comment)."""


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text as written, its value and where it starts.

    ``value`` is the resolved text: a quoted name without its backticks (and
    with doubled backticks made single), a parameter's name without ``$``.
    """

    kind: Kind
    text: str
    value: str
    start: int

    @property
    def end(self) -> int:
        """Offset just past the token."""
        return self.start + len(self.text)

    def is_word(self, *words: str) -> bool:
        """Whether this is an unquoted keyword or name, compared without letter case."""
        return self.kind == "word" and self.value.upper() in words

    @property
    def is_name(self) -> bool:
        """A name, quoted or not."""
        return self.kind in ("word", "quoted")


#: A name: Unicode letters, digits and ``_`` (so a no-break space or other mark splits it).
_WORD_RE: Final = re.compile(r"[^\W\d]\w*")
_NUMBER_RE: Final = re.compile(r"(?:0x[0-9A-Fa-f]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+)")
_PUNCT: Final = ("<>", "<=", ">=", "=~", "->", "<-", "..", "+=")


def _closing(text: str, i: int, quote: str) -> int:
    """Index of the quote closing a string opened at ``i`` (backslash escapes)."""
    j, n = i + 1, len(text)
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == quote:
            return j
        j += 1
    raise CypherSyntaxError(f"the query has a string that is never closed (from position {i})")


def _backtick(text: str, i: int) -> int:
    """Index of the backtick closing a quoted name opened at ``i`` (```` `` ```` is one)."""
    j, n = i + 1, len(text)
    while j < n:
        if text[j] == "`":
            if j + 1 < n and text[j + 1] == "`":
                j += 2
                continue
            return j
        j += 1
    raise CypherSyntaxError(f"the query has a quoted name that is never closed (from position {i})")


def tokenize(text: str) -> list[Token]:
    """The query's tokens, without whitespace and comments.

    Raises
    ------
    CypherSyntaxError
        For an unclosed string, quoted name or block comment.

    Examples
    --------
    >>> [(t.kind, t.value) for t in tokenize("RETURN 'a // b' AS `x``y`, $p")]
    [('word', 'RETURN'), ('string', 'a // b'), ('word', 'AS'), ('quoted', 'x`y'), \
('punct', ','), ('param', 'p')]
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise CypherSyntaxError(
                    f"the query has a comment that is never closed (from position {i})"
                )
            i = j + 2
        elif c in "'\"":
            j = _closing(text, i, c)
            tokens.append(Token("string", text[i : j + 1], text[i + 1 : j], i))
            i = j + 1
        elif c == "`":
            j = _backtick(text, i)
            tokens.append(Token("quoted", text[i : j + 1], text[i + 1 : j].replace("``", "`"), i))
            i = j + 1
        elif c == "$":
            if i + 1 < n and text[i + 1] == "`":
                j = _backtick(text, i + 1)
                value = text[i + 2 : j].replace("``", "`")
                tokens.append(Token("param", text[i : j + 1], value, i))
                i = j + 1
                continue
            m = _WORD_RE.match(text, i + 1) or re.compile(r"\d+").match(text, i + 1)
            if m is None:
                tokens.append(Token("punct", "$", "$", i))
                i += 1
            else:
                tokens.append(Token("param", text[i : m.end()], m.group(), i))
                i = m.end()
        elif (m := _NUMBER_RE.match(text, i)) is not None and (c.isdigit() or c == "."):
            tokens.append(Token("number", m.group(), m.group(), i))
            i = m.end()
        elif (m := _WORD_RE.match(text, i)) is not None:
            tokens.append(Token("word", m.group(), m.group(), i))
            i = m.end()
        else:
            two = text[i : i + 2]
            size = 2 if two in _PUNCT else 1
            tokens.append(Token("punct", text[i : i + size], text[i : i + size], i))
            i += size
    return tokens


def _dotted(tokens: Sequence[Token], i: int) -> tuple[str, int]:
    """A dotted name starting at ``tokens[i]`` (quoted parts resolved) and the index after it."""
    parts = [tokens[i].value]
    j = i + 1
    while j + 1 < len(tokens) and tokens[j].text == "." and tokens[j + 1].is_name:
        parts.append(tokens[j + 1].value)
        j += 2
    return ".".join(parts), j


def procedure_names(tokens: Sequence[Token]) -> list[tuple[str, int]]:
    """Every procedure a ``CALL`` names, resolved, with its position in the text.

    ``CALL { ... }`` (a subquery) names no procedure.
    """
    found: list[tuple[str, int]] = []
    for i, tok in enumerate(tokens):
        if tok.is_word("CALL") and i + 1 < len(tokens) and tokens[i + 1].is_name:
            name, _ = _dotted(tokens, i + 1)
            found.append((name, tok.start))
    return found


def function_names(tokens: Sequence[Token]) -> list[tuple[str, int]]:
    """Every function called (a name, maybe dotted, then ``(``), not counting procedures.

    >>> function_names(tokenize("RETURN toUpper('a'), date.truncate('day', x)"))
    [('toUpper', 7), ('date.truncate', 21)]
    """
    found: list[tuple[str, int]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.is_name and not (i > 0 and tokens[i - 1].text == "."):
            name, j = _dotted(tokens, i)
            called = j < len(tokens) and tokens[j].text == "("
            after_call = i > 0 and tokens[i - 1].is_word("CALL")
            if called and not after_call:
                found.append((name, tok.start))
            i = j
            continue
        i += 1
    return found


def _matching(tokens: Sequence[Token], i: int) -> int:
    """Index of the bracket closing the one at ``tokens[i]``."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[tokens[i].text]]
    j = i + 1
    while j < len(tokens):
        t = tokens[j].text if tokens[j].kind == "punct" else ""
        if t in pairs:
            stack.append(pairs[t])
        elif t in (")", "]", "}"):
            if t != stack[-1]:
                raise CypherSyntaxError(
                    f"the query has an unmatched '{t}' at position {tokens[j].start}"
                )
            stack.pop()
            if not stack:
                return j
        j += 1
    raise CypherSyntaxError(f"the query has a '{tokens[i].text}' that is never closed")


def _whole_number(arg: Sequence[Token], params: Mapping[str, Any]) -> int | None:
    """The value of a ``range()`` argument when it is a whole-number literal or parameter."""
    sign = 1
    if len(arg) == 2 and arg[0].text in ("-", "+"):
        sign = -1 if arg[0].text == "-" else 1
        arg = arg[1:]
    if len(arg) != 1:
        return None
    tok = arg[0]
    if tok.kind == "number" and re.fullmatch(r"\d+", tok.text):
        return sign * int(tok.text)
    if tok.kind == "param":
        value = params.get(tok.value)
        if isinstance(value, int) and not isinstance(value, bool):
            return sign * value
    return None


def check_ranges(
    tokens: Sequence[Token], params: Mapping[str, Any], limit: int = RANGE_MAX_VALUES
) -> str | None:
    """Why a ``range()`` call is refused, or ``None`` when every call is bounded.

    Each bound and step must be a whole-number literal or a parameter holding
    one, and the call may produce at most ``limit`` values.

    >>> check_ranges(tokenize("UNWIND range(1, $n) AS x RETURN x"), {"n": 10})
    >>> check_ranges(tokenize("UNWIND range(1, 1000000000) AS x RETURN x"), {})
    'range(1, 1000000000) would make 1,000,000,000 values; at most 1,000,000 are allowed'
    """
    for i, tok in enumerate(tokens):
        if not (tok.is_name and tok.value.lower() == "range"):
            continue
        if i + 1 >= len(tokens) or tokens[i + 1].text != "(":
            continue
        if i > 0 and tokens[i - 1].text == ".":
            continue
        close = _matching(tokens, i + 1)
        args: list[list[Token]] = [[]]
        depth = 0
        for t in tokens[i + 2 : close]:
            if t.kind == "punct" and t.text in "([{":
                depth += 1
            elif t.kind == "punct" and t.text in ")]}":
                depth -= 1
            if depth == 0 and t.text == ",":
                args.append([])
            else:
                args[-1].append(t)
        found = [_whole_number(a, params) for a in args]
        values = [v for v in found if v is not None]
        shown = "range(" + ", ".join(" ".join(t.text for t in a) for a in args) + ")"
        if len(args) not in (2, 3) or len(values) != len(args):
            return (
                f"{shown}: on this path range() takes whole numbers or parameters holding "
                "them as its bounds and step, so its size is known before it runs"
            )
        start, end = values[0], values[1]
        step = values[2] if len(values) == 3 else 1
        if step == 0:
            return f"{shown}: the step of range() cannot be 0"
        count = max(0, (end - start) // step + 1)
        if count > limit:
            return f"{shown} would make {count:,} values; at most {limit:,} are allowed"
    return None


def _top_level(tokens: Sequence[Token]) -> list[int]:
    """The bracket depth before each token (0 = the query's own clauses)."""
    depths: list[int] = []
    depth = 0
    for t in tokens:
        if t.kind == "punct" and t.text in ")]}":
            depth -= 1
        depths.append(depth)
        if t.kind == "punct" and t.text in "([{":
            depth += 1
    return depths


def cap_rows(text: str, params: Mapping[str, Any], limit: int) -> str:
    """The query with every top-level ``RETURN`` limited to at most ``limit`` rows.

    A ``RETURN`` without ``LIMIT`` gets one; a larger whole-number ``LIMIT`` is
    lowered; a ``LIMIT`` given as a parameter is checked against ``limit``.
    With ``UNION`` each part is limited, so the engine builds at most
    ``limit`` rows per part.

    Raises
    ------
    CypherSyntaxError
        When a ``LIMIT`` is neither a whole number nor a parameter holding one.

    Examples
    --------
    >>> cap_rows("RETURN 1 AS x LIMIT 500", {}, 11)
    'RETURN 1 AS x LIMIT 11'
    >>> cap_rows("RETURN 1 AS x UNION RETURN 2 AS x", {}, 11)
    'RETURN 1 AS x LIMIT 11 UNION RETURN 2 AS x LIMIT 11'
    >>> cap_rows("CALL db.labels()", {}, 11)
    'CALL db.labels()'
    """
    tokens = tokenize(text)
    while tokens and tokens[-1].text == ";":
        text = text[: tokens[-1].start] + text[tokens[-1].end :]
        tokens = tokens[:-1]
    depths = _top_level(tokens)
    branches: list[list[int]] = [[]]
    for i, t in enumerate(tokens):
        if depths[i] == 0 and t.is_word("UNION"):
            branches.append([])
        else:
            branches[-1].append(i)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the text
    for branch in branches:
        returns = [i for i in branch if depths[i] == 0 and tokens[i].is_word("RETURN")]
        if not returns:
            continue
        after = [i for i in branch if i > returns[-1] and depths[i] == 0]
        limits = [i for i in after if tokens[i].is_word("LIMIT")]
        if not limits:
            end = tokens[branch[-1]].end
            edits.append((end, end, f" LIMIT {limit}"))
            continue
        at = limits[-1]
        value = [tokens[i] for i in branch if i > at]
        if len(value) == 1 and value[0].kind == "number" and value[0].text.isdigit():
            if int(value[0].text) > limit:
                edits.append((value[0].start, value[0].end, str(limit)))
            continue
        if len(value) == 1 and value[0].kind == "param":
            given = params.get(value[0].value)
            if isinstance(given, int) and not isinstance(given, bool) and given >= 0:
                if given > limit:
                    edits.append((value[0].start, value[0].end, str(limit)))
                continue
        raise CypherSyntaxError(
            "LIMIT must be a whole number, or a parameter holding one, on this path"
        )
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text
