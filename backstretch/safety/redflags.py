"""The red-flag screen: questions and the rule that routes answers to a human. Pure.

Facts from the clinical reference (possible cauda equina syndrome → emergency care; possible
fracture, cancer, infection and other serious causes → prompt medical review). The screen
triages to a clinician; it never diagnoses. Wording is ours and goes through translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Urgency(StrEnum):
    EMERGENCY = "emergency"  # go to emergency care now
    PROMPT = "prompt"  # see a clinician before starting
    CLEAR = "clear"


@dataclass(frozen=True)
class Question:
    key: str
    text: str | Promise
    urgency: Urgency


QUESTIONS: tuple[Question, ...] = (
    Question(
        "saddle_numbness",
        _(
            "Numbness, tingling or a changed feeling between your legs, around your bottom "
            "or genitals (for example when you wipe)?"
        ),
        Urgency.EMERGENCY,
    ),
    Question(
        "bladder",
        _(
            "New trouble starting or stopping a wee, leaking, or not being able to tell "
            "whether your bladder is full or empty?"
        ),
        Urgency.EMERGENCY,
    ),
    Question(
        "bowel",
        _("Not being able to control your bowels, or not feeling a bowel movement pass?"),
        Urgency.EMERGENCY,
    ),
    Question(
        "sexual",
        _("A new loss of feeling or function in your genitals during sex?"),
        Urgency.EMERGENCY,
    ),
    Question(
        "leg_weakness",
        _(
            "Weakness in one or both legs that is getting worse, a foot that drags or slaps, "
            "or new trouble walking?"
        ),
        Urgency.EMERGENCY,
    ),
    Question(
        "both_legs",
        _("Pain, numbness, tingling or weakness going down both of your legs?"),
        Urgency.EMERGENCY,
    ),
    Question(
        "injury_onset",
        _(
            "Did the pain start after a bad fall or an accident? Or after a small fall or "
            "lifting something, if you have thin bones (osteoporosis) or take steroid tablets?"
        ),
        Urgency.PROMPT,
    ),
    Question("cancer", _("Have you ever had cancer?"), Urgency.PROMPT),
    Question("weight_loss", _("Have you lost weight recently without trying to?"), Urgency.PROMPT),
    Question(
        "fever",
        _(
            "Fever, chills or feeling generally unwell, or a recent infection such as a "
            "urine infection?"
        ),
        Urgency.PROMPT,
    ),
    Question(
        "immune",
        _(
            "A weakened immune system (for example from medicines, a transplant or HIV), or "
            "injecting drugs?"
        ),
        Urgency.PROMPT,
    ),
    Question(
        "night_pain",
        _("Pain that is worse when you lie down, or bad pain at night that wakes you?"),
        Urgency.PROMPT,
    ),
    Question(
        "constant_pain",
        _(
            "Pain that is there all the time and that nothing changes — not moving, not "
            "resting, not changing position — including at night?"
        ),
        Urgency.PROMPT,
    ),
    Question(
        "age_onset",
        _("Is this a new kind of back pain and are you younger than 20 or older than 55?"),
        Urgency.PROMPT,
    ),
    Question(
        "upper_back",
        _("Is the pain mainly in your upper back, between or around the shoulder blades?"),
        Urgency.PROMPT,
    ),
    Question(
        "inflammatory",
        _(
            "Have you been told you have an inflammatory condition such as ankylosing "
            "spondylitis or rheumatoid arthritis?"
        ),
        Urgency.PROMPT,
    ),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)

# Questions no longer asked, kept so that answers given to them still read as what was asked.
# Answers are stored by key: a new wording with a new meaning gets a new key.
RETIRED: tuple[Question, ...] = (
    Question(
        "injury",  # until 2026-12: lifting alone is the commonest start of ordinary back pain
        _(
            "Did the pain start after a fall, an accident or a heavy lift — especially if you "
            "have thin bones (osteoporosis) or have taken steroid tablets for a long time?"
        ),
        Urgency.PROMPT,
    ),
)


def triage(answers: Mapping[str, bool]) -> Urgency:
    """The most urgent route any "yes" points to; every question must be answered."""
    missing = [key for key in QUESTION_KEYS if key not in answers]
    if missing:
        raise ValueError(f"unanswered red-flag questions: {', '.join(missing)}")
    yes = {q.urgency for q in QUESTIONS if answers[q.key]}
    if Urgency.EMERGENCY in yes:
        return Urgency.EMERGENCY
    if Urgency.PROMPT in yes:
        return Urgency.PROMPT
    return Urgency.CLEAR


def flagged(answers: Mapping[str, bool]) -> list[Question]:
    """The questions answered "yes", most urgent first (for the clinician's view); answers
    stored before a question was retired read with the words they were given to."""
    order = {Urgency.EMERGENCY: 0, Urgency.PROMPT: 1}
    hits = [q for q in (*QUESTIONS, *RETIRED) if answers.get(q.key)]
    return sorted(hits, key=lambda q: order[q.urgency])
