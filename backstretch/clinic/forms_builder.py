"""The prescription builder's forms (the schedule, naming a clinic template) and its words.

The items themselves are read by ``builder.read_draft``: they are a list that grows and
shrinks in the page, which a fixed Django form does not model well.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backstretch.library.vocabulary import SIDES_WORDS, position_word

from .builder import Change, Problem


class ScheduleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Routine name"), max_length=120)
    days = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Days"),
        choices=list(WEEKDAYS_ABBR.items()),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one day.")},
    )
    times_per_day = forms.TypedChoiceField(
        label=gettext_lazy("Times a day"),
        choices=[
            (1, gettext_lazy("Once")),
            (2, gettext_lazy("Twice")),
            (3, gettext_lazy("Three times")),
        ],
        coerce=int,
    )
    review_date = forms.DateField(
        label=gettext_lazy("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": gettext_lazy("Enter the review date as a date, e.g. 2026-12-09.")
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for this change"),
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("For example: less pain, longer holds")}
        ),
    )

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        """``today``: the patient's own date; a review date before it is refused on saving.

        No ``min`` on the input: the browser would then block every button of the builder
        (add, move, remove) while an old review date is still in the field.
        """
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_review_date(self) -> date | None:
        review: date | None = self.cleaned_data.get("review_date")
        if review is not None and self.today is not None and review < self.today:
            raise forms.ValidationError(
                _("Review date: %(day)s has passed. Choose today or later, or leave it empty.")
                % {"day": date_format(review, "j M Y")}
            )
        return review


class TemplateNameForm(forms.Form):
    clinic_template_name = forms.CharField(
        label=gettext_lazy("Template name"),
        max_length=120,
        required=True,
        error_messages={"required": gettext_lazy("Give the clinic template a name.")},
    )


FIELD_WORDS = {
    "position": gettext_lazy("position"),
    "hold_seconds": gettext_lazy("hold"),
    "repetitions": gettext_lazy("repetitions"),
    "sides": gettext_lazy("sides"),
    "rest_seconds": gettext_lazy("rest"),
    "note": gettext_lazy("note"),
}


def days_words(days: list[int]) -> str:
    if sorted(days) == [0, 1, 2, 3, 4, 5, 6]:
        return _("every day")
    if not days:
        return _("no days")
    return ", ".join(str(WEEKDAYS_ABBR[day]) for day in sorted(days) if day in WEEKDAYS_ABBR)


def problem_text(problem: Problem) -> str:
    values = {"name": problem.name, "value": problem.value, "low": problem.low}
    values["high"] = problem.high
    if problem.code == "empty":
        return _("Add at least one exercise.")
    if problem.code == "unknown":
        return _("“%(value)s” is not an exercise in the library.") % values
    if problem.code == "position":
        return _("%(name)s cannot be done in the “%(value)s” position.") % values
    if problem.code == "sides":
        return _("%(name)s: choose how the sides are done.") % values
    if problem.code == "one_side_at_a_time":
        return (
            _("%(name)s works one side at a time: choose “Each side” or “Alternate” for sides.")
            % values
        )
    if problem.code == "both_sides_at_once":
        return (
            _("%(name)s works both sides at once in this position: choose “None” for sides.")
            % values
        )
    if problem.code == "note":
        return _("%(name)s: the note can be at most %(high)s characters.") % values
    if problem.code == "number":
        return _("%(name)s: %(field)s must be a whole number — you entered “%(value)s”.") % {
            **values,
            "field": FIELD_WORDS[problem.field],
        }
    if problem.field == "hold_seconds":
        text = _(
            "%(name)s: hold must be between %(low)s and %(high)s seconds — you entered %(value)s"
        )
    elif problem.field == "rest_seconds":
        text = _(
            "%(name)s: rest must be between %(low)s and %(high)s seconds — you entered %(value)s"
        )
    else:
        text = _(
            "%(name)s: repetitions must be between %(low)s and %(high)s — you entered %(value)s"
        )
    return text % values


def _value_words(key: str, value: Any) -> str:
    if key in ("hold_seconds", "rest_seconds"):
        return _("%(n)s s") % {"n": value}
    if key == "position":
        return position_word(str(value))
    if key == "sides":
        return str(SIDES_WORDS.get(str(value), value))
    return str(value)


def change_text(change: Change) -> str:
    """One line of the version history, e.g. "Hamstring stretch: hold 10 s → 20 s"."""
    if change.kind == "added" and change.item is not None:
        item = change.item
        return _("Added %(name)s (%(position)s, %(hold)s s × %(reps)s)") % {
            "name": change.name,
            "position": position_word(str(item["position"])),
            "hold": item["hold_seconds"],
            "reps": item["repetitions"],
        }
    if change.kind == "removed":
        return _("Removed %(name)s") % {"name": change.name}
    if change.kind == "order":
        return _("Order changed")
    if change.kind == "days":
        return _("Days: %(before)s → %(after)s") % {
            "before": days_words(change.before),
            "after": days_words(change.after),
        }
    if change.kind == "times":
        return _("Times a day: %(before)s → %(after)s") % {
            "before": change.before,
            "after": change.after,
        }
    if change.kind == "review":
        if change.after is None:
            return _("Review date removed")
        when = date_format(change.after, "j M")
        if change.before is None:
            return _("Review date set to %(date)s") % {"date": when}
        return _("Review date moved to %(date)s") % {"date": when}
    if change.field == "note":
        if not change.before:
            return _("%(name)s: note added") % {"name": change.name}
        if not change.after:
            return _("%(name)s: note removed") % {"name": change.name}
        return _("%(name)s: note changed") % {"name": change.name}
    if change.field == "position":
        return _("%(name)s: %(before)s → %(after)s") % {
            "name": change.name,
            "before": position_word(str(change.before)),
            "after": position_word(str(change.after)),
        }
    return _("%(name)s: %(field)s %(before)s → %(after)s") % {
        "name": change.name,
        "field": FIELD_WORDS[change.field],
        "before": _value_words(change.field, change.before),
        "after": _value_words(change.field, change.after),
    }
