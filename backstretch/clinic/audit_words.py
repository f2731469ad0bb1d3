"""The audit log's "what" in the reader's language.

Entries are written once, in English (``services.audit`` and its callers), and never edited: a
record of who did what stays as it was written. The audit page reads each entry back through
``describe``, which knows the forms the code writes and says them in the reader's language;
an entry it does not know (one written by an older version, say) is shown as written. Names,
e-mail addresses and numbers inside an entry are kept as they are.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Invitation

FIXED: dict[str, Promise] = {
    "patient page": _("patient page"),
    "messages": _("messages"),
    "message": _("message"),
    "messages (API)": _("messages (API)"),
    "message (API)": _("message (API)"),
    "messages marked read (API)": _("messages marked read (API)"),
    "sessions (API)": _("sessions (API)"),
    "adherence (API)": _("adherence (API)"),
    "routine builder": _("routine builder"),
    "routine history": _("routine history"),
    "routine copied into another's": _("routine copied into another patient's"),
    "handout": _("handout"),
    "progress report": _("progress report"),
    "progression": _("progression"),
    "record as a FHIR R4 Bundle": _("record as a FHIR R4 Bundle"),
    "STarT Back asked for": _("STarT Back asked for"),
    "STarT Back asked for (already open)": _("STarT Back asked for (already open)"),
    "camera waits for position: on": _("camera waits for the patient to be in position: on"),
    "camera waits for position: off": _("camera waits for the patient to be in position: off"),
    "dashboard": _("dashboard"),
    "patient list (API)": _("patient list (API)"),
}

# Each written form and what it says; its named parts fill the message. Parts named "what"
# and "label" are entries themselves (said in turn), "kind" an invitation's kind; the rest
# (numbers, names, addresses, codes) are kept as written. First match wins.
FORMS: list[tuple[str, Promise]] = [
    (r"(?P<what>.+) \(erased record #(?P<n>\d+)\)", _("%(what)s (erased record #%(n)s)")),
    (r"routine v(?P<n>\d+)", _("routine version %(n)s")),
    (
        r"routine v(?P<n>\d+) loaded from a FHIR CarePlan",
        _("routine version %(n)s loaded from a FHIR CarePlan"),
    ),
    (r"clinic template (?P<name>.+)", _("clinic template %(name)s")),
    (
        r"own record \((?P<format>\w+)\), by the patient",
        _("own record (%(format)s), by the patient"),
    ),
    (r"clinic export #(?P<n>\d+) asked for", _("clinic export #%(n)s asked for")),
    (r"clinic export #(?P<n>\d+) downloaded", _("clinic export #%(n)s downloaded")),
    (r"clinic export #(?P<n>\d+) deleted \(expired\)", _("clinic export #%(n)s deleted (expired)")),
    (
        r"clinic export #(?P<n>\d+) deleted \(a patient in it deleted their account\)",
        _("clinic export #%(n)s deleted (a patient in it deleted their account)"),
    ),
    (r"clinic export #(?P<n>\d+) deleted", _("clinic export #%(n)s deleted")),
    (r"progression: (?P<mode>\w+)", _("progression: %(mode)s")),
    (r"progression proposal (?P<n>\d+): accepted", _("progression proposal %(n)s: accepted")),
    (r"progression proposal (?P<n>\d+): declined", _("progression proposal %(n)s: declined")),
    (r"dashboard reason dealt with: (?P<kind>\w+)", _("dashboard reason dealt with: %(kind)s")),
    (r"dashboard reason: (?P<kind>\w+)", _("dashboard reason: %(kind)s")),
    (r"red-flag lock cleared \((?P<urgency>\w+)\)", _("red-flag lock cleared (%(urgency)s)")),
    (
        r"moved to (?P<clinic>.+) with the patient's consent",
        _("moved to %(clinic)s with the patient's consent"),
    ),
    (
        r"moved here from (?P<clinic>.+) with the patient's consent",
        _("moved here from %(clinic)s with the patient's consent"),
    ),
    (
        r"(?P<label>.+): a patient deleted their account and all their data",
        _("%(label)s: a patient deleted their account and all their data"),
    ),
    (r"erased record #(?P<n>\d+)", _("erased record #%(n)s")),
    (r"(?P<kind>\w+) invitation for (?P<email>\S+)", _("%(kind)s invitation for %(email)s")),
    (r"revoked invitation for (?P<email>\S+)", _("revoked invitation for %(email)s")),
    (r"removed (?P<email>\S+) from the clinic", _("removed %(email)s from the clinic")),
    (r"joined the clinic as (?P<kind>\w+)", _("joined the clinic as %(kind)s")),
    (
        r"two-step sign-in reset for (?P<email>\S+) by the server's operator "
        r"\(backstretch twofactor reset\)",
        _("two-step sign-in reset for %(email)s by the server's operator"),
    ),
    (
        r"two-step sign-in reset for (?P<email>\S+) by (?P<by>\S+) "
        r"\(backstretch twofactor reset\)",
        _("two-step sign-in reset for %(email)s by %(by)s"),
    ),
]
PATTERNS = [(re.compile(form), message) for form, message in FORMS]
# A list read (dashboard, API list): how many patients were on it.
LISTED = re.compile(r"(?P<what>.+): (?P<count>\d+) patients?")


def _part(name: str, value: str) -> str:
    if name in ("what", "label"):
        return describe(value)
    if name == "kind" and value in Invitation.Kind.values:
        return str(Invitation.Kind(value).label)
    return value


def describe(what: str) -> str:
    """``what`` as written, said in the active language when its form is known."""
    fixed = FIXED.get(what)
    if fixed is not None:
        return str(fixed)
    for pattern, message in PATTERNS:
        match = pattern.fullmatch(what)
        if match:
            return str(message) % {k: _part(k, v) for k, v in match.groupdict().items()}
    listed = LISTED.fullmatch(what)
    if listed:
        count = int(listed["count"])
        return ngettext("%(what)s: %(count)d patient", "%(what)s: %(count)d patients", count) % {
            "what": describe(listed["what"]),
            "count": count,
        }
    return what
