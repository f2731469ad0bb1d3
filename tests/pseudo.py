"""A made-up language for tests: every message and exercise word marked, so a page shows
at a glance which of its words did not go through translation.

``pseudo("Hold for {n} seconds")`` is ``"⟦Hóld fór {n} sécónds⟧"``: the letters changed, the
placeholders and HTML tags kept. ``build_catalogue`` writes a compiled catalogue for the code
``PSEUDO`` from our .po files and Django's own English messages (month and weekday names, form
errors), so everything that goes through gettext comes out marked. ``unmarked_text`` lists
the visible text of a page left after the marked parts are taken out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import django
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from backstretch.core.catalogues import LOCALE_DIR

PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
ACCENTS = str.maketrans("aeiouAEIOUcnyCNY", "áéíóúÁÉÍÓÚçñýÇÑÝ")
# Kept as they are: printf and format placeholders, HTML tags and entities.
KEEP = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>|&#?\w+;")
DJANGO_MESSAGES = Path(django.__file__).parent / "conf" / "locale" / "en" / "LC_MESSAGES"


def pseudo(text: str) -> str:
    if not text:
        return text
    pieces, last = [], 0
    for match in KEEP.finditer(text):
        pieces.append(text[last : match.start()].translate(ACCENTS))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(text[last:].translate(ACCENTS))
    return f"{OPEN}{''.join(pieces)}{CLOSE}"


def pseudo_words(value: Any) -> Any:
    """A data translation's words (library/translations.py text), all made pseudo."""
    if isinstance(value, dict):
        return {key: pseudo_words(item) for key, item in value.items()}
    if isinstance(value, list):
        return [pseudo_words(item) for item in value]
    return pseudo(value) if isinstance(value, str) else value


def build_catalogue(locale_dir: Path) -> None:
    """Write ``locale_dir/xx/LC_MESSAGES/django.mo`` (and djangojs.mo) for the pseudo-locale."""
    sources = {
        "django": [LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po", DJANGO_MESSAGES / "django.po"],
        "djangojs": [LOCALE_DIR / "es" / "LC_MESSAGES" / "djangojs.po"],
    }
    folder = locale_dir / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    for domain, paths in sources.items():
        catalog = Catalog(locale="en", fuzzy=False)
        for path in paths:
            if not path.exists():
                continue
            with path.open("rb") as source:
                for message in read_po(source):
                    if not message.id:
                        continue
                    if isinstance(message.id, tuple):
                        string: Any = tuple(pseudo(form) for form in message.id)
                    else:
                        string = pseudo(message.id)
                    catalog.add(message.id, string, context=message.context)
        with (folder / f"{domain}.mo").open("wb") as target:
            write_mo(target, catalog)


class _Text(HTMLParser):
    """Visible texts and the attributes people read, outside scripts, code samples and
    anything marked ``translate="no"`` (HTML's own way to say "leave this as it is"), and
    the options of a list whose text is their value (time zone names)."""

    SKIP = frozenset({"script", "style", "template", "svg", "code", "pre"})
    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag in self.SKIP or given.get("translate") == "no" or tag == "option":
            if tag == "option" and given.get("translate") != "no":
                self.option_value = given.get("value") or ""
            else:
                self.skipping.append(tag)
        if self.skipping:
            return
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.found.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") == "submit":
                self.found.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self.option_value = None
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    option_value: str | None = None

    def handle_data(self, data: str) -> None:
        if self.option_value is not None and data.strip() == self.option_value:
            return
        if not self.skipping and data.strip():
            self.found.append(data)


WORD = re.compile(r"[^\W\d_][\w'’\-]*")
# A pseudo word has no plain vowel left (ACCENTS changes them all): one that has is English.
PLAIN = re.compile(r"[aeiouyAEIOUY]")
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|/[\w/.\-?=&#]*|\b[A-Z][a-z]+/[A-Za-z_/\-]+")


def unmarked_text(page: str, allowed: set[str]) -> list[str]:
    """Each visible text (and title, aria-label, placeholder, alt) of ``page`` holding a word
    that did not go through translation, even inside a translated sentence ("⟦Áddéd Bridge⟧"
    when the name came from somewhere untranslated), unless the word is ``allowed`` (names,
    words people typed); e-mail addresses, links and made-up codes (with digits) pass."""
    parser = _Text()
    parser.feed(page)
    left = []
    for text in parser.found:
        rest = NOT_WORDS.sub(" ", text.replace(OPEN, " ").replace(CLOSE, " "))
        words = [
            word
            for word in WORD.findall(rest)
            if PLAIN.search(word) and word not in allowed and not re.search(r"[\d_]", word)
        ]
        if words:
            left.append(" ".join(text.split()))
    return left
