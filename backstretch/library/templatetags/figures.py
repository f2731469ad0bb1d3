"""``{% load figures %}`` then ``{% exercise_figure exercise position frame="animated" %}``; also
``{{ target|area }}`` and ``{{ spec.targets|areas }}``, body areas in the reader's language."""

from __future__ import annotations

from functools import cache

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from backstretch.library import figure_files, schema
from backstretch.library import figures as drawing
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
    decorative: bool = False,
    inline: bool = False,
) -> SafeString:
    """A figure of ``exercise`` (a library row or a schema Exercise) in ``position``: an
    ``<img>`` of its figure file (library/figure_files.py) with the figure's description as
    its text, or ``alt=""`` when ``decorative`` (the words beside it say it all). Inline SVG
    instead with ``inline`` (the printed handout: a PDF made from the page needs no other
    file), with a ``label`` of its own, or for an exercise that is not the shipped one."""
    spec = exercise.spec if isinstance(exercise, Exercise) else exercise
    position = schema.Position(position)
    if inline or label is not None or not figure_files.shipped(spec):
        if label is None and figure_files.shipped(spec):
            svg = drawing.cached_figure(spec.slug, position, side, frame)
        else:
            svg = drawing.render_figure(spec, position, side=side, frame=frame, label=label)
        return mark_safe(svg)  # built by our code; every text in it is XML-escaped
    language = translation.get_language() or ""
    return _image(spec.slug, position, side, frame, "" if decorative else language)


@register.simple_tag
def exercise_figure_src(
    exercise: Exercise | schema.Exercise,
    position: schema.Position | str,
    frame: str = "animated",
    side: str = "left",
) -> str:
    """The URL of the figure file of ``exercise`` in ``position``; "" for an exercise that is
    not the shipped one (it has no file: draw it with ``exercise_figure ... inline=True``)."""
    spec = exercise.spec if isinstance(exercise, Exercise) else exercise
    if not figure_files.shipped(spec):
        return ""
    return figure_files.figure_file(spec.slug, schema.Position(position), side, frame).url


@cache
def _image(
    slug: str, position: schema.Position, side: str, frame: str, language: str
) -> SafeString:
    """The ``<img>`` for a shipped figure; its text in ``language`` ("" for decorative). An
    animated one comes in a ``<picture>`` whose still end pose is the one loaded and shown for
    people who asked their device for less motion (browsers do not tell a media query inside
    an SVG shown as a picture that the page asks for it)."""
    figure = figure_files.figure_file(slug, position, side, frame)
    alt = ""
    if language:
        with translation.override(language):
            alt = drawing.describe(drawing.shipped_library_in(language)[slug], position, side)
    image = format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="figure-img" decoding="async"{}>',
        figure.url,
        alt,
        figure.width,
        figure.height,
        mark_safe("" if frame == "animated" else ' loading="lazy"'),
    )
    if frame != "animated":
        return image
    still = figure_files.figure_file(slug, position, side, "end")
    return format_html(
        '<picture><source media="(prefers-reduced-motion: reduce)" srcset="{}">{}</picture>',
        still.url,
        image,
    )


@register.filter
def area(target: str) -> str:
    return area_label(target)


@register.filter
def areas(targets: list[str]) -> str:
    return ", ".join(area_label(target) for target in targets)
