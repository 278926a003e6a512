"""Comment text: Markdown in, a small sanitised HTML subset out.

Markdown passes raw HTML through, so nh3 is the actual gate: it keeps a short list of
tags, drops every attribute but `href`/`title` on links, allows only http, https and
mailto links, and marks every link `nofollow noopener` (the text is from third parties,
and we don't want to lend the Diputació's ranking or window to it).

Python-Markdown looks for a link at every `[`: it scans forward to the matching `]`
(three times: references, links, short references), then from a `(` to the matching `)`.
A comment of nested or unclosed brackets therefore costs time quadratic in its length
(a 3,000-character comment took seconds). Its link processors are replaced here by ones
that give the same result for any link a person writes and bound the work: a `[` whose
brackets nest more than BRACKET_DEPTH_MAX deep, or a `(` whose parentheses nest more than
PAREN_DEPTH_MAX deep, is not a link (it stays as typed); the end of a link title is
found with regular expressions instead of a scan to the end of the paragraph; and all
the scanning of one render is charged to a budget proportional to the text. Code spans
and blocks are not concerned (Markdown sets them aside before links are looked for),
and no character of the text is lost: a bracket that does not make a link is shown as
typed. tests/debates/test_markup.py checks both halves (same HTML, linear work).
"""

from __future__ import annotations

import html
import re

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# `[text [with [brackets]]](url)`: the link text may hold brackets nested this deep
# (counting the link's own). Deeper, the outer `[` is plain text.
BRACKET_DEPTH_MAX = 4
# `[text](https://example.org/a_(b_(c)))`: the same for the parentheses of the address.
PAREN_DEPTH_MAX = 4
# Characters the link processors may scan in one render, per character of the text: a
# safety net. The depth limits (each character is scanned by a few openers at most) and
# the search for a title's end (_title_end) keep every shape tried under 16; past the
# budget, what is left of the text makes no more links.
SCAN_BUDGET_PER_CHAR = 32
SCAN_BUDGET_MIN = 4_096

_BRACKET = re.compile(r"[\[\]]")
_PAREN_OR_QUOTE = re.compile(r"""[()'"]""")
_PAREN = re.compile(r"[()]")
# A quote, spaces, then `)`: how Markdown recognises the end of a link title.
_TITLE_CLOSE = {quote: re.compile(re.escape(quote) + r" *\)") for quote in "'\""}


def _title_end(data: str, quote_at: int, depth: int) -> int | None:
    """Where Python-Markdown's scan of a link address ends once it meets a quote (the
    start of a title, or a quote in the address): after the `)` that follows a later
    quote of the same kind, or of the other kind after its second occurrence; failing
    that, after the `)` that brings the parentheses back to their depth before the quote
    (its "backtrack", then the address ends there). None if it does not end (or ends in
    Markdown's error path, a `(` there).

    Markdown scans character by character up to the end of the paragraph to find this;
    here regular expressions find it, and Markdown scans only up to it.
    """
    quote = data[quote_at]
    other = "'" if quote == '"' else '"'
    candidates = []
    closed = _TITLE_CLOSE[quote].search(data, quote_at + 1)
    if closed:
        candidates.append(closed.end())
    other_at = data.find(other, quote_at + 1)
    if other_at != -1:
        closed = _TITLE_CLOSE[other].search(data, other_at + 1)
        if closed:
            candidates.append(closed.end())
    if candidates:
        return min(candidates)
    for count, paren in enumerate(_PAREN.finditer(data, quote_at + 1), start=1):
        if count == depth:
            return paren.end() if paren.group() == ")" else None
    return None


class ScanBudget:
    """The characters the link processors of one render may still scan."""

    def __init__(self, chars: int) -> None:
        self.left = chars
        self.spent = 0

    def spend(self, chars: int) -> None:
        self.left -= chars
        self.spent += chars


class _BoundedLinkMixin:
    """Python-Markdown's `getText` and `getLink`, with bounded work (module docstring)."""

    def __init__(self, pattern: str, md: markdown.Markdown, budget: ScanBudget) -> None:
        super().__init__(pattern, md)
        self.budget = budget

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        """The text between a `[` (just before `index`) and its matching `]`."""
        end = min(len(data), index + max(self.budget.left, 0))
        depth = 1
        for match in _BRACKET.finditer(data, index, end):
            if match.group() == "]":
                depth -= 1
                if depth == 0:
                    self.budget.spend(match.end() - index)
                    return data[index : match.start()], match.end(), True
            else:
                depth += 1
                if depth > BRACKET_DEPTH_MAX:
                    self.budget.spend(match.end() - index)
                    return "", index, False
        self.budget.spend(end - index)
        return "", index, False

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        """The address (and title) between a `(` at `index` and its matching `)`.

        Python-Markdown's own, given only the part of the text it would scan, once that
        part is known (and paid for).
        """
        unhandled = ("", None, index, False)
        if not data.startswith("(", index):
            return unhandled
        angled = self.RE_LINK.match(data, index)
        if angled and angled.group(1):
            # `(<address> "title")`: one regular expression, bounded by the next `<`/`>`.
            self.budget.spend(angled.end() - index)
            return super().getLink(data, index)
        depth = 0
        for match in _PAREN_OR_QUOTE.finditer(data, index):
            char = match.group()
            if char == "(":
                depth += 1
                if depth > PAREN_DEPTH_MAX:
                    self.budget.spend(match.end() - index)
                    return unhandled
            elif char == ")":
                depth -= 1
                if depth == 0:
                    end = match.end()
                    break
            else:
                end = _title_end(data, match.start(), depth)
                if end is None:
                    self.budget.spend(match.end() - index)
                    return unhandled
                break
        else:  # never closed: Markdown's scan fails too
            self.budget.spend(len(data) - index)
            return unhandled
        if end - index > self.budget.left:
            self.budget.spend(max(self.budget.left, 0))
            return unhandled
        self.budget.spend(end - index)
        return super().getLink(data[:end], index)


class _Link(_BoundedLinkMixin, LinkInlineProcessor):
    pass


class _Image(_BoundedLinkMixin, ImageInlineProcessor):
    pass


class _Reference(_BoundedLinkMixin, ReferenceInlineProcessor):
    pass


class _ShortReference(_BoundedLinkMixin, ShortReferenceInlineProcessor):
    pass


class _ImageReference(_BoundedLinkMixin, ImageReferenceInlineProcessor):
    pass


class _ShortImageReference(_BoundedLinkMixin, ShortImageReferenceInlineProcessor):
    pass


# Python-Markdown's names and priorities (markdown.inlinepatterns.build_inlinepatterns).
BOUNDED_PROCESSORS = (
    ("reference", _Reference, REFERENCE_RE, 170),
    ("link", _Link, LINK_RE, 160),
    ("image_link", _Image, IMAGE_LINK_RE, 150),
    ("image_reference", _ImageReference, IMAGE_REFERENCE_RE, 140),
    ("short_reference", _ShortReference, REFERENCE_RE, 130),
    ("short_image_ref", _ShortImageReference, IMAGE_REFERENCE_RE, 125),
)


class BoundedLinksExtension(Extension):
    def __init__(self, budget: ScanBudget) -> None:
        super().__init__()
        self.budget = budget

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for name, processor, pattern, priority in BOUNDED_PROCESSORS:
            if name not in md.inlinePatterns:
                raise RuntimeError(f"Python-Markdown has no inline pattern {name!r} any more")
            md.inlinePatterns.register(processor(pattern, md, self.budget), name, priority)


def comment_markdown(text: str) -> tuple[str, ScanBudget]:
    """The Markdown of a comment as (unsanitised) HTML, and what its links cost to find."""
    text = text or ""
    budget = ScanBudget(SCAN_BUDGET_PER_CHAR * len(text) + SCAN_BUDGET_MIN)
    md = markdown.Markdown(
        extensions=["sane_lists", "nl2br", BoundedLinksExtension(budget)], output_format="html"
    )
    return md.convert(text), budget


def comment_html_render(text: str) -> str:
    rendered, _budget = comment_markdown(text)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener",
        # Headings, images and tables are not part of a comment: their text is kept,
        # their markup is not. Script and style contents go entirely.
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )


def html_plain_text(rendered: str) -> str:
    """The plain text of HTML made by comment_html_render."""
    return html.unescape(nh3.clean(rendered, tags=set())).strip()


def comment_plain_text(text: str) -> str:
    """The comment as plain text (for e-mails and the open-data export)."""
    return html_plain_text(comment_html_render(text))


# A document of our own (a dataset's recipe, its changelog) may have headings; they are
# moved down two levels so that they sit under the page's own h1 and section h2.
DOCUMENT_TAGS = ALLOWED_TAGS | {"h3", "h4", "h5", "h6"}
_HEADING_RE = re.compile(r"<(/?)h([1-6])>")


def document_html_render(text: str) -> str:
    """Markdown written by the project (not by visitors) as sanitised HTML, headings kept."""
    rendered, _budget = comment_markdown(text)
    rendered = _HEADING_RE.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", rendered)
    return nh3.clean(
        rendered,
        tags=DOCUMENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )
