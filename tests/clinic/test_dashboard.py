import json
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from backstretch import access
from backstretch.accounts.models import PatientProfile
from backstretch.clinic import dashboard, standing
from backstretch.clinic.models import AuditEvent
from backstretch.core.idle import IS_STAFF, LAST_SEEN
from backstretch.routines.models import Routine
from backstretch.settings import cache_config
from tests.cast import make_patient
from tests.sessions import SESSIONS_URL, hurt_report, practise, session_body, sharp_hurt_on_latest

pytestmark = pytest.mark.django_db

DASHBOARD = "/clinic/"


def add_patient(clinic, clinician, email, name):
    """One more of the clinician's patients, on the daily-four routine for two months."""
    user = make_patient(email, "a-password-123", name, clinic=clinic, clinician=clinician)
    two_months_in(user)
    return user


def two_months_in(user):
    Routine.objects.filter(patient=user).update(created_at=timezone.now() - timedelta(days=60))


def stopped_hurting(severity):
    """The session stopped on "this hurts" in child's pose, with numbness."""
    report = hurt_report("childs-pose", severity, numbness=True, action="stop")
    return {"hurt_reports": [report], "completed": False}


@pytest.fixture
def three_patients(northside, bob, patient):
    """Bob's patients at Northside, all on their routine for two months: Alice reported
    'this hurts' (a lot) yesterday; Sam has been silent for 4 days; Olive practises every day
    and her pain falls."""
    two_months_in(patient)
    sam = add_patient(northside, bob, "sam@example.org", "Sam Silent")
    olive = add_patient(northside, bob, "olive@example.org", "Olive Steady")
    for n in range(1, 29):
        practise(olive, days_ago=n, pain_before=6, pain_after=4)
    for n in range(4, 20, 2):
        practise(sam, days_ago=n)
    for n in (2, 3, 4, 5, 6):
        practise(patient, days_ago=n)
    steps = [
        {
            "index": 3,
            "kind": "hold",
            "exercise": "childs-pose",
            "position": "floor",
            "rep": 1,
            "result": "done",
        },
        {
            "index": 5,
            "kind": "hold",
            "exercise": "childs-pose",
            "position": "floor",
            "rep": 2,
            "result": "skipped",
        },
        {
            "index": 7,
            "kind": "hold",
            "exercise": "childs-pose",
            "position": "floor",
            "rep": 3,
            "result": "hurt",
            "hurt_severity": "lot",
        },
    ]
    practise(
        patient, days_ago=1, pain_before=4, pain_after=6, steps=steps, **stopped_hurting("lot")
    )
    return patient, sam, olive


def names_in(section_html):
    return [n for n in ("Alice", "Sam Silent", "Olive Steady", "Zoe Steady") if n in section_html]


def patient_groups(body):
    """The page from the patient groups on (past the list of unread messages above them)."""
    return '<section class="patient-group' + body.split('<section class="patient-group', 1)[1]


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_patients_and_other_people_get_404(client, bob, patient):
    client.force_login(patient)
    assert client.get(DASHBOARD).status_code == 404


def test_a_clinic_admin_who_is_not_a_clinician_sees_no_clinical_data(client, three_patients, dana):
    client.force_login(dana)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "no clinical data" in body
    assert names_in(body) == []


def test_needs_a_call_on_top_in_order_then_on_track(client, three_patients, bob):
    client.force_login(bob)
    response = client.get(DASHBOARD)
    body = response.content.decode()
    needs, on_track = body.split('id="track-title"')
    assert names_in(needs) == ["Alice", "Sam Silent"]
    assert body.index("Alice") < body.index("Sam Silent") < body.index("Olive Steady")
    assert names_in(on_track) == ["Olive Steady"]
    assert "Reported “this hurts” (a lot) yesterday" in body
    assert "No session for 4 days" in body
    assert 'class="reason reason--urgent"' in body and "reason__icon" in body


def test_rows_show_adherence_sparkline_and_last_session(client, three_patients, bob):
    client.force_login(bob)
    rows = {row.profile.user.name: row for row in client.get(DASHBOARD).context["needs_call"]}
    rows.update({row.profile.user.name: row for row in client.get(DASHBOARD).context["on_track"]})
    olive, sam, alice = rows["Olive Steady"], rows["Sam Silent"], rows["Alice"]
    assert (olive.adherence_7, olive.adherence_28) == (
        100,
        100,
    )  # the 28 days before today, all done
    assert alice.adherence_7 == round(100 * 6 / 7)
    assert sam.adherence_7 == round(100 * 2 / 7)  # 4 and 6 days ago
    assert sam.last_session == "4 days ago" and olive.last_session == "Yesterday"
    assert 'class="sparkline"' in olive.spark and 'aria-label="Pain after sessions' in olive.spark
    assert "4 at first, 4 lately" in olive.spark


def test_search_by_name(client, three_patients, bob):
    client.force_login(bob)
    body = patient_groups(client.get(DASHBOARD, {"q": "oliv"}).content.decode())
    assert names_in(body) == ["Olive Steady"]


FIRST_VISIT_QUERIES = 39
LATER_VISIT_QUERIES = 25


def test_queries_stay_bounded_for_thirty_patients(
    client, northside, bob, django_assert_max_num_queries
):
    for i in range(30):
        user = add_patient(northside, bob, f"p{i}@example.org", f"Patient {i}")
        for n in range(1, 10, 1 + i % 3):
            hurt = stopped_hurting("little") if n == 1 and i % 5 == 0 else {}
            practise(user, days_ago=n, **hurt)
    client.force_login(bob)
    # Bob has been here a moment ago: the idle check (backstretch/core/idle.py) already knows
    # he is staff and has nothing to write. Its first request costs one lookup and a write.
    session = client.session
    session.update({IS_STAFF: True, LAST_SEEN: time.time()})
    session.save()
    # A fixed number whatever the caseload: one query per kind of fact (sessions, hurts,
    # screens, re-checks, check-ins, dealt-with marks, routines, unread messages, patients who
    # deleted their account…) and one audit entry per clinic listed, never one per patient;
    # plus the authenticator that verified Bob's session (django-otp's middleware looks it up
    # on each request). The first visit also triages everyone into their standing
    # (clinic.standing), in batches.
    with django_assert_max_num_queries(FIRST_VISIT_QUERIES):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["calls"].total + response.context["track"].total == 31
    calls, track = response.context["calls"], response.context["track"]
    assert len(response.context["needs_call"]) == min(calls.total, standing.NEEDS_PAGE)
    assert len(response.context["on_track"]) == min(track.total, standing.ON_TRACK_PAGE)
    # Later visits read the standing and build only the rows shown.
    with django_assert_max_num_queries(LATER_VISIT_QUERIES):
        assert client.get(DASHBOARD).status_code == 200


def test_a_long_on_track_list_is_cut_with_a_link_to_everyone(
    client, three_patients, northside, bob, monkeypatch
):
    monkeypatch.setattr("backstretch.clinic.standing.ON_TRACK_PAGE", 1)
    steady = add_patient(northside, bob, "zoe@example.org", "Zoe Steady")
    for days_ago in range(1, 29):
        practise(steady, days_ago=days_ago, pain_before=4, pain_after=4)
    client.force_login(bob)
    body = client.get(DASHBOARD).content.decode()
    assert names_in(body.split('id="track-title"')[1]) == ["Olive Steady"]
    assert "Next page (1 more)" in body
    assert "Page 1 of 2" in body
    assert 'patient-group__count">2<' in body  # the count is of everyone on track
    second = client.get(DASHBOARD, {"page": "2"}).content.decode()
    assert names_in(second.split('id="track-title"')[1]) == ["Zoe Steady"]
    assert "more)" not in second.split('id="track-title"')[1]
    assert 'href="?page=1" rel="prev"' in second
    # The other group keeps its first page, most urgent first.
    assert names_in(body.split('id="track-title"')[0]) == ["Alice", "Sam Silent"]
    assert names_in(second.split('id="track-title"')[0]) == ["Alice", "Sam Silent"]
    # A page number out of range or not a number shows the nearest page.
    for wrong in ("99", "x", "-1", "0"):
        page = client.get(DASHBOARD, {"page": wrong})
        assert page.status_code == 200
        assert names_in(page.content.decode().split('id="track-title"')[1]) in (
            ["Olive Steady"],
            ["Zoe Steady"],
        )


def test_the_most_urgent_come_first_and_the_rest_of_those_to_call_are_a_page_away(
    client, three_patients, bob, monkeypatch
):
    monkeypatch.setattr("backstretch.clinic.standing.NEEDS_PAGE", 1)
    client.force_login(bob)
    first = patient_groups(client.get(DASHBOARD).content.decode()).split('id="track-title"')[0]
    assert names_in(first) == ["Alice"]  # "this hurts" (a lot) outranks 4 days of silence
    assert 'patient-group__count">2<' in first
    second = patient_groups(client.get(DASHBOARD, {"calls": "2"}).content.decode())
    assert names_in(second.split('id="track-title"')[0]) == ["Sam Silent"]
    assert names_in(second.split('id="track-title"')[1]) == ["Olive Steady"]


def test_the_head_counts_everyone_on_track_not_only_those_shown(
    client, three_patients, northside, bob, monkeypatch
):
    monkeypatch.setattr("backstretch.clinic.standing.ON_TRACK_PAGE", 1)
    steady = add_patient(northside, bob, "zoe@example.org", "Zoe Steady")
    for days_ago in range(1, 29):
        practise(steady, days_ago=days_ago, pain_before=4, pain_after=4)
    client.force_login(bob)
    body = client.get(DASHBOARD).content.decode()
    assert "2 need a call · 2 on track" in body


# --- rows kept between pages stay true --------------------------------------------------------


@pytest.fixture(params=["memory", "file", "redis"])
def row_cache(request, tmp_path, settings):
    """The cache of each process (the default), a file cache several processes share, or a
    Redis server several servers share."""
    if request.param == "file":
        settings.CACHES = {**settings.CACHES, "default": cache_config(f"file://{tmp_path}")}
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


def test_a_session_saved_by_the_patient_shows_on_the_next_dashboard_at_once(
    frozen_now, client, three_patients, bob, row_cache, tmp_path, request
):
    """Sam, silent for 4 days, does a session through the app: the very next dashboard has
    him on track (rows kept in the cache from the first page are not reused for new facts)."""
    _, sam, _ = three_patients
    client.force_login(bob)
    before = client.get(DASHBOARD).content.decode()
    needs = before.split('id="track-title"')[0]
    assert "Sam Silent" in needs and "No session for 4 days" in needs
    if row_cache == "file":
        assert any(tmp_path.iterdir())  # the rows went to the shared directory
    if row_cache == "redis":
        assert request.getfixturevalue("redis_cache").keys()  # and here to the shared server
    client.force_login(sam)
    body = session_body(sam, minutes=9, pain_before=5, pain_after=2)
    saved = client.post(SESSIONS_URL, json.dumps(body), content_type="application/json")
    assert saved.status_code == 201
    client.force_login(bob)
    response = client.get(DASHBOARD)
    after = response.content.decode()
    needs, on_track = after.split('id="track-title"')
    assert "Sam Silent" not in needs
    assert "Sam Silent" in on_track
    sam_row = next(r for r in response.context["on_track"] if r.profile.user == sam)
    assert sam_row.last_session == "Today"
    assert "2 lately" in sam_row.spark  # today's pain after the session ends the line


def test_rows_kept_between_pages_equal_rows_built_from_scratch(client, three_patients, bob):
    profiles = list(access.patients_for_clinician(bob).select_related("user"))
    cache.clear()
    fresh = dashboard.dashboard_rows(profiles)
    kept = dashboard.dashboard_rows(profiles)  # every row now comes from the memo
    assert [[r.html for r in part] for part in kept[:2]] == [
        [r.html for r in part] for part in fresh[:2]
    ]
    assert [[r.profile for r in part] for part in kept[:2]] == [
        [r.profile for r in part] for part in fresh[:2]
    ]
    # A "this hurts" report on its own (no new session) changes Olive's row too.
    _, _, olive = three_patients
    sharp_hurt_on_latest(olive)
    needs, _on_track = dashboard.dashboard_rows(profiles)
    olive_row = next(r for r in needs if r.profile.user == olive)
    assert "Reported “this hurts” (sharp or shooting)" in olive_row.html


def test_the_clinic_link_shows_for_clinic_people_only(client, bob, dana, patient):
    link = f'href="{DASHBOARD}"'
    client.force_login(patient)
    assert link not in client.get("/library/").content.decode()
    for person in (bob, dana):
        client.force_login(person)
        assert link in client.get("/library/").content.decode()


# --- one patient's page -------------------------------------------------------------------


def patient_url(user):
    return reverse("clinic:patient", args=[user.pk])


def test_patient_page_shows_reasons_steps_hurts_and_routine(client, three_patients, bob):
    alice = three_patients[0]
    PatientProfile.objects.filter(user=alice).update(preferred_position="floor")
    client.force_login(bob)
    response = client.get(patient_url(alice))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Reported “this hurts” (a lot) yesterday" in body
    assert f"{alice.email} · Prefers the floor" in body  # the clinician's words, not the patient's
    assert "<details" in body
    assert "Repetition 1: done" in body
    assert "Repetition 2: skipped" in body
    assert "Repetition 3: hurt" in body
    assert "Child" in body  # the exercise's name from the library, not its slug
    assert "stopped the session" in body and "a lot" in body
    assert 'class="heatmap"' in body and "pain-chart__svg" in body
    assert "Daily four" in body or "version 1" in body
    assert f'href="/clinic/patients/{alice.pk}/routine/"' in body


def test_viewing_a_patient_is_audited(client, three_patients, northside, bob):
    alice = three_patients[0]
    client.force_login(bob)
    client.get(patient_url(alice))
    event = AuditEvent.objects.get()
    assert (event.clinic, event.actor, event.patient) == (northside, bob, alice)
    assert (event.action, event.what) == ("view", "patient page")


@pytest.mark.parametrize("who", ["eve", "dana", "alice"])
def test_others_get_404_on_the_patient_page(client, three_patients, dana, eve, who):
    alice = three_patients[0]
    client.force_login({"eve": eve, "dana": dana, "alice": alice}[who])
    assert client.get(patient_url(alice)).status_code == 404
    assert client.get(reverse("clinic:patient", args=[999_999])).status_code == 404
    assert not AuditEvent.objects.exists()


def test_anonymous_patient_page_redirects_to_log_in(client, three_patients):
    response = client.get(patient_url(three_patients[0]))
    assert response.status_code == 302


def test_the_sparkline_is_labelled_escaped_and_on_the_fixed_scale():
    from backstretch.clinic.sparkline import HEIGHT, PAD, icon_svg, sparkline_svg

    svg = sparkline_svg([(27, 0), (0, 10)], 28, 'Pain <"falls">')
    assert 'aria-label="Pain &lt;&quot;falls&quot;&gt;"' in svg
    assert f'points="{PAD},{PAD} ' in svg  # day 0 at pain 10: top left
    assert f'cy="{HEIGHT - PAD}"' in svg  # the last point, pain 0, on the baseline
    assert "<polyline" not in sparkline_svg([], 28, "none")
    assert 'aria-hidden="true"' in icon_svg("hurt")


def test_patient_page_with_two_sessions_a_day_one_without_pain_scores(client, three_patients, bob):
    """A day with a session that skipped the pain questions and one that answered them
    (seen on demo data: the page crashed comparing a missing score with a number)."""
    alice = three_patients[0]
    practise(alice, days_ago=2, pain_before=None, pain_after=None)
    practise(alice, days_ago=2, pain_before=6, pain_after=3)
    client.force_login(bob)
    response = client.get(patient_url(alice))
    assert response.status_code == 200
    assert "pain-chart__svg" in response.content.decode()


def test_red_flags_and_passed_review_dates_reach_the_dashboard_from_the_database(
    client, three_patients, bob
):
    from backstretch.routines.models import RoutineVersion
    from backstretch.safety.models import RedFlagScreen

    _, sam, olive = three_patients
    # Olive answered a red-flag question two days ago and then ticked "I have been cleared".
    screen = RedFlagScreen.objects.create(user=olive, answers={}, urgency="prompt")
    RedFlagScreen.objects.filter(pk=screen.pk).update(
        answered_at=timezone.now() - timedelta(days=2), cleared_at=timezone.now()
    )
    RoutineVersion.objects.filter(routine__patient=sam).update(
        review_date=sam.today() - timedelta(days=1)
    )
    client.force_login(bob)
    body = patient_groups(client.get(DASHBOARD).content.decode())
    needs, _ = body.split('id="track-title"')
    assert names_in(needs) == ["Alice", "Sam Silent", "Olive Steady"]
    assert body.index("Olive Steady") < body.index("Alice")  # a red flag outranks the rest
    assert "the patient says a clinician has cleared it" in needs
    due = sam.today() - timedelta(days=1)
    assert f"Review was due on {due.day} {due:%b}" in needs
