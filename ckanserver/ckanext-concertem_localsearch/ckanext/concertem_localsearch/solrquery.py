# Every SQL string here is assembled from fixed fragments; all values are bind
# parameters (see solrquery.SqlParams), so S608 does not apply.
# ruff: noqa: S608
"""A small subset of the Solr/Lucene query language, compiled to PostgreSQL.

CKAN builds Solr queries itself (``+capacity:public +state:(active)``,
``+permission_labels:("public" OR "member-…")``, ``+owner_org:"…"``) and clients send
their own ``q``/``fq``. This module parses that language into a tree and compiles
the tree to a SQL boolean expression over ``concertem_localsearch_doc`` (alias ``d``):
``d.doc`` is the flattened Solr-style document (JSONB), ``d.search_text`` its
``tsvector``. Pure Python, no CKAN import, so it is unit-testable on its own.

Supported: ``*:*``; bare words and ``"phrases"`` (free text); ``field:value``,
``field:"phrase"``, ``field:(a OR b)``, ``field:*``, ``field:pre*`` wildcards;
``field:[a TO b]`` / ``{a TO b}`` ranges (text, or numeric when both bounds are
numbers; a bare ``NOW`` bound is the present instant);
``AND``/``OR``/``NOT``/``&&``/``||``/``!``; ``+``/``-`` prefixes; parentheses.
The default operator is AND, as CKAN sets ``q.op=AND``. Anything else raises
``QuerySyntaxError``, which the caller turns into CKAN's ``SearchQueryError``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

# Fields Solr's CKAN schema tokenises (type "text"); every other field is a
# "string" field there, matched exactly and case-sensitively, and we do the same.
TOKENIZED_FIELDS = frozenset(
    {"text", "title", "notes", "res_name", "res_description", "author", "maintainer"}
)
FIELD_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
WORD_RE = re.compile(r"\w+", re.UNICODE)
SPECIAL_CHARS = set('()"[]{}')


class QuerySyntaxError(ValueError):
    pass


# ---- Tree ----


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class Term:
    field: str | None  # None: the default field (free text)
    value: str
    phrase: bool = False
    wildcard: bool = False  # has an unescaped * or ?; value then keeps its escapes


@dataclass(frozen=True)
class Range:
    field: str | None
    low: str
    high: str
    include_low: bool
    include_high: bool


@dataclass(frozen=True)
class And:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    item: Any


# ---- Lexer ----


@dataclass(frozen=True)
class Token:
    kind: str  # LPAREN RPAREN PLUS MINUS AND OR NOT FIELD TERM PHRASE RANGE
    value: Any = None


def _read_escaped(text: str, i: int, stop: set[str]) -> tuple[str, int, bool]:
    """Read term characters from i until whitespace or a stop char.

    Returns (value, new_index, has_unescaped_wildcard).
    """
    out: list[str] = []
    wildcard = False
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append("\\" + text[i + 1])  # keep escapes so wildcards stay literal
            i += 2
            continue
        if char.isspace() or char in stop:
            break
        if char in "*?":
            wildcard = True
        out.append(char)
        i += 1
    return "".join(out), i, wildcard


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def query_tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    at_clause_start = True
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
            at_clause_start = True
            continue
        if char == "(":
            tokens.append(Token("LPAREN"))
            i += 1
            at_clause_start = True
            continue
        if char == ")":
            tokens.append(Token("RPAREN"))
            i += 1
            at_clause_start = False
            continue
        if text.startswith("&&", i):
            tokens.append(Token("AND"))
            i += 2
            at_clause_start = True
            continue
        if text.startswith("||", i):
            tokens.append(Token("OR"))
            i += 2
            at_clause_start = True
            continue
        if at_clause_start and char in "+-!" and i + 1 < len(text) and not text[i + 1].isspace():
            tokens.append(Token("PLUS" if char == "+" else "MINUS"))
            i += 1
            continue
        if char == '"':
            j = i + 1
            out: list[str] = []
            while j < len(text) and text[j] != '"':
                if text[j] == "\\" and j + 1 < len(text):
                    j += 1
                out.append(text[j])
                j += 1
            if j >= len(text):
                raise QuerySyntaxError(f"unterminated phrase in {text!r}")
            tokens.append(Token("PHRASE", "".join(out)))
            i = j + 1
            at_clause_start = False
            continue
        if char in "[{":
            close = "]" if char == "[" else "}"
            j = text.find(close, i)
            # Solr allows mixing [ and }; accept either closing bracket.
            other = text.find("}" if close == "]" else "]", i)
            if j == -1 or (other != -1 and other < j):
                j = other
            if j == -1:
                raise QuerySyntaxError(f"unterminated range in {text!r}")
            parts = text[i + 1 : j].split()
            if len(parts) != 3 or parts[1] != "TO":
                raise QuerySyntaxError(f"bad range {text[i : j + 1]!r}")
            tokens.append(
                Token(
                    "RANGE",
                    (
                        _unescape(parts[0].strip('"')),
                        _unescape(parts[2].strip('"')),
                        char == "[",
                        text[j] == "]",
                    ),
                )
            )
            i = j + 1
            at_clause_start = False
            continue
        value, j, wildcard = _read_escaped(text, i, SPECIAL_CHARS | {":"})
        if j < len(text) and text[j] == ":" and value:
            tokens.append(Token("FIELD", _unescape(value)))
            i = j + 1
            at_clause_start = False
            continue
        if j == i:  # a lone ':' or similar
            raise QuerySyntaxError(f"unexpected {char!r} in {text!r}")
        if value in ("AND", "OR", "NOT"):
            tokens.append(Token(value))
            at_clause_start = True
        else:
            tokens.append(Token("TERM", (value, wildcard)))
            at_clause_start = False
        i = j
    return tokens


# ---- Parser ----


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse_or(self, field_name: str | None) -> Any:
        items = [self.parse_and(field_name)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            items.append(self.parse_and(field_name))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self, field_name: str | None) -> Any:
        items = [self.parse_unary(field_name)]
        while (token := self.peek()) is not None and token.kind not in ("OR", "RPAREN"):
            if token.kind == "AND":
                self.take()
            items.append(self.parse_unary(field_name))
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self, field_name: str | None) -> Any:
        token = self.peek()
        if token is None:
            raise QuerySyntaxError("query ends where a clause was expected")
        if token.kind == "PLUS":
            self.take()
            return self.parse_primary(field_name)
        if token.kind in ("MINUS", "NOT"):
            self.take()
            return Not(self.parse_primary(field_name))
        return self.parse_primary(field_name)

    def parse_primary(self, field_name: str | None) -> Any:
        token = self.take() if self.peek() is not None else None
        if token is None:
            raise QuerySyntaxError("query ends where a clause was expected")
        if token.kind == "LPAREN":
            node = self.parse_or(field_name)
            closing = self.take() if self.peek() is not None else None
            if closing is None or closing.kind != "RPAREN":
                raise QuerySyntaxError("missing ')'")
            return node
        if token.kind == "FIELD":
            if field_name is not None:
                raise QuerySyntaxError(f"nested field {token.value!r}")
            return self.parse_primary(token.value)
        if token.kind == "TERM":
            value, wildcard = token.value
            if field_name in (None, "*") and value == "*":
                return MatchAll()
            if field_name == "*":
                raise QuerySyntaxError("'*' as a field name only works as *:*")
            if wildcard:
                return Term(field_name, value, wildcard=True)
            return Term(field_name, _unescape(value))
        if token.kind == "PHRASE":
            return Term(field_name, token.value, phrase=True)
        if token.kind == "RANGE":
            low, high, include_low, include_high = token.value
            return Range(field_name, low, high, include_low, include_high)
        raise QuerySyntaxError(f"unexpected {token.kind}")


def query_parse(text: str) -> Any:
    text = (text or "").strip()
    if not text:
        return MatchAll()
    parser = _Parser(query_tokenize(text))
    node = parser.parse_or(None)
    if parser.peek() is not None:
        raise QuerySyntaxError(f"unexpected {parser.peek().kind} in {text!r}")  # type: ignore[union-attr]
    return node


# ---- Compiler ----


@dataclass
class SqlParams:
    values: dict[str, Any] = field(default_factory=dict)

    def add(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return ":" + name


def _elements(field_sql: str) -> str:
    # Solr fields can be single- or multi-valued; treat every field as a list.
    return (
        f"jsonb_array_elements_text(CASE jsonb_typeof(d.doc->{field_sql}) WHEN 'array' "
        f"THEN d.doc->{field_sql} ELSE jsonb_build_array(d.doc->{field_sql}) END)"
    )


def _tsquery_words(value: str) -> str:
    # Prefix matching stands in for Solr's English stemming ("flood" finds "floods").
    words = WORD_RE.findall(value.lower())
    return " & ".join(f"{word}:*" for word in words)


def _like_pattern(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\\" + nxt if nxt in "%_\\" else nxt)
            i += 2
            continue
        if char == "*":
            out.append("%")
        elif char == "?":
            out.append("_")
        elif char in "%_\\":
            out.append("\\" + char)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _field_checked(name: str) -> str:
    if not FIELD_RE.match(name):
        raise QuerySyntaxError(f"bad field name {name!r}")
    return name


def _text_match(field_name: str, term: Term, params: SqlParams) -> str:
    if field_name == "text":
        vector = "d.search_text"
    else:
        agg = f"(SELECT string_agg(e.v, ' ') FROM {_elements(params.add(field_name))} AS e(v))"
        vector = f"to_tsvector('simple', coalesce({agg}, ''))"
    if term.phrase:
        return f"{vector} @@ phraseto_tsquery('simple', {params.add(term.value)})"
    words = _tsquery_words(term.value)
    if not words:
        return "TRUE"
    return f"{vector} @@ to_tsquery('simple', {params.add(words)})"


def _term_sql(term: Term, params: SqlParams) -> str:
    field_name = _field_checked(term.field or "text")
    if field_name in TOKENIZED_FIELDS:
        return _text_match(field_name, term, params)
    if field_name.endswith("_ngram"):
        # CKAN's autocomplete asks Solr's n-gram fields; a substring match is the same idea.
        base = params.add(field_name[: -len("_ngram")])
        needle = params.add("%" + _like_pattern(_unescape(term.value).replace("*", "")) + "%")
        return f"EXISTS (SELECT 1 FROM {_elements(base)} AS e(v) WHERE e.v ILIKE {needle})"
    elements = _elements(params.add(field_name))
    if term.wildcard and term.value == "*":
        return f"EXISTS (SELECT 1 FROM {elements} AS e(v) WHERE e.v IS NOT NULL)"
    if term.wildcard:
        pattern = params.add(_like_pattern(term.value))
        return f"EXISTS (SELECT 1 FROM {elements} AS e(v) WHERE e.v LIKE {pattern} ESCAPE '\\')"
    return f"EXISTS (SELECT 1 FROM {elements} AS e(v) WHERE e.v = {params.add(term.value)})"


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _range_sql(node: Range, params: SqlParams) -> str:
    field_name = _field_checked(node.field or "text")
    if field_name in TOKENIZED_FIELDS:
        raise QuerySyntaxError(f"ranges on the text field {field_name!r} are not supported")
    # A bare NOW is the present instant, written as the index writes dates (ckanext-dcat's
    # catalogue asks for metadata_modified:[<date> TO NOW]); date math (NOW-1DAY) is not
    # supported.
    low, high = (_now() if b == "NOW" else b for b in (node.low, node.high))
    node = Range(node.field, low, high, node.include_low, node.include_high)
    bounds = [b for b in (node.low, node.high) if b != "*"]
    if any("NOW" in b for b in bounds):
        raise QuerySyntaxError("Solr date math (NOW-1DAY…) is not supported locally")
    numeric = bool(bounds) and all(NUMBER_RE.match(b) for b in bounds)
    value = "e.v"
    if numeric:  # compare as numbers, skipping values that are not
        value = "CASE WHEN e.v ~ '^-?[0-9]+([.][0-9]+)?$' THEN CAST(e.v AS numeric) END"
    checks = ["e.v IS NOT NULL"]
    if node.low != "*":
        bound = params.add(float(node.low) if numeric else node.low)
        checks.append(f"{value} {'>=' if node.include_low else '>'} {bound}")
    if node.high != "*":
        bound = params.add(float(node.high) if numeric else node.high)
        checks.append(f"{value} {'<=' if node.include_high else '<'} {bound}")
    elements = _elements(params.add(field_name))
    return f"EXISTS (SELECT 1 FROM {elements} AS e(v) WHERE {' AND '.join(checks)})"


def query_compile(node: Any, params: SqlParams) -> str:
    if isinstance(node, MatchAll):
        return "TRUE"
    if isinstance(node, Term):
        return _term_sql(node, params)
    if isinstance(node, Range):
        return _range_sql(node, params)
    if isinstance(node, Not):
        return f"NOT ({query_compile(node.item, params)})"
    if isinstance(node, And):
        return "(" + " AND ".join(query_compile(item, params) for item in node.items) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(query_compile(item, params) for item in node.items) + ")"
    raise QuerySyntaxError(f"cannot compile {node!r}")


def query_free_text_words(node: Any) -> list[str]:
    """Positive free-text words of a query, for ranking ("score")."""
    if isinstance(node, Term) and (node.field in (None, "text")):
        return WORD_RE.findall(node.value.lower())
    if isinstance(node, (And, Or)):
        return [word for item in node.items for word in query_free_text_words(item)]
    return []


def sort_compile(sort: str, rank_sql: str, params: SqlParams) -> str:
    """Compile a Solr sort ("score desc, metadata_modified desc") to ORDER BY terms."""
    terms: list[str] = []
    for part in (sort or "").split(","):
        part = part.strip()
        if not part:
            continue
        pieces = part.split()
        if len(pieces) != 2 or pieces[1].lower() not in ("asc", "desc"):
            raise QuerySyntaxError(f"bad sort {part!r}")
        name, direction = pieces[0], pieces[1].upper()
        if name == "score":
            if rank_sql:  # without free-text words every score is equal: skip it
                terms.append(f"{rank_sql} {direction}")
        else:
            terms.append(f"d.doc->>{params.add(_field_checked(name))} {direction} NULLS LAST")
    terms.append("d.index_id ASC")  # stable paging when sort keys tie
    return ", ".join(terms)
