"""The progression rules (pure): examples a clinician would check, then properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backstretch.outcomes.progression import (
    Cause,
    Direction,
    Dose,
    Hurt,
    ItemFacts,
    Limits,
    SessionFacts,
    apply_change,
    decide,
    maxima,
)

CHILD = ItemFacts("childs-pose", "floor", 10, 5, 5, {"floor": Dose(10, 5, 5)})
ROTATION = ItemFacts(
    "rotation-stretch",
    "floor",
    5,
    10,
    5,
    {
        "floor": Dose(hold_seconds=5, repetitions=10, rest_seconds=5),
        "chair": Dose(hold_seconds=5, repetitions=10, rest_seconds=4),
        "bed": Dose(hold_seconds=5, repetitions=10, rest_seconds=3),
    },
)
CALM = SessionFacts(pain_before=4, pain_after=3, completed=True)


def test_five_calm_sessions_propose_five_more_seconds_for_a_held_stretch():
    proposal = decide([CALM] * 5, [CHILD], Limits())
    assert proposal is not None
    assert (proposal.direction, proposal.cause, proposal.rescreen) == (Direction.UP, "calm", False)
    assert proposal.change.what == "hold_seconds"
    assert (proposal.change.before.hold_seconds, proposal.change.after.hold_seconds) == (10, 15)
    assert proposal.calm_sessions == 5


def test_short_holds_are_counted_in_repetitions_and_get_two_more():
    proposal = decide([CALM] * 5, [ROTATION], Limits())
    assert proposal.change.what == "repetitions"
    assert proposal.change.after.repetitions == 12


def test_four_calm_sessions_are_not_enough_and_the_clinician_sets_how_many():
    assert decide([CALM] * 4, [CHILD], Limits()) is None
    assert decide([CALM] * 3, [CHILD], Limits(sessions_needed=3)) is not None


def test_a_little_more_pain_or_any_hurt_restarts_the_count():
    worse = SessionFacts(3, 4, True)
    little = SessionFacts(3, 3, True, (Hurt("childs-pose", "floor", "little"),))
    assert decide([CALM] * 4 + [worse], [CHILD], Limits()) is None
    assert decide([CALM] * 3 + [little, CALM], [CHILD], Limits()) is None
    assert decide([worse] + [CALM] * 5, [CHILD], Limits()) is not None


def test_sessions_without_pain_scores_neither_count_nor_break_the_run():
    unscored = SessionFacts(None, None, True)
    assert decide([CALM] * 4 + [unscored], [CHILD], Limits()) is None
    assert decide([CALM] * 2 + [unscored] + [CALM] * 3, [CHILD], Limits()) is not None


def test_the_clinicians_maxima_stop_a_step_up_and_the_next_item_goes_up_instead():
    at_max = Limits(max_hold_seconds=12, max_repetitions=5)
    proposal = decide([CALM] * 5, [CHILD], at_max)
    # Hold 10 → 12 (clamped), not 15.
    assert proposal.change.after.hold_seconds == 12
    # At its longest hold a held stretch gets repetitions; at both maxima the next item goes up.
    assert decide([CALM] * 5, [CHILD], Limits(max_hold_seconds=10)).change.after.repetitions == 7
    full = ItemFacts("childs-pose", "floor", 12, 11, 5, CHILD.positions)
    proposal = decide([CALM] * 5, [full, ROTATION], Limits(max_hold_seconds=12, max_repetitions=11))
    assert (proposal.change.item_index, proposal.change.after.repetitions) == (1, 11)
    assert decide([CALM] * 5, [full], Limits(max_hold_seconds=12, max_repetitions=11)) is None


def test_an_item_already_beyond_a_lowered_maximum_is_not_grown_further():
    # The clinician prescribed a 10 s hold, then set the longest hold to 8 s: no more
    # repetitions on top of a hold that is already too long; the next item goes up instead.
    lowered = Limits(max_hold_seconds=8, max_repetitions=20)
    assert decide([CALM] * 5, [CHILD], lowered) is None
    proposal = decide([CALM] * 5, [CHILD, ROTATION], Limits(max_hold_seconds=8))
    assert proposal.change.item_index == 1


def test_default_maxima_are_twice_the_librarys_dosage():
    assert maxima(CHILD, Limits()) == (10, 20)


def test_a_lot_of_pain_during_an_exercise_moves_it_to_a_gentler_position():
    flare = SessionFacts(3, 4, False, (Hurt("rotation-stretch", "floor", "lot"),))
    proposal = decide([CALM, flare], [CHILD, ROTATION], Limits())
    assert (proposal.direction, proposal.cause, proposal.rescreen) == (
        Direction.DOWN,
        "hurt",
        False,
    )
    change = proposal.change
    assert (change.item_index, change.what) == (1, "position")
    # One step gentler (floor → chair), with that position's hold and rest, same repetitions.
    assert (change.after.position, change.after.hold_seconds, change.after.rest_seconds) == (
        "chair",
        5,
        4,
    )
    assert change.after.repetitions == 10


def test_a_jump_of_two_without_a_position_to_go_to_takes_repetitions_away():
    flare = SessionFacts(2, 4, True)
    proposal = decide([flare], [CHILD], Limits())
    assert proposal.cause == Cause.PAIN_JUMP and not proposal.rescreen
    assert (proposal.change.what, proposal.change.after.repetitions) == ("repetitions", 3)


def test_sharp_pain_or_a_jump_of_three_asks_the_safety_questions_again():
    sharp = SessionFacts(2, 2, False, (Hurt("childs-pose", "floor", "sharp"),))
    jump = SessionFacts(2, 5, True)
    assert decide([sharp], [CHILD], Limits()).rescreen
    assert decide([jump], [CHILD], Limits()).rescreen


def test_one_repetition_gets_a_shorter_hold_and_nothing_left_still_says_so():
    one = ItemFacts("childs-pose", "floor", 10, 1, 5, CHILD.positions)
    flare = SessionFacts(2, 4, True)
    assert decide([flare], [one], Limits()).change.after.hold_seconds == 5
    least = ItemFacts("childs-pose", "floor", 2, 1, 5, CHILD.positions)
    proposal = decide([flare], [least], Limits())
    assert proposal.direction == Direction.DOWN and proposal.change is None


def test_a_flare_earlier_in_the_window_holds_progress_back():
    flare = SessionFacts(2, 5, True)
    assert decide([flare] + [CALM] * 6, [CHILD], Limits()) is None


def test_apply_change_changes_one_item_only():
    stored = [
        {
            "exercise": "childs-pose",
            "position": "floor",
            "hold_seconds": 10,
            "repetitions": 5,
            "rest_seconds": 5,
            "sides": "none",
            "note": "slowly",
        },
        {
            "exercise": "rotation-stretch",
            "position": "floor",
            "hold_seconds": 5,
            "repetitions": 10,
            "rest_seconds": 5,
            "sides": "each",
            "note": "",
        },
    ]
    change = decide([CALM] * 5, [CHILD, ROTATION], Limits()).change
    result = apply_change(stored, change.as_dict())
    assert result[0] == {**stored[0], "hold_seconds": 15}
    assert result[1] == stored[1]


# --- Properties ---------------------------------------------------------------------------

pain = st.one_of(st.none(), st.integers(0, 10))
hurts = st.lists(
    st.builds(
        Hurt,
        st.sampled_from(["childs-pose", "rotation-stretch", "bird-dog"]),
        st.sampled_from(["floor", "chair", "bed", "standing"]),
        st.sampled_from(["little", "lot", "sharp"]),
    ),
    max_size=2,
).map(tuple)
sessions = st.lists(st.builds(SessionFacts, pain, pain, st.booleans(), hurts), max_size=12)
positions = st.dictionaries(
    st.sampled_from(["floor", "chair", "bed", "standing"]),
    st.builds(Dose, st.integers(1, 60), st.integers(1, 20), st.integers(0, 30)),
    min_size=1,
)


@st.composite
def items(draw):
    where = draw(positions)
    position = draw(st.sampled_from(sorted(where)))
    return ItemFacts(
        draw(st.sampled_from(["childs-pose", "rotation-stretch", "bird-dog"])),
        position,
        draw(st.integers(1, 120)),
        draw(st.integers(1, 40)),
        draw(st.integers(0, 30)),
        where,
    )


limits = st.builds(
    Limits,
    st.integers(1, 8),
    st.one_of(st.none(), st.integers(1, 50)),
    st.one_of(st.none(), st.integers(1, 300)),
)
routines = st.lists(items(), min_size=1, max_size=4)

# Arbitrary histories rarely hold a calm run or end in a flare, so each property also gets
# histories built to reach its assertions. reached() names the branch an example took
# (`pytest --hypothesis-show-statistics` lists them).


def reached(branch):
    from hypothesis import event

    event(branch)


def no_worse(before):
    """Pain after a session at most one point above ``before``: not a flare."""
    return st.integers(0, min(10, before + 1))


little_hurts = st.lists(
    st.builds(
        Hurt,
        st.sampled_from(["childs-pose", "rotation-stretch", "bird-dog"]),
        st.sampled_from(["floor", "chair", "bed", "standing"]),
        st.just("little"),
    ),
    max_size=2,
).map(tuple)
bad_hurt = st.builds(
    Hurt,
    st.sampled_from(["childs-pose", "rotation-stretch", "bird-dog"]),
    st.sampled_from(["floor", "chair", "bed", "standing"]),
    st.sampled_from(["lot", "sharp"]),
)
# Completed, scored, pain after not above pain before, nothing hurt: counts toward a step up.
calm_session = st.integers(0, 10).flatmap(
    lambda before: st.builds(SessionFacts, st.just(before), st.integers(0, before), st.just(True))
)
# Unscored, or not completed, and no flare: neither counts toward nor breaks a calm run.
neutral_session = st.one_of(
    st.builds(SessionFacts, st.none(), pain, st.booleans()),
    st.builds(SessionFacts, pain, st.none(), st.booleans()),
    st.integers(0, 10).flatmap(
        lambda before: st.builds(SessionFacts, st.just(before), no_worse(before), st.just(False))
    ),
)
# Anything but a flare (it may break a calm run).
no_flare_session = st.one_of(
    neutral_session,
    st.integers(0, 10).flatmap(
        lambda before: st.builds(
            SessionFacts, st.just(before), no_worse(before), st.booleans(), little_hurts
        )
    ),
)
flare_session = st.one_of(
    st.integers(0, 8).flatmap(  # pain up two points or more
        lambda before: st.builds(
            SessionFacts, st.just(before), st.integers(before + 2, 10), st.booleans(), hurts
        )
    ),
    st.builds(  # "this hurts" a lot, or sharp
        SessionFacts,
        pain,
        pain,
        st.booleans(),
        st.tuples(bad_hurt, hurts).map(lambda h: h[:1] + h[1]),
    ),
)


def calm_run_of(needed):
    """At least ``needed`` calm sessions, with a few neutral ones in among them."""
    parts = st.tuples(
        st.lists(calm_session, min_size=needed, max_size=needed + 2),
        st.lists(neutral_session, max_size=2),
    )
    return parts.flatmap(lambda p: st.permutations(p[0] + p[1]))


@st.composite
def items_within(draw, rules):
    """An item whose dosage is within the clinician's maxima where they are set."""
    item = draw(items())
    reps = draw(st.integers(1, rules.max_repetitions or 40))
    hold = draw(st.integers(1, rules.max_hold_seconds or 120))
    return ItemFacts(item.exercise, item.position, reps, hold, item.rest_seconds, item.positions)


@st.composite
def calm_cases(draw):
    """A calm run long enough for a step up, after a history without a flare."""
    rules = draw(limits)
    routine = draw(st.lists(st.one_of(items_within(rules), items()), min_size=1, max_size=4))
    history = draw(st.lists(no_flare_session, max_size=4)) + draw(
        calm_run_of(rules.sessions_needed)
    )
    return history, routine, rules


@st.composite
def flare_cases(draw):
    """Any history, then a flare as the session just stored."""
    history = draw(st.lists(st.builds(SessionFacts, pain, pain, st.booleans(), hurts), max_size=6))
    return [*history, draw(flare_session)], draw(routines), draw(limits)


@st.composite
def earlier_flare_cases(draw):
    """A calm run long enough for a step up, but a flare earlier in the window."""
    rules = draw(limits)
    before = draw(st.lists(no_flare_session, max_size=3))
    history = [*before, draw(flare_session), *draw(calm_run_of(rules.sessions_needed))]
    return history, draw(routines), rules


any_case = st.tuples(sessions, routines, limits)
every_kind_of_case = st.one_of(calm_cases(), flare_cases(), earlier_flare_cases(), any_case)


def can_grow(item, rules):
    """Within both maxima and below at least one: a step up has room."""
    most_reps, longest_hold = maxima(item, rules)
    within = item.repetitions <= most_reps and item.hold_seconds <= longest_hold
    return within and (item.repetitions < most_reps or item.hold_seconds < longest_hold)


@settings(max_examples=100)
@given(calm_cases())
def test_a_step_up_never_goes_beyond_the_maxima(case):
    history, routine, rules = case
    proposal = decide(history, routine, rules)
    if proposal is None:
        reached("calm run, but every item is at or beyond a maximum")
        assert not any(can_grow(item, rules) for item in routine)
        return
    reached("calm run: a step up")
    assert proposal.direction == Direction.UP
    # The first item with room goes up, by one step, never past its maxima.
    assert proposal.change.item_index == next(
        index for index, item in enumerate(routine) if can_grow(item, rules)
    )
    before, after = proposal.change.before, proposal.change.after
    most_reps, longest_hold = maxima(before, rules)
    assert after.repetitions <= most_reps and after.hold_seconds <= longest_hold
    assert after.position == before.position
    grew = (after.repetitions - before.repetitions, after.hold_seconds - before.hold_seconds)
    assert grew in {(1, 0), (2, 0)} or (grew[0] == 0 and 1 <= grew[1] <= 5)


@settings(max_examples=100)
@given(every_kind_of_case)
def test_never_up_after_a_flare_and_never_down_without_one(case):
    history, routine, rules = case
    proposal = decide(history, routine, rules)
    flare_at_end = bool(history) and history[-1].flare
    if proposal is None:
        reached("nothing proposed")
        # A flare always gets an answer, even when nothing is left to make gentler.
        assert not flare_at_end
    elif proposal.direction == Direction.UP:
        reached("a step up")
        assert not any(s.flare for s in history)
        assert proposal.calm_sessions >= rules.sessions_needed
    else:
        reached("a step down")
        assert flare_at_end


@settings(max_examples=100)
@given(flare_cases())
def test_a_step_down_never_asks_for_more_and_stays_within_the_schema(case):
    history, routine, rules = case
    proposal = decide(history, routine, rules)
    assert proposal is not None and proposal.direction == Direction.DOWN
    assert proposal.rescreen == history[-1].needs_rescreen
    if proposal.change is None:
        reached("a flare with nothing left to make gentler")
        assert all(item.repetitions == 1 for item in routine)
        return
    reached("a flare: a step down")
    before, after = proposal.change.before, proposal.change.after
    assert after.repetitions <= before.repetitions and after.hold_seconds <= before.hold_seconds
    assert after.repetitions >= 1 and after.hold_seconds >= 1
    assert (after.position, after.repetitions, after.hold_seconds) != (
        before.position,
        before.repetitions,
        before.hold_seconds,
    )


@settings(max_examples=100)
@given(every_kind_of_case)
def test_the_same_inputs_give_the_same_proposal(case):
    history, routine, rules = case
    assert decide(history, routine, rules) == decide(list(history), list(routine), rules)
