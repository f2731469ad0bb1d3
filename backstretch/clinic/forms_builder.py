"""Forms of the prescription builder: the schedule, and naming a clinic template.

The items themselves are read by ``builder.read_draft``: they are a list that grows and
shrinks in the page, which a fixed Django form does not model well.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("Routine name"), max_length=120)
    days = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    times_per_day = forms.TypedChoiceField(
        label=_("Times a day"),
        choices=[(1, _("Once")), (2, _("Twice")), (3, _("Three times"))],
        coerce=int,
    )
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the review date as a date, e.g. 2026-12-09.")},
    )
    reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("For example: less pain, longer holds")}),
    )


class TemplateNameForm(forms.Form):
    clinic_template_name = forms.CharField(
        label=_("Template name"),
        max_length=120,
        required=True,
        error_messages={"required": _("Give the clinic template a name.")},
    )
