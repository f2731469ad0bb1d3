"""Demo data: Lena's flare-up note answered by her clinician, and a question from Maria that
her clinic has not read yet (so the dashboard shows an unread count)."""

from __future__ import annotations

from backstretch.accounts.demo import DemoLogin
from backstretch.accounts.models import User
from backstretch.practice.models import PracticeSession

from .models import Message
from .services import entries_from_session, patient_thread

LENA = "lena@demo.backstretch.test"
MARIA = "maria@demo.backstretch.test"
LENA_REPLY = (
    "Thanks for telling me, Lena. A jump like that usually settles in a day or two. Answer the "
    "safety questions again when the app asks, do the short version until it eases, and call "
    "the clinic if it is not better by Friday."
)
MARIA_QUESTION = "Is it all right to do the routine straight after my morning walk?"


def load_demo(logins: list[DemoLogin]) -> None:
    # The demo stores its sessions in one transaction: the signal that would bring their notes
    # into the threads comes after it commits, so the notes are brought in here (once).
    for session in PracticeSession.objects.filter(patient__email__in=[LENA, MARIA]).exclude(
        note=""
    ):
        entries_from_session(session)
    _answer(LENA, LENA_REPLY)
    _ask(MARIA, MARIA_QUESTION)


def _answer(email: str, text: str) -> None:
    patient = User.objects.filter(email=email).select_related("patient__clinician").first()
    thread = patient_thread(patient) if patient else None
    if patient is None or thread is None or Message.objects.filter(thread=thread, body=text):
        return
    clinician = patient.patient.clinician
    message = Message.objects.create(thread=thread, author=clinician, from_patient=False, body=text)
    thread.clinic_read_id = message.pk
    thread.save(update_fields=["clinic_read_id"])


def _ask(email: str, text: str) -> None:
    patient = User.objects.filter(email=email).first()
    thread = patient_thread(patient) if patient else None
    if patient is None or thread is None or Message.objects.filter(thread=thread, body=text):
        return
    Message.objects.create(thread=thread, author=patient, from_patient=True, body=text)
