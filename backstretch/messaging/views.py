"""The patient's messages page: their thread with their clinic."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backstretch import access
from backstretch.accounts.requests import user_of

from .forms import MessageForm
from .services import mark_read, patient_thread, recent, send


@login_required
def thread(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.may_use_own_messages(user):
        raise Http404("Messages are for patients.")
    found = patient_thread(user)
    if found is None:
        if request.method == "POST":
            raise Http404("You have no clinic to write to.")
        return render(request, "messaging/thread.html", {"thread": None})
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            send(found, user, form.cleaned_data["body"])
            flash.success(
                request, _("Sent. Your clinician and the clinic's other clinicians can read it.")
            )
            return redirect("messaging:thread")
        status = 400
    else:
        form = MessageForm()
    read_up_to = found.patient_read_id
    shown = recent(found)
    mark_read(found, by_patient=True)
    context = {"thread": found, "entries": shown, "read_up_to": read_up_to, "form": form}
    return render(request, "messaging/thread.html", context, status=status)
