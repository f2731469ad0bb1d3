"""Habit tips: read from data/tips.toml, checked like the library's data files, chosen per day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backstretch.library.schema import parse_data_file
from backstretch.library.translations import load_translations

TIPS_FILE = Path(__file__).resolve().parent / "data" / "tips.toml"


class Moment(StrEnum):
    TODAY = "today"
    AFTER_SESSION = "after_session"
    MISSED_DAY = "missed_day"


class Tip(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]
    text: Annotated[str, Field(min_length=20, max_length=200)]
    moments: Annotated[list[Moment], Field(min_length=1)]


class TipsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: Literal["tips"]
    tips: Annotated[list[Tip], Field(min_length=1)]

    @field_validator("tips")
    @classmethod
    def keys_unique_and_every_moment_covered(cls, tips: list[Tip]) -> list[Tip]:
        keys = [tip.key for tip in tips]
        if len(keys) != len(set(keys)):
            raise ValueError("each tip needs its own key")
        missing = set(Moment) - {moment for tip in tips for moment in tip.moments}
        if missing:
            raise ValueError(f"no tip for {', '.join(sorted(missing))}")
        return tips


class TipsError(Exception):
    pass


def load_tips(path: Path = TIPS_FILE) -> list[Tip]:
    """Every tip in ``path``; TipsError lists each problem with file and field."""
    data, problems = parse_data_file(path, TipsFile)
    if data is None:
        raise TipsError("\n".join(problems))
    return data.tips


@cache
def shipped_tips() -> tuple[Tip, ...]:
    return tuple(load_tips())


def tips_text(tips: Sequence[Tip]) -> dict[str, Any]:
    """The words a translation of the tips file gives (``data/<code>/tips.toml``), by key."""
    return {"tips": {tip.key: tip.text for tip in tips}}


def check_tip_translations(
    languages: Sequence[str], path: Path = TIPS_FILE
) -> tuple[dict[str, dict[str, str]], list[str], list[str]]:
    """Each language's tip texts by key, the problems, and what is not translated yet."""
    english = {"tips": tips_text(load_tips(path))}
    found: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    missing: list[str] = []
    for code in languages:
        words, wrong, absent = load_translations(path.parent, code, english)
        found[code] = words.get("tips", {}).get("tips", {})
        problems.extend(wrong)
        missing.extend(absent)
    return found, problems, missing


@cache
def _tips_in(language: str) -> dict[str, str]:
    return check_tip_translations([language])[0][language]


def tip_text(tip: Tip, language: str | None) -> str:
    """The tip in ``language`` (a LANGUAGES code), English where it has no translation."""
    code = (language or "en").split("-")[0]
    if code == "en":
        return tip.text
    return _tips_in(code).get(tip.key, tip.text)


def translated_tip(tip: Tip, language: str | None) -> Tip:
    return tip.model_copy(update={"text": tip_text(tip, language)})


def tip_for(moment: Moment, day: date, tips: tuple[Tip, ...] | None = None) -> Tip:
    """The tip for ``moment`` on ``day``: the same all day, the next one tomorrow."""
    choices = [tip for tip in (tips or shipped_tips()) if moment in tip.moments]
    return choices[day.toordinal() % len(choices)]
