"""Comment Markdown (debates/markup.py): what people write renders as it always did, and
shapes that made Python-Markdown's link search quadratic cost work linear in the text.

No clock here (the machine is shared): the work is counted in characters scanned by the
link processors (`ScanBudget.spent`), which does not depend on the machine. The timed
check against a budget is tests/hardening/test_hostile_comments.py (make harden).
"""

from __future__ import annotations

import markdown
import pytest

from debates import markup
from debates.markup import (
    BOUNDED_PROCESSORS,
    BoundedLinksExtension,
    ScanBudget,
    comment_html_render,
    comment_markdown,
    comment_plain_text,
)

# Rendered by the previous renderer (Python-Markdown's own link processors): unchanged.
ORDINARY = [
    (
        "Hello *world*, **bold** and _em_.",
        "<p>Hello <em>world</em>, <strong>bold</strong> and <em>em</em>.</p>",
    ),
    (
        "See [the formula](https://example.org/formula) for details.",
        '<p>See <a href="https://example.org/formula" rel="nofollow noopener">the formula</a>'
        " for details.</p>",
    ),
    (
        '[x](https://example.org "The title")',
        '<p><a href="https://example.org" title="The title" rel="nofollow noopener">x</a></p>',
    ),
    (
        "[Sant Sadurní d'Anoia](https://ca.wikipedia.org/wiki/Sant_Sadurn%C3%AD_d'Anoia)",
        '<p><a href="https://ca.wikipedia.org/wiki/Sant_Sadurn%C3%AD_d\'Anoia" '
        'rel="nofollow noopener">Sant Sadurní d\'Anoia</a></p>',
    ),
    (
        "[wiki](https://en.wikipedia.org/wiki/Foo_(bar))",
        '<p><a href="https://en.wikipedia.org/wiki/Foo_(bar)" rel="nofollow noopener">wiki</a></p>',
    ),
    (
        "[a [b] c](https://x.org) and [[wiki]]",
        '<p><a href="https://x.org" rel="nofollow noopener">a [b] c</a> and [[wiki]]</p>',
    ),
    (
        "[a [b [c [d] c] b] a](https://x.org)",
        '<p><a href="https://x.org" rel="nofollow noopener">a [b [c [d] c] b] a</a></p>',
    ),
    ("Footnote-like text[1], [2] and [^3].", "<p>Footnote-like text[1], [2] and [^3].</p>"),
    (
        "[a][r] and [r]\n\n[r]: https://r.example",
        '<p><a href="https://r.example" rel="nofollow noopener">a</a> and '
        '<a href="https://r.example" rel="nofollow noopener">r</a></p>',
    ),
    (
        "- one\n- [two](http://a)\n\n1. a\n2. b",
        '<ul>\n<li>one</li>\n<li><a href="http://a" rel="nofollow noopener">two</a></li>\n'
        "</ul>\n<ol>\n<li>a</li>\n<li>b</li>\n</ol>",
    ),
    (
        "> quoted [x](https://q)\n> more",
        '<blockquote>\n<p>quoted <a href="https://q" rel="nofollow noopener">x</a><br>\n'
        "more</p>\n</blockquote>",
    ),
    ("Code `[[[` and ``[a](`` end.", "<p>Code <code>[[[</code> and <code>[a](</code> end.</p>"),
    ("```\n[[[[[ fenced ]]\n[a](b\n```", "<p><code>[[[[[ fenced ]]\n[a](b</code></p>"),
    (
        "    indented [[[ code\n    [a](",
        "<pre><code>indented [[[ code\n[a](\n</code></pre>",
    ),
    ("Escaped \\[not a link\\](x).", "<p>Escaped [not a link](x).</p>"),
    ("line one\nline two", "<p>line one<br>\nline two</p>"),
]


@pytest.mark.parametrize(("text", "expected"), ORDINARY, ids=[t[:30] for t, _ in ORDINARY])
def test_ordinary_markdown_renders_as_before(text, expected):
    assert comment_html_render(text) == expected


# The shapes of the hardening suite, `n` characters long or about (up to 2.2 s a render
# at 3,000 characters before).
SHAPES = {
    "nested brackets": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "unclosed links": lambda n: "[a](" * (n // 4),
    "nested links": lambda n: "[" * (n // 5) + "a" + "](b)" * (n // 5),
    "unclosed brackets then text": lambda n: "[" * (n // 3) + "a" * (n - n // 3),
    "unclosed references": lambda n: "[a][" * (n // 4),
    "unclosed images": lambda n: "![a](" * (n // 5),
    "titles never closed": lambda n: '[a]("b)' * (n // 7),
}
PATHOLOGICAL = {name: shape(2990) for name, shape in SHAPES.items()}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_brackets_cost_linear_work(name):
    """Characters scanned per character of text: a small constant, the same at 750 and
    at 3,000 characters (quadratic work would grow fourfold), and far from the budget,
    so the depth limits, not the budget, are what bound it."""
    per_char = {}
    for length in (750, 1500, 3000):
        text = SHAPES[name](length)
        _html, budget = comment_markdown(text)
        assert budget.left > 0, f"{name}: budget exhausted at {length}"
        per_char[length] = budget.spent / len(text)
    assert max(per_char.values()) <= 16, per_char
    assert per_char[3000] <= 1.25 * per_char[750] + 0.5, per_char


@pytest.mark.parametrize(
    "name", [n for n in PATHOLOGICAL if n not in ("nested links", "titles never closed")]
)
def test_pathological_brackets_are_kept_as_typed(name):
    text = PATHOLOGICAL[name]
    plain = comment_plain_text(text)
    assert plain.count("[") == text.count("[")
    assert plain.count("]") == text.count("]")
    assert plain.count("(") == text.count("(")


def test_nested_links_make_one_link_and_keep_every_other_bracket():
    text = PATHOLOGICAL["nested links"]
    html = comment_html_render(text)
    assert html.count("<a ") == 1
    plain = comment_plain_text(text)
    # The link's own `[`, `](b)` are markup; every other bracket is text.
    links = text.count("(b)")
    assert (plain.count("["), plain.count("]"), plain.count("(b)")) == (links - 1,) * 3


def _link_nesting(depth: int) -> str:
    """`[1 [0 [x] 0] 1](https://x.org)`: a link whose brackets nest `depth` deep."""
    text = "x"
    for level in range(depth - 1):
        text = f"{level} [{text}] {level}"
    return f"[{text}](https://x.org)"


def test_brackets_nested_deeper_than_the_limit_are_text():
    shallow = _link_nesting(markup.BRACKET_DEPTH_MAX)
    assert comment_html_render(shallow).startswith('<p><a href="https://x.org"')
    deep = _link_nesting(markup.BRACKET_DEPTH_MAX + 1)
    assert "<a" not in comment_html_render(deep)
    assert comment_plain_text(deep) == deep


def test_addresses_nested_deeper_than_the_limit_are_text():
    depth = markup.PAREN_DEPTH_MAX
    ok = "https://x.org/" + "(" * (depth - 1) + "a" + ")" * (depth - 1)
    assert f'href="{ok}"' in comment_html_render(f"[a]({ok})")
    deep = "https://x.org/" + "(" * depth + "a" + ")" * depth
    text = f"[a]({deep})"
    assert "<a" not in comment_html_render(text)
    assert comment_plain_text(text) == text


QUOTED = [
    "[a](http://x \"t (1)\") and [b](http://y 'u') end",
    "[l'H](https://x.org/L'H) then [b](http://y 'u') end",
    "[l'H](https://x.org/L'H) and [m](https://x.org/d'M) end",
    '[c](http://z/it\'s "q") and [d](http://z "a \'b\' c") end',
    '[a](http://x "unclosed) and (more) text',
    '[a]("b)[a]("b)[a]("b)',
    '[a](<http://x y> "t") and [b](<http://z>)',
    '[a](http://x "t")  [b](http://y  "u"  ) [c](http://z\n"v")',
]


@pytest.mark.parametrize("text", QUOTED)
def test_titles_and_quotes_in_addresses_end_where_markdown_ends_them(text):
    """Where a quote opens a title, Markdown looks for its end as far as the end of the
    paragraph; here regular expressions find that end, and the result is Markdown's own."""
    own = markdown.markdown(text, extensions=["sane_lists", "nl2br"], output_format="html")
    rendered, budget = comment_markdown(text)
    assert rendered == own
    assert budget.spent <= 4 * len(text)


def test_an_exhausted_budget_leaves_links_as_text(monkeypatch):
    monkeypatch.setattr(markup, "SCAN_BUDGET_PER_CHAR", 0)
    monkeypatch.setattr(markup, "SCAN_BUDGET_MIN", 0)
    text = "See [the formula](https://example.org/formula) and [[wiki]]."
    assert "<a" not in comment_html_render(text)
    assert comment_plain_text(text) == text


def test_the_bounded_processors_replace_markdowns_own_in_place():
    """A Markdown upgrade that renames or reorders the link processors fails here."""
    plain = markdown.Markdown()
    bounded = markdown.Markdown(extensions=[BoundedLinksExtension(ScanBudget(1))])
    for name, processor, _pattern, _priority in BOUNDED_PROCESSORS:
        assert isinstance(bounded.inlinePatterns[name], processor)
        assert type(plain.inlinePatterns[name]) in processor.__mro__
        assert bounded.inlinePatterns.get_index_for_name(
            name
        ) == plain.inlinePatterns.get_index_for_name(name)


# ---- A post renders its Markdown once ----


@pytest.fixture
def renders(monkeypatch):
    from debates import commenting

    calls = []

    def counting(text):
        calls.append(text)
        return comment_html_render(text)

    monkeypatch.setattr(commenting, "comment_html_render", counting)
    return calls


@pytest.mark.django_db
def test_a_post_and_an_edit_render_their_text_once(renders, people, debate):
    from debates import commenting
    from debates.models import CommentDetail

    comment = commenting.comment_post(user=people.invited.user, debate=debate, text="*One* post")
    assert renders == ["*One* post"]
    detail = CommentDetail.objects.get(comment=comment)
    assert detail.html == "<p><em>One</em> post</p>"
    commenting.comment_edit(user=people.invited.user, comment=comment, text="**Edited**")
    assert renders == ["*One* post", "**Edited**"]
    detail.refresh_from_db()
    assert detail.html == "<p><strong>Edited</strong></p>"


def test_the_text_check_keeps_its_signature():
    from debates.commenting import comment_text_clean, comment_text_prepare
    from debates.rules import DebateActionError

    assert comment_text_clean("  a\r\nb ") == "a\nb"
    assert comment_text_prepare("*a*") == ("*a*", "<p><em>a</em></p>")
    with pytest.raises(DebateActionError) as refusal:
        comment_text_prepare("<script>x</script>")
    assert refusal.value.code == "comment-empty"
