"""The SVG figures: every exercise in every position draws, moves and fits its frame."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.template import Context, Template

from backstretch.library import figures, schema
from backstretch.library.models import Exercise

SVG = "{http://www.w3.org/2000/svg}"
LIBRARY = schema.load_library()
CASES = [
    pytest.param(exercise, position, id=f"{slug}-{position.value}")
    for slug, exercise in sorted(LIBRARY.items())
    for position in exercise.positions
]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def drawn_points(root: ET.Element, *, body_only: bool = False) -> list[tuple[float, float, float]]:
    """Every (x, y, half stroke) drawn, including every animation value."""
    found: list[tuple[float, float, float]] = []
    groups = root.iter(f"{SVG}g") if body_only else [root]
    for group in groups:
        if body_only and "bs-body" not in group.get("class", ""):
            continue
        for element in group.iter():
            tag = element.tag.removeprefix(SVG)
            pad = float(element.get("stroke-width", "0")) / 2
            if tag == "circle":
                xs = _values(element, "cx")
                ys = _values(element, "cy")
                radius = float(element.get("r", "0"))
                found += [(x, y, radius) for x in xs for y in ys]
            elif tag in {"path", "polygon"}:
                for text in _texts(element, "d" if tag == "path" else "points"):
                    numbers = [float(n) for n in NUMBER.findall(text)]
                    found += [(x, y, pad) for x, y in zip(numbers[::2], numbers[1::2], strict=True)]
    return found


def _texts(element: ET.Element, name: str) -> list[str]:
    texts = [element.get(name, "")]
    for animate in element.findall(f"{SVG}animate"):
        if animate.get("attributeName") == name:
            texts += animate.get("values", "").split(";")
    return texts


def _values(element: ET.Element, name: str) -> list[float]:
    return [float(t) for t in _texts(element, name)]


def body_geometry(svg: str) -> list[str]:
    root = parse(svg)
    return [
        " ".join(f"{k}={v}" for k, v in sorted(el.attrib.items()))
        for group in root.iter(f"{SVG}g")
        if "bs-body" in group.get("class", "")
        for el in group.iter()
    ]


@pytest.mark.parametrize(("exercise", "position"), CASES)
def test_every_position_draws_an_animated_accessible_figure(
    exercise: schema.Exercise, position: schema.Position
) -> None:
    svg = figures.render_figure(exercise, position)
    root = parse(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert title.text.startswith(exercise.name + ", ")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.findall(f".//{SVG}animate")
    for animate in root.iter(f"{SVG}animate"):
        values = animate.get("values", "").split(";")
        assert len(values) == len(animate.get("keyTimes", "").split(";"))
        assert len(animate.get("keySplines", "").split(";")) == len(values) - 1
        assert animate.get("calcMode") == "spline"
    # No <style> of its own (a page's Content-Security-Policy would block it): app.css shows
    # the movement or, for reduced motion, the end pose (tests/browser/test_csp.py looks).
    assert root.find(f".//{SVG}style") is None
    classes = [g.get("class", "").split() for g in root.iter(f"{SVG}g")]
    assert ["bs-body", "bs-anim"] in classes
    assert ["bs-body", "bs-still"] in classes  # the end pose, for reduced motion


@pytest.mark.parametrize(("exercise", "position"), CASES)
def test_start_and_end_differ_and_share_one_viewbox_that_holds_everything(
    exercise: schema.Exercise, position: schema.Position
) -> None:
    drawings = {
        frame: figures.render_figure(exercise, position, frame=frame)
        for frame in ("start", "end", "animated")
    }
    assert body_geometry(drawings["start"]) != body_geometry(drawings["end"])
    boxes = {parse(svg).get("viewBox") for svg in drawings.values()}
    assert len(boxes) == 1
    left, top, width, height = (float(v) for v in next(iter(boxes)).split())
    for svg in drawings.values():
        for x, y, pad in drawn_points(parse(svg)):
            assert left <= x - pad and x + pad <= left + width
            assert top <= y - pad and y + pad <= top + height


@pytest.mark.parametrize(("exercise", "position"), CASES)
def test_the_movement_is_big_enough_to_see(
    exercise: schema.Exercise, position: schema.Position
) -> None:
    start = drawn_points(
        parse(figures.render_figure(exercise, position, frame="start")), body_only=True
    )
    end = drawn_points(
        parse(figures.render_figure(exercise, position, frame="end")), body_only=True
    )
    moved = max(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in zip(start, end, strict=True))
    assert moved > 1.5  # SVG units; the person is 100 tall (a pelvic tilt moves about 2)


def test_ids_are_unique_across_figures_on_one_page() -> None:
    hamstring = LIBRARY["hamstring-stretch"]
    page = (
        "<div>"
        + "".join(
            [
                figures.render_figure(hamstring, "bed"),
                figures.render_figure(hamstring, "bed"),
                figures.cached_figure("hamstring-stretch", "floor"),
                figures.cached_figure("hamstring-stretch", "floor"),
            ]
        )
        + "</div>"
    )
    root = ET.fromstring(page)
    ids = Counter(el.get("id") for el in root.iter() if el.get("id"))
    assert ids and max(ids.values()) == 1
    for svg in root.findall(f"{SVG}svg"):  # each figure's references stay inside it
        own = {el.get("id") for el in svg.iter() if el.get("id")}
        refs = set(re.findall(r"url\(#([^)]+)\)", ET.tostring(svg, encoding="unicode")))
        refs.add(svg.get("aria-labelledby", ""))
        assert refs <= own


def test_the_cache_returns_the_same_drawing_with_fresh_ids() -> None:
    a = figures.cached_figure("hamstring-stretch", "bed", "left", "end")
    b = figures.cached_figure("hamstring-stretch", "bed", "left", "end")
    assert a != b
    assert re.sub(r"bsf-[0-9a-f]+", "ID", a) == re.sub(r"bsf-[0-9a-f]+", "ID", b)


def test_right_side_is_the_mirror_image_and_says_so() -> None:
    hamstring = LIBRARY["hamstring-stretch"]
    left = parse(figures.render_figure(hamstring, "bed", side="left", frame="end"))
    right = parse(figures.render_figure(hamstring, "bed", side="right", frame="end"))
    assert (right.findtext(f"{SVG}title") or "").endswith("right side")
    xs_left = sorted(round(x, 1) for x, _, _ in drawn_points(left, body_only=True))
    xs_right = sorted(round(-x, 1) for x, _, _ in drawn_points(right, body_only=True))
    assert xs_left == pytest.approx(xs_right, abs=0.2)


def test_label_and_bad_arguments() -> None:
    hamstring = LIBRARY["hamstring-stretch"]
    svg = figures.render_figure(hamstring, "bed", label="Stretch <1> & rest")
    assert parse(svg).findtext(f"{SVG}title") == "Stretch <1> & rest"
    assert parse(figures.render_figure(hamstring, "bed")).findtext(f"{SVG}title") == (
        "Hamstring stretch, on the bed, left side"
    )
    with pytest.raises(ValueError):
        figures.render_figure(hamstring, "bed", frame="middle")
    with pytest.raises(ValueError):
        figures.render_figure(hamstring, "bed", side="both")


def test_template_tag_draws_a_schema_exercise_and_a_library_row(library: None) -> None:
    """A figure file with its description, or none when decorative; inline SVG on request."""
    template = Template(
        '{% load figures %}{% exercise_figure spec "bed" frame="end" %}'
        '{% exercise_figure row "floor" side="right" decorative=True %}'
        '{% exercise_figure row "floor" side="right" inline=True %}'
    )
    row = Exercise.objects.get(slug="hamstring-stretch")
    html = template.render(Context({"spec": LIBRARY["hamstring-stretch"], "row": row}))
    closed = re.sub(r"<(img|source)([^>]*)>", r"<\1\2/>", html)  # HTML's void elements, as XML
    root = ET.fromstring(f"<div>{closed}</div>")
    images = list(root.iter("img"))
    assert [i.get("alt") for i in images] == ["Hamstring stretch, on the bed, left side", ""]
    assert images[0].get("src", "").startswith("/figures/hamstring-stretch_bed_left_end.")
    assert images[1].get("src", "").startswith("/figures/hamstring-stretch_floor_right_animated.")
    still = root.find("picture/source")  # the still end pose, for less motion
    assert still is not None and still.get("media") == "(prefers-reduced-motion: reduce)"
    assert still.get("srcset", "").startswith("/figures/hamstring-stretch_floor_right_end.")
    svgs = root.findall(f"{SVG}svg")
    assert [s.get("data-frame") for s in svgs] == ["animated"]
    assert (svgs[0].findtext(f"{SVG}title") or "").endswith("on the floor, right side")
