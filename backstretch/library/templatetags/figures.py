"""``{% load figures %}`` then ``{% exercise_figure exercise position frame="animated" %}``; also
``{{ target|area }}`` and ``{{ spec.targets|areas }}``, body areas in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from backstretch.library import figures as drawing
from backstretch.library import schema
from backstretch.library.models import Exercise
from backstretch.library.vocabulary import area_label

register = template.Library()


@register.simple_tag
def exercise_figure(
    exercise: Exercise | schema.Exercise,
    position: schema.Position | str,
    frame: str = "animated",
    side: str = "left",
    label: str | None = None,
) -> SafeString:
    """An inline SVG of ``exercise`` (a library row or a schema Exercise) in ``position``."""
    spec = exercise.spec if isinstance(exercise, Exercise) else exercise
    if label is None and drawing.shipped(spec):
        svg = drawing.cached_figure(spec.slug, position, side, frame)
    else:
        svg = drawing.render_figure(spec, position, side=side, frame=frame, label=label)
    return mark_safe(svg)  # built by our code; every text in it is XML-escaped


@register.filter
def area(target: str) -> str:
    return area_label(target)


@register.filter
def areas(targets: list[str]) -> str:
    return ", ".join(area_label(target) for target in targets)
