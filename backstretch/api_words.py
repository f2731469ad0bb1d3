"""What is wrong with a value the API refused, in the reader's language.

pydantic words its own messages in English only ("Input should be a valid integer"). The API
answers in the language of whoever asks (a patient's Spanish app shows the reason a save was
refused), so each kind of error pydantic reports gets our own words here, with the limits it
names; a kind not listed keeps pydantic's English rather than saying nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Words = Callable[[Mapping[str, Any]], str]


def _count(words: Callable[[int], str], key: str) -> Words:
    def say(ctx: Mapping[str, Any]) -> str:
        number = int(ctx.get(key, 0))
        return words(number) % {key: number}

    return say


def _bound(message: Callable[[], str], key: str) -> Words:
    return lambda ctx: message() % {key: _limit(ctx.get(key, ""))}


def _limit(value: Any) -> Any:
    # A number field's limits come as floats ("3600.0"): a whole one reads as a whole number.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _choices(ctx: Mapping[str, Any]) -> str:
    # pydantic lists the choices as "'a', 'b' or 'c'": keep the values, not its English "or".
    expected = str(ctx.get("expected", "")).replace(" or ", ", ")
    return _("Choose one of: %(expected)s.") % {"expected": expected}


def _fixed(message: Callable[[], str]) -> Words:
    return lambda ctx: message()


WHOLE = _fixed(lambda: _("Enter a whole number."))
NUMBER = _fixed(lambda: _("Enter a number."))
TEXT = _fixed(lambda: _("Enter text."))
TRUE_FALSE = _fixed(lambda: _("Enter true or false."))
UUID = _fixed(
    lambda: (
        _("Enter an id of 32 hexadecimal digits, for example %(example)s.")
        % {"example": "123e4567-e89b-12d3-a456-426614174000"}
    )
)
MOMENT = _fixed(
    lambda: (
        _("Enter a date and time with its offset from UTC, for example %(example)s.")
        % {"example": "2026-12-06T08:30:00+01:00"}
    )
)
DAY = _fixed(lambda: _("Enter a date, for example %(example)s.") % {"example": "2026-12-06"})

BY_KIND: Mapping[str, Words] = {
    "int_parsing": WHOLE,
    "int_type": WHOLE,
    "int_from_float": WHOLE,
    "float_parsing": NUMBER,
    "float_type": NUMBER,
    "finite_number": NUMBER,
    "string_type": TEXT,
    "bool_parsing": TRUE_FALSE,
    "bool_type": TRUE_FALSE,
    "uuid_parsing": UUID,
    "uuid_type": UUID,
    "uuid_version": UUID,
    "datetime_parsing": MOMENT,
    "datetime_from_date_parsing": MOMENT,
    "datetime_type": MOMENT,
    "timezone_aware": MOMENT,
    "date_parsing": DAY,
    "date_from_datetime_parsing": DAY,
    "date_type": DAY,
    "string_too_short": _count(
        lambda n: ngettext(
            "Enter at least %(min_length)d character.",
            "Enter at least %(min_length)d characters.",
            n,
        ),
        "min_length",
    ),
    "string_too_long": _count(
        lambda n: ngettext(
            "Use at most %(max_length)d character.", "Use at most %(max_length)d characters.", n
        ),
        "max_length",
    ),
    "too_short": _count(
        lambda n: ngettext(
            "Give at least %(min_length)d item.", "Give at least %(min_length)d items.", n
        ),
        "min_length",
    ),
    "too_long": _count(
        lambda n: ngettext(
            "Give at most %(max_length)d item.", "Give at most %(max_length)d items.", n
        ),
        "max_length",
    ),
    "greater_than_equal": _bound(lambda: _("Enter %(ge)s or more."), "ge"),
    "greater_than": _bound(lambda: _("Enter more than %(gt)s."), "gt"),
    "less_than_equal": _bound(lambda: _("Enter %(le)s or less."), "le"),
    "less_than": _bound(lambda: _("Enter less than %(lt)s."), "lt"),
    "string_pattern_mismatch": _bound(
        lambda: _("Write it in the form this pattern describes: %(pattern)s"), "pattern"
    ),
    "literal_error": _choices,
    "enum": _choices,
    "extra_forbidden": _fixed(lambda: _("This field is not one we know: leave it out.")),
    "list_type": _fixed(lambda: _("Give a list (in square brackets).")),
    "dict_type": _fixed(lambda: _("Give an object (in curly brackets).")),
    "model_type": _fixed(lambda: _("Give an object (in curly brackets).")),
    "model_attributes_type": _fixed(lambda: _("Give an object (in curly brackets).")),
    "missing": _fixed(lambda: _("Field required")),
}


def message(error: Mapping[str, Any]) -> str:
    """Our words for one of pydantic's errors (``ValidationError.errors()``): our validators'
    own (already translated; pydantic would put "Value error, " before them), else the kind's
    words from BY_KIND, else pydantic's own message."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    words = BY_KIND.get(kind)
    if words is None:
        return str(error.get("msg", ""))
    return words(ctx)
