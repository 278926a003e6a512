"""Reading numbers and search text from the query string, the same way on every page.

A malformed parameter is the visitor's mistake, never a server error: a page number that
is not a small positive integer is page 1 (as Django's paginator reads it), an integer
longer than a database integer is refused (config/api.py: a 400), and a search text is
cut to what the search backends handle (a few hundred words nest their query deep enough
for a RecursionError and a second of CPU per anonymous request).
"""

from __future__ import annotations

# The query/form parameter that carries a language across a form post or a redirect
# (concertem.config.language reads it; the templates name it).
LANGUAGE_PARAMETER = "language"

# No list on the site has a million pages; a longer number is noise, not a page.
PAGE_MAX_DIGITS = 6
# An integer parameter longer than this does not fit SQLite or PostgreSQL's bigint.
INT_MAX_DIGITS = 18
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 20


def page_number_parse(raw: object, default: int = 1) -> int:
    """The page asked for, as a positive int; anything else is ``default``."""
    text = str(raw if raw is not None else "").strip()
    if text.isascii() and text.isdigit() and 0 < len(text) <= PAGE_MAX_DIGITS:
        return max(int(text), 1)
    return default


def int_or_none(raw: str) -> int | None:
    text = raw.strip()
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > INT_MAX_DIGITS:
        return None
    return int(text)


def search_text(raw: str) -> str:
    """A search query cut to SEARCH_MAX_CHARS characters and SEARCH_MAX_WORDS words.

    Double quotes become spaces: the SQLite backend wraps each word in quotes for FTS5,
    and a quote inside a word ends that string early (an FTS5 syntax error). The site's
    search has no phrase syntax, so nothing is lost.
    """
    words = raw.replace('"', " ").replace("\x00", " ").strip()[:SEARCH_MAX_CHARS].split()
    return " ".join(words[:SEARCH_MAX_WORDS])


# What the database says when a search expression, not the database, is at fault.
SEARCH_SYNTAX_MARKERS = ("fts5: syntax error", "unterminated string", "malformed match")


def search_syntax_error(error: BaseException) -> bool:
    """Whether a database error is a bad search expression (the visitor's) not an outage."""
    return any(marker in str(error).lower() for marker in SEARCH_SYNTAX_MARKERS)
