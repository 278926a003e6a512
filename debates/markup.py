"""Comment text: Markdown in, a small sanitised HTML subset out.

Markdown passes raw HTML through, so nh3 is the actual gate: it keeps a short list of
tags, drops every attribute but `href`/`title` on links, allows only http, https and
mailto links, and marks every link `nofollow noopener` (the text is from third parties,
and we don't want to lend the Diputació's ranking or window to it).
"""

from __future__ import annotations

import html

import markdown
import nh3

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


def comment_html_render(text: str) -> str:
    rendered = markdown.markdown(
        text or "", extensions=["sane_lists", "nl2br"], output_format="html"
    )
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


def comment_plain_text(text: str) -> str:
    """The comment as plain text (for e-mails and the open-data export)."""
    return html.unescape(nh3.clean(comment_html_render(text), tags=set())).strip()
