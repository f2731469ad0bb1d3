"""Dates with the month's name, as each language writes them: "5 December 2026" in English,
"5 de diciembre de 2026" in Spanish. The format strings are messages (context "date format"),
so a language puts its own small words around the day, month and year; Django's localisation
gives the names of months and weekdays.

``long_date(value, "j F Y")`` in Python; ``{{ value|long_date:"j F Y" }}`` in any template (a
builtin filter, see settings). Only the formats listed in ``FORMATS`` are translated; any other
is used as it is, so numeric and abbreviated dates ("j M Y") need nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import formats
from django.utils.translation import pgettext_lazy

register = template.Library()

FORMATS = {
    # Translators: a date format (PHP-style letters: j day, F month name, Y year); keep the
    # letters, add the words your language puts between them, with each letter of a word
    # escaped by a backslash (Spanish: j \d\e F \d\e Y).
    "j F Y": pgettext_lazy("date format", "j F Y"),
    # Translators: a date and time format: day, month name, year, then hours and minutes.
    "j F Y, H:i": pgettext_lazy("date format", "j F Y, H:i"),
    # Translators: a date format: day and month name.
    "j F": pgettext_lazy("date format", "j F"),
    # Translators: a date format: weekday name (l), day and month name.
    "l j F": pgettext_lazy("date format", "l j F"),
    # Translators: a date format: weekday name, day, month name, then hours and minutes.
    "l j F, H:i": pgettext_lazy("date format", "l j F, H:i"),
}


@register.filter(expects_localtime=True)
def long_date(value: date | datetime | None, format_name: str) -> str:
    """``value`` in the format ``format_name``, as the active language writes it."""
    if value is None or value == "":
        return ""
    return formats.date_format(value, str(FORMATS.get(format_name, format_name)))
