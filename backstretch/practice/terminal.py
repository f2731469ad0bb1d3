"""The terminal player: plays a compiled timeline at a desk, with a big countdown and voice.

It only *plays* the timeline the routine compiles to (see DESIGN.md); it never recomputes it.
Timing runs on absolute deadlines: step ``i`` ends at ``start + (seconds before it +
its own seconds) / speed`` on a monotonic clock, so a late wake-up never pushes later steps back.

Everything that touches the outside world is injected so the loop can be tested without
sleeping: the ``Clock`` (monotonic time and sleep), the ``Display`` (Rich live panel or plain
lines) and the ``Voice`` (espeak-ng in the background, or silence).
"""

from __future__ import annotations

import math
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Protocol

from django.utils.translation import gettext, ngettext
from rich.align import Align
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from backstretch.accounts.models import User
from backstretch.routines.models import RoutineVersion
from backstretch.routines.timeline import (
    LEFT,
    POSITION_PHRASES,
    RIGHT,
    RoutineItem,
    Step,
    StepKind,
    Timeline,
    compile_timeline,
    format_clock,
)

from .models import PracticeSession
from .schemas import SessionIn, StepResultIn
from .services import record_session


def pain_help() -> str:
    return gettext("Type a whole number from 0 to 10, or press Enter to skip")


# The answers to "save or discard?": English always works, and each language adds its own.
ENGLISH_SAVE, ENGLISH_DISCARD = ("", "s", "save", "y", "yes"), ("d", "discard", "n", "no")


def save_answers() -> set[str]:
    return {*ENGLISH_SAVE, *_words(gettext("s,save,y,yes"))}


def discard_answers() -> set[str]:
    return {*ENGLISH_DISCARD, *_words(gettext("d,discard,n,no"))}


def _words(listed: str) -> set[str]:
    return {word.strip().lower() for word in listed.split(",") if word.strip()}


REDRAWS_PER_SECOND = 4  # real seconds between redraws of the countdown, at most


# --- time ---------------------------------------------------------------------------------


class Clock(Protocol):
    def now(self) -> float: ...  # monotonic seconds

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


# --- what the screen shows ----------------------------------------------------------------


@dataclass(frozen=True)
class StepContext:
    """What a step belongs to: its exercise's name and how many repetitions it has."""

    exercise_name: str
    repetitions: int
    left: str = "Left side"  # the sides as the voice names them ("left leg behind")
    right: str = "Right side"


def step_contexts(timeline: Timeline, items: Sequence[RoutineItem]) -> list[StepContext]:
    """One context per step. The compiler emits the items in order, one intro each, with a
    ``next`` step just before the intro of the item it announces (none before the first)."""
    contexts: list[StepContext] = []
    item_number = -1
    previous: StepKind | None = None
    for step in timeline.steps:
        starts_item = step.kind == StepKind.NEXT or (
            step.kind == StepKind.INTRO and previous != StepKind.NEXT
        )
        if starts_item:
            item_number += 1
        if step.kind == StepKind.DONE or not 0 <= item_number < len(items):
            contexts.append(StepContext("", 0))
        else:
            item = items[item_number]
            left = item.voice.left[:1].upper() + item.voice.left[1:] or "Left side"
            right = item.voice.right[:1].upper() + item.voice.right[1:] or "Right side"
            contexts.append(StepContext(item.name, item.repetitions, left, right))
        previous = step.kind
    return contexts


@dataclass(frozen=True)
class Frame:
    """Everything the screen shows at one moment."""

    index: int
    step: Step
    context: StepContext
    step_seconds_left: int
    total_seconds_left: int
    total_seconds: int
    step_count: int
    upcoming: Step | None

    @property
    def done_fraction(self) -> float:
        if self.total_seconds == 0:
            return 1.0
        return 1 - self.total_seconds_left / self.total_seconds


def side_and_rep(frame: Frame) -> str:
    """ "Left leg behind · 2 of 5" for a sided hold, "2 of 5" for an unsided one, else ""."""
    step = frame.step
    side = {LEFT: frame.context.left, RIGHT: frame.context.right}.get(step.side or "", "")
    if step.kind != StepKind.HOLD or step.rep is None:
        if step.kind in (StepKind.SWITCH_SIDE, StepKind.MOVE_IN) and side:
            return gettext("Next: %(side)s") % {"side": side}
        return ""
    count = gettext("%(rep)s of %(count)s") % {"rep": step.rep, "count": frame.context.repetitions}
    return f"{side} · {count}" if side else count


def upcoming_line(frame: Frame) -> str:
    step = frame.upcoming
    if step is None:
        return ""
    if step.kind == StepKind.NEXT:
        return step.cue  # already reads "Next: Child's pose"
    return gettext("Then: %(cue)s") % {"cue": step.cue}


# --- big digits ---------------------------------------------------------------------------

# Our own 3×5 glyphs; each "#" is drawn two cells wide so the digits look square.
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
}


def big_digits(text: str) -> list[str]:
    """``text`` (digits and colons) as five lines of block characters."""
    rows = []
    for row in range(5):
        cells = [GLYPHS[char][row] for char in text if char in GLYPHS]
        rows.append("  ".join(c.replace("#", "██").replace(".", "  ") for c in cells))
    return rows


def countdown_text(seconds: int) -> str:
    return str(seconds) if seconds < 100 else format_clock(seconds)


STEP_STYLES = {
    StepKind.HOLD: "bold green",
    StepKind.ACTIVITY: "bold green",
    StepKind.MOVE_IN: "bold yellow",
    StepKind.GET_READY: "bold yellow",
    StepKind.REST: "bold cyan",
    StepKind.SWITCH_SIDE: "bold magenta",
    StepKind.NEXT: "bold blue",
    StepKind.INTRO: "bold blue",
    StepKind.DONE: "bold green",
}


def render_frame(frame: Frame, title: str) -> RenderableType:
    """The live panel: exercise, side and repetition, countdown, cue, progress, what's next."""
    style = STEP_STYLES.get(frame.step.kind, "bold")
    heading = Text(frame.context.exercise_name or gettext("Finished"), style="bold")
    phrase = POSITION_PHRASES.get(frame.step.position or "")
    if phrase:
        heading.append(f" · {gettext(phrase)}", style="dim")
    digits = Text("\n".join(big_digits(countdown_text(frame.step_seconds_left))), style=style)
    progress = Table.grid(expand=True)
    progress.add_column(ratio=1)
    progress.add_column(justify="right", no_wrap=True)
    progress.add_row(
        ProgressBar(total=1.0, completed=frame.done_fraction),
        f" {frame.done_fraction:4.0%} · "
        + gettext("%(time)s left") % {"time": format_clock(frame.total_seconds_left)},
    )
    body = Group(
        Align.center(heading),
        Align.center(Text(side_and_rep(frame) or " ", style=style)),
        Text(""),
        Align.center(digits),
        Text(""),
        Text(frame.step.cue, style="bold", justify="center"),
        Text(""),
        progress,
        Text(upcoming_line(frame) or " ", style="dim", overflow="ellipsis", no_wrap=True),
    )
    subtitle = gettext("step %(n)s of %(count)s · Ctrl+C to stop") % {
        "n": frame.index + 1,
        "count": frame.step_count,
    }
    return Panel(body, title=title, subtitle=subtitle, border_style=style.split()[-1])


class Display(Protocol):
    def open(self) -> None: ...

    def step(self, frame: Frame) -> None: ...  # a new step starts (print or draw its cue)

    def tick(self, frame: Frame) -> None: ...  # the countdown moved on

    def close(self) -> None: ...


class LiveDisplay:
    """A Rich live panel redrawn in place, for a real terminal."""

    def __init__(self, console: Console, title: str) -> None:
        self.console = console
        self.title = title
        self.live: Live | None = None

    def open(self) -> None:
        self.live = Live(console=self.console, auto_refresh=False, transient=False)
        self.live.start()

    def step(self, frame: Frame) -> None:
        self.tick(frame)

    def tick(self, frame: Frame) -> None:
        if self.live is not None:
            self.live.update(render_frame(frame, self.title), refresh=True)

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None


class LineDisplay:
    """One printed line per step, for logs, pipes and tests."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write

    def open(self) -> None:
        pass

    def step(self, frame: Frame) -> None:
        detail = side_and_rep(frame)
        where = (
            f"{frame.context.exercise_name} · {detail}" if detail else frame.context.exercise_name
        )
        left = format_clock(frame.total_seconds_left)
        when = gettext("%(time)s left") % {"time": left}
        self.write(f"[{when}] {frame.step.cue}" + (f"  ({where})" if where else "") + "\n")

    def tick(self, frame: Frame) -> None:
        pass

    def close(self) -> None:
        pass


# --- voice --------------------------------------------------------------------------------


class Voice(Protocol):
    def say(self, text: str) -> None: ...

    def close(self) -> None: ...


class Silence:
    def say(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class EspeakVoice:
    """Speaks through espeak-ng in a background process so the countdown never waits.

    A new cue cuts off an unfinished one. If espeak-ng cannot play sound (no audio device),
    it reports so once through ``on_problem`` and falls silent; the session goes on.
    """

    WORDS_PER_MINUTE = "150"  # the timeline's calm pace of 2.5 words a second

    def __init__(
        self, program: str, on_problem: Callable[[str], object], language: str = "en"
    ) -> None:
        self.program = program
        self.on_problem = on_problem
        # espeak-ng's voice for the patient's language ("es"), so Spanish cues sound Spanish.
        self.language = language.split("-")[0] or "en"
        self.process: subprocess.Popen[bytes] | None = None
        self.working = True

    def say(self, text: str) -> None:
        self._finish_previous()
        if not self.working:
            return
        try:
            self.process = subprocess.Popen(
                [self.program, "-v", self.language, "-s", self.WORDS_PER_MINUTE, text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            self._give_up(f"voice is off ({exc.strerror or exc})")

    def _finish_previous(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
        try:
            _, errors = process.communicate(timeout=1)
        except subprocess.TimeoutExpired:
            process.kill()
            return
        if process.returncode not in (0, -15) or b"error" in (errors or b"").lower():
            self._give_up("voice is off: espeak-ng could not play sound on this machine")

    def _give_up(self, reason: str) -> None:
        if self.working:
            self.working = False
            self.on_problem(reason)

    def close(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                process.kill()


def make_voice(*, muted: bool, on_problem: Callable[[str], object], language: str = "en") -> Voice:
    program = None if muted else shutil.which("espeak-ng")
    return EspeakVoice(program, on_problem, language) if program else Silence()


# --- the play loop ------------------------------------------------------------------------


@dataclass
class PlayOutcome:
    played: list[int] = field(default_factory=list)  # indexes of the steps played through
    stopped: bool = False  # Ctrl+C before the end
    step_started: list[float] = field(default_factory=list)  # clock time each step began


def _frame(
    timeline: Timeline, contexts: Sequence[StepContext], index: int, step_seconds_left: int
) -> Frame:
    steps = timeline.steps
    after = sum(step.seconds for step in steps[index + 1 :])
    return Frame(
        index=index,
        step=steps[index],
        context=contexts[index],
        step_seconds_left=step_seconds_left,
        total_seconds_left=after + step_seconds_left,
        total_seconds=timeline.total_seconds,
        step_count=len(steps),
        upcoming=steps[index + 1] if index + 1 < len(steps) else None,
    )


def play(
    timeline: Timeline,
    contexts: Sequence[StepContext],
    *,
    display: Display,
    voice: Voice,
    clock: Clock,
    speed: float = 1.0,
) -> PlayOutcome:
    """Play every step on absolute deadlines; Ctrl+C stops and says how far it got."""
    if speed <= 0:
        raise ValueError("speed must be positive")
    outcome = PlayOutcome()
    steps = timeline.steps
    start = clock.now()
    before = 0  # timeline seconds before the current step
    display.open()
    try:
        for index, step in enumerate(steps):
            deadline = start + (before + step.seconds) / speed
            now = clock.now()
            outcome.step_started.append(now)
            voice.say(step.cue)
            display.step(_frame(timeline, contexts, index, math.ceil(step.seconds)))
            while now < deadline:
                clock.sleep(min(deadline - now, 1 / REDRAWS_PER_SECOND))
                now = clock.now()
                left = max(0, math.ceil((deadline - now) * speed - 1e-6))
                display.tick(_frame(timeline, contexts, index, min(left, step.seconds)))
            outcome.played.append(index)
            before += step.seconds
    except KeyboardInterrupt:
        outcome.stopped = True
    finally:
        voice.close()
        display.close()
    return outcome


# --- questions at the prompt --------------------------------------------------------------


class Prompter:
    """Asks at the prompt. End of input counts as a blank answer (skip / the default)."""

    def __init__(self, read: IO[str], write: Callable[[str], object]) -> None:
        self.read = read
        self.write = write

    def line(self, question: str) -> str | None:
        self.write(question)
        answer = self.read.readline()
        if not answer:
            self.write("\n")
            return None
        if not self.read.isatty():
            self.write(answer if answer.endswith("\n") else answer + "\n")
        return answer.strip()

    def pain(self, question: str) -> int | None:
        while True:
            answer = self.line(
                gettext("%(question)s (0–10, Enter to skip): ") % {"question": question}
            )
            if not answer:
                return None
            if answer.isdigit() and 0 <= int(answer) <= 10:
                return int(answer)
            self.write(f"{pain_help()}.\n")

    def save_or_discard(self) -> bool:
        while True:
            answer = self.line(gettext("Stopped. Save what you did? [S]ave / [d]iscard: "))
            if answer is None or answer.lower() in save_answers():
                return True
            if answer.lower() in discard_answers():
                return False
            self.write(gettext("Type s to save or d to discard.") + "\n")


# --- the session that gets stored ---------------------------------------------------------


def session_in(
    *,
    timeline: Timeline,
    version_id: int,
    outcome: PlayOutcome,
    started_at: datetime,
    ended_at: datetime,
    pain_before: int | None,
    pain_after: int | None,
    client_id: uuid.UUID | None = None,
) -> SessionIn:
    """The SessionIn for what was played: "done" for each step played, nothing for the rest."""
    results = []
    for index in outcome.played:
        step = timeline.steps[index]
        results.append(
            StepResultIn(
                index=index,
                result="done",
                kind=step.kind.value,
                exercise=step.exercise,
                position=step.position,  # type: ignore[arg-type]
                side=step.side,  # type: ignore[arg-type]
                rep=step.rep,
            )
        )
    return SessionIn(
        client_id=client_id or uuid.uuid4(),
        routine_version=version_id,
        started_at=started_at,
        ended_at=max(ended_at, started_at),
        pain_before=pain_before,
        pain_after=pain_after,
        completed=not outcome.stopped and len(outcome.played) == len(timeline.steps),
        steps=results,
    )


# --- one whole session: look-ups, questions, play, save -----------------------------------


@dataclass(frozen=True)
class PlayPlan:
    """What one patient plays: their active routine's current version, compiled."""

    patient: User
    version_id: int
    routine_name: str
    timeline: Timeline
    contexts: list[StepContext]


def plan_for_version(patient: User, version: RoutineVersion) -> PlayPlan:
    """Compile ``version`` exactly as every player receives it."""
    items = version.routine_items()
    profile = getattr(patient, "patient", None)
    timeline = compile_timeline(items, translate=gettext, pace=getattr(profile, "pace", "usual"))
    return PlayPlan(
        patient, version.pk, version.routine.name, timeline, step_contexts(timeline, items)
    )


def run_session(
    plan: PlayPlan,
    *,
    prompter: Prompter,
    display: Display,
    voice: Voice,
    clock: Clock,
    wall: Callable[[], datetime],
    speed: float = 1.0,
    wait_for_enter: bool = False,
    save_when_stopped: bool = False,
) -> str:
    """Ask pain, play, ask again, store through record_session; return what happened."""
    try:
        prompter.write(
            gettext("%(name)s: %(steps)s steps, about %(time)s.")
            % {
                "name": plan.routine_name,
                "steps": len(plan.timeline.steps),
                "time": format_clock(plan.timeline.total_seconds),
            }
            + "\n"
        )
        pain_before = prompter.pain(gettext("How much does your back hurt right now"))
        if wait_for_enter:
            prompter.line(gettext("Press Enter to start (Ctrl+C stops at any time). "))
    except KeyboardInterrupt:
        return gettext("Not started: nothing saved.")
    started_at = wall()
    outcome = play(
        plan.timeline, plan.contexts, display=display, voice=voice, clock=clock, speed=speed
    )
    ended_at = wall()
    try:
        if outcome.stopped and not save_when_stopped and not prompter.save_or_discard():
            return gettext("Discarded: nothing saved.")
    except KeyboardInterrupt:
        return gettext("Discarded: nothing saved.")
    try:
        pain_after = prompter.pain(gettext("And now, after stretching"))
    except KeyboardInterrupt:
        pain_after = None  # what was done is saved all the same
    data = session_in(
        timeline=plan.timeline,
        version_id=plan.version_id,
        outcome=outcome,
        started_at=started_at,
        ended_at=ended_at,
        pain_before=pain_before,
        pain_after=pain_after,
    )
    session, _ = record_session(plan.patient, data, source=PracticeSession.Source.TERMINAL)
    holds = session.holds_done
    values = {"n": holds, "time": format_clock(round(session.minutes * 60))}
    if session.completed:
        return (
            ngettext(
                "Saved: %(n)s hold done in %(time)s.",
                "Saved: %(n)s holds done in %(time)s.",
                holds,
            )
            % values
        )
    return (
        ngettext(
            "Saved (stopped early): %(n)s hold done in %(time)s.",
            "Saved (stopped early): %(n)s holds done in %(time)s.",
            holds,
        )
        % values
    )
