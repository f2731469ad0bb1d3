"""The guided session player page: the compiled timeline, its alternatives and figures."""

from __future__ import annotations

from typing import Any

from csp.constants import WASM_UNSAFE_EVAL
from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.views.decorators.gzip import gzip_page

from backstretch.library.models import Exercise
from backstretch.library.schema import Position
from backstretch.routines.services import active_routine
from backstretch.routines.templates import item_voice
from backstretch.routines.timeline import compile_timeline, side_names

from .alternatives import PositionDosage, figure_keys, routine_alternatives
from .badday import BAD_DAY_PARAMETER
from .coach import coach_data, coached_names, cue_words
from .decorators import practice_allowed
from .services import bad_day_routine
from .tips import Moment, shipped_tips, translated_tip


def _position_dosages(exercise: Exercise) -> dict[str, PositionDosage]:
    spec = exercise.spec
    dosages = {}
    for position, variant in spec.positions.items():
        dosage = spec.dosage_for(position)
        dosages[position.value] = PositionDosage(
            hold_seconds=dosage.hold_seconds,
            rest_seconds=dosage.rest_seconds,
            cue=variant.cue,
            voice=item_voice(variant),
        )
    return dosages


# The page carries a figure per position (about 30 kB of SVG each): compressed, it is a few kB.
# WebAssembly may be compiled here: the camera coach's pose model runs as WebAssembly from our
# own /coach/ files (static/player/camera.js). It lets no JavaScript be evaluated.
@gzip_page
@csp_update({"script-src": [WASM_UNSAFE_EVAL]})
@practice_allowed
def play(request: HttpRequest) -> HttpResponse:
    routine = active_routine(request.user)  # type: ignore[arg-type]
    if routine is None:
        return render(request, "practice/player.html", {"routine": None})
    version = routine.current
    profile = getattr(request.user, "patient", None)
    items = version.routine_items()
    bad_day = request.GET.get("version") == BAD_DAY_PARAMETER
    if bad_day:
        items = bad_day_routine(items)
    exercises = {e.slug: e for e in Exercise.objects.filter(slug__in={i.exercise for i in items})}
    # The patient's pace (slower: longer holds and moves), set once on their profile.
    pace = getattr(profile, "pace", "usual")
    alternatives = routine_alternatives(
        items, {slug: _position_dosages(e) for slug, e in exercises.items()}, gettext, pace
    )
    timeline = compile_timeline(items, translate=gettext, pace=pace).to_json()
    names = {slug: e.name for slug, e in exercises.items()}
    # The camera coach: off until the patient turns it on; their clinician decides whether a
    # hold's timer waits for the camera to see them in position.
    coach = coach_data(
        exercises,
        figure_keys(alternatives),
        waits=getattr(profile, "camera_waits_for_position", True),
    )
    context: dict[str, Any] = {
        "routine": routine,
        "version": version,
        "minutes": max(1, round(timeline["total_seconds"] / 60)),
        "pain_values": range(11),
        "timeline": timeline,
        "alternatives": alternatives,
        "names": names,
        "coach": coach,
        "coached": coached_names(coach, names),
        "coach_cues": cue_words(),
        "figures": [(exercises[slug], position) for slug, position in figure_keys(alternatives)],
        # The counter names a side as the voice does ("Left leg behind · 2 of 5").
        "sides": {
            f"{slug}:{position}": side_names(
                item_voice(exercises[slug].spec.positions[Position(position)]), gettext
            )
            for slug, position in figure_keys(alternatives)
        },
        "bad_day": bad_day,
        "after_tips": [
            translated_tip(tip, get_language())
            for tip in shipped_tips()
            if Moment.AFTER_SESSION in tip.moments
        ],
        # Where a note goes: to the clinic's thread, or nowhere (a self-guided patient).
        "has_clinic": getattr(profile, "clinic_id", None) is not None,
        "config": {"version": version.pk, **({"variant": "bad_day"} if bad_day else {})},
    }
    return render(request, "practice/player.html", context)
