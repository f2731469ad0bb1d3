"""The clinician's dashboard (who needs a call, in ten seconds) and one patient's page.

The rows (facts, triage, words, their cache) are built in ``dashboard``; these are the views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from backstretch import access
from backstretch.accounts.models import PatientProfile
from backstretch.accounts.requests import user_of
from backstretch.library.models import Exercise, exercise_names
from backstretch.library.vocabulary import POSITION_HEADINGS, PREFERS
from backstretch.practice import charts
from backstretch.practice.calendar import calendar_cells, calendar_start, weekday_headings
from backstretch.practice.models import HurtReport, PracticeSession, StepResult
from backstretch.practice.wording import routine_lines
from backstretch.routines.services import active_routine
from backstretch.safety.redflags import flagged

from . import standing, triage
from .dashboard import facts_for, gather, maybe_url, page_rows
from .dashboard_words import (
    ICON_SPRITE,
    ICONS,
    WINDOW_DAYS,
    adherence_percent,
    last_session_text,
    reason_lines,
)
from .forms_followup import CameraSwitchForm, ClearRedFlagForm
from .handout import times_a_day_words
from .services import audit, audit_listing, recent_erasures

# --- views ------------------------------------------------------------------------------------


def page_number(request: HttpRequest, name: str) -> int:
    value = request.GET.get(name, "1")
    return int(value) if value.isdigit() and 0 < len(value) < 6 else 1


def page_links(request: HttpRequest, name: str, page: standing.Page) -> dict[str, str]:
    """The query strings of the group's previous and next pages (the other group's page and
    the search stay as they are)."""
    links = {}
    for which, number in (("previous", page.previous), ("next", page.next)):
        if number is not None:
            params = request.GET.copy()
            params[name] = str(number)
            links[which] = "?" + params.urlencode()
    return links


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    if not access.is_clinician(request.user):
        admin_of = access.admin_clinic_ids(request.user)
        if not admin_of:
            raise Http404
        members_url = maybe_url("clinic:members", admin_of[0])
        return render(
            request, "clinic/dashboard.html", {"admin_only": True, "members_url": members_url}
        )
    query = request.GET.get("q", "").strip()[:100]
    patients = (
        access.patients_for_clinician(request.user)
        .select_related(None)
        .select_related("user")
        .only("user_id", "clinic_id", "user__name", "user__email", "user__time_zone")
    )
    if query:
        patients = patients.filter(Q(user__name__icontains=query) | Q(user__email__icontains=query))
    standing.refresh(patients)
    calls = standing.page_of(patients, True, page_number(request, "calls"), standing.NEEDS_PAGE)
    track = standing.page_of(patients, False, page_number(request, "page"), standing.ON_TRACK_PAGE)
    shown = calls.profiles + track.profiles
    needs, on_track = page_rows(shown, calls.marks | track.marks)
    audit_listing(user_of(request), shown, "dashboard")
    context: dict[str, object] = {
        "query": query,
        "needs_call": needs,
        "on_track": on_track,
        "calls": calls,
        "track": track,
        "calls_links": page_links(request, "calls", calls),
        "track_links": page_links(request, "page", track),
        "ok_icon": ICONS["ok"],
        "icon_sprite": ICON_SPRITE,
        "total": calls.total + track.total,
        "erasures": recent_erasures(user_of(request)),
    }
    return render(request, "clinic/dashboard.html", context)


# --- one patient ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hold:
    rep: int | None
    result: str  # done | skipped | hurt
    label: str
    # What the camera coach saw of this hold, when it watched it (the player's summary).
    camera_seconds: float | None = None
    camera_rep: bool | None = None

    @property
    def watched(self) -> bool:
        return self.camera_seconds is not None or self.camera_rep is not None


@dataclass
class HoldGroup:
    exercise: str
    position: str
    side: str
    holds: list[Hold] = field(default_factory=list)
    camera: str = ""  # what the camera saw of these holds, in words ("" when it watched none)


def _result_label(result: str) -> str:
    try:
        return str(StepResult(result).label)
    except ValueError:
        return result


def _whole(seconds: float) -> int:
    return int(seconds + 0.5)


def camera_line(seconds: float, holds: int, counted: int) -> str:
    """What the camera saw of a group's watched holds: time in position, never an angle."""
    watched = ngettext(
        "in position %(seconds)d s over %(holds)d hold",
        "in position %(seconds)d s over %(holds)d holds",
        holds,
    ) % {"seconds": _whole(seconds), "holds": holds}
    done = ngettext("%(counted)d counted", "%(counted)d counted", counted) % {"counted": counted}
    return _("Camera: %(watched)s, %(counted)s") % {"watched": watched, "counted": done}


def _camera_of(step: dict[str, object]) -> tuple[float | None, bool | None]:
    seconds, rep = step.get("camera_seconds"), step.get("camera_rep")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        seconds = None
    return seconds, (rep if isinstance(rep, bool) else None)


def hold_groups(steps: list[dict[str, object]], names: dict[str, str]) -> list[HoldGroup]:
    """The holds the patient reached, one group per exercise and side, in order of first play."""
    groups: dict[tuple[str, str], HoldGroup] = {}
    for step in steps:
        kind, exercise = step.get("kind"), step.get("exercise")
        if not exercise or kind not in ("hold", None):
            continue
        slug, side = str(exercise), str(step.get("side") or "")
        group = groups.setdefault(
            (slug, side), HoldGroup(names.get(slug, slug), str(step.get("position") or ""), side)
        )
        rep = step.get("rep")
        result = str(step.get("result", "done"))
        number = rep if isinstance(rep, int) else len(group.holds) + 1
        camera_seconds, camera_rep = _camera_of(step)
        words = {"n": number, "result": _result_label(result)}
        if camera_seconds is None:
            label = _("Repetition %(n)d: %(result)s") % words
        else:
            label = _("Repetition %(n)d: %(result)s, camera: in position %(seconds)d s") % {
                **words,
                "seconds": _whole(camera_seconds),
            }
        group.holds.append(Hold(number, result, label, camera_seconds, camera_rep))
    for group in groups.values():
        watched = [hold for hold in group.holds if hold.watched]
        if watched:
            group.camera = camera_line(
                sum(hold.camera_seconds or 0.0 for hold in watched),
                len(watched),
                sum(1 for hold in watched if hold.camera_rep),
            )
    return list(groups.values())


# Long histories come a page at a time, newest first, so a patient who sends a great deal
# cannot make their clinician's page slow to load or to read.
HISTORY_PAGE_SIZE = 20


@dataclass(frozen=True)
class HistoryPage:
    items: list[Any]
    count: int  # in all, on every page
    newer_url: str
    older_url: str


def _page(request: HttpRequest, name: str, rows: QuerySet[Any]) -> HistoryPage:
    """The page of ``rows`` that ``?<name>=N`` asks for (the first, for a missing or wrong N),
    with links to the pages either side that keep the page's other parameters."""
    page = Paginator(rows, HISTORY_PAGE_SIZE).get_page(request.GET.get(name))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[name] = str(number)
        return f"?{query.urlencode()}#{name}-title"

    return HistoryPage(
        items=list(page.object_list),
        count=page.paginator.count,
        newer_url=link(page.previous_page_number()) if page.has_previous() else "",
        older_url=link(page.next_page_number()) if page.has_next() else "",
    )


@dataclass(frozen=True)
class SessionLine:
    session: PracticeSession
    groups: list[HoldGroup]


def patient_context(request: HttpRequest, profile: PatientProfile) -> dict[str, object]:
    user = profile.user
    today = user.today()
    first = calendar_start(today)
    in_window = PracticeSession.objects.filter(
        patient=user, local_date__gte=first, local_date__lte=today
    )
    # The calendar and the chart need three small fields of every session in the window; the
    # list shows whole sessions a page at a time, as it does "this hurts" reports.
    sessions = list(in_window.only("local_date", "pain_before", "pain_after"))
    session_page = _page(request, "sessions", in_window.order_by("-started_at", "-pk"))
    hurt_page = _page(request, "hurts", HurtReport.objects.filter(patient=user))
    todays = {user.pk: today}
    found = gather([profile], todays)
    facts = facts_for(profile, today, found)
    names = exercise_names(list(Exercise.objects.values_list("slug", flat=True)))
    pain = charts.pain_days((s.local_date, s.pain_before, s.pain_after) for s in sessions)
    summary = charts.pain_summary(pain, today)
    routine = active_routine(user)
    version = routine.current if routine else None
    zone = user.zone
    screen = access.latest_screen(user)
    context: dict[str, object] = {
        # The latest red-flag answers when they pointed to a clinician: locked, or who cleared.
        "red_flag": screen if screen is not None and screen.urgency != "clear" else None,
        "red_flag_answers": flagged(screen.answers) if screen is not None else [],
        "clear_form": ClearRedFlagForm(),
        "camera_form": CameraSwitchForm(instance=profile),
        "profile": profile,
        "patient": user,
        "prefers": PREFERS.get(profile.preferred_position, ""),
        "today": today,
        "reasons": reason_lines(triage.reasons(facts), today),
        "ok_icon": ICONS["ok"],
        "icon_sprite": ICON_SPRITE,
        "adherence_7": adherence_percent(facts, 7),
        "adherence_28": adherence_percent(facts, WINDOW_DAYS),
        "last_session": last_session_text(triage.last_practised(facts), today),
        "weekdays": weekday_headings(),
        "calendar": calendar_cells([s.local_date for s in sessions], today),
        "pain_summary": summary,
        "pain_chart": charts.pain_chart_svg(pain, pain[0].day, today, summary) if pain else "",
        "sessions": [SessionLine(s, hold_groups(s.steps, names)) for s in session_page.items],
        "sessions_page": session_page,
        "hurts_page": hurt_page,
        "hurts": [
            {
                "report": h,
                # Formatted here: templates would show it in the server's zone.
                "when": formats.date_format(h.reported_at.astimezone(zone), "D j M, H:i"),
                "exercise": names.get(h.exercise, h.exercise),
                "position": POSITION_HEADINGS.get(h.position, h.position),
            }
            for h in hurt_page.items
        ],
        "routine": routine,
        "version": version,
        "routine_lines": routine_lines(version.routine_items()) if version else [],
        "routine_days": [str(WEEKDAYS_ABBR[d]) for d in sorted(version.days)] if version else [],
        "times_a_day": times_a_day_words(version.times_per_day) if version else "",
        "builder_url": maybe_url("clinic:routine", user.pk),
        "handout_url": maybe_url("clinic:handout", user.pk),
        "report_url": maybe_url("clinic:report", user.pk),
    }
    assert profile.clinic is not None  # patients_for_clinician only finds clinic patients
    audit(user_of(request), user, profile.clinic, "view", "patient page")
    return context


@login_required
@require_safe
def patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    profile = access.get_patient_for_clinician(request.user, patient_id)
    return render(request, "clinic/patient.html", patient_context(request, profile))
