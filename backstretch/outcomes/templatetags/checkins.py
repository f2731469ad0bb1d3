"""Check-in pieces that other apps' pages include with one line each.

``{% checkins_panel patient %}`` on the clinician's patient page (weekly check-ins and STarT
Back); ``{% today_checkins %}`` on the patient's Today page (STarT Back when a clinician asked,
the weekly check-in when due); ``{% peg_history_chart empty_text %}`` on the patient's history.
"""

from __future__ import annotations

from typing import Any

from django import template

from backstretch.accounts.models import User

from .. import services
from ..charts import peg_chart_context
from ..forms import PegForm
from ..questions import START_BACK_COPYRIGHT

register = template.Library()


@register.inclusion_tag("outcomes/_clinician_panel.html", takes_context=True)
def checkins_panel(context: template.Context, patient: User) -> dict[str, Any]:
    return {
        "patient": patient,
        "csrf_token": context.get("csrf_token"),
        "start_back": services.latest_start_back(patient),
        "copyright": START_BACK_COPYRIGHT,
        **peg_chart_context(patient, patient.today(), "clinic-peg"),
    }


def _reader(context: template.Context) -> User:
    user = context["request"].user
    assert isinstance(user, User)  # these pages are a logged-in patient's
    return user


@register.inclusion_tag("outcomes/_today_checkins.html", takes_context=True)
def today_checkins(context: template.Context) -> dict[str, Any]:
    user = _reader(context)
    day = user.today()
    latest = user.peg_checkins.first()
    return {
        "csrf_token": context.get("csrf_token"),
        "peg_form": PegForm() if services.peg_is_due(user, day) else None,
        "peg_saved": latest if latest and latest.local_date == day and not latest.skipped else None,
        "start_back_asked": services.open_start_back(user),
    }


@register.inclusion_tag("outcomes/_peg_chart.html", takes_context=True)
def peg_history_chart(context: template.Context, empty_text: str) -> dict[str, Any]:
    user = _reader(context)
    return {"empty_text": empty_text, **peg_chart_context(user, user.today(), "history-peg")}
