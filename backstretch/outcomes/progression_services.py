"""Progression in the database: after a session, store what ``progression.decide`` proposes.

For every newly stored session (``receivers``, on practice's ``session_recorded``):
``after_session``, unless progression is off, stores a proposal for the clinician or, in
automatic mode, saves the next routine version at once with the reason. (The red-flag
questions after sharp pain or a jump of 3+ were asked already, by ``safety.rescreen``, inside
the transaction that stored the session.)
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from backstretch.accounts.models import User
from backstretch.library.models import exercise_names
from backstretch.library.vocabulary import move_place
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.routines.services import save_version

from . import progression as rules
from .models import ProgressionProposal, ProgressionSettings
from .queries import progression_is_on

if TYPE_CHECKING:
    from backstretch.practice.models import PracticeSession

logger = logging.getLogger(__name__)
Status = ProgressionProposal.Status
NOTICE_DAYS = timedelta(days=7)  # how long today's page shows "your routine changed"


def settings_for(routine: Routine) -> ProgressionSettings:
    """The routine's settings; unsaved defaults (off) when the clinician never set them."""
    found = ProgressionSettings.objects.filter(routine=routine).first()
    return found or ProgressionSettings(routine=routine)


def limits_of(found: ProgressionSettings) -> rules.Limits:
    return rules.Limits(
        sessions_needed=found.sessions_needed,
        max_repetitions=found.max_repetitions,
        max_hold_seconds=found.max_hold_seconds,
    )


def session_facts(session: PracticeSession) -> rules.SessionFacts:
    hurts = tuple(
        rules.Hurt(report.exercise, report.position, report.severity)
        for report in sorted(session.hurt_reports.all(), key=lambda r: (r.reported_at, r.pk))
    )
    return rules.SessionFacts(session.pain_before, session.pain_after, session.completed, hurts)


def item_facts(version: RoutineVersion) -> list[rules.ItemFacts]:
    from backstretch.library.models import Exercise

    slugs = [item["exercise"] for item in version.items]
    exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=slugs)}
    facts = []
    for item in version.items:
        spec = exercises[item["exercise"]].spec
        doses = {}
        for position in spec.positions:
            dose = spec.dosage_for(position)
            doses[str(position)] = rules.Dose(
                dose.hold_seconds, dose.repetitions, dose.rest_seconds
            )
        facts.append(
            rules.ItemFacts(
                exercise=item["exercise"],
                position=item["position"],
                hold_seconds=int(item["hold_seconds"]),
                repetitions=int(item["repetitions"]),
                rest_seconds=int(item["rest_seconds"]),
                positions=doses,
            )
        )
    return facts


def change_text(change: dict[str, Any], name: str) -> str:
    """One sentence: what changes for which exercise, e.g. "Child's pose: 5 → 7 repetitions"."""
    before, after = change["before"], change["after"]
    if change["what"] == "position":
        return _("%(name)s moves from %(before)s to %(after)s") % {
            "name": name,
            "before": move_place(before["position"]),
            "after": move_place(after["position"]),
        }
    if change["what"] == "repetitions":
        return _("%(name)s: %(before)d → %(after)d repetitions") % {
            "name": name,
            "before": before["repetitions"],
            "after": after["repetitions"],
        }
    return _("%(name)s: hold %(before)d s → %(after)d s") % {
        "name": name,
        "before": before["hold_seconds"],
        "after": after["hold_seconds"],
    }


def cause_text(proposal: rules.Proposal, day: datetime | None, names: dict[str, str]) -> str:
    when = formats.date_format(day, "j M") if day else ""
    trigger = proposal.trigger
    if proposal.cause == rules.Cause.CALM:
        return _("%(n)d sessions in a row without more pain afterwards") % {
            "n": proposal.calm_sessions
        }
    if proposal.cause == rules.Cause.HURT and trigger and trigger.bad_hurts:
        hurt = trigger.bad_hurts[0]
        words = _("sharp pain") if hurt.severity == "sharp" else _("“this hurts: a lot”")
        return _("%(what)s during %(name)s on %(day)s") % {
            "what": words,
            "name": names.get(hurt.exercise, hurt.exercise),
            "day": when,
        }
    assert trigger is not None
    return _("pain went from %(before)s to %(after)s after the session on %(day)s") % {
        "before": trigger.pain_before,
        "after": trigger.pain_after,
        "day": when,
    }


def reason_text(proposal: rules.Proposal, day: datetime | None, names: dict[str, str]) -> str:
    cause = cause_text(proposal, day, names)
    first = 1 if cause.startswith("“") else 0  # “this hurts…” → “This hurts…”
    cause = cause[:first] + cause[first : first + 1].upper() + cause[first + 1 :]
    if proposal.change is None:
        return _("%(cause)s. Nothing in the routine can be made gentler: please review it.") % {
            "cause": cause
        }
    change = proposal.change.as_dict()
    what = change_text(change, names.get(proposal.change.exercise, proposal.change.exercise))
    return f"{cause}. {what}."[:300]


def _window_start(routine: Routine, version: RoutineVersion) -> datetime | None:
    """The clinician's last decision on a proposal for this version: sessions count after it."""
    return (
        ProgressionProposal.objects.filter(
            routine=routine, based_on=version, decided_at__isnull=False
        )
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )


def _window(version: RoutineVersion, trigger: PracticeSession) -> list[rules.SessionFacts]:
    # Sessions on the current version: every one followed it, whenever it was uploaded.
    earlier = version.sessions.exclude(pk=trigger.pk)
    start = _window_start(version.routine, version)
    if start is not None:
        earlier = earlier.filter(started_at__gte=start)
    earlier = earlier.order_by("started_at", "pk").prefetch_related("hurt_reports")
    return [session_facts(s) for s in earlier] + [session_facts(trigger)]


def after_session(session: PracticeSession) -> ProgressionProposal | None:
    """Run the progression rules for a newly stored session (never breaks the upload; the
    safety questions were already asked by ``safety.rescreen.ask_again_if_needed``)."""
    try:
        return _after_session(session)
    except Exception:  # the session is stored already; a bug here must not lose it
        logger.exception("progression failed for session %s", session.pk)
        return None


def _after_session(session: PracticeSession) -> ProgressionProposal | None:
    version = session.routine_version
    if not progression_is_on(version.routine_id):  # off for most routines: one query and done
        return None
    routine = version.routine
    found = settings_for(routine)
    if not routine.is_active or routine.current.pk != version.pk:
        return None
    decision = rules.decide(_window(version, session), item_facts(version), limits_of(found))
    if decision is None:
        return None
    names = exercise_names([item["exercise"] for item in version.items])
    return _store(routine, version, session, decision, found, names)


@transaction.atomic
def _store(
    routine: Routine,
    version: RoutineVersion,
    session: PracticeSession,
    decision: rules.Proposal,
    found: ProgressionSettings,
    names: dict[str, str],
) -> ProgressionProposal | None:
    pending = ProgressionProposal.objects.select_for_update().filter(
        routine=routine, status=Status.PENDING
    )
    for old in pending:
        if old.based_on_id == version.pk and (
            old.direction == decision.direction or old.direction == "down"
        ):
            return None  # one open proposal at a time; a step down outranks a step up
        old.status = Status.SUPERSEDED
        old.save(update_fields=["status"])
    proposal = ProgressionProposal.objects.create(
        routine=routine,
        based_on=version,
        session=session,
        direction=decision.direction.value,
        cause=decision.cause.value,
        change=decision.change.as_dict() if decision.change else None,
        reason=reason_text(decision, session.started_at, names),
        rescreen=decision.rescreen,
    )
    if found.mode == ProgressionSettings.Mode.AUTO and decision.change is not None:
        apply(proposal, None, Status.APPLIED)
    return proposal


def apply(proposal: ProgressionProposal, by: User | None, status: str) -> RoutineVersion:
    """Save the proposal's change as the routine's next version, with its reason."""
    assert proposal.change is not None
    base = proposal.based_on
    change = proposal.change
    items = rules.apply_change(base.items, change)
    before, item = base.items[change["item_index"]], items[change["item_index"]]
    if item["position"] != before["position"]:
        item["sides"] = sides_after_move(
            item["exercise"], before["position"], item["position"], item["sides"]
        )
    version = save_version(
        proposal.routine,
        items,
        days=base.days,
        times_per_day=base.times_per_day,
        review_date=base.review_date,
        reason=proposal.reason,
        created_by=by,
    )
    proposal.status = status
    proposal.result = version
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "result", "decided_by", "decided_at"])
    return version


def sides_after_move(exercise: str, before: str, after: str, sides: str) -> str:
    """The sides an item has in a new position: the clinician's choice while both positions
    work the same way, else the new position's own (a chair clamshell has no sides)."""
    from backstretch.library.models import Exercise
    from backstretch.library.schema import Position

    spec = Exercise.objects.get(slug=exercise).spec
    old_default = spec.dosage_for(Position(before)).sides
    new_default = spec.dosage_for(Position(after)).sides
    return sides if old_default == new_default else str(new_default.value)


class OutOfDate(Exception):
    """The routine changed since the proposal was made."""


@transaction.atomic
def decide_proposal(proposal: ProgressionProposal, by: User, accept: bool) -> None:
    """The clinician's answer to a pending proposal (accept → next version with the reason)."""
    locked = ProgressionProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Status.PENDING:
        raise OutOfDate("already decided")
    if accept and locked.change is not None:
        if locked.routine.current.pk != locked.based_on_id:
            locked.status = Status.SUPERSEDED
            locked.save(update_fields=["status"])
            raise OutOfDate("the routine changed since")
        apply(locked, by, Status.ACCEPTED)
        return
    locked.status = Status.DECLINED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])


def change_notice(routine: Routine | None) -> RoutineVersion | None:
    """The latest version, if it changed the routine recently and the patient has not said OK."""
    if routine is None:
        return None
    version = routine.current
    recent = timezone.now() - version.created_at < NOTICE_DAYS
    if version.number <= 1 or not version.reason or not recent:
        return None
    if routine.notice_seen_number >= version.number:
        return None
    return version
