"""The printables: a patient's routine handout and the progress report for the next visit."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backstretch.clinic.handout import weekday_words
from backstretch.clinic.models import AuditEvent
from backstretch.clinic.report import parse_days, version_schedule
from backstretch.messaging import services as messaging
from backstretch.outcomes.services import answer_start_back, record_peg, request_start_back
from backstretch.practice.stats import planned_days
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine, save_version
from backstretch.safety.models import RedFlagScreen
from backstretch.safety.redflags import QUESTION_KEYS
from tests.sessions import hurt_report, practise

# Reports count days up to today: Django's clock is stopped at noon on a Wednesday.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

NOTE = "Keep the movement small on a stiff morning."


@pytest.fixture
def fewer_days(bob, patient):
    """Bob treats Alice at Northside and gave her routine a note and fewer days (version 2),
    four weeks ago (sessions on it may be from any day since)."""
    routine = active_routine(patient)
    assert routine is not None
    items = [dict(item) for item in routine.current.items]
    items[2]["note"] = NOTE
    version = save_version(
        routine, items, days=[0, 2, 4], times_per_day=2, reason="Fewer days", created_by=bob
    )
    RoutineVersion.objects.filter(pk=version.pk).update(
        created_at=timezone.now() - timedelta(days=27)
    )


def handout_url(patient):
    return reverse("clinic:handout", args=[patient.pk])


def report_url(patient):
    return reverse("clinic:report", args=[patient.pk])


@pytest.mark.parametrize("name", ["clinic:handout", "clinic:report"])
def test_the_patients_clinician_may_open_both(client, fewer_days, bob, patient, name):
    client.force_login(bob)
    assert client.get(reverse(name, args=[patient.pk])).status_code == 200


@pytest.mark.parametrize("name", ["clinic:handout", "clinic:report"])
@pytest.mark.parametrize("who", ["eve", "dana", "alice"])
def test_anyone_else_gets_404(client, fewer_days, patient, dana, eve, name, who):
    client.force_login({"eve": eve, "dana": dana, "alice": patient}[who])
    assert client.get(reverse(name, args=[patient.pk])).status_code == 404


@pytest.mark.parametrize("name", ["clinic:handout", "clinic:report"])
def test_an_unknown_patient_is_404_too(client, fewer_days, bob, name):
    client.force_login(bob)
    assert client.get(reverse(name, args=[999_999])).status_code == 404


@pytest.mark.parametrize("name", ["clinic:handout", "clinic:report", "clinic:my_handout"])
def test_anonymous_visitors_are_sent_to_log_in(client, fewer_days, patient, name):
    url = reverse(name) if name == "clinic:my_handout" else reverse(name, args=[patient.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_handout_shows_every_exercise_the_note_the_qr_code_and_the_stop_box(
    client, fewer_days, bob, patient
):
    client.force_login(bob)
    response = client.get(handout_url(patient))
    page = response.content.decode()
    for name in ("Rotation stretch", "Child", "Hamstring stretch", "Hip flexor stretch"):
        assert name in page
    assert NOTE in page
    assert "Northside" in page and bob.name in page and "Alice" in page
    assert "Monday, Wednesday and Friday, twice a day" in page
    assert "Hold 10 seconds, 5 times, each leg in turn" in page
    assert 'class="qr"' in page and "<svg" in page
    assert "http://testserver/today/" in page
    assert "Stop and get help if" in page
    assert 'data-frame="end"' in page and "<animate" not in page  # still figures on paper
    assert "data-print" in page  # the Print button (js/enhance.js)
    assert AuditEvent.objects.filter(
        actor=bob, patient=patient, action="print", what="handout"
    ).exists()


def test_a_patient_prints_their_own_handout(client, fewer_days, patient):
    client.force_login(patient)
    page = client.get(reverse("clinic:my_handout")).content.decode()
    assert "Hamstring stretch" in page and NOTE in page and 'class="qr"' in page


def test_the_own_handout_is_behind_the_practice_gate(client, other_patient):
    client.force_login(other_patient)  # self-guided, red-flag screen not answered yet
    response = client.get(reverse("clinic:my_handout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:screen")


def test_a_patient_without_a_routine_sees_a_clear_message(client, fewer_days, bob, patient):
    patient.routines.update(is_active=False)
    client.force_login(bob)
    page = client.get(handout_url(patient)).content.decode()
    assert "There is no routine to print yet." in page


HAMSTRING_HURT = hurt_report("hamstring-stretch", "lot", side="left", action="skip")


def _session(patient, days_ago, before, after, hurt=False):
    """Six minutes, ``days_ago`` days before now; the hamstring stretch hurt (a lot) if asked."""
    return practise(
        patient,
        ended=timezone.now() - timedelta(days=days_ago, minutes=4),
        minutes=6,
        pain_before=before,
        pain_after=after,
        hurt_reports=[HAMSTRING_HURT] if hurt else [],
    )


def test_the_report_counts_practice_pain_hurts_flags_and_changes(client, fewer_days, bob, patient):
    for days_ago, before in ((26, 6), (24, 6), (3, 3), (1, 2)):
        _session(patient, days_ago, before, before - 1, hurt=days_ago == 3)
    answers = dict.fromkeys(QUESTION_KEYS, False) | {"night_pain": True}
    RedFlagScreen.objects.create(user=patient, answers=answers, urgency="prompt")
    client.force_login(bob)
    response = client.get(report_url(patient))
    page = response.content.decode()
    assert "the last 28 days" in page
    assert ">4</dd>" in page  # four sessions
    assert ">24</dd>" in page  # six minutes each
    assert "Hamstring stretch" in page and "a lot" in page
    assert "bad pain at night" in page
    assert "Fewer days" in page and "v2" in page
    assert "pain-chart__svg" in page
    assert "averaged 6.0 in the first week and 2.5 in the last week" in page
    assert "Better, by a change people notice" in page


@pytest.mark.parametrize("raw", ["3", "366", "soon", "-7", "28.5"])
def test_a_bad_period_says_what_is_allowed_and_shows_the_default(
    client, fewer_days, bob, patient, raw
):
    client.force_login(bob)
    response = client.get(report_url(patient), {"days": raw})
    assert response.status_code == 400
    page = response.content.decode()
    assert "choose a whole number of days from 7 to 365" in page
    assert "the last 28 days" in page


def test_a_good_period_is_used(client, fewer_days, bob, patient):
    client.force_login(bob)
    page = client.get(report_url(patient), {"days": "7"}).content.decode()
    assert "the last 7 days" in page and 'role="alert"' not in page


def test_parse_days_bounds():
    assert parse_days(None) == (28, "")
    assert parse_days("7") == (7, "")
    assert parse_days("365") == (365, "")
    assert parse_days("6")[1] and parse_days("366")[1]


def test_weekday_words():
    assert weekday_words([0, 1, 2, 3, 4, 5, 6]) == "Every day"
    assert weekday_words([0, 1, 2, 3, 4]) == "Monday to Friday"
    assert weekday_words([1]) == "Tuesday"


def test_planned_days_follow_the_version_in_force(fewer_days, patient):
    from zoneinfo import ZoneInfo

    versions = list(active_routine(patient).versions.order_by("number"))
    today = timezone.now().date()
    schedule = version_schedule(versions, ZoneInfo("UTC"))
    planned = set(planned_days(schedule, today - timedelta(days=40), today))
    # Version 1 (every day) until version 2 (Monday, Wednesday, Friday) 27 days ago.
    changed = today - timedelta(days=27)
    every_day = {today - timedelta(days=n) for n in range(41)}
    assert planned == {day for day in every_day if day < changed or day.weekday() in (0, 2, 4)}


def test_long_lists_show_the_latest_entries_and_say_how_many_are_left_out(
    client, fewer_days, bob, patient
):
    for days_ago in range(12, 0, -1):
        _session(patient, days_ago, 4, 3, hurt=True)
    client.force_login(bob)
    page = client.get(report_url(patient)).content.decode()
    hurts = page[page.index('id="report-hurts"') : page.index('id="report-flags"')]
    assert hurts.count("<td>Hamstring stretch") == 10
    assert "and 2 earlier ones, not shown" in page


def test_the_report_does_not_count_today_as_missed_before_it_is_done(
    client, fewer_days, bob, patient
):
    routine = active_routine(patient)
    save_version(routine, [dict(i) for i in routine.current.items], days=list(range(7)))
    # All three versions saved just before the first session, five days ago: nothing was
    # planned before it.
    for version in routine.versions.all():
        RoutineVersion.objects.filter(pk=version.pk).update(
            created_at=timezone.now() - timedelta(days=5, minutes=12 - version.number)
        )
    for days_ago in (5, 4, 3, 2, 1):
        _session(patient, days_ago, 4, 3)
    client.force_login(bob)
    page = client.get(report_url(patient)).content.decode()
    assert "5 of 5" in page and "100 %" in page
    _session(patient, 0, 4, 3)
    page = client.get(report_url(patient)).content.decode()
    assert "6 of 6" in page and "100 %" in page


def _section(page, heading_id):
    """The report's section under the heading with ``heading_id``, as text without tags."""
    start = page.index(f'id="{heading_id}"')
    html = page[start : page.index("</section>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_report_reads_the_weekly_check_ins_for_a_change_people_notice(
    client, fewer_days, bob, patient
):
    today = patient.today()
    for weeks_ago, pain in ((3, 7), (2, 6), (1, 5), (0, 4)):
        record_peg(
            patient, today - timedelta(weeks=weeks_ago), pain=pain, enjoyment=pain, activity=pain
        )
    client.force_login(bob)
    page = client.get(report_url(patient)).content.decode()
    peg = _section(page, "report-peg")
    assert "Weekly check-in score 7.0" in peg and "latest 4.0" in peg
    assert "Better, by a change people notice" in peg
    # A week's period holds only the last check-in: no reading from one point.
    peg = _section(client.get(report_url(patient), {"days": "7"}).content.decode(), "report-peg")
    assert "latest" not in peg and "change" not in peg
    # 5.0 to 4.0 in the last two weeks: lower, but not a change people notice.
    peg = _section(client.get(report_url(patient), {"days": "14"}).content.decode(), "report-peg")
    assert "Lower, but by less than people usually notice" in peg


def test_the_report_gives_the_start_back_group_or_says_it_was_not_asked(
    client, fewer_days, bob, patient
):
    client.force_login(bob)
    assert "Not asked yet" in _section(
        client.get(report_url(patient)).content.decode(), "report-start-back"
    )
    asked, _ = request_start_back(patient, bob)
    assert "not answered yet" in _section(
        client.get(report_url(patient)).content.decode(), "report-start-back"
    )
    answer_start_back(asked, [1, 1, 0, 0, 1, 1, 1, 1, 4])
    text = _section(client.get(report_url(patient)).content.decode(), "report-start-back")
    assert "High" in text and "overall 7 of 9, distress 5 of 5" in text


def test_the_report_shows_the_routine_as_prescribed_now(client, fewer_days, bob, patient):
    client.force_login(bob)
    text = _section(client.get(report_url(patient)).content.decode(), "report-routine")
    assert "Daily four v2: Monday, Wednesday and Friday, twice a day." in text
    assert "Hamstring stretch · On the floor · Hold 10 seconds" in text
    assert f"Note for the patient: {NOTE}" in text


def test_the_report_quotes_notes_and_messages_of_the_period_from_this_clinic_only(
    client, fewer_days, bob, eve, patient
):
    first = active_routine(patient).versions.get(number=1)  # in force 40 days ago
    practise(
        patient,
        ended=timezone.now() - timedelta(days=40),
        note="An old note, long ago",
        routine_version=first.pk,
    )
    practise(
        patient,
        ended=timezone.now() - timedelta(days=2),
        note="Stiff after the drive",
        hurt_reports=[HAMSTRING_HURT],
    )
    thread = messaging.thread_of(patient, bob.memberships.get().clinic_id)
    messaging.send(thread, patient, "Should I keep going with the hip stretch?")
    messaging.send(thread, bob, "Yes, gently, and stop if it pinches.")
    other = messaging.thread_of(patient, eve.memberships.get().clinic_id)
    messaging.send(other, eve, "A message from another clinic")
    client.force_login(bob)
    text = _section(client.get(report_url(patient)).content.decode(), "report-said")
    assert "session note: Stiff after the drive" in text and text.count("Stiff after") == 1
    assert "from the patient: Should I keep going with the hip stretch?" in text
    assert f"from {bob.name}: Yes, gently, and stop if it pinches." in text
    assert text.index("Stiff after") < text.index("Should I") < text.index("Yes, gently")
    assert "long ago" not in text and "another clinic" not in text
    assert "hurts" not in text  # "this hurts" reports have their own table
