"""The camera coach's part of the player page (issue 18): the compiled camera rules of every
exercise and position the player may show, with the words the patient reads and hears.

Compiling one position's rules settles its figure's end pose (about 60 ms), so each process
keeps them per exercise as last synced; the words (where to put the phone, the corrections)
are added per request, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext

from backstretch.library import camera
from backstretch.library.camera_schema import BLAZEPOSE, CUES
from backstretch.library.models import Exercise
from backstretch.library.schema import Position

# (exercise id, position, side) -> (the row's synced_at, compiled rules without the landmarks)
_COMPILED: dict[tuple[int, str, str], tuple[Any, dict[str, Any]]] = {}


def _compiled(exercise: Exercise, position: Position, side: str) -> dict[str, Any]:
    key = (exercise.pk, position.value, side)
    kept = _COMPILED.get(key)
    if kept is not None and kept[0] == exercise.synced_at:
        return kept[1]
    rules = camera.compile_rules(exercise.spec, position, side)
    del rules["landmarks"]  # the same 33 names for every exercise: sent once
    _COMPILED[key] = (exercise.synced_at, rules)
    return rules


def coach_data(
    exercises: Mapping[str, Exercise], keys: Iterable[tuple[str, str]], *, waits: bool
) -> dict[str, Any]:
    """What static/player/coach.js reads: ``{landmarks, rules: {"slug:position:side": rules},
    waits}``; ``waits``: the hold's timer waits until the camera sees the patient in position
    (their clinician may switch it off)."""
    rules: dict[str, Any] = {}
    for slug, position_name in keys:
        exercise = exercises[slug]
        position = Position(position_name)
        words = exercise.spec.positions[position].camera
        if words is None:
            continue
        for side in camera.sides_of(exercise.spec, position):
            rules[f"{slug}:{position_name}:{side}"] = {
                **_compiled(exercise, position, side),
                "phone": words.phone,
            }
    return {"landmarks": list(BLAZEPOSE), "rules": rules, "waits": waits}


def coached_names(data: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """The names of the exercises the camera can coach in this session, in routine order."""
    slugs = dict.fromkeys(rules["exercise"] for rules in data["rules"].values())
    return [names[slug] for slug in slugs]


def cue_words() -> list[tuple[str, str]]:
    """Every correction the coach may say, by key, in the reader's language."""
    return [(key, gettext(text)) for key, text in CUES.items()]
