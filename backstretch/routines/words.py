"""Routine templates in the reader's language: their translation files (``data/<code>/``).

A template's words are its name, its description and its items' notes. A routine started from
a template keeps the English name and notes it was made with (``Routine.name``, the items'
``note``), and is read in the reader's language through ``translated_name`` and
``translated_note``: a clinician and a patient each read it in their own.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

from backstretch.library.translations import load_translations

from .templates import TEMPLATES_DIR, RoutineTemplate, load_templates


def template_text(template: RoutineTemplate) -> dict[str, Any]:
    """The words of ``template`` that a translation gives, in the translation file's shape."""
    text: dict[str, Any] = {"name": template.name, "description": template.description}
    notes = [item.note for item in template.items if item.note]
    if notes:
        text["notes"] = notes
    return text


@cache
def _english() -> dict[str, RoutineTemplate]:
    return load_templates()


def check_template_translations() -> tuple[dict[str, dict[str, Any]], list[str], list[str]]:
    """Every language's template translations: (found by language, problems, not translated)."""
    english = {slug: template_text(t) for slug, t in _english().items()}
    found: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    missing: list[str] = []
    for code, _name in settings.LANGUAGES:
        if code == "en":
            continue
        words, wrong, absent = load_translations(TEMPLATES_DIR, code, english)
        found[code] = words
        problems.extend(wrong)
        missing.extend(absent)
    return found, problems, missing


@cache
def _phrasebook(language: str) -> dict[str, str]:
    """English template name, description or note -> its words in ``language``."""
    english = {slug: template_text(t) for slug, t in _english().items()}
    words, _problems, _missing = load_translations(TEMPLATES_DIR, language, english)
    book: dict[str, str] = {}
    for slug, translated in words.items():
        source = english[slug]
        for key in ("name", "description"):
            if key in translated:
                book[source[key]] = translated[key]
        for first, second in zip(
            source.get("notes", []), translated.get("notes", []), strict=False
        ):
            book[first] = second
    return book


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def in_reader_language(english: str) -> str:
    """A shipped template's name, description or note in the reader's language; any other
    text (a clinician's own name or note) as it is."""
    language = _language()
    if language == "en" or not english:
        return english
    return _phrasebook(language).get(english, english)


def translated_template(template: RoutineTemplate) -> RoutineTemplate:
    """``template`` with its name and description in the reader's language."""
    return template.model_copy(
        update={
            "name": in_reader_language(template.name),
            "description": in_reader_language(template.description),
        }
    )
