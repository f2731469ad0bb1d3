"""Clinics and people: invitations, joining by invitation, members, and the audit log.

Every view asks ``access`` first; someone else's clinic or invitation is a 404, exactly
like one that does not exist.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backstretch import access
from backstretch.accounts.forms import PASSWORD_BACKEND
from backstretch.accounts.models import User
from backstretch.accounts.requests import user_of
from backstretch.accounts.verification import send_verification
from backstretch.links import absolute_url

from .audit_words import describe
from .forms_people import AuditFilterForm, PatientInviteForm, StaffInviteForm, join_form_class
from .models import AuditEvent, Clinic, Invitation, Membership
from .services import (
    ConsentNeeded,
    InvitationNotYours,
    InvitationUnusable,
    accept_invitation,
    audit,
    clinic_left_by_accepting,
    invite,
)

AUDIT_PAGE_SIZE = 50
EARLIER_INVITATIONS = 30
STAFF_KINDS = (Invitation.Kind.CLINICIAN, Invitation.Kind.CLINIC_ADMIN)


def _clinics_for_invitations(request: HttpRequest) -> tuple[Clinic, list[Clinic]]:
    """The clinic a clinician is inviting patients to (``?clinic=``, else their first)."""
    user = user_of(request)
    ids = access.clinician_clinic_ids(user)
    if not ids:
        raise Http404("Not a clinician.")
    clinics = list(Clinic.objects.filter(pk__in=ids))
    wanted = request.POST.get("clinic") or request.GET.get("clinic")
    if not wanted:  # the clinic they joined first
        first = Membership.objects.filter(user=user, is_clinician=True).order_by("pk")
        return first.select_related("clinic")[0].clinic, clinics
    try:
        return access.get_clinic_for_clinician(user, int(wanted)), clinics
    except ValueError:
        raise Http404("No such clinic.") from None


def _invitation_for_manager(user: User, invitation_id: int) -> Invitation:
    """A patient invitation for a clinician of its clinic; a staff one for the clinic's admins."""
    invitation = get_object_or_404(Invitation.objects.select_related("clinic"), pk=invitation_id)
    if invitation.kind == Invitation.Kind.PATIENT:
        allowed = access.clinician_clinic_ids(user)
    else:
        allowed = access.admin_clinic_ids(user)
    if invitation.clinic_id not in allowed:
        raise Http404("No such invitation.")
    return invitation


def _link(request: HttpRequest, invitation: Invitation) -> str:
    return absolute_url(reverse("clinic:accept", args=[invitation.token]), request)


def _back_to_list(invitation: Invitation) -> str:
    if invitation.kind == Invitation.Kind.PATIENT:
        return f"{reverse('clinic:invitations')}?clinic={invitation.clinic_id}"
    return reverse("clinic:members", args=[invitation.clinic_id])


@dataclass(frozen=True)
class OpenInvitation:
    invitation: Invitation
    link: str


def _with_links(request: HttpRequest, invitations: list[Invitation]) -> list[OpenInvitation]:
    return [OpenInvitation(i, _link(request, i)) for i in invitations]


def _record(user: User, patient: User | None, clinic: Clinic, action: str, what: str) -> None:
    audit(user, patient, clinic, action, what[:200])


# --- Inviting patients ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    clinic, clinics = _clinics_for_invitations(request)
    user = user_of(request)
    form = PatientInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        invitation = invite(
            clinic,
            user,
            Invitation.Kind.PATIENT,
            form.cleaned_data["email"],
            form.cleaned_data["name"],
            form.cleaned_data["language"],
        )
        _record(
            user,
            None,
            clinic,
            AuditEvent.Action.CREATE,
            f"patient invitation for {invitation.email}",
        )
        messages.success(
            request,
            _("Invitation ready for %(email)s. Send them the link or let them scan the code.")
            % {"email": invitation.email},
        )
        return redirect(f"{_back_to_list(invitation)}#invitation-{invitation.pk}")
    patient_invitations = clinic.invitations.filter(kind=Invitation.Kind.PATIENT).select_related(
        "invited_by", "accepted_by"
    )
    everything = list(patient_invitations[: EARLIER_INVITATIONS * 4])
    context = {
        "clinic": clinic,
        "clinics": clinics,
        "form": form,
        "open_invitations": _with_links(request, [i for i in everything if i.state == "open"]),
        "earlier_invitations": [i for i in everything if i.state != "open"][:EARLIER_INVITATIONS],
        "is_admin": clinic.pk in access.admin_clinic_ids(user),
    }
    return render(request, "clinic/invitations.html", context)


@login_required
@require_GET
@never_cache
def invitation_qr(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_for_manager(user_of(request), invitation_id)
    if not invitation.usable:
        raise Http404("This invitation can no longer be used.")
    import segno  # only this page and those that show a code need it

    buffer = io.BytesIO()
    segno.make(_link(request, invitation), error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_POST
@login_required
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    user = user_of(request)
    invitation = _invitation_for_manager(user, invitation_id)
    if invitation.state == "open":
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _record(
            user,
            None,
            invitation.clinic,
            AuditEvent.Action.CHANGE,
            f"revoked invitation for {invitation.email}",
        )
        messages.success(
            request,
            _("The invitation for %(email)s is revoked; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect(_back_to_list(invitation))


# --- Members (clinic admins) ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, clinic_id: int) -> HttpResponse:
    user = user_of(request)
    clinic = access.get_clinic_for_admin(user, clinic_id)
    form = StaffInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation = invite(
            clinic, user, data["kind"], data["email"], data["name"], data["language"]
        )
        _record(
            user,
            None,
            clinic,
            AuditEvent.Action.CREATE,
            f"{invitation.kind} invitation for {invitation.email}",
        )
        messages.success(
            request,
            _("Invitation ready for %(email)s. Copy the link below and send it to them.")
            % {"email": invitation.email},
        )
        return redirect(f"{_back_to_list(invitation)}#invitation-{invitation.pk}")
    staff_invitations = [
        i
        for i in clinic.invitations.filter(kind__in=STAFF_KINDS).select_related("invited_by")[:100]
        if i.state == "open"
    ]
    context = {
        "clinic": clinic,
        "form": form,
        "memberships": clinic.memberships.select_related("user").order_by(
            "user__name", "user__email"
        ),
        "open_invitations": _with_links(request, staff_invitations),
        "is_clinician": clinic.pk in access.clinician_clinic_ids(user),
    }
    return render(request, "clinic/people_members.html", context)


@require_POST
@login_required
def member_remove(request: HttpRequest, clinic_id: int, membership_id: int) -> HttpResponse:
    user = user_of(request)
    clinic = access.get_clinic_for_admin(user, clinic_id)
    membership = get_object_or_404(clinic.memberships.select_related("user"), pk=membership_id)
    if membership.user_id == user.pk:
        messages.error(request, _("You cannot remove yourself. Ask another admin to do it."))
    else:
        membership.delete()
        _record(
            user,
            None,
            clinic,
            AuditEvent.Action.CHANGE,
            f"removed {membership.user.email} from the clinic",
        )
        messages.success(
            request, _("%(person)s no longer works at this clinic.") % {"person": membership.user}
        )
    return redirect("clinic:members", clinic_id=clinic.pk)


# --- Joining by invitation (public) ---------------------------------------------------------


def _unusable(request: HttpRequest, account_saved: bool = False) -> HttpResponse:
    # The same page for unknown, used, revoked and expired links: it reveals nothing more.
    return render(
        request, "clinic/invitation_unusable.html", {"account_saved": account_saved}, status=404
    )


def _landing(invitation: Invitation) -> str:
    if invitation.kind == Invitation.Kind.PATIENT:
        return reverse("practice:today")
    try:
        return reverse("clinic:dashboard")
    except NoReverseMatch:  # the dashboard is another part of the portal
        return "/clinic/"


def _not_yours(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    # The invited address is not shown: whoever holds the link learns nothing more from it.
    return render(
        request, "clinic/invitation_not_yours.html", {"invitation": invitation}, status=403
    )


def _consent_page(
    request: HttpRequest, invitation: Invitation, leaving: Clinic, missing: bool = False
) -> HttpResponse:
    context = {"invitation": invitation, "leaving": leaving, "consent_missing": missing}
    return render(request, "clinic/invitation_accept.html", context, status=400 if missing else 200)


def _joined(
    request: HttpRequest, invitation: Invitation, user: User, consent_to_move: bool = False
) -> HttpResponse:
    """Link ``user`` to the clinic; an account saved a moment ago stays saved if this fails."""
    try:
        accept_invitation(invitation, user, consent_to_move=consent_to_move)
    except InvitationUnusable:
        return _unusable(request, account_saved=True)
    except InvitationNotYours:
        return _not_yours(request, invitation)
    except ConsentNeeded as needed:  # they joined another clinic since the page was shown
        return _consent_page(request, invitation, needed.leaving)
    patient = user if invitation.kind == Invitation.Kind.PATIENT else None
    _record(
        user,
        patient,
        invitation.clinic,
        AuditEvent.Action.CHANGE,
        f"joined the clinic as {invitation.kind}",
    )
    return redirect(_landing(invitation))


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Join a clinic by invitation: only as the invited address, and a patient of another
    clinic only after agreeing, on a page that says what moves, to the new clinic."""
    invitation = (
        Invitation.objects.select_related("clinic", "invited_by").filter(token=token).first()
    )
    if invitation is None or not invitation.usable:
        return _unusable(request)
    if request.user.is_authenticated:
        user = user_of(request)
        if not invitation.is_for(user.email):
            return _not_yours(request, invitation)
        leaving = clinic_left_by_accepting(invitation, user)
        if leaving is not None:
            if request.method != "POST":
                return _consent_page(request, invitation, leaving)
            if request.POST.get("consent") != "yes":
                return _consent_page(request, invitation, leaving, missing=True)
            return _joined(request, invitation, user, consent_to_move=True)
        if request.method == "POST":
            return _joined(request, invitation, user)
        return render(request, "clinic/invitation_accept.html", {"invitation": invitation})
    if invitation.language:  # the invited person reads the page in the language chosen for them
        translation.activate(invitation.language)
    form_class = join_form_class(invitation)
    form = form_class(
        request.POST if request.method == "POST" else None,
        email=invitation.email,
        language=invitation.language,
    )
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=PASSWORD_BACKEND)
        send_verification(user)  # the invitation was not mailed: it proves no address
        return _joined(request, invitation, user)
    context = {"invitation": invitation, "form": form}
    return render(request, "clinic/invitation_accept.html", context)


# --- Audit log (clinic admins) --------------------------------------------------------------


@login_required
@require_GET
def audit_log(request: HttpRequest, clinic_id: int) -> HttpResponse:
    clinic = access.get_clinic_for_admin(request.user, clinic_id)
    events = clinic.audit_events.select_related("actor", "patient")
    patient_ids = events.exclude(patient=None).values("patient_id")
    actor_ids = events.exclude(actor=None).values("actor_id")
    form = AuditFilterForm(
        request.GET or None,
        patients=list(
            User.objects.filter(Q(pk__in=patient_ids) | Q(patient__clinic=clinic)).order_by("email")
        ),
        actors=list(
            User.objects.filter(Q(pk__in=actor_ids) | Q(memberships__clinic=clinic))
            .distinct()
            .order_by("email")
        ),
    )
    if form.is_bound and not form.is_valid():
        events = events.none()  # someone no longer in the lists: nothing to show, not everything
    elif form.is_bound:
        if form.cleaned_data["patient"]:
            events = events.filter(patient_id=form.cleaned_data["patient"])
        if form.cleaned_data["actor"]:
            events = events.filter(actor_id=form.cleaned_data["actor"])
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [(event, describe(event.what)) for event in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "clinic": clinic,
        "form": form,
        "page": page,
        "entries": entries,
        "query": query.urlencode(),
        "filtered": bool(
            form.is_bound and (not form.is_valid() or any(form.cleaned_data.values()))
        ),
        "is_clinician": clinic.pk in access.clinician_clinic_ids(request.user),
    }
    return render(request, "clinic/audit.html", context)
