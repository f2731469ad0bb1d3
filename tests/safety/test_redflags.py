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
    assert {"saddle_numbness", "bladder", "bowel", "leg_weakness", "both_legs"} <= emergency
    prompt = {q.key for q in QUESTIONS if q.urgency == Urgency.PROMPT}
    assert {"injury_onset", "cancer", "weight_loss", "fever", "night_pain"} <= prompt
    assert "constant_pain" in prompt


def test_the_onset_question_does_not_stop_an_ordinary_lift():
    (onset,) = [q for q in QUESTIONS if q.key == "injury_onset"]
    text = str(onset.text)
    assert "bad fall or an accident" in text
    assert "thin bones" in text and "steroid tablets" in text
    assert "heavy lift" not in text, "a lift alone is the commonest start of ordinary back pain"


def test_answers_stored_before_the_onset_question_changed_still_read_as_asked():
    """A screen from before: the old "injury" key, no answers to the new questions."""
    old = {key: False for key in QUESTION_KEYS if key not in ("injury_onset", "both_legs")}
    old.pop("constant_pain")
    old["injury"] = True
    (question,) = flagged(old)
    assert question.key == "injury" and "heavy lift" in str(question.text)
    assert flagged({**old, "injury": False}) == []


def test_unanswered_questions_are_named():
    answers = dict(ALL_NO)
    del answers["fever"]
    with pytest.raises(ValueError, match="fever"):
        triage(answers)
