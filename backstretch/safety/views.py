from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from backstretch import access
from backstretch.accounts.models import User
from backstretch.accounts.requests import user_of
from backstretch.routines.services import (
    active_routine,
    start_routine_from_template,
    starter_template,
)

from .forms import RedFlagForm, SeenForm
from .models import RedFlagScreen
from .redflags import Urgency, flagged, triage
from .rescreen import answer as answer_rescreen
from .rescreen import open_request

logger = logging.getLogger(__name__)


def give_starter_routine(user: User) -> None:
    """A self-guided patient who may start gets the starter routine for where they said they
    practise (floor, bed or chair), unless they have a routine."""
    if active_routine(user) is not None:
        return
    start_routine_from_template(user, starter_template(user.patient.preferred_position))


def _blocking_screen(user: User) -> RedFlagScreen | None:
    screen = access.latest_screen(user)
    if screen is None or screen.unlocks_routine:
        return None
    return screen


# A self-guided patient confirms being seen a day after their answers at the earliest: a tick
# right under "Get emergency care now" is not a visit.
CLEARANCE_WAIT = timedelta(days=1)


def _has_clinic(user: User) -> bool:
    return getattr(user, "patient", None) is not None and user.patient.clinic_id is not None


def _outcome_context(user: User, latest: RedFlagScreen) -> dict[str, object]:
    opens = latest.answered_at + CLEARANCE_WAIT
    return {
        "screen": latest,
        "emergency": latest.urgency == Urgency.EMERGENCY,
        "flagged": flagged(latest.answers),
        "has_clinic": _has_clinic(user),
        "confirm_opens": opens,
        "may_confirm": timezone.now() >= opens,
    }


@login_required
@require_http_methods(["GET", "POST"])
def screen(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.is_patient(user):
        return redirect(
            "clinic:dashboard" if access.works_at_a_clinic(user) else "accounts:onboarding"
        )
    if request.method == "GET" and _blocking_screen(user) is not None:
        return redirect("safety:outcome")
    form = RedFlagForm(request.POST if request.method == "POST" else None)
    rescreen = open_request(user)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        urgency = triage(answers)
        first = not RedFlagScreen.objects.filter(user=user).exists()
        context = RedFlagScreen.Context.ONBOARDING if first else RedFlagScreen.Context.RECHECK
        screen = RedFlagScreen.objects.create(
            user=user,
            answers=answers,
            urgency=urgency.value,
            context=RedFlagScreen.Context.PAIN_JUMP if rescreen else context,
        )
        answer_rescreen(user, screen)
        if urgency == Urgency.CLEAR:
            give_starter_routine(user)
            return redirect("practice:today")
        return redirect("safety:outcome")
    return render(request, "safety/screen.html", {"form": form, "rescreen": rescreen})


@login_required
def outcome(request: HttpRequest) -> HttpResponse:
    """What to do after answers that need a clinician, and how the routine unlocks again."""
    user = user_of(request)
    latest = access.latest_screen(user)
    if latest is None:
        return redirect("safety:screen")
    if latest.unlocks_routine:
        return redirect("practice:today")
    return render(request, "safety/outcome.html", _outcome_context(user, latest))


@login_required
@require_http_methods(["GET", "POST"])
def confirm_cleared(request: HttpRequest) -> HttpResponse:
    """A self-guided patient says who saw them and when: a day after the answers at the
    earliest. A clinic's patient waits for a clinician of the clinic to clear them instead."""
    user = user_of(request)
    latest = _blocking_screen(user)
    if latest is None:
        return redirect("practice:today")
    context = _outcome_context(user, latest)
    if context["has_clinic"] or not context["may_confirm"]:
        return redirect("safety:outcome")
    answered_on = latest.answered_at.astimezone(user.zone).date()
    form = SeenForm(
        request.POST if request.method == "POST" else None,
        answered_on=answered_on,
        today=user.today(),
    )
    if request.method == "POST" and form.is_valid():
        latest.clear(seen_by=form.cleaned_data["seen_by"], seen_on=form.cleaned_data["seen_on"])
        logger.info(
            "red-flag screen %s (%s) confirmed cleared by the patient, user %s, seen on %s",
            latest.pk,
            latest.urgency,
            user.pk,
            latest.seen_on,
        )
        give_starter_routine(user)
        return redirect("practice:today")
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "safety/confirm.html", context, status=status)


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "safety/help.html")
