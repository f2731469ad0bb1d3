"""Every URL in the project × every role → the expected answer, as one table.

The cast: anonymous; Alice, a patient of Bob's clinic (Northside); Charlie, a self-guided
patient; Bob, Alice's clinician; Eve, a clinician at another clinic (Southside); Dana,
Northside's admin, who is not a clinician. Ids in URLs are Alice's and Northside's, so Eve
and Charlie are guessing someone else's ids: they must get 404, exactly like a missing id.

A new URL makes ``test_every_url_is_in_the_table`` fail until it gets a row here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backstretch.accounts.tokens import create_token
from backstretch.clinic.models import Membership
from backstretch.clinic.services import invite
from backstretch.library.models import Exercise
from backstretch.records.clinic_exports import path_of
from backstretch.records.models import ClinicExport
from backstretch.reminders.mail import unsubscribe_token
from backstretch.reminders.services import settings_for as reminder_settings_for

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "alice", "charlie", "bob", "eve", "dana")

# Left out on purpose, each with its reason.
EXCLUDED_NAMESPACES = {
    "admin": "Django's admin site: staff only, guarded by Django's own permission checks",
}
EXCLUDED_NAMES = {
    "api:openapi-json": "the API's OpenAPI schema: public documentation, no data",
    "api:openapi-view": "the API's interactive docs page: public documentation, no data",
    "api_docs": "a redirect to the API's interactive docs page (/api/v1/docs)",
}

LOGIN = "→login"  # 302 to the log-in page (with ?next=)
TODAY = "→/today/"
SCREEN = "→/safety/check/"
HOME = "→/"
PROFILE = "→/accounts/profile/"
SIGNUP = "→/accounts/signup/"
INVITES = "→/clinic/invitations/"
MEMBERS = "→/clinic/{clinic_id}/members/"
PATIENT = "→/clinic/patients/{patient_id}/"
REMINDERS = "→/reminders/"
MESSAGES = "→/messages/"
THREAD = "→/clinic/patients/{patient_id}/messages/"
CLINIC = "→/clinic/"
EXPORTS = "→/clinic/{clinic_id}/exports/"


@dataclass(frozen=True)
class Row:
    """Expected answers in ROLES order. ``post``: answers to a POST carrying ``data``
    (a POST-only URL also answers every GET with 405). A refused POST changes nothing."""

    get: tuple[Any, ...]
    post: tuple[Any, ...] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    post_only: bool = False
    json: bool = False


def post_only(post: tuple[Any, ...], data: dict[str, Any] | None = None, json: bool = False) -> Row:
    return Row(get=(405,) * len(ROLES), post=post, data=data or {}, post_only=True, json=json)


# A session Alice really did: only Alice may save it.
SESSION = {
    "client_id": "00000000-0000-4000-8000-00000000000{role_number}",  # a new one per role
    "routine_version": "{version_id}",
    "started_at": "{started_at}",
    "ended_at": "{ended_at}",
}


MESSAGE = {"text": "Hello"}
# A browser's subscription at a push service (nothing is sent to it in these tests).
SUBSCRIPTION = {
    "endpoint": "https://push.example.net/{role_number}",
    "keys": {
        "p256dh": "BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "auth": "AAAAAAAAAAAAAAAAAAAAAA",
    },
}


def fill(value: Any, values: dict[str, Any]) -> Any:
    """``value`` (a string, or a dict of them) with the cast's ids put in."""
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    return value.format(**values)


# fmt: off
TABLE: dict[str, Row] = {
    #                               anonymous  alice    charlie  bob      eve      dana
    "home":                 Row(get=(200,      TODAY,   TODAY,   CLINIC,  CLINIC,  CLINIC)),
    "healthz":              Row(get=(200,      200,     200,     200,     200,     200)),
    "library:list":         Row(get=(200,      200,     200,     200,     200,     200)),
    "library:detail":       Row(get=(200,      200,     200,     200,     200,     200)),
    "login":                Row(get=(200,      HOME,    HOME,    HOME,    HOME,    HOME)),
    "logout":               Row(get=(405,      405,     405,     405,     405,     405)),
    "accounts:signup":      Row(get=(200,      HOME,    HOME,    HOME,    HOME,    HOME)),
    "accounts:onboarding":  Row(get=(LOGIN,    TODAY,   TODAY,   CLINIC,  CLINIC,  CLINIC)),
    # An empty POST makes no token: the password must be typed again.
    "accounts:profile":     Row(get=(LOGIN,    200,     200,     200,     200,     200),
                                post=(LOGIN,   422,     422,     422,     422,     422)),
    # Without a sign-up just now, the "check your e-mail" page sends people to sign up.
    "accounts:signup_sent": Row(get=(SIGNUP,   SIGNUP,  SIGNUP,  SIGNUP,  SIGNUP,  SIGNUP)),
    # The link carries its own signed secret; one signed for something else is a 404 for all.
    "accounts:verify":      Row(get=(404,      404,     404,     404,     404,     404)),
    "accounts:verify_send": post_only((LOGIN,  PROFILE, PROFILE, PROFILE, PROFILE, PROFILE)),
    # Django's password views: change (empty POST: the form's errors), forgotten (anyone),
    # and a reset link (a wrong one says it no longer works, to everyone).
    "password_change":      Row(get=(LOGIN,    200,     200,     200,     200,     200),
                                post=(LOGIN,   200,     200,     200,     200,     200)),
    "password_reset":       Row(get=(200,      200,     200,     200,     200,     200),
                                post=(200,     200,     200,     200,     200,     200)),
    "password_reset_done":  Row(get=(200,      200,     200,     200,     200,     200)),
    "password_reset_confirm": Row(get=(200,    200,     200,     200,     200,     200)),
    "password_reset_complete": Row(get=(200,   200,     200,     200,     200,     200)),
    # An empty POST chooses no language: back to the profile, which says what to choose.
    "accounts:language":    post_only((LOGIN,  PROFILE, PROFILE, PROFILE, PROFILE, PROFILE)),
    "accounts:token_revoke": post_only((LOGIN, PROFILE, 404,     404,     404,     404)),
    # Two-step sign-in: the cast's staff passed it (tests/cast.py); the patients have none on.
    # Setting up is for whoever has no app yet; an empty code is refused with the form's error.
    "accounts:twofactor_verify": Row(get=(LOGIN, HOME,  HOME,    HOME,    HOME,    HOME),
                                post=(LOGIN,   HOME,    HOME,    HOME,    HOME,    HOME)),
    "accounts:twofactor_setup": Row(get=(LOGIN, 200,    200,     PROFILE, PROFILE, PROFILE),
                                post=(LOGIN,   422,     422,     PROFILE, PROFILE, PROFILE)),
    # GET shows codes made a moment ago (none here); POST makes new ones for whoever has an app.
    "accounts:recovery_codes": Row(get=(LOGIN, PROFILE, PROFILE, PROFILE, PROFILE, PROFILE),
                                post=(LOGIN,   404,     404,     200,     200,     200)),
    # Only patients may turn it off (they have it off already); staff keep it on.
    "accounts:twofactor_off": post_only((LOGIN, PROFILE, PROFILE, 404,    404,     404),
                                data={"password": "not-the-password"}),
    # Sign-in links: asked for by anyone logged out; the "check your e-mail" page says the
    # same to everyone; a link signed for something else is a 404, GET or POST.
    "accounts:email_link":  Row(get=(200,      HOME,    HOME,    HOME,    HOME,    HOME),
                                post=(200,     HOME,    HOME,    HOME,    HOME,    HOME)),
    "accounts:email_link_sent": Row(get=(200,  200,     200,     200,     200,     200)),
    "accounts:email_link_use": Row(get=(404,   404,     404,     404,     404,     404),
                                post=(404,     404,     404,     404,     404,     404)),
    "safety:screen":        Row(get=(LOGIN,    200,     200,     CLINIC,  CLINIC,  CLINIC)),
    "safety:outcome":       Row(get=(LOGIN,    SCREEN,  SCREEN,  SCREEN,  SCREEN,  SCREEN)),
    # Nobody in the cast is locked by red-flag answers: back to Today (which sends staff on).
    "safety:confirm_cleared": Row(get=(LOGIN,  TODAY,   TODAY,   TODAY,   TODAY,   TODAY),
                                post=(LOGIN,   TODAY,   TODAY,   TODAY,   TODAY,   TODAY)),
    "safety:help":          Row(get=(200,      200,     200,     200,     200,     200)),
    "practice:today":       Row(get=(LOGIN,    200,     SCREEN,  CLINIC,  CLINIC,  CLINIC)),
    "practice:play":        Row(get=(LOGIN,    200,     SCREEN,  CLINIC,  CLINIC,  CLINIC)),
    "practice:history":     Row(get=(LOGIN,    200,     SCREEN,  CLINIC,  CLINIC,  CLINIC)),
    # Charlie has not answered the safety questions yet: where he practises is still his.
    "practice:position":    post_only((LOGIN,  PROFILE, PROFILE, 404,     404,     404),
                                      data={"preferred_position": "chair"}),
    "practice:pace":        post_only((LOGIN,  PROFILE, PROFILE, 404,     404,     404),
                                      data={"pace": "slower"}),
    "practice:service-worker": Row(get=(200,   200,     200,     200,     200,     200)),
    "practice:manifest":    Row(get=(200,      200,     200,     200,     200,     200)),
    "practice:picture":     Row(get=(200,      200,     200,     200,     200,     200)),
    "practice:apple-touch-icon": Row(get=(200, 200,     200,     200,     200,     200)),
    "api:api-root":         Row(get=(404,      404,     404,     404,     404,     404)),
    "api:today":            Row(get=(401,      200,     403,     403,     403,     403)),
    "api:routine":          Row(get=(401,      200,     403,     403,     403,     403)),
    "api:list_sessions":    Row(get=(401,      200,     200,     200,     200,     200)),
    "api:post_session":     Row(get=(401,      200,     200,     200,     200,     200),
                                post=(401,     201,     404,     404,     404,     404),
                                data=SESSION, json=True),
    # GET and PUT /me/reminders: one URL, two names.
    "api:get_reminders":    Row(get=(401,      200,     403,     403,     403,     403)),
    "api:put_reminders":    Row(get=(401,      200,     403,     403,     403,     403)),
    # Messages: Alice's thread with Northside, for her and its clinicians (Bob); Charlie has
    # no clinic, so no thread (his page says so; writing to it is a 404).
    "api:my_messages":      Row(get=(401,      200,     404,     403,     403,     403)),
    "api:send_my_message":  Row(get=(401,      200,     404,     403,     403,     403),
                                post=(401,     201,     404,     403,     403,     403),
                                data=MESSAGE, json=True),
    "api:read_my_messages": post_only((401,    200,     404,     403,     403,     403)),
    "api:patient_messages": Row(get=(401,      404,     404,     200,     404,     404)),
    "api:reply_to_patient": Row(get=(401,      404,     404,     200,     404,     404),
                                post=(401,     404,     404,     201,     404,     404),
                                data=MESSAGE, json=True),
    "api:read_patient_messages": post_only((401, 404,   404,     200,     404,     404)),
    # Notifications on this phone: any patient may turn them on for a browser.
    "api:push_subscribe":   post_only((401,    201,     201,     403,     403,     403),
                                      data=SUBSCRIPTION, json=True),
    "api:push_unsubscribe": post_only((401,    200,     200,     403,     403,     403),
                                      data={"endpoint": "https://push.example.net/{role_number}"},
                                      json=True),
    "messaging:thread":     Row(get=(LOGIN,    200,     200,     404,     404,     404),
                                post=(LOGIN,   MESSAGES, 404,    404,     404,     404),
                                data={"body": "Hello"}),
    "clinic:messages":      Row(get=(LOGIN,    404,     404,     200,     404,     404),
                                post=(LOGIN,   404,     404,     THREAD,  404,     404),
                                data={"body": "Hello"}),
    "api:patients":         Row(get=(401,      403,     403,     200,     200,     403)),
    "api:patient_sessions": Row(get=(401,      404,     404,     200,     404,     404)),
    "api:patient_adherence": Row(get=(401,     404,     404,     200,     404,     404)),
    # The clinic portal: patient pages for Alice's clinicians only, people pages by role.
    # Patient pages are GET-only (405 to a POST); the builder wants one of its buttons (400).
    "clinic:dashboard":     Row(get=(LOGIN,    404,     404,     200,     200,     200)),
    "clinic:patient":       Row(get=(LOGIN,    404,     404,     200,     404,     404),
                                post=(LOGIN,   405,     405,     405,     405,     405)),
    # Closing the loop: Alice has no reason to call and no lock, so Bob is sent back.
    "clinic:dealt_with":    Row(get=(LOGIN,    404,     404,     CLINIC,  404,     404),
                                post=(LOGIN,   404,     404,     CLINIC,  404,     404),
                                data={"note": "Called"}),
    "clinic:clear_red_flag": post_only((LOGIN, 404,     404,     PATIENT, 404,     404),
                                data={"checked": "on"}),
    "clinic:camera_switch": post_only((LOGIN, 404,     404,     PATIENT, 404,     404),
                                data={"camera_waits_for_position": "on"}),
    "clinic:routine":       Row(get=(LOGIN,    404,     404,     200,     404,     404),
                                post=(LOGIN,   404,     404,     400,     404,     404)),
    "clinic:routine_history": Row(get=(LOGIN,  404,     404,     200,     404,     404),
                                post=(LOGIN,   405,     405,     405,     405,     405)),
    "clinic:handout":       Row(get=(LOGIN,    404,     404,     200,     404,     404),
                                post=(LOGIN,   405,     405,     405,     405,     405)),
    "clinic:report":        Row(get=(LOGIN,    404,     404,     200,     404,     404),
                                post=(LOGIN,   405,     405,     405,     405,     405)),
    # Progression: settings and answers to proposals for Alice's clinicians; Alice's "OK".
    "clinic:progression":    Row(get=(LOGIN,    404,     404,     200,     404,     404),
                                post=(LOGIN,   404,     404,     400,     404,     404)),
    "clinic:progression_decide":      post_only((LOGIN,  404,     404,     400,     404,     404)),
    "outcomes:notice_seen": post_only((LOGIN,  TODAY,   SCREEN,  CLINIC,  CLINIC,  CLINIC)),
    "clinic:my_handout":    Row(get=(LOGIN,    200,     SCREEN,  CLINIC,  CLINIC,  CLINIC)),
    "clinic:invitations":   Row(get=(LOGIN,    404,     404,     200,     200,     404),
                                post=(LOGIN,   404,     404,     INVITES, 404,     404),
                                data={"clinic": "{clinic_id}", "email": "new@example.org"}),
    "clinic:invitation_qr": Row(get=(LOGIN,    404,     404,     200,     404,     404)),
    "clinic:invitation_revoke": post_only((LOGIN, 404,  404,     INVITES, 404,     404)),
    "clinic:members":       Row(get=(LOGIN,    404,     404,     404,     404,     200),
                                post=(LOGIN,   404,     404,     404,     404,     MEMBERS),
                                data={"email": "new@example.org", "kind": "clinic_admin"}),
    "clinic:member_remove": post_only((LOGIN,  404,     404,     404,     404,     MEMBERS)),
    "clinic:audit":         Row(get=(LOGIN,    404,     404,     404,     404,     200)),
    # Reminders: the settings page is the patient's own (an empty POST shows the form's errors).
    # The feed and unsubscribe links carry their own secret (Alice's): anyone holding one may
    # use it, no log-in needed, as calendar apps and mail clients must.
    "reminders:settings":   Row(get=(LOGIN,    200,     SCREEN,  CLINIC,  CLINIC,  CLINIC),
                                post=(LOGIN,   200,     SCREEN,  CLINIC,  CLINIC,  CLINIC)),
    "reminders:revoke_feed": post_only((LOGIN, REMINDERS, SCREEN, CLINIC,  CLINIC,  CLINIC)),
    "reminders:feed":       Row(get=(200,      200,     200,     200,     200,     200)),
    "reminders:unsubscribe": Row(get=(200,     200,     200,     200,     200,     200)),
    # Check-ins: the patient's own weekly check-in (an empty POST is refused with 400) and
    # STarT Back answers (nothing asked: back to Today); only Alice's clinician may ask for it.
    "outcomes:peg":         Row(get=(LOGIN,    200,     SCREEN,  CLINIC,  CLINIC,  CLINIC),
                                post=(LOGIN,   400,     SCREEN,  CLINIC,  CLINIC,  CLINIC)),
    "outcomes:start_back":  Row(get=(LOGIN,    TODAY,   SCREEN,  CLINIC,  CLINIC,  CLINIC),
                                post=(LOGIN,   TODAY,   SCREEN,  CLINIC,  CLINIC,  CLINIC)),
    "clinic:request_start_back": post_only((LOGIN, 404, 404,   PATIENT, 404,     404)),
    # Public: the token is the credential, for the address it was sent to (pending@…) only:
    # anyone logged in with another address is refused with a page that says so.
    "clinic:accept":        Row(get=(200,      403,     403,     403,     403,     403)),
    # A patient's whole record: their own download and erasure (a wrong password deletes
    # nothing); one patient's record leaves the clinic only through its clinicians (Dana, an
    # admin who is not a clinician, sees no clinical data). The goodbye page is public.
    "records:my_export":    Row(get=(LOGIN,    200,     200,     404,     404,     404),
                                post=(LOGIN,   405,     405,     405,     405,     405)),
    "api:export":           Row(get=(401,      200,     200,     403,     403,     403)),
    "records:delete_account": Row(get=(LOGIN,  200,     200,     404,     404,     404),
                                post=(LOGIN,   422,     422,     404,     404,     404),
                                data={"password": "not-the-password"}),
    "records:erased":       Row(get=(200,      200,     200,     200,     200,     200)),
    "records:patient_export": Row(get=(LOGIN,  404,     404,     200,     404,     404),
                                post=(LOGIN,   405,     405,     405,     405,     405)),
    # Loading a prescription from a FHIR CarePlan: the patient's clinicians (Bob's empty POST
    # is refused with what to fix; nothing changes).
    "records:careplan_import": post_only((LOGIN, 404,   404,     422,     404,     404)),
    # The whole clinic's export: its admin's (Dana) alone, as the members and the audit log.
    "records:clinic_exports": Row(get=(LOGIN,  404,     404,     404,     404,     200),
                                post=(LOGIN,   404,     404,     404,     404,     EXPORTS)),
    "records:clinic_export_download": Row(get=(LOGIN, 404, 404,   404,     404,     200),
                                post=(LOGIN,   405,     405,     405,     405,     405)),
    "records:clinic_export_delete": post_only((LOGIN, 404, 404,   404,     404,     EXPORTS)),
}
# fmt: on


def walk(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += walk(entry, inner)
        else:
            name = entry.name or str(entry.pattern)
            found.append((f"{namespace}:{name}" if namespace else name, entry))
    return found


def project_urls() -> list[tuple[str, URLPattern]]:
    return [
        (name, pattern)
        for name, pattern in walk(get_resolver())
        if name.split(":")[0] not in EXCLUDED_NAMESPACES and name not in EXCLUDED_NAMES
    ]


URL_NAMES = sorted({name for name, _ in project_urls()})


@pytest.fixture
def cast(patient, other_patient, northside, bob, eve, dana):
    """The shared cast, each role's user, and a value for every id a URL takes."""
    pending = invite(northside, bob, "patient", "pending@example.org")
    users = {"alice": patient, "charlie": other_patient, "bob": bob, "eve": eve, "dana": dana}
    kwargs = {
        "clinic_id": northside.pk,
        "export_id": ready_export(northside, dana).pk,
        "patient_id": patient.pk,
        "invitation_id": pending.pk,
        "token": pending.token,
        "membership_id": Membership.objects.get(user=bob).pk,
        "version_id": patient.routines.get().current.pk,
        "token_id": create_token(patient, "Alice's phone")[0].pk,
        "feed_token": reminder_settings_for(patient).feed_token,
        "signed": unsubscribe_token(patient),
        "uidb64": urlsafe_base64_encode(force_bytes(patient.pk)),
        "started_at": (timezone.now() - timedelta(minutes=12)).isoformat(),
        "ended_at": timezone.now().isoformat(),
        "kind": "silent",
        "name": "icon-512.png",
        "slug": Exercise.objects.order_by("slug").values_list("slug", flat=True)[0],
    }
    return users, kwargs


def ready_export(clinic: Any, by: Any) -> ClinicExport:
    """A finished clinic export with its file (a tiny zip: only its access is tested here)."""
    export = ClinicExport.objects.create(
        clinic=clinic,
        requested_by=by,
        base_url="http://testserver",
        state="ready",
        size=22,
        expires_at=timezone.now() + timedelta(days=1),
    )
    with zipfile.ZipFile(path_of(export), "w"):
        pass
    return export


def url_for(name: str, kwargs: dict[str, Any]) -> str:
    pattern = dict(project_urls())[name]
    wanted = set(pattern.pattern.regex.groupindex)
    missing = wanted - kwargs.keys()
    assert not missing, f"{name}: give the cast fixture a value for {sorted(missing)}"
    return reverse(name, kwargs={key: kwargs[key] for key in wanted})


def fingerprint() -> list[Any]:
    """Every row the app stores (not sessions or log-in times): a refused POST changes none."""
    rows: list[Any] = []
    for label in (
        "accounts",
        "clinic",
        "routines",
        "practice",
        "safety",
        "checkins",
        "reminders",
        "messaging",
        "push",
        "records",
    ):
        for model in apps.get_app_config(label).get_models():
            values = model.objects.order_by("pk").values()
            rows.append(
                (
                    model.__name__,
                    [{k: v for k, v in row.items() if k != "last_login"} for row in values],
                )
            )
    return rows


def answer(response: Any) -> Any:
    """The response in the table's terms: a status code, or "→path" for a redirect."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(f"{reverse('login')}?next="):
        return LOGIN
    return "→" + location.split("#")[0].split("?")[0]


REFUSED = {400, 401, 403, 404, 405, 422, LOGIN}


def expect(expected: Any, kwargs: dict[str, Any]) -> Any:
    return expected.format(**kwargs) if isinstance(expected, str) else expected


@pytest.mark.parametrize("name", URL_NAMES)
def test_permission_matrix(cast, name):
    """One URL, every role in turn (each with its own client); all mismatches reported at once.

    Roles go in ROLES order on one database, so an allowed POST (e.g. Bob revoking) happens
    before later roles try; every role is refused or allowed by who they are, not by state.
    """
    if name not in TABLE:
        pytest.fail(f"{name} has no row in TABLE")
    users, kwargs = cast
    row = TABLE[name]
    url = url_for(name, kwargs)
    wrong = []
    for index, role in enumerate(ROLES):
        data = fill(row.data, {**kwargs, "role_number": index})
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        got = answer(client.get(url))
        if got != expect(row.get[index], kwargs):
            wrong.append(f"GET by {role}: expected {row.get[index]}, got {got}")
        if row.post is None:
            continue
        before = fingerprint()
        if row.json:
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        got = answer(response)
        if got != expect(row.post[index], kwargs):
            wrong.append(f"POST by {role}: expected {row.post[index]}, got {got}")
        elif got in REFUSED and fingerprint() != before:
            wrong.append(f"POST by {role} was refused ({got}) but changed stored data")
    assert not wrong, f"{name} ({url}):\n" + "\n".join(wrong)


def test_every_url_is_in_the_table():
    missing = [name for name in URL_NAMES if name not in TABLE]
    assert not missing, f"add these URLs to TABLE in tests/test_permissions.py: {missing}"


def test_every_row_of_the_table_has_an_answer_for_every_role():
    wrong = [
        name
        for name, row in TABLE.items()
        if len(row.get) != len(ROLES) or (row.post is not None and len(row.post) != len(ROLES))
    ]
    assert not wrong


def test_the_walk_finds_urls_from_every_area():
    names = set(URL_NAMES)
    assert {"home", "practice:today", "clinic:accept", "api:post_session"} <= names
    assert not any(name.startswith("admin:") for name in names)


VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist"


def test_every_page_is_valid_html(cast, tmp_path):
    """Every HTML page of the table, as each role that may see it, through the Nu HTML checker
    (the vnu-jar npm package; one Java run for all pages). Its errors fail the test."""
    java, jar = shutil.which("java"), VNU_JAR / "vnu.jar"
    if java is None or not jar.exists():
        pytest.fail(
            "needs Java and vnu-jar: apt-get install default-jre-headless; make install-dev"
        )
    users, kwargs = cast
    pages: dict[str, str] = {}
    for name, row in TABLE.items():
        url = url_for(name, kwargs)
        for index, role in enumerate(ROLES):
            if row.get[index] != 200:
                continue
            client = Client()
            if role != "anonymous":
                client.force_login(users[role])
            response = client.get(url)
            if response["Content-Type"].startswith("text/html"):
                page = tmp_path / f"{len(pages)}.html"
                page.write_bytes(response.content)
                pages[str(page)] = f"{url} as {role}"
    assert len(pages) > 40
    checked = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always", *pages],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(checked.stderr)["messages"]
    errors = sorted(
        {
            f"{pages.get(str(path), path)}: {m['message']} in {m.get('extract', '')!r}"
            for m in messages
            for path in [Path(m.get("url", "").removeprefix("file:"))]
        }
    )
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)


# --- Every read and change of a patient's record is in the audit log --------------------------
# Bob (Alice's clinician) may reach every URL that shows or changes a patient's record, so he
# requests each in turn; each one that lets him through must write at least one audit event. A
# URL staff can reach that shows no patient's record is named here with its reason; a new URL
# that is neither here nor audited fails ``test_every_patient_data_url_is_audited``.

NO_PATIENT_RECORD = {
    "home": "sends staff on to the portal",
    "healthz": "the server's state, no data",
    "library:list": "the exercise library, public",
    "library:detail": "one exercise, public",
    "safety:help": "when to get help: public words",
    "practice:service-worker": "a script, no data",
    "practice:manifest": "the app's manifest, no data",
    "practice:picture": "an icon",
    "practice:apple-touch-icon": "an icon",
    "accounts:onboarding": "the staff member's own welcome page",
    "accounts:profile": "the staff member's own account",
    "accounts:language": "the staff member's own language",
    "api:list_sessions": "the staff member's own sessions (none)",
    "api:post_session": "the same URL: the staff member's own sessions",
    "reminders:feed": "Alice's own calendar feed, opened with her secret, not as staff",
    "reminders:unsubscribe": "Alice's own unsubscribe link, opened with her secret",
    "clinic:invitations": "invitations: the ones made are audited as created; no record shown",
    "clinic:invitation_qr": "the link of an invitation as a picture",
    "clinic:invitation_revoke": "audited as a change of the clinic, names no patient record",
    "clinic:accept": "joining a clinic: audited when someone joins (tests/clinic)",
    "password_change": "the staff member's own password",
    "password_reset": "asking for a new password: anyone, no record shown",
    "password_reset_done": "says a link was sent",
    "password_reset_confirm": "a reset link: the person's own account",
    "password_reset_complete": "says the password was set",
    "accounts:signup_sent": "says to check the e-mail",
    "accounts:verify": "confirming one's own address",
    "accounts:verify_send": "sending one's own confirmation link again",
    "records:erased": "the goodbye page after deleting one's own account: public",
    "accounts:recovery_codes": "the staff member's own recovery codes",
    "accounts:email_link_sent": "says to check the e-mail",
}

# POSTs that do their job (the table's data is refused as incomplete for some).
AUDITED_POSTS: dict[str, dict[str, Any]] = {
    "clinic:routine": {"action": "start", "start_from": "patient:{patient_id}"},
    "clinic:progression": {"mode": "propose", "sessions_needed": "3"},
    "clinic:progression_decide": {"proposal": "{proposal_id}", "decision": "decline"},
    "clinic:dealt_with": {"note": "Called"},
}


def _staff_reaches(name: str) -> bool:
    """Whether the table lets Bob through to ``name`` by GET or POST (bad input aside): not
    refused, and not sent on where every clinician is (a patient's own page sends staff to
    the clinic, Alice's clinician or not)."""
    row = TABLE[name]
    turned_away = REFUSED - {400} | {LOGIN, HOME, TODAY, SCREEN}
    bob, eve = ROLES.index("bob"), ROLES.index("eve")
    answers = [] if row.post_only else [(row.get[bob], row.get[eve])]
    if row.post is not None:
        answers.append((row.post[bob], row.post[eve]))
    return any(
        his not in turned_away and not (isinstance(his, str) and his == hers)
        for his, hers in answers
    )


def _with_something_to_act_on(patient: Any, bob: Any) -> dict[str, Any]:
    """Alice with a pain jump to mark dealt with, a red-flag lock to clear and a proposal to
    decide, so that every clinical change has something to change."""
    from backstretch.outcomes.models import ProgressionProposal
    from backstretch.safety.models import RedFlagScreen
    from backstretch.safety.redflags import QUESTION_KEYS
    from tests.sessions import practise

    practise(patient, ended=timezone.now() - timedelta(minutes=1), pain_before=2, pain_after=9)
    RedFlagScreen.objects.create(
        user=patient,
        answers={**dict.fromkeys(QUESTION_KEYS, False), QUESTION_KEYS[0]: True},
        urgency="prompt",
    )
    routine = patient.routines.get()
    proposal = ProgressionProposal.objects.create(
        routine=routine,
        based_on=routine.current,
        direction="down",
        cause="hurt",
        reason="It hurt twice.",
    )
    return {"kind": "pain_jump", "proposal_id": proposal.pk}


def test_every_patient_data_url_is_audited(cast):
    from backstretch.clinic.models import AuditEvent

    users, kwargs = cast
    bob = users["bob"]
    kwargs = {**kwargs, **_with_something_to_act_on(users["alice"], bob), "role_number": 3}
    client = Client()
    client.force_login(bob)
    wrong, checked = [], 0
    for name in URL_NAMES:
        if name in NO_PATIENT_RECORD or not _staff_reaches(name):
            continue
        row = TABLE[name]
        url = url_for(name, kwargs)
        requests = [] if row.post_only else [("GET", None)]
        if row.post is not None and row.post[ROLES.index("bob")] != 405:
            requests.append(("POST", fill(AUDITED_POSTS.get(name, row.data), kwargs)))
        for method, data in requests:
            before = AuditEvent.objects.count()
            if method == "GET":
                response = client.get(url)
            elif row.json:
                response = client.post(url, data, content_type="application/json")
            else:
                response = client.post(url, data)
            got = answer(response)
            checked += 1
            if got in REFUSED:
                wrong.append(f"{method} {name}: refused ({got}); give it data in AUDITED_POSTS")
            elif AuditEvent.objects.filter(actor=bob).count() == before:
                wrong.append(f"{method} {name} ({url}) answered {got} and wrote no audit event")
    assert checked >= 15
    assert not wrong, "\n".join(wrong)


def test_the_dashboard_and_the_patient_list_name_how_many_patients_were_read(cast):
    from backstretch.clinic.models import AuditEvent

    users, _kwargs = cast
    client = Client()
    client.force_login(users["bob"])
    client.get(reverse("clinic:dashboard"))
    client.get(reverse("api:patients"))
    assert list(AuditEvent.objects.values_list("what", "patient", "clinic__name")) == [
        ("patient list (API): 1 patient", None, "Northside"),
        ("dashboard: 1 patient", None, "Northside"),
    ]


# --- Every word of every page goes through translation ------------------------------------------
# Each HTML page of the table, as each role that may see it, in a made-up language (tests/pseudo:
# every message and exercise word comes out as ⟦...⟧ with accented letters). Any visible text
# left unmarked was written in English somewhere translation does not reach.

# Words that are not ours to translate: the cast's names and clinics, the product's name, the
# languages' own names, the questionnaires' names, and what the cast typed.
NOT_TRANSLATED = {
    *("Alice", "Charlie", "Bob", "Eve", "Dana", "Northside", "Southside", "Backstretch"),
    *("English", "Español", "STarT", "Back", "PEG", "FHIR", "QR", "API", "UTC"),
    *("Alice's", "phone", "Hello", "Northside's"),
}


def test_every_page_goes_through_translation(cast, tmp_path, settings, monkeypatch):
    from backstretch.library.translations import exercise_text
    from backstretch.practice import tips
    from backstretch.routines import words
    from backstretch.routines.words import template_text
    from tests.pseudo import PSEUDO, build_catalogue, pseudo, pseudo_words, unmarked_text

    build_catalogue(tmp_path)
    # The data translations, made up too: exercises (in the database), templates and tips.
    book = {
        english: pseudo(english)
        for template in words._english().values()
        for value in template_text(template).values()
        for english in (value if isinstance(value, list) else [value])
    }
    monkeypatch.setattr(words, "_phrasebook", lambda language: book)
    monkeypatch.setattr(
        tips, "_tips_in", lambda language: {t.key: pseudo(t.text) for t in tips.shipped_tips()}
    )
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]
    for exercise in Exercise.objects.all():
        exercise.translations[PSEUDO] = pseudo_words(exercise_text(exercise.spec))
        exercise.save(update_fields=["translations"])
    users, kwargs = cast
    for user in users.values():
        user.language = PSEUDO
        user.save(update_fields=["language"])
    found: dict[str, list[str]] = {}
    for name, row in TABLE.items():
        url = url_for(name, kwargs)
        for index, role in enumerate(ROLES):
            if row.get[index] != 200:
                continue
            client = Client(HTTP_ACCEPT_LANGUAGE=PSEUDO)
            if role != "anonymous":
                client.force_login(users[role])
            response = client.get(url)
            if not response["Content-Type"].startswith("text/html"):
                continue
            for text in unmarked_text(response.content.decode(), NOT_TRANSLATED):
                found.setdefault(text, []).append(f"{url} as {role}")
    lines = [f"{text!r}  ({places[0]}, {len(places)} page(s))" for text, places in found.items()]
    assert not lines, f"{len(lines)} texts not translated:\n" + "\n".join(sorted(lines))
