import pytest

from backstretch.safety.redflags import QUESTION_KEYS, QUESTIONS, Urgency, flagged, triage

ALL_NO = dict.fromkeys(QUESTION_KEYS, False)


def test_all_no_is_clear():
    assert triage(ALL_NO) == Urgency.CLEAR


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.key)
def test_any_single_yes_routes_to_its_own_urgency(question):
    assert triage({**ALL_NO, question.key: True}) == question.urgency


def test_emergency_wins_over_prompt_review():
    answers = {**ALL_NO, "cancer": True, "bladder": True}
    assert triage(answers) == Urgency.EMERGENCY
    assert [q.key for q in flagged(answers)] == ["bladder", "cancer"]


def test_the_screen_covers_cauda_equina_and_serious_causes():
    emergency = {q.key for q in QUESTIONS if q.urgency == Urgency.EMERGENCY}
    assert {"saddle_numbness", "bladder", "bowel", "leg_weakness"} <= emergency
    prompt = {q.key for q in QUESTIONS if q.urgency == Urgency.PROMPT}
    assert {"injury", "cancer", "weight_loss", "fever", "night_pain"} <= prompt


def test_unanswered_questions_are_named():
    answers = dict(ALL_NO)
    del answers["fever"]
    with pytest.raises(ValueError, match="fever"):
        triage(answers)
