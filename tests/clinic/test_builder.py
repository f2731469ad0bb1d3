import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from backstretch.clinic import views_builder
from backstretch.clinic.models import AuditEvent
from backstretch.clinic.services import accept_invitation, invite
from backstretch.routines.models import ClinicTemplate, RoutineVersion
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


def item(exercise, position="floor", hold=10, reps=5, sides="none", rest=5, note=""):
    return {
        "exercise": exercise,
        "position": position,
        "hold_seconds": str(hold),
        "repetitions": str(reps),
        "sides": sides,
        "rest_seconds": str(rest),
        "note": note,
    }


def form_data(items, action="save", **schedule):
    data = {
        "action": action,
        "item_count": str(len(items)),
        "name": "Home programme",
        "days": ["0", "1", "2", "3", "4", "5", "6"],
        "times_per_day": "1",
        "review_date": "",
        "reason": "",
    }
    data.update(schedule)
    for index, values in enumerate(items):
        for key, value in values.items():
            data[f"item-{index}-{key}"] = value
    return data


def url(patient, name="clinic:routine"):
    return reverse(name, args=[patient.pk])


def drafted(response):
    """The exercise slugs of the draft as the page renders them, in order."""
    return re.findall(r'name="item-\d+-exercise" value="([^"]+)"', response.content.decode())


def test_bob_sees_alices_routine_in_the_builder(bob_client, patient):
    response = bob_client.get(url(patient))
    assert response.status_code == 200
    assert drafted(response) == [
        "rotation-stretch",
        "childs-pose",
        "hamstring-stretch",
        "hip-flexor-stretch",
    ]
    assert AuditEvent.objects.filter(patient=patient, action="view").exists()


def test_bob_saves_a_new_version_that_alices_player_uses(bob_client, bob, patient):
    items = [item("glute-bridge", hold=5, note="Squeeze gently."), item("childs-pose", "bed")]
    response = bob_client.post(
        url(patient), form_data(items, reason="Less pain", times_per_day="2")
    )
    assert response.status_code == 302
    version = active_routine(patient).current
    assert version.number == 2
    assert [i["exercise"] for i in version.items] == ["glute-bridge", "childs-pose"]
    assert version.items[0]["hold_seconds"] == 5
    assert version.items[0]["note"] == "Squeeze gently."
    assert version.items[1]["position"] == "bed"
    assert version.created_by == bob
    assert version.reason == "Less pain"
    assert version.times_per_day == 2
    timeline = compile_timeline(version.routine_items())
    assert "Squeeze gently." in " ".join(step.cue for step in timeline.steps)
    assert AuditEvent.objects.filter(patient=patient, action="change", what="routine v2").exists()
    page = bob_client.get(url(patient))
    assert "Saved version 2" in page.content.decode()


def test_a_patient_without_a_routine_gets_version_1(bob_client, patient):
    patient.routines.all().delete()
    response = bob_client.post(url(patient), form_data([item("pelvic-tilt")]))
    assert response.status_code == 302
    assert active_routine(patient).current.number == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            item("hamstring-stretch", hold=0),
            "Hamstring stretch: hold must be between 1 and 900 seconds — you entered 0",
        ),
        (
            item("hamstring-stretch", reps=500),
            "Hamstring stretch: repetitions must be between 1 and 50 — you entered 500",
        ),
        (item("no-such-stretch"), "“no-such-stretch” is not an exercise in the library."),
        (
            item("seated-forward-bend", position="bed"),
            "Seated forward bend cannot be done in the “bed” position.",
        ),
        (item("hamstring-stretch", note="x" * 301), "the note can be at most 300 characters"),
    ],
)
def test_invalid_items_are_explained_and_nothing_is_saved(bob_client, patient, values, message):
    before = RoutineVersion.objects.count()
    response = bob_client.post(url(patient), form_data([item("pelvic-tilt", hold=7), values]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert RoutineVersion.objects.count() == before
    # The draft keeps what the clinician typed.
    assert drafted(response) == ["pelvic-tilt", values["exercise"]]
    assert 'name="item-0-hold_seconds" value="7"' in response.content.decode()


def test_an_empty_routine_cannot_be_saved(bob_client, patient):
    response = bob_client.post(url(patient), form_data([]))
    assert "Add at least one exercise." in response.content.decode()
    assert active_routine(patient).current.number == 1


def test_a_schedule_without_days_is_refused(bob_client, patient):
    response = bob_client.post(url(patient), form_data([item("pelvic-tilt")], days=[]))
    assert "Choose at least one day." in response.content.decode()
    assert active_routine(patient).current.number == 1


def test_a_review_date_in_the_past_is_refused_and_the_rest_is_kept(bob_client, patient):
    yesterday = patient.today() - timedelta(days=1)
    draft = [item("pelvic-tilt", hold=12), item("glute-bridge", reps=8)]
    response = bob_client.post(
        url(patient),
        form_data(draft, name="After the flare", days=["1", "3"], review_date=str(yesterday)),
    )
    body = response.content.decode()
    assert f"Review date: {yesterday.day} {yesterday:%b %Y} has passed." in body
    assert active_routine(patient).current.number == 1
    assert drafted(response) == ["pelvic-tilt", "glute-bridge"]
    assert 'name="item-0-hold_seconds" value="12"' in body
    assert 'value="After the flare"' in body
    assert f'value="{yesterday.isoformat()}"' in body
    # Today is fine.
    today = form_data(draft, review_date=str(patient.today()))
    bob_client.post(url(patient), today)
    assert active_routine(patient).current.review_date == patient.today()


def test_a_post_without_one_of_the_buttons_changes_nothing(bob_client, patient):
    response = bob_client.post(url(patient), {})
    assert response.status_code == 400
    assert active_routine(patient).current.number == 1


def test_shipped_templates_are_read_once_per_process(bob_client, patient, monkeypatch):
    reads = []
    real = views_builder.load_templates

    def counting(*args, **kwargs):
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(views_builder, "load_templates", counting)
    views_builder.shipped_templates.cache_clear()
    for _ in range(3):
        assert "Daily four" in bob_client.get(url(patient)).content.decode()
    assert len(reads) == 1
    views_builder.shipped_templates.cache_clear()


def test_without_javascript_buttons_add_move_and_remove(bob_client, patient):
    start = [item("pelvic-tilt"), item("glute-bridge")]
    added = bob_client.post(url(patient), form_data(start, action="add:childs-pose"))
    assert drafted(added) == ["pelvic-tilt", "glute-bridge", "childs-pose"]
    three = [*start, item("childs-pose")]
    moved = bob_client.post(url(patient), form_data(three, action="up:2"))
    assert drafted(moved) == ["pelvic-tilt", "childs-pose", "glute-bridge"]
    moved = bob_client.post(url(patient), form_data(three, action="down:0"))
    assert drafted(moved) == ["glute-bridge", "pelvic-tilt", "childs-pose"]
    removed = bob_client.post(url(patient), form_data(three, action="remove:1"))
    assert drafted(removed) == ["pelvic-tilt", "childs-pose"]
    assert "<html" in removed.content.decode()
    assert active_routine(patient).current.number == 1


def test_an_htmx_request_gets_only_the_item_list(bob_client, patient):
    response = bob_client.post(
        url(patient),
        form_data([item("pelvic-tilt")], action="add:glute-bridge"),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="items"')
    assert drafted(response) == ["pelvic-tilt", "glute-bridge"]
    assert response["HX-Retarget"] == "#items"


def test_an_htmx_filter_returns_the_picker_list(bob_client, patient):
    response = bob_client.post(
        url(patient),
        form_data([], action="filter", position="chair", avoid=["flexion-sensitive"]),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<ul id="picks"')
    assert "add:sit-to-stand" in body
    assert "add:seated-forward-bend" not in body  # flexion
    assert "add:pelvic-tilt" not in body  # a flexion movement, though not tagged
    assert "add:glute-bridge" not in body  # no chair position


def test_an_htmx_save_updates_the_page_in_place(bob_client, patient):
    response = bob_client.post(
        url(patient), form_data([item("pelvic-tilt")]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Saved version 2" in response.content.decode()
    assert response["HX-Retarget"] == "#workspace"


def test_everything_from_bed_moves_what_can_move_and_names_the_rest(bob_client, patient):
    items = [item("hamstring-stretch"), item("sit-to-stand", "chair"), item("walking", "standing")]
    response = bob_client.post(url(patient), form_data(items, action="bed"))
    body = response.content.decode()
    first = body.split('name="item-0-position"')[1].split("</select>")[0]
    assert '<option value="bed" selected>' in first
    assert "No bed version: Sit to stand, Walking." in body


def test_start_from_a_template_replaces_the_draft(bob_client, patient):
    response = bob_client.post(
        url(patient),
        form_data([item("pelvic-tilt")], action="start", start_from="template:bad-day"),
    )
    assert drafted(response) == ["rotation-stretch", "hamstring-stretch"]
    assert 'name="item-0-position">' in response.content.decode()
    assert "Draft replaced" in response.content.decode()
    assert active_routine(patient).current.number == 1


def test_start_from_another_patient_of_the_clinic(
    bob_client, patient, other_patient, northside, bob
):
    accept_invitation(invite(northside, bob, "patient", other_patient.email), other_patient)
    other = active_routine(other_patient)
    from backstretch.routines.services import save_version

    save_version(
        other,
        [item("glute-bridge", hold=5) | {"hold_seconds": 5, "repetitions": 5, "rest_seconds": 5}],
    )
    response = bob_client.post(
        url(patient), form_data([], action="start", start_from=f"patient:{other_patient.pk}")
    )
    assert drafted(response) == ["glute-bridge"]
    # Reading another patient's routine is a read of their record.
    assert AuditEvent.objects.filter(
        actor=bob, patient=other_patient, action="view", what="routine copied into another's"
    ).exists()


def test_another_clinics_patient_cannot_be_copied(bob_client, patient, other_patient):
    response = bob_client.post(
        url(patient), form_data([], action="start", start_from=f"patient:{other_patient.pk}")
    )
    assert response.status_code == 404


def test_save_as_clinic_template_and_start_from_it(bob_client, patient, northside):
    items = [item("glute-bridge", hold=5), item("pelvic-tilt")]
    nameless = bob_client.post(url(patient), form_data(items, action="save_template"))
    assert "Give the clinic template a name." in nameless.content.decode()
    assert not ClinicTemplate.objects.exists()
    bob_client.post(
        url(patient), form_data(items, action="save_template", clinic_template_name="Gentle start")
    )
    template = ClinicTemplate.objects.get()
    assert template.clinic == northside
    assert [i["exercise"] for i in template.items] == ["glute-bridge", "pelvic-tilt"]
    response = bob_client.post(
        url(patient), form_data([], action="start", start_from=f"clinic:{template.pk}")
    )
    assert drafted(response) == ["glute-bridge", "pelvic-tilt"]


def test_history_says_what_changed(bob_client, patient):
    first = [
        item("rotation-stretch", hold=5, reps=10, sides="alternating"),
        item("childs-pose", hold=10, reps=5),
        item("hamstring-stretch", hold=10, reps=5, sides="each"),
        item("hip-flexor-stretch", hold=10, reps=5, sides="each"),
    ]
    bob_client.post(url(patient), form_data(first))
    review = patient.today() + timedelta(days=14)
    second = [
        item("hamstring-stretch", hold=20, reps=5, sides="each"),
        item("rotation-stretch", "bed", hold=5, reps=10, sides="alternating"),
        item("hip-flexor-stretch", hold=10, reps=5, sides="each"),
        item("glute-bridge", hold=5, reps=5),
    ]
    bob_client.post(
        url(patient),
        form_data(
            second, days=["0", "2", "4"], review_date=review.isoformat(), reason="Flexion hurts"
        ),
    )
    response = bob_client.get(url(patient, "clinic:routine_history"))
    body = response.content.decode()
    for line in [
        "Added Bridge (floor, 5 s × 5)",
        "Hamstring stretch: hold 10 s → 20 s",
        "Rotation stretch (knee rolls): floor → bed",
        "Removed Child&#x27;s pose",
        "Order changed",
        "Days: every day → Mon, Wed, Fri",
        f"Review date set to {review.day} {review:%b}",
        "Flexion hurts",
        "Version 3",
    ]:
        assert line in body, line
    assert AuditEvent.objects.filter(patient=patient, what="routine history").exists()


@pytest.mark.parametrize("who", ["eve", "dana", "alice"])
@pytest.mark.parametrize("name", ["clinic:routine", "clinic:routine_history"])
def test_nobody_else_reaches_the_builder(client, bob, dana, eve, patient, who, name):
    client.force_login({"eve": eve, "dana": dana, "alice": patient}[who])
    assert client.get(url(patient, name)).status_code == 404
    refused = 404 if name == "clinic:routine" else 405  # the history page is GET-only
    assert client.post(url(patient, name), form_data([item("pelvic-tilt")])).status_code == refused
    assert active_routine(patient).current.number == 1


@pytest.mark.parametrize("name", ["clinic:routine", "clinic:routine_history"])
def test_anonymous_visitors_are_sent_to_log_in(client, patient, name):
    response = client.get(url(patient, name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_patient_without_a_routine_starts_with_an_empty_draft(bob_client, patient):
    patient.routines.all().delete()
    response = bob_client.get(url(patient))
    assert response.status_code == 200
    assert drafted(response) == []
    assert "No exercises yet." in response.content.decode()


def test_pressing_enter_in_a_field_changes_nothing_but_keeps_what_was_typed(bob_client, patient):
    items = [item("pelvic-tilt", hold=12), item("glute-bridge")]
    response = bob_client.post(url(patient), form_data(items, action="refresh", reason="typed"))
    assert drafted(response) == ["pelvic-tilt", "glute-bridge"]
    body = response.content.decode()
    assert 'name="item-0-hold_seconds" value="12"' in body
    assert 'value="typed"' in body
    assert active_routine(patient).current.number == 1


def test_an_htmx_start_replaces_the_whole_workspace(bob_client, patient):
    response = bob_client.post(
        url(patient),
        form_data([], action="start", start_from="template:daily-four-bed"),
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == "#workspace"
    assert response.content.decode().lstrip().startswith('<div id="workspace"')
    assert 'name="item-0-position"' in response.content.decode()


def test_the_version_history_shows_times_in_the_clinicians_own_zone(bob_client, bob, patient):
    from zoneinfo import ZoneInfo

    from backstretch.routines.models import RoutineVersion

    bob.time_zone = "America/Denver"
    bob.save(update_fields=["time_zone"])
    saved = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)  # 20:30 the evening before in Denver
    RoutineVersion.objects.filter(routine__patient=patient).update(created_at=saved)
    body = bob_client.get(url(patient, "clinic:routine_history")).content.decode()
    assert f"{saved.astimezone(ZoneInfo('America/Denver')):%-d %b %Y, %H:%M}" in body
    assert "30 Nov 2026, 20:30" in body
