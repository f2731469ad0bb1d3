"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

from django.db import connection

from .models import RedFlagScreen, RescreenRequest
from .redflags import Urgency

# Every patient API call and page asks whether they may practise (access.practice_gate): one
# round trip for both facts it needs, in plain SQL (the ORM's query building cost more than
# the queries; bench/api_load.py). Both use an index on user_id; RescreenRequest rows are rare.
GATE_FACTS_SQL = (
    "SELECT (SELECT CASE WHEN urgency = %s OR cleared_at IS NOT NULL THEN 1 ELSE 0 END"
    f" FROM {RedFlagScreen._meta.db_table} WHERE user_id = %s"
    " ORDER BY answered_at DESC LIMIT 1),"
    f" EXISTS (SELECT 1 FROM {RescreenRequest._meta.db_table} WHERE user_id = %s)"
)


def gate_facts(user_id: int) -> tuple[bool | None, bool]:
    """(whether this person's latest red-flag answers let them practise: None when they never
    answered, whether they were ever asked the questions again)."""
    with connection.cursor() as cursor:
        cursor.execute(GATE_FACTS_SQL, [Urgency.CLEAR.value, user_id, user_id])
        unlocks, asked_again = cursor.fetchone()
    return (None if unlocks is None else bool(unlocks)), bool(asked_again)
