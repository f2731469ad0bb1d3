from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from backstretch import access
from backstretch.accounts.models import PatientProfile, User
from backstretch.accounts.requests import user_of
from backstretch.routines.services import active_routine, start_routine_from_template

from .forms import ClearedForm, RedFlagForm
from .models import RedFlagScreen
from .redflags import Urgency, flagged, triage
from .rescreen import answer as answer_rescreen
from .rescreen import open_request

logger = logging.getLogger(__name__)

STARTER_TEMPLATES: dict[str, str] = {
    PatientProfile.Position.FLOOR: "daily-four",
    PatientProfile.Position.BED: "daily-four-bed",
    # No chair version of the daily four yet: chair users start on the floor routine, and the
    # exercise pages show each stretch's chair steps where it has them.
    PatientProfile.Position.CHAIR: "daily-four",
}


def give_starter_routine(user: User) -> None:
    """A self-guided patient who may start gets the default routine, unless they have one."""
    if active_routine(user) is not None:
        return
    position = user.patient.preferred_position
    start_routine_from_template(user, STARTER_TEMPLATES.get(position, "daily-four"))


def _blocking_screen(user: User) -> RedFlagScreen | None:
    screen = access.latest_screen(user)
    if screen is None or screen.unlocks_routine:
        return None
    return screen


def _outcome_context(latest: RedFlagScreen, form: ClearedForm) -> dict[str, object]:
    return {
        "screen": latest,
        "emergency": latest.urgency == Urgency.EMERGENCY,
        "flagged": flagged(latest.answers),
        "form": form,
    }


@login_required
@require_http_methods(["GET", "POST"])
def screen(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.is_patient(user):
        return redirect("accounts:onboarding")
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
    """What to do after answers that need a clinician, and the box to tick once cleared."""
    user = user_of(request)
    latest = access.latest_screen(user)
    if latest is None:
        return redirect("safety:screen")
    if latest.unlocks_routine:
        return redirect("practice:today")
    return render(request, "safety/outcome.html", _outcome_context(latest, ClearedForm()))


@login_required
@require_POST
def confirm_cleared(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    latest = _blocking_screen(user)
    if latest is None:
        return redirect("practice:today")
    form = ClearedForm(request.POST)
    if not form.is_valid():
        context = _outcome_context(latest, form)
        return render(request, "safety/outcome.html", context, status=400)
    latest.cleared_at = timezone.now()
    latest.save(update_fields=["cleared_at"])
    logger.info(
        "red-flag screen %s (%s) confirmed cleared by a clinician, user %s, at %s",
        latest.pk,
        latest.urgency,
        user.pk,
        latest.cleared_at.isoformat(),
    )
    give_starter_routine(user)
    return redirect("practice:today")


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "safety/help.html")
