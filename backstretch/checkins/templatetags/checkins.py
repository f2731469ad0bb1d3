"""{% checkins_panel patient %}: the weekly check-ins and STarT Back on the clinician's page."""

from __future__ import annotations

from typing import Any

from django import template

from backstretch.accounts.models import User

from .. import services
from ..charts import peg_chart_context
from ..questions import START_BACK_COPYRIGHT

register = template.Library()


@register.inclusion_tag("checkins/_clinician_panel.html", takes_context=True)
def checkins_panel(context: template.Context, patient: User) -> dict[str, Any]:
    return {
        "patient": patient,
        "csrf_token": context.get("csrf_token"),
        "start_back": services.latest_start_back(patient),
        "copyright": START_BACK_COPYRIGHT,
        **peg_chart_context(patient, patient.today(), "clinic-peg"),
    }
