"""The terminal player: its loop on a fake clock, its questions, and the command end to end."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from rich.console import Console

from backstretch.practice.models import PracticeSession
from backstretch.practice.terminal import (
    EspeakVoice,
    Frame,
    LineDisplay,
    PlayOutcome,
    Prompter,
    Silence,
    StepContext,
    big_digits,
    pain_help,
    plan_for_version,
    play,
    render_frame,
    run_session,
    session_in,
    side_and_rep,
    step_contexts,
)
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import RoutineItem, StepKind, compile_timeline
from backstretch.safety.models import RedFlagScreen
from backstretch.safety.redflags import QUESTION_KEYS, Urgency

ITEMS = [
    RoutineItem("childs-pose", "Child's pose", "floor", 10, 3, "none", 2, "Sit back"),
    RoutineItem("hamstring-stretch", "Hamstring stretch", "bed", 4, 2, "each", 0, "Reach"),
]


class FakeClock:
    """Time moves only when slept; every sleep overshoots, as a busy machine's would."""

    def __init__(self, oversleep: float = 0.0, interrupt_at: float | None = None) -> None:
        self.time = 1000.0
        self.oversleep = oversleep
        self.interrupt_at = interrupt_at
        self.sleeps = 0

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.time += seconds + self.oversleep
        if self.interrupt_at is not None and self.time >= self.interrupt_at:
            raise KeyboardInterrupt


class RecordingDisplay:
    def __init__(self) -> None:
        self.steps: list[Frame] = []
        self.ticks: list[Frame] = []
        self.closed = False

    def open(self) -> None:
        pass

    def step(self, frame: Frame) -> None:
        self.steps.append(frame)

    def tick(self, frame: Frame) -> None:
        self.ticks.append(frame)

    def close(self) -> None:
        self.closed = True


class RecordingVoice(Silence):
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)


def timeline_and_contexts():
    timeline = compile_timeline(ITEMS)
    return timeline, step_contexts(timeline, ITEMS)


def test_steps_start_on_absolute_deadlines_however_late_each_sleep_wakes():
    timeline, contexts = timeline_and_contexts()
    clock = FakeClock(oversleep=0.03)
    outcome = play(
        timeline, contexts, display=RecordingDisplay(), voice=Silence(), clock=clock, speed=2
    )
    assert outcome.played == list(range(len(timeline.steps)))
    assert not outcome.stopped
    assert clock.sleeps > len(timeline.steps)  # many sleeps, each one late
    scheduled = 1000.0
    for step, started in zip(timeline.steps, outcome.step_started, strict=True):
        # Never early, and late by at most one oversleep: lateness does not add up.
        assert scheduled <= started <= scheduled + 0.03 + 1e-9
        scheduled += step.seconds / 2
    assert clock.time <= 1000.0 + timeline.total_seconds / 2 + 0.03 + 1e-9


def test_countdown_shows_whole_seconds_left_and_the_time_left_overall():
    timeline, contexts = timeline_and_contexts()
    display = RecordingDisplay()
    play(timeline, contexts, display=display, voice=Silence(), clock=FakeClock(), speed=1)
    first = [f for f in display.ticks if f.index == 0]
    length = timeline.steps[0].seconds
    assert [f.step_seconds_left for f in first][:4] == [length] * 3 + [length - 1]  # 4 a second
    assert first[-1].step_seconds_left == 0
    assert display.steps[0].total_seconds_left == timeline.total_seconds
    assert display.steps[-1].total_seconds_left == timeline.steps[-1].seconds
    assert display.closed


def test_every_cue_is_spoken_in_order():
    timeline, contexts = timeline_and_contexts()
    voice = RecordingVoice()
    play(timeline, contexts, display=RecordingDisplay(), voice=voice, clock=FakeClock(), speed=50)
    assert voice.said == [step.cue for step in timeline.steps]


def test_ctrl_c_keeps_only_the_steps_played_through():
    timeline, contexts = timeline_and_contexts()
    stop_at = 1000.0 + sum(step.seconds for step in timeline.steps[:5]) + 0.5
    outcome = play(
        timeline,
        contexts,
        display=RecordingDisplay(),
        voice=Silence(),
        clock=FakeClock(interrupt_at=stop_at),
    )
    assert outcome.stopped
    assert outcome.played == [0, 1, 2, 3, 4]
    data = session_in(
        timeline=timeline,
        version_id=1,
        outcome=outcome,
        started_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        ended_at=datetime(2026, 1, 5, 8, 1, tzinfo=UTC),
        pain_before=4,
        pain_after=None,
    )
    assert not data.completed
    assert [s.index for s in data.steps] == [0, 1, 2, 3, 4]
    assert {s.result for s in data.steps} == {"done"}


def test_contexts_name_the_exercise_and_its_repetitions():
    timeline, contexts = timeline_and_contexts()
    by_kind = {}
    for step, context in zip(timeline.steps, contexts, strict=True):
        by_kind.setdefault((step.kind, step.exercise), context)
    assert by_kind[(StepKind.HOLD, "childs-pose")] == StepContext("Child's pose", 3)
    assert by_kind[(StepKind.NEXT, "hamstring-stretch")] == StepContext("Hamstring stretch", 2)
    assert by_kind[(StepKind.INTRO, "hamstring-stretch")] == StepContext("Hamstring stretch", 2)


def test_a_sided_hold_reads_side_and_repetition():
    timeline, contexts = timeline_and_contexts()
    index = next(
        i for i, s in enumerate(timeline.steps) if s.kind == StepKind.HOLD and s.side == "right"
    )
    frame = Frame(index, timeline.steps[index], contexts[index], 4, 30, 60, 20, None)
    assert side_and_rep(frame) == "Right side · 1 of 2"


def test_big_digits_are_five_block_rows_and_the_panel_fits_80_columns():
    assert len(big_digits("10")) == 5
    assert "██" in big_digits("8")[0]
    timeline, contexts = timeline_and_contexts()
    frame = Frame(2, timeline.steps[2], contexts[2], 10, 70, 80, len(timeline.steps), None)
    console = Console(file=io.StringIO(), width=80, height=24, color_system=None)
    console.print(render_frame(frame, "Daily four"))
    lines = console.file.getvalue().splitlines()
    assert len(lines) <= 20
    assert all(len(line) <= 80 for line in lines)
    assert any("Hold. 1 of 3" in line for line in lines)


def test_line_display_prints_each_cue():
    timeline, contexts = timeline_and_contexts()
    out = io.StringIO()
    play(timeline, contexts, display=LineDisplay(out.write), voice=Silence(), clock=FakeClock())
    assert out.getvalue().count("\n") == len(timeline.steps)
    assert "Hold. Right side, 2 of 2  (Hamstring stretch · Right side · 2 of 2)" in out.getvalue()


def test_pain_question_re_asks_until_a_whole_number_from_0_to_10():
    out = io.StringIO()
    prompter = Prompter(io.StringIO("eleven\n11\n-1\n3.5\n7\n"), out.write)
    assert prompter.pain("Pain now") == 7
    assert out.getvalue().count(pain_help()) == 4


def test_pain_question_blank_or_end_of_input_skips():
    assert Prompter(io.StringIO("\n"), io.StringIO().write).pain("Pain") is None
    assert Prompter(io.StringIO(""), io.StringIO().write).pain("Pain") is None


def test_stopped_session_question_saves_by_default_and_discards_on_d():
    assert Prompter(io.StringIO("\n"), io.StringIO().write).save_or_discard()
    assert not Prompter(io.StringIO("x\nd\n"), io.StringIO().write).save_or_discard()


def test_a_voice_that_cannot_start_falls_silent_with_one_notice():
    problems: list[str] = []
    voice = EspeakVoice("/nonexistent/espeak-ng", problems.append)
    voice.say("Hold")
    voice.say("Release")
    voice.close()
    assert len(problems) == 1


def test_espeak_without_a_sound_card_never_breaks_the_session(tmp_path):
    fake = tmp_path / "espeak-ng"
    fake.write_text("#!/bin/sh\necho 'error: No such file or directory' >&2\nexit 0\n")
    fake.chmod(0o755)
    problems: list[str] = []
    voice = EspeakVoice(str(fake), problems.append)
    voice.say("Hold")
    voice.process.wait(timeout=5)  # it fails at once, as espeak-ng does without a sound card
    voice.say("Release")  # reaps the first one, sees its error, and goes quiet
    assert voice.process is None
    voice.say("Next")
    voice.close()
    assert problems == ["voice is off: espeak-ng could not play sound on this machine"]


def test_espeak_speaks_with_the_voice_of_the_patients_language(tmp_path):
    said = tmp_path / "said"
    fake = tmp_path / "espeak-ng"
    fake.write_text(f'#!/bin/sh\necho "$@" > {said}\n')
    fake.chmod(0o755)
    voice = EspeakVoice(str(fake), print, "es")
    voice.say("Mantenga")
    voice.process.wait(timeout=5)
    voice.close()
    assert said.read_text().split() == ["-v", "es", "-s", "150", "Mantenga"]


# --- the command ------------------------------------------------------------------------


@pytest.fixture
def screened_patient(patient):
    RedFlagScreen.objects.create(
        user=patient, answers=dict.fromkeys(QUESTION_KEYS, False), urgency=Urgency.CLEAR
    )
    return patient


def run_command(stdin: str, *args: str) -> str:
    out = io.StringIO()
    call_command(
        "session",
        "--email",
        "alice@example.org",
        "--speed",
        "2000",
        "--mute",
        *args,
        stdin=io.StringIO(stdin),
        stdout=out,
    )
    return out.getvalue()


def test_command_stores_one_terminal_session_with_every_hold_done(screened_patient):
    out = run_command("5\n3\n")
    session = PracticeSession.objects.get(patient=screened_patient)
    assert (session.pain_before, session.pain_after) == (5, 3)
    assert session.source == "terminal"
    assert session.completed
    timeline = compile_timeline(active_routine(screened_patient).current.routine_items())
    expected = sum(1 for step in timeline.steps if step.kind == StepKind.HOLD)
    assert expected == 20 + 5 + 10 + 10  # the daily four's holds, both sides
    assert session.holds_done == expected
    assert len(session.steps) == len(timeline.steps)
    assert {s["result"] for s in session.steps} == {"done"}
    assert f"Saved: {expected} holds done" in out


def test_command_plays_a_spanish_patients_routine_in_spanish(screened_patient):
    from django.utils import translation

    screened_patient.language = "es"
    screened_patient.save(update_fields=["language"])
    try:
        out = run_command("5\n3\n")
    finally:
        translation.activate("en")
    assert "Estiramiento en rotación" in out
    # The questions, the countdown's lines and the closing line are Spanish too.
    assert "¿Cuánto le duele la espalda ahora mismo? (0–10, Intro para saltar):" in out
    assert "Y ahora, después de estirar" in out
    assert "quedan " in out and " left]" not in out
    assert "Guardado: 45 mantenimientos hechos en" in out
    assert PracticeSession.objects.get(patient=screened_patient).completed


def test_a_spanish_patient_saves_or_discards_in_spanish(screened_patient):
    from django.utils import translation

    with translation.override("es"):
        keep = Prompter(io.StringIO("x\ng\n"), io.StringIO().write)
        assert keep.save_or_discard() is True
        out = io.StringIO()
        drop = Prompter(io.StringIO("descartar\n"), out.write)
        assert drop.save_or_discard() is False
        assert "[G]uardar / [d]escartar" in out.getvalue()


def test_command_re_asks_a_bad_pain_answer(screened_patient):
    out = run_command("ten\n6\n\n")
    assert pain_help() in out
    session = PracticeSession.objects.get(patient=screened_patient)
    assert (session.pain_before, session.pain_after) == (6, None)


def test_command_unknown_email(db):
    with pytest.raises(CommandError, match=r"No user with e-mail nobody@example\.org"):
        call_command("session", "--email", "nobody@example.org", "--mute")


def test_command_without_an_active_routine_says_what_to_do(screened_patient):
    screened_patient.routines.update(is_active=False)
    with pytest.raises(CommandError, match="no active routine: ask your clinician"):
        run_command("")


def test_command_for_someone_who_is_not_a_patient(django_user_model):
    django_user_model.objects.create_user("alice@example.org", "pw-123456789")
    with pytest.raises(CommandError, match="not set up as a patient yet"):
        run_command("")


def test_command_asks_for_the_safety_questions_first(patient):
    with pytest.raises(CommandError, match="safety questions"):
        run_command("")
    assert not PracticeSession.objects.exists()


def test_command_waits_for_the_questions_asked_again_after_sharp_pain(screened_patient):
    from backstretch.safety.rescreen import ask_again

    ask_again(screened_patient, "Sharp pain during the hamstring stretch")
    with pytest.raises(CommandError, match="safety questions to answer first"):
        run_command("")
    assert not PracticeSession.objects.exists()


def test_outcome_of_a_full_play_is_completed():
    timeline, _ = timeline_and_contexts()
    outcome = PlayOutcome(played=list(range(len(timeline.steps))))
    data = session_in(
        timeline=timeline,
        version_id=1,
        outcome=outcome,
        started_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        ended_at=datetime(2026, 1, 5, 8, 3, tzinfo=UTC),
        pain_before=None,
        pain_after=None,
    )
    assert data.completed
    assert sum(1 for s in data.steps if s.kind == "hold") == 3 + 4


def stopped_run(patient, answers, *, save_when_stopped=False):
    plan = plan_for_version(patient, active_routine(patient).current)
    # Stopped half a second into the fifth step: four steps were played through.
    stop_after = sum(step.seconds for step in plan.timeline.steps[:4]) + 0.5
    out = io.StringIO()
    summary = run_session(
        plan,
        prompter=Prompter(io.StringIO(answers), out.write),
        display=RecordingDisplay(),
        voice=Silence(),
        clock=FakeClock(interrupt_at=1000.0 + stop_after),
        wall=lambda: datetime.now(UTC),
        save_when_stopped=save_when_stopped,
    )
    return summary, out.getvalue()


def test_stopping_then_discarding_saves_nothing(screened_patient):
    summary, out = stopped_run(screened_patient, "4\nd\n")
    assert "Save what you did?" in out
    assert summary == "Discarded: nothing saved."
    assert not PracticeSession.objects.exists()


def test_stopping_then_saving_keeps_what_was_done_as_not_completed(screened_patient):
    summary, _ = stopped_run(screened_patient, "4\ns\n2\n")
    session = PracticeSession.objects.get()
    assert not session.completed
    assert (session.pain_before, session.pain_after) == (4, 2)
    # intro, move into the first hold, the hold, move over to the right: then stopped
    assert [s["index"] for s in session.steps] == [0, 1, 2, 3]
    assert [s["kind"] for s in session.steps] == ["intro", "move_in", "hold", "move_in"]
    assert summary.startswith("Saved (stopped early): 1 hold done")


def test_with_yes_a_stopped_session_is_saved_without_asking(screened_patient):
    _, out = stopped_run(screened_patient, "4\n\n", save_when_stopped=True)
    assert "Save what you did?" not in out
    assert PracticeSession.objects.get().source == "terminal"


@pytest.mark.django_db
def test_the_terminal_player_plays_at_the_patients_pace(patient):
    version = active_routine(patient).current
    usual = plan_for_version(patient, version).timeline
    patient.patient.pace = "slower"
    patient.patient.save(update_fields=["pace"])
    slower = plan_for_version(patient, version).timeline
    assert slower == compile_timeline(version.routine_items(), translate=str, pace="slower")
    assert len(slower.steps) == len(usual.steps)
    hold = next(i for i, step in enumerate(usual.steps) if step.kind is StepKind.HOLD)
    assert slower.steps[hold].seconds > usual.steps[hold].seconds
