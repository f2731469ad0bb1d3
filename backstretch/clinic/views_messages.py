"""A patient's thread with the clinic, as their clinicians read and answer it."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backstretch import access
from backstretch.accounts.requests import user_of
from backstretch.messaging.forms import MessageForm
from backstretch.messaging.services import mark_read, recent, send, thread_of

from .services import audit


@login_required
def patient_messages(request: HttpRequest, patient_id: int) -> HttpResponse:
    profile = access.get_patient_for_messages(request.user, patient_id)
    clinician = user_of(request)
    assert profile.clinic is not None  # only a clinic's patients are found
    thread = thread_of(profile.user, profile.clinic.pk)
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            send(thread, clinician, form.cleaned_data["body"])
            audit(clinician, profile.user, profile.clinic, "create", "message")
            flash.success(
                request, _("Sent. The patient gets a notification if they turned them on.")
            )
            return redirect("clinic:messages", patient_id=profile.user_id)
        status = 400
    else:
        form = MessageForm()
    read_up_to = thread.clinic_read_id
    entries = recent(thread)
    mark_read(thread, by_patient=False)
    audit(clinician, profile.user, profile.clinic, "view", "messages")
    context = {
        "profile": profile,
        "patient_name": profile.user.name or profile.user.email,
        "entries": entries,
        "read_up_to": read_up_to,
        "form": form,
    }
    return render(request, "clinic/messages.html", context, status=status)
