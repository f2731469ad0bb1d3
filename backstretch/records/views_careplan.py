"""A clinician loads a patient's prescription from a FHIR CarePlan file (routine builder)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backstretch import access
from backstretch.accounts.requests import user_of
from backstretch.clinic.models import AuditEvent
from backstretch.clinic.services import audit
from backstretch.routines.services import prescribe

from .careplan_import import MAX_BYTES, CarePlanProblem, parse


@require_POST
@login_required
def careplan_import(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = user_of(request)
    profile = access.get_patient_for_clinician(user, patient_id)
    upload = request.FILES.get("careplan")
    try:
        if upload is None:
            raise CarePlanProblem(_("Choose a CarePlan file (.json) to load."))
        plan = parse(upload.read(MAX_BYTES + 1))
        file_name = str(upload.name or "")[:80]
    except CarePlanProblem as problem:
        context = {"patient": profile.user, "error": str(problem)}
        return render(request, "records/careplan_error.html", context, status=422)
    version = prescribe(
        profile.user,
        plan.name,
        plan.items,
        days=plan.days,
        times_per_day=plan.times_per_day,
        reason=_("Loaded from a FHIR CarePlan (%(file)s)") % {"file": file_name},
        created_by=user,
    )
    if profile.clinic is not None:
        what = f"routine v{version.number} loaded from a FHIR CarePlan"
        audit(user, profile.user, profile.clinic, AuditEvent.Action.CHANGE, what)
    messages.success(
        request,
        _("Loaded version %(n)s from the CarePlan: %(count)d exercises.")
        % {"n": version.number, "count": len(plan.items)},
    )
    return redirect("clinic:routine", patient_id=profile.user_id)
