"""When a session's pain means the red-flag questions must be asked again. Pure.

Sharp pain during an exercise, or pain after a session 3 or more points above pain before it
(on 0-10), asks again before the next session, whatever the prescription's progression does.
"""

from __future__ import annotations

from collections.abc import Iterable

RESCREEN_JUMP = 3


def needs_rescreen(
    pain_before: int | None, pain_after: int | None, severities: Iterable[str]
) -> bool:
    """Sharp pain ("sharp" among the "this hurts" severities) or a jump of RESCREEN_JUMP+."""
    if any(severity == "sharp" for severity in severities):
        return True
    if pain_before is None or pain_after is None:
        return False
    return pain_after - pain_before >= RESCREEN_JUMP
