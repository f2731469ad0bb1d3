"""The thread between a patient and their clinic, on its pages: who reads and answers it,
what a session brings into it, read state and unread counts, and what bad input gets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backstretch.clinic.models import AuditEvent
from backstretch.messaging.models import Message, Thread
from backstretch.messaging.services import send, thread_of
from tests.cast import cleared, make_patient
from tests.sessions import hurt_report, practise

pytestmark = pytest.mark.django_db

MINE = "/messages/"


def thread_url(patient):
    return reverse("clinic:messages", args=[patient.pk])


def test_a_session_note_and_each_this_hurts_reach_the_clinic_as_the_patients_entries(
    client, bob, patient
):
    practise(
        patient,
        note="Had to stop, my back really flared up",
        hurt_reports=[hurt_report("cat-camel", "lot", action="stop")],
    )
    client.force_login(bob)
    page = client.get(thread_url(patient)).content.decode()
    assert "Had to stop, my back really flared up" in page
    assert "This hurts (a lot) in Cat and camel, on the floor." in page
    assert "I stopped the session." in page
    assert "Note after a session" in page
    assert Message.objects.filter(from_patient=True, author=patient).count() == 2


def test_the_same_session_stored_twice_brings_its_note_once(bob, patient):
    from backstretch.messaging.services import entries_from_session

    session = practise(patient, note="Stiff this morning")
    entries_from_session(session)
    assert Message.objects.filter(kind="note").count() == 1


def test_a_self_guided_patients_note_goes_nowhere_and_their_page_says_so(client, patient):
    practise(patient, note="Only for me")
    assert not Message.objects.exists()
    client.force_login(patient)
    page = client.get(MINE).content.decode()
    assert "without a clinic, so there is no one here to message" in page
    assert "Nobody else reads them" in page
    assert client.post(MINE, {"body": "hello?"}).status_code == 404
    assert not Message.objects.exists()


def test_the_player_tells_a_self_guided_patient_truthfully_where_their_note_goes(
    client, patient, other_patient, northside
):
    cleared(patient)
    client.force_login(patient)
    page = client.get(reverse("practice:play")).content.decode()
    assert "Your clinician can see it" not in page
    assert "nobody else reads them" in page


def test_the_player_tells_a_clinic_patient_their_note_reaches_their_clinician(client, bob, patient):
    client.force_login(patient)
    page = client.get(reverse("practice:play")).content.decode()
    assert "Saved. Your clinician can see it." in page


def test_the_clinician_answers_and_the_patient_sees_an_unread_count_until_they_read_it(
    client, bob, patient
):
    client.force_login(bob)
    response = client.post(thread_url(patient), {"body": "Call me if it stays bad."})
    assert response.status_code == 302
    client.force_login(patient)
    today = client.get(reverse("practice:today")).content.decode()
    assert 'Messages <span class="unread-count">1<span class="visually-hidden"> unread' in today
    page = client.get(MINE).content.decode()
    assert "Call me if it stays bad." in page and "thread__new" in page
    again = client.get(reverse("practice:today")).content.decode()
    assert "unread-count" not in again


def test_the_dashboard_counts_unread_messages_until_a_clinician_opens_the_thread(
    client, bob, patient
):
    client.force_login(patient)
    client.post(MINE, {"body": "Is it fine to walk more?"})
    client.post(MINE, {"body": "And to swim?"})
    client.force_login(bob)
    dashboard = client.get(reverse("clinic:dashboard")).content.decode()
    assert "Unread messages" in dashboard
    assert '>Alice</a> <span class="unread-count">2<' in dashboard
    client.get(thread_url(patient))
    assert "Unread messages" not in client.get(reverse("clinic:dashboard")).content.decode()


def test_a_long_unread_list_shows_the_most_unread_first_and_counts_the_rest(
    client, bob, northside, monkeypatch
):
    monkeypatch.setattr("backstretch.messaging.templatetags.messaging.UNREAD_SHOWN", 2)
    for n, count in enumerate((1, 3, 2)):
        writer = make_patient(
            f"w{n}@example.org", "a-password-123", f"Writer {n}", clinic=northside, clinician=bob
        )
        for i in range(count):
            send(thread_of(writer, northside.pk), writer, f"Message {i}")
    client.force_login(bob)
    dashboard = client.get(reverse("clinic:dashboard")).content.decode()
    panel = dashboard.split('id="unread-title"')[1].split("</section>")[0]
    assert panel.index("Writer 1") < panel.index("Writer 2")
    assert "Writer 0" not in panel
    assert "And 1 more patient wrote" in panel


def test_a_patient_who_moved_to_another_clinic_leaves_the_old_clinics_unread_queue(
    client, bob, patient, northside, southside
):
    client.force_login(patient)
    client.post(MINE, {"body": "Is it fine to walk more?"})
    client.force_login(bob)
    assert "Unread messages" in client.get(reverse("clinic:dashboard")).content.decode()
    patient.patient.clinic = southside
    patient.patient.save()
    assert "Unread messages" not in client.get(reverse("clinic:dashboard")).content.decode()


@pytest.mark.parametrize(
    ("text", "problem"),
    [("   ", "The message is empty"), ("x" * 20_000, "20,000 characters long")],
)
def test_an_empty_or_huge_message_is_refused_with_what_to_fix_and_nothing_is_stored(
    client, bob, patient, text, problem
):
    for sender, url in ((patient, MINE), (bob, thread_url(patient))):
        client.force_login(sender)
        response = client.post(url, {"body": text})
        assert response.status_code == 400
        assert problem in response.content.decode()
    assert not Message.objects.exists()


def test_a_clinic_admin_who_is_not_a_clinician_and_another_clinics_clinician_get_404(
    client, bob, dana, eve, patient
):
    for outsider in (dana, eve):
        client.force_login(outsider)
        assert client.get(thread_url(patient)).status_code == 404
        assert client.post(thread_url(patient), {"body": "hello"}).status_code == 404
    assert not Message.objects.exists()


def test_another_clinician_of_the_clinic_reads_and_answers_too(client, bob, northside, patient):
    from tests.cast import make_staff

    colleague = make_staff(northside, "cara@example.org", "cara-password-1", "Cara")
    client.force_login(colleague)
    assert client.post(thread_url(patient), {"body": "Bob is away; I am here."}).status_code == 302
    assert Message.objects.get().author == colleague


def test_reading_and_answering_a_thread_go_to_the_audit_log(client, bob, patient):
    client.force_login(bob)
    client.get(thread_url(patient))
    client.post(thread_url(patient), {"body": "Hello"})
    events = set(
        AuditEvent.objects.filter(actor=bob, patient=patient).values_list("action", "what")
    )
    assert {("view", "messages"), ("create", "message")} <= events


def test_a_patient_who_moves_to_another_clinic_starts_a_new_thread_the_old_clinic_cannot_read(
    client, bob, eve, southside, patient
):
    from tests.cast import join

    client.force_login(bob)
    client.post(thread_url(patient), {"body": "For Northside only"})
    join(southside, eve, patient)
    client.force_login(patient)
    assert "For Northside only" not in client.get(MINE).content.decode()
    client.force_login(bob)
    assert client.get(thread_url(patient)).status_code == 404
    assert Thread.objects.count() == 2
