"""The words of the PEG check-in and of the STarT Back questions, written by us.

PEG keeps the meaning of its three items (average pain; pain getting in the way of enjoying
life; of general activity) over the past week. STarT Back keeps the meaning of its nine items
over the last two weeks; Keele asks that its copyright and funding line always goes with the
tool (docs/CLINICAL.md §3.3), so START_BACK_COPYRIGHT is shown wherever the tool is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PegItem:
    field: str
    question: Promise
    low: Promise  # what 0 means
    high: Promise  # what 10 means


PEG_ITEMS = (
    PegItem(
        "pain",
        _("Over the past week, how bad was your pain on average?"),
        _("no pain"),
        _("as bad as you can imagine"),
    ),
    PegItem(
        "enjoyment",
        _("Over the past week, how much did pain get in the way of enjoying life?"),
        _("not at all"),
        _("completely"),
    ),
    PegItem(
        "activity",
        _("Over the past week, how much did pain get in the way of your everyday activities?"),
        _("not at all"),
        _("completely"),
    ),
)

START_BACK_INTRO = _("Think about the last two weeks. For each sentence, say whether you agree.")
START_BACK_STATEMENTS = (
    _("At some point in the last two weeks, my back pain has spread down into my leg or legs."),
    _("At some point in the last two weeks, I have had pain in my neck or shoulder."),
    _("Because of my back pain, I have only walked short distances."),
    _("In the last two weeks, back pain has made me slower at getting dressed."),
    _("For someone with a back like mine, being physically active is not really safe."),
    _("Worrying thoughts have been on my mind a lot of the time."),
    _("My back pain feels terrible and I think it will never get any better."),
    _("On the whole, I have not been enjoying the things I used to enjoy."),
)
START_BACK_BOTHER = _("All in all, how much has your back pain bothered you in the last two weeks?")
START_BACK_BOTHER_CHOICES = (
    _("Not at all"),
    _("Slightly"),
    _("Moderately"),
    _("Very much"),
    _("Extremely"),
)
# Keele's copyright and funding statement, which must stay with the tool (kept as published).
START_BACK_COPYRIGHT = (
    "Keele STarT Back Screening Tool © Keele University 01/08/07. Funded by Arthritis Research UK."
)
