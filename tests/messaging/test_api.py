"""The thread through the JSON API, for both sides."""

from __future__ import annotations

import pytest

from backstretch.messaging.models import Message

pytestmark = pytest.mark.django_db

MINE = "/api/v1/me/messages"


def theirs(patient):
    return f"/api/v1/patients/{patient.pk}/messages"


def test_a_patient_writes_and_their_clinician_reads_and_answers_through_the_api(
    client, bob, patient
):
    client.force_login(patient)
    sent = client.post(MINE, {"text": "Sore after walking"}, content_type="application/json")
    assert sent.status_code == 201, sent.json()
    assert sent.json()["from_patient"] is True
    client.force_login(bob)
    thread = client.get(theirs(patient)).json()
    assert thread["unread"] == 1 and thread["items"][-1]["text"] == "Sore after walking"
    assert thread["items"][-1]["unread"] is True
    assert client.post(f"{theirs(patient)}/read").json() == {"unread": 0}
    reply = client.post(theirs(patient), {"text": "Rest a day."}, content_type="application/json")
    assert reply.status_code == 201 and reply.json()["author"] == "Bob"
    client.force_login(patient)
    mine = client.get(MINE).json()
    assert mine["unread"] == 1 and mine["items"][-1]["text"] == "Rest a day."
    client.post(f"{MINE}/read")
    assert client.get(MINE).json()["unread"] == 0


@pytest.mark.parametrize(("text", "problem"), [("", "empty"), ("y" * 20_000, "20,000")])
def test_bad_messages_get_422_naming_the_body_and_store_nothing(
    client, bob, patient, text, problem
):
    for sender, url in ((patient, MINE), (bob, theirs(patient))):
        client.force_login(sender)
        response = client.post(url, {"text": text}, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "text"
        assert problem in response.json()["detail"]
    assert not Message.objects.exists()


def test_a_reply_to_another_clinics_thread_is_a_404_and_stores_nothing(client, bob, eve, patient):
    client.force_login(eve)
    response = client.post(theirs(patient), {"text": "hi"}, content_type="application/json")
    assert response.status_code == 404
    assert client.get(theirs(patient)).status_code == 404
    assert not Message.objects.exists()


def test_a_self_guided_patient_is_told_there_is_no_clinic_to_message(client, patient):
    client.force_login(patient)
    response = client.get(MINE)
    assert response.status_code == 404
    assert "without a clinic" in response.json()["detail"]


def test_the_openapi_document_lists_every_status_of_the_message_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/me/messages"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "404",
        "422",
        "429",
    }
    assert set(paths["/api/v1/patients/{patient_id}/messages"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "404",
        "422",
        "429",
    }
    assert set(paths["/api/v1/me/push/subscriptions"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "422",
        "429",
    }
