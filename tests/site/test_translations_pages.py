"""No page in one language shows interface text of another (checked on rendered pages).

How it catches a foreign string: every string the site knows in its three versions is
collected — the gettext catalogues (English msgid, Catalan and Spanish msgstr), the
formulas' and criteria's titles, and the titles of translated pages. A page in language
L fails when its visible text holds a version of such a string in another language that
differs from the L version (an English table header on a Catalan page, a Catalan space
name on an English page). Short strings (one word, a code) are left out: they are often
the same word in two languages. Internal ids a reader must not see (source ids such as
"ine-atlas", the "datasets/" folder) are looked for too, outside code samples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = ("ca", "es", "en")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}")
MIN_LENGTH = 14

pytestmark = pytest.mark.django_db


# ---- What the site knows in three languages ----


def po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (plural forms: the first; fuzzy entries skipped)."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block or block.lstrip().startswith("#~"):
            continue
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?|msgstr\[\d\]) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = _unescape(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += _unescape(line[1:-1])
        msgid = fields.get("msgid")
        msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
        if msgid:
            entries[msgid] = msgstr
    return entries


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def catalogue_paths(language: str) -> list[Path]:
    return sorted(
        path
        for path in REPO.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    )


def known_triples() -> list[dict[str, str]]:
    """Each known string as {"en": …, "ca": …, "es": …}."""
    catalogues = {lang: {} for lang in ("ca", "es")}
    for lang in catalogues:
        for path in catalogue_paths(lang):
            catalogues[lang].update(po_entries(path))
    triples = [
        {"en": msgid, "ca": catalogues["ca"].get(msgid, ""), "es": catalogues["es"].get(msgid, "")}
        for msgid in catalogues["ca"]
    ]
    from datasets.allocation.formula import formula_load

    for path in sorted((REPO / "datasets" / "formulas").glob("*.toml")):
        formula = formula_load(path)
        for item in (formula, *formula.criteria):
            triples.append({lang: item.title_in(lang) for lang in LANGUAGES})
    from wagtail.models import Page

    groups: dict[str, dict[str, str]] = {}
    for page in Page.objects.filter(depth__gt=1).select_related("locale"):
        groups.setdefault(str(page.translation_key), {})[page.locale.language_code] = page.title
    triples.extend(group for group in groups.values() if len(group) == len(LANGUAGES))
    return triples


def fragments(text: str) -> list[str]:
    """The literal parts of a string worth looking for (placeholders cut out)."""
    parts = [part.strip(" .,:;·()«»“”\"'\n") for part in PLACEHOLDER.split(text)]
    return [part for part in parts if len(part) >= MIN_LENGTH and " " in part]


@dataclass(frozen=True)
class Foreign:
    text: str
    language: str
    english: str


def foreign_strings(triples: list[dict[str, str]], language: str) -> list[Foreign]:
    """Strings of the other languages that a page in ``language`` must not show."""
    own = {re.sub(r"\s+", " ", t.get(language, "")) for t in triples}
    own_text = "\n".join(own)
    found: dict[str, Foreign] = {}
    for triple in triples:
        mine = triple.get(language, "")
        if not mine:
            continue
        for other in LANGUAGES:
            theirs = triple.get(other, "")
            if other == language or not theirs or theirs == mine:
                continue
            for fragment in fragments(re.sub(r"\s+", " ", theirs)):
                # A phrase that is also (part of) this language's text is not foreign.
                if fragment in mine or fragment in own_text:
                    continue
                found.setdefault(fragment, Foreign(fragment, other, triple.get("en", "")))
    return list(found.values())


# ---- Rendered pages ----

INTERNAL_IDS = re.compile(r"\b(ine-atlas|diba-visor2030|ine-codes-codeforspain|datasets/)")


def visible_html(html: str, language: str = "") -> BeautifulSoup:
    """The page without what is not interface text in its language (see below)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "code", "pre", "template", "noscript"]):
        tag.decompose()
    # Text marked as another language (lang="…") says so to readers and screen readers.
    for tag in soup.find_all(lambda t: t.name != "html" and t.get("lang") not in (None, language)):
        tag.decompose()
    # The language links name each language in itself, on purpose.
    for tag in soup.select("nav.langs"):
        tag.decompose()
    # A person's words are content in the language they wrote, not interface.
    for tag in soup.select(".comment__text, .comment__original, [data-user-content]"):
        tag.decompose()
    return soup


def visible_text(html: str, language: str = "") -> str:
    soup = visible_html(html, language)
    texts = [soup.get_text(" ")]
    for tag in soup.find_all(attrs={"aria-label": True}):
        texts.append(tag["aria-label"])
    for tag in soup.find_all(attrs={"placeholder": True}):
        texts.append(tag["placeholder"])
    return re.sub(r"\s+", " ", " ".join(texts))


# Words of English that are not words of Catalan or Spanish: a stretch of text with two
# of them on a Catalan or Spanish page is English, even when no catalogue knows it.
ENGLISH_ONLY = {"the", "and", "with", "of", "is", "are", "this", "that", "from", "to", "by"}


def english_stretches(html: str, language: str) -> list[str]:
    if language == "en":
        return []
    found = []
    for piece in visible_html(html, language).find_all(string=True):
        words = set(re.findall(r"[a-z]+", piece.lower()))
        if len(words & ENGLISH_ONLY) >= 2:
            found.append(re.sub(r"\s+", " ", piece.strip())[:90])
    return found


def page_problems(html: str, language: str, foreign: list[Foreign]) -> list[str]:
    text = visible_text(html, language)
    problems = [
        f"{item.language} text «{item.text}» (msgid «{item.english}»)"
        for item in foreign
        if re.search(rf"(?<!\w){re.escape(item.text)}(?!\w)", text)
    ]
    problems += [f"internal id «{m}»" for m in sorted(set(INTERNAL_IDS.findall(text)))]
    problems += [f"English text «{piece}»" for piece in english_stretches(html, language)]
    if f'<html lang="{language}"' not in html:
        problems.append("wrong <html lang>")
    return problems


def test_the_check_catches_a_foreign_string():
    triples = [
        {"en": "Unemployment rate (Census 2021)", "ca": "Taxa d'atur (Cens 2021)", "es": "x"},
        {"en": "Spaces of debate", "ca": "Espais de debat oberts", "es": "Espacios de debate"},
    ]
    catalan_page = '<html lang="ca"><body><th>Unemployment rate (Census 2021)</th></body></html>'
    assert page_problems(catalan_page, "ca", foreign_strings(triples, "ca"))
    english_page = '<html lang="en"><body><p>Espais de debat oberts</p></body></html>'
    assert page_problems(english_page, "en", foreign_strings(triples, "en"))
    clean = '<html lang="ca"><body><th>Taxa d&#x27;atur (Cens 2021)</th></body></html>'
    assert not page_problems(clean, "ca", foreign_strings(triples, "ca"))
    source = '<html lang="ca"><body><p>Font: ine-atlas</p><code>datasets/x</code></body></html>'
    assert page_problems(source, "ca", []) == ["internal id «ine-atlas»"]
    marked = '<html lang="ca"><body><p lang="en">Unemployment rate (Census 2021)</p></body></html>'
    assert not page_problems(marked, "ca", foreign_strings(triples, "ca"))
    unknown = '<html lang="es"><body><td>Final amount of the entity, rounded</td></body></html>'
    assert page_problems(unknown, "es", []) == [
        "English text «Final amount of the entity, rounded»"
    ]
    catalan = (
        '<html lang="ca"><body><p>Import final de l\'ens, arrodonit al cèntim</p></body></html>'
    )
    assert not page_problems(catalan, "ca", [])


@pytest.fixture
def full_demo(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())


def demo_urls(client, language: str) -> list[str]:
    """The pages a visitor reaches from the home page and the main portal pages."""
    from wagtail.models import Page

    from debates.models import DebatePage

    urls = [f"/{language}/", f"/{language}/search/?q=Vic", f"/{language}/accounts/login/"]
    live = Page.objects.live().public().filter(locale__language_code=language, depth__gt=2)
    urls += [page.url for page in live.specific() if page.url]
    for model, suffix in (
        ("municipalityindexpage", "08298/"),
        ("allocationexplorerpage", "08298/"),
        ("datacatalogpage", "allocation-pgi-2024-2027/"),
    ):
        page = live.filter(content_type__model=model).first()
        if page is not None:
            urls.append(f"{page.url}{suffix}")
    urls.append(f"/{language}/no-such-page/")
    assert any(DebatePage.objects.filter(locale__language_code=language).values("pk"))
    return sorted(set(urls))


# Gaps known and named (not hidden); none left: the column dictionary of a dataset page
# reads the Table Schema's Catalan and Spanish texts (``concertem`` beside each field), its
# sources have theirs, and a formula's exclusion reason is given in the three languages.
KNOWN_GAPS: tuple[tuple[str, str], ...] = ()


def known_gap(url: str, problem: str) -> bool:
    return any(fragment in url and text in problem for fragment, text in KNOWN_GAPS)


def official_urls(language: str) -> list[str]:
    """What an official reads once logged in (unprefixed pages take ``?language=``)."""
    from concertem.office.models import OfficePage

    office = OfficePage.objects.live().filter(locale__language_code=language).first()
    urls = [f"/email-preferences/?language={language}"]
    if office is not None:
        urls += [office.url, f"{office.url}requests/", f"{office.url}requests/new/"]
    return urls


def test_pages_show_no_text_of_another_language(client, full_demo):
    from django.test import Client

    official = Client()
    assert official.login(username="alcaldessa.vic", password="concertem-official")
    triples = known_triples()
    report: list[str] = []
    visited = 0
    for language in LANGUAGES:
        foreign = foreign_strings(triples, language)
        pages = [(client, url) for url in demo_urls(client, language)]
        pages += [(official, url) for url in official_urls(language)]
        for reader, url in pages:
            response = reader.get(url, HTTP_ACCEPT_LANGUAGE="en")
            if response.status_code in (301, 302):
                continue
            visited += 1
            for problem in page_problems(response.content.decode(), language, foreign):
                if not known_gap(url, problem):
                    report.append(f"{url}: {problem}")
    print(f"pages checked: {visited} ({visited // len(LANGUAGES)} per language)")
    assert visited >= 40
    assert not report, f"{len(report)} problems:\n" + "\n".join(report)
