"""The audit log's "what" in the reader's language.

Entries are written once, in English (``services.audit`` and its callers), and never edited: a
record of who did what stays as it was written. The audit page reads each entry back through
``describe``, which knows the forms the code writes and says them in the reader's language;
an entry it does not know (one written by an older version, say) is shown as written. Names,
e-mail addresses and numbers inside an entry are kept as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Invitation

FIXED: dict[str, Callable[[], str]] = {
    "patient page": lambda: _("patient page"),
    "messages": lambda: _("messages"),
    "message": lambda: _("message"),
    "messages (API)": lambda: _("messages (API)"),
    "message (API)": lambda: _("message (API)"),
    "messages marked read (API)": lambda: _("messages marked read (API)"),
    "sessions (API)": lambda: _("sessions (API)"),
    "adherence (API)": lambda: _("adherence (API)"),
    "routine builder": lambda: _("routine builder"),
    "routine history": lambda: _("routine history"),
    "routine copied into another's": lambda: _("routine copied into another patient's"),
    "handout": lambda: _("handout"),
    "progress report": lambda: _("progress report"),
    "progression": lambda: _("progression"),
    "record as a FHIR R4 Bundle": lambda: _("record as a FHIR R4 Bundle"),
    "STarT Back asked for": lambda: _("STarT Back asked for"),
    "STarT Back asked for (already open)": lambda: _("STarT Back asked for (already open)"),
    "dashboard": lambda: _("dashboard"),
    "patient list (API)": lambda: _("patient list (API)"),
}


def _kind(code: str) -> str:
    try:
        return str(Invitation.Kind(code).label)
    except ValueError:
        return code


def _patients(match: re.Match[str]) -> str:
    count = int(match["count"])
    return ngettext("%(what)s: %(count)d patient", "%(what)s: %(count)d patients", count) % {
        "what": describe(match["what"]),
        "count": count,
    }


PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"(?P<what>.+) \(erased record #(?P<n>\d+)\)"),
        lambda m: _("%(what)s (erased record #%(n)s)") % {"what": describe(m["what"]), "n": m["n"]},
    ),
    (
        re.compile(r"routine v(?P<n>\d+)"),
        lambda m: _("routine version %(n)s") % {"n": m["n"]},
    ),
    (
        re.compile(r"routine v(?P<n>\d+) loaded from a FHIR CarePlan"),
        lambda m: _("routine version %(n)s loaded from a FHIR CarePlan") % {"n": m["n"]},
    ),
    (
        re.compile(r"clinic template (?P<name>.+)"),
        lambda m: _("clinic template %(name)s") % {"name": m["name"]},
    ),
    (
        re.compile(r"own record \((?P<format>\w+)\), by the patient"),
        lambda m: _("own record (%(format)s), by the patient") % {"format": m["format"]},
    ),
    (
        re.compile(r"clinic export #(?P<n>\d+) asked for"),
        lambda m: _("clinic export #%(n)s asked for") % {"n": m["n"]},
    ),
    (
        re.compile(r"clinic export #(?P<n>\d+) downloaded"),
        lambda m: _("clinic export #%(n)s downloaded") % {"n": m["n"]},
    ),
    (
        re.compile(r"clinic export #(?P<n>\d+) deleted \(expired\)"),
        lambda m: _("clinic export #%(n)s deleted (expired)") % {"n": m["n"]},
    ),
    (
        re.compile(r"clinic export #(?P<n>\d+) deleted(?: \((?P<why>.+)\))?"),
        lambda m: (
            _("clinic export #%(n)s deleted") % {"n": m["n"]}
            + (f" ({m['why']})" if m["why"] else "")
        ),
    ),
    (
        re.compile(r"progression: (?P<mode>\w+)"),
        lambda m: _("progression: %(mode)s") % {"mode": m["mode"]},
    ),
    (
        re.compile(r"progression proposal (?P<n>\d+): accepted"),
        lambda m: _("progression proposal %(n)s: accepted") % {"n": m["n"]},
    ),
    (
        re.compile(r"progression proposal (?P<n>\d+): declined"),
        lambda m: _("progression proposal %(n)s: declined") % {"n": m["n"]},
    ),
    (
        re.compile(r"dashboard reason dealt with: (?P<kind>\w+)"),
        lambda m: _("dashboard reason dealt with: %(kind)s") % {"kind": m["kind"]},
    ),
    (
        re.compile(r"dashboard reason: (?P<kind>\w+)"),
        lambda m: _("dashboard reason: %(kind)s") % {"kind": m["kind"]},
    ),
    (
        re.compile(r"red-flag lock cleared \((?P<urgency>\w+)\)"),
        lambda m: _("red-flag lock cleared (%(urgency)s)") % {"urgency": m["urgency"]},
    ),
    (re.compile(r"(?P<what>.+): (?P<count>\d+) patients?"), _patients),
    (
        re.compile(r"moved to (?P<clinic>.+) with the patient's consent"),
        lambda m: _("moved to %(clinic)s with the patient's consent") % {"clinic": m["clinic"]},
    ),
    (
        re.compile(r"moved here from (?P<clinic>.+) with the patient's consent"),
        lambda m: (
            _("moved here from %(clinic)s with the patient's consent") % {"clinic": m["clinic"]}
        ),
    ),
    (
        re.compile(r"(?P<label>.+): a patient deleted their account and all their data"),
        lambda m: (
            _("%(label)s: a patient deleted their account and all their data")
            % {"label": describe(m["label"])}
        ),
    ),
    (
        re.compile(r"erased record #(?P<n>\d+)"),
        lambda m: _("erased record #%(n)s") % {"n": m["n"]},
    ),
    (
        re.compile(r"(?P<kind>\w+) invitation for (?P<email>\S+)"),
        lambda m: (
            _("%(kind)s invitation for %(email)s") % {"kind": _kind(m["kind"]), "email": m["email"]}
        ),
    ),
    (
        re.compile(r"revoked invitation for (?P<email>\S+)"),
        lambda m: _("revoked invitation for %(email)s") % {"email": m["email"]},
    ),
    (
        re.compile(r"removed (?P<email>\S+) from the clinic"),
        lambda m: _("removed %(email)s from the clinic") % {"email": m["email"]},
    ),
    (
        re.compile(r"joined the clinic as (?P<kind>\w+)"),
        lambda m: _("joined the clinic as %(kind)s") % {"kind": _kind(m["kind"])},
    ),
    (
        re.compile(
            r"two-step sign-in reset for (?P<email>\S+) by the server's operator "
            r"\(backstretch twofactor reset\)"
        ),
        lambda m: (
            _("two-step sign-in reset for %(email)s by the server's operator")
            % {"email": m["email"]}
        ),
    ),
    (
        re.compile(
            r"two-step sign-in reset for (?P<email>\S+) by (?P<by>\S+) "
            r"\(backstretch twofactor reset\)"
        ),
        lambda m: (
            _("two-step sign-in reset for %(email)s by %(by)s")
            % {"email": m["email"], "by": m["by"]}
        ),
    ),
]


def describe(what: str) -> str:
    """``what`` as written, said in the active language when its form is known."""
    fixed = FIXED.get(what)
    if fixed is not None:
        return fixed()
    for pattern, say in PATTERNS:
        match = pattern.fullmatch(what)
        if match:
            return say(match)
    return what
