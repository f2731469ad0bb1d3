"""STarT Back: a clinician asks, the patient answers on Today, the patient page shows the result."""

import pytest
from django.urls import reverse

from backstretch.outcomes.models import PegCheckin, StartBack
from backstretch.outcomes.questions import START_BACK_COPYRIGHT
from tests.cast import cleared

TODAY = reverse("practice:today")
ANSWER = reverse("outcomes:start_back")


@pytest.fixture
def clinic(bob, patient):
    """Bob, Alice's clinician; Alice answered the red-flag questions."""
    cleared(patient)
    return bob


def ask_url(patient):
    return reverse("clinic:request_start_back", kwargs={"patient_id": patient.pk})


def all_answers(agree=(), bother="0"):
    data = {f"item_{n}": "1" if n in agree else "0" for n in range(1, 9)}
    data["item_9"] = bother
    return data


def test_the_whole_loop_from_request_to_result(client, patient, clinic):
    client.force_login(clinic)
    patient_page = reverse("clinic:patient", kwargs={"patient_id": patient.pk})
    page = client.get(patient_page).content.decode()
    assert "Ask for STarT Back" in page and START_BACK_COPYRIGHT in page
    response = client.post(ask_url(patient))
    assert response.status_code == 302 and response["Location"] == patient_page
    assert "not answered yet" in client.get(patient_page).content.decode()

    client.force_login(patient)
    assert "Your clinician has some questions" in client.get(TODAY).content.decode()
    form = client.get(ANSWER).content.decode()
    assert form.count('type="radio"') == 8 * 2 + 5
    assert START_BACK_COPYRIGHT in form
    assert "Bob asked you to answer these nine questions" in form
    response = client.post(ANSWER, all_answers(agree={1, 5, 6, 7}, bother="4"))
    assert response.status_code == 302
    assert "Your clinician has some questions" not in client.get(TODAY).content.decode()

    client.force_login(clinic)
    page = client.get(patient_page).content.decode()
    assert "High risk" in page
    assert "Overall score 5 of 9 · distress sub-score 4 of 5" in page
    assert "Ask again" in page


def test_the_clinician_sees_the_patients_weekly_check_in_chart(client, patient, clinic):
    page_url = reverse("clinic:patient", kwargs={"patient_id": patient.pk})
    client.force_login(clinic)
    assert (
        "No weekly check-ins answered in the last 12 weeks."
        in client.get(page_url).content.decode()
    )
    PegCheckin.objects.create(
        patient=patient, local_date=patient.today(), pain=5, enjoyment=4, activity=3
    )
    page = client.get(page_url).content.decode()
    assert 'aria-labelledby="clinic-peg-title"' in page
    assert "Weekly check-in score 4.0 on" in page


def test_asking_twice_before_an_answer_makes_one_request(client, patient, clinic):
    client.force_login(clinic)
    client.post(ask_url(patient))
    client.post(ask_url(patient))
    assert StartBack.objects.filter(patient=patient).count() == 1


def test_an_unanswered_question_is_named_and_nothing_is_scored(client, patient, clinic):
    StartBack.objects.create(patient=patient, requested_by=clinic)
    client.force_login(patient)
    data = all_answers()
    del data["item_3"]
    del data["item_9"]
    response = client.post(ANSWER, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please answer every question" in page
    assert "Choose agree or disagree." in page and "Choose one answer." in page
    assert page.count(" checked") == 7  # the seven answers given are kept
    assert StartBack.objects.get(patient=patient).answered_at is None


def test_without_a_request_the_questions_page_sends_the_patient_to_today(client, patient, clinic):
    client.force_login(patient)
    assert client.get(ANSWER)["Location"] == TODAY
    assert client.post(ANSWER, all_answers())["Location"] == TODAY
    assert not StartBack.objects.exists()


def test_a_clinician_of_another_clinic_cannot_ask(client, patient, clinic, eve):
    client.force_login(eve)
    assert client.post(ask_url(patient)).status_code == 404
    assert not StartBack.objects.exists()
