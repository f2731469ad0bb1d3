"""The patient's weekly check-in and STarT Back answers (the clinician asks for the tool from the
clinic's pages, ``clinic.views_followup``, which writes the audit log)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from backstretch.accounts.requests import user_of
from backstretch.practice.decorators import practice_allowed

from . import services
from .forms import PegForm, StartBackForm
from .questions import START_BACK_BOTHER, START_BACK_COPYRIGHT, START_BACK_INTRO


@practice_allowed
def peg(request: HttpRequest) -> HttpResponse:
    """GET: the check-in on its own page. POST: the answers, or "skip" for this week."""
    user = user_of(request)
    day = user.today()
    if request.method != "POST":
        return render(request, "outcomes/peg.html", {"form": PegForm()})
    if "skip" in request.POST:
        if services.peg_is_due(user, day):
            services.skip_peg(user, day)
        return redirect("practice:today")
    form = PegForm(request.POST)
    if not form.is_valid():
        return render(request, "outcomes/peg.html", {"form": form}, status=400)
    services.record_peg(user, day, **form.cleaned_data)
    return redirect("practice:today")


@practice_allowed
def start_back(request: HttpRequest) -> HttpResponse:
    """The questions a clinician asked for; nothing to answer sends the patient to Today."""
    user = user_of(request)
    asked = services.open_start_back(user)
    if asked is None:
        return redirect("practice:today")
    form = StartBackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.answer_start_back(asked, form.answers())
        return redirect("practice:today")
    context = {
        "form": form,
        "intro": START_BACK_INTRO,
        "bother": START_BACK_BOTHER,
        "copyright": START_BACK_COPYRIGHT,
        "asked_by": asked.requested_by,
    }
    return render(request, "outcomes/start_back.html", context, status=400 if form.errors else 200)
