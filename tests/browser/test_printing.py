"""The handout and the report printed to PDF by headless Chromium: one or two A4 pages each,
every exercise on paper. The PDFs and PNG pages land in artifacts/printing/ for a human look."""

import re
import subprocess
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from backstretch.library.models import Exercise
from backstretch.messaging import services as messaging
from backstretch.outcomes.services import answer_start_back, record_peg, request_start_back
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine, save_version
from backstretch.safety.models import RedFlagScreen
from backstretch.safety.redflags import QUESTION_KEYS
from tests.sessions import hurt_report, practise

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = Path("artifacts/printing")
DAILY_FOUR = ("Rotation stretch", "Child's pose", "Hamstring stretch", "Hip flexor stretch")
LONGER = (  # other surfaces too: a bed and standing draw taller figures than a mat
    ("pelvic-tilt", "bed"),
    ("cat-camel", "bed"),
    ("bird-dog", "standing"),
    ("glute-bridge", "bed"),
)


@pytest.fixture
def people(patient, bob):
    """Bob treats Alice at Northside; Alice has a month of sessions behind her."""
    alice = patient
    routine = active_routine(alice)
    items = [dict(item) for item in routine.current.items]
    items[0]["note"] = "Let the knees drop only as far as they go without pain."
    items[2]["note"] = "Use the bed version on a bad morning."
    weekdays = save_version(
        routine, items, days=[0, 1, 2, 3, 4], reason="Weekdays only", created_by=bob
    )
    # Saved early on the report's first day: the month's sessions follow it.
    first_day = alice.today() - timedelta(days=27)
    RoutineVersion.objects.filter(pk=weekdays.pk).update(
        created_at=datetime.combine(first_day, time(1), tzinfo=alice.zone)
    )
    hamstring = hurt_report("hamstring-stretch", "little", step_index=3, side="left")
    for days_ago in range(27, 0, -1):
        if days_ago % 3 == 0:
            continue
        practise(
            alice,
            days_ago=days_ago,
            minutes=7,
            pain_before=3 + days_ago // 6,
            pain_after=2 + days_ago // 7,
            hurt_reports=[hamstring] if days_ago in (20, 5) else [],
        )
    answers = dict.fromkeys(QUESTION_KEYS, False) | {"night_pain": True, "fever": True}
    # Asked again after a jump in pain, her answers needed a look; Bob has seen her since.
    screen = RedFlagScreen.objects.create(
        user=alice, context="pain_jump", answers=answers, urgency="prompt"
    )
    screen.clear(by=bob)
    return {"bob": bob, "alice": alice, "routine": routine}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert match, info.stdout
    return int(match.group(1))


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(text.stdout.split())


def print_to_pdf(page, url: str, name: str, paper: str = "A4") -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    page.goto(url)
    path = OUT / f"{name}.pdf"
    page.pdf(path=str(path), format=paper)
    for old in OUT.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(OUT / name)], check=True)
    return path


def assert_every_caution_and_both_frames(page, text: str, routine) -> None:
    """Each exercise on paper: its start and end figures, and every one of its cautions."""
    routine.refresh_from_db()
    items = routine.current.routine_items()
    cards = page.locator(".handout-exercise")
    assert cards.count() == len(items)
    for number, item in enumerate(items):
        frames = cards.nth(number).locator("svg.bs-figure")
        assert [frames.nth(i).get_attribute("data-frame") for i in range(2)] == ["start", "end"]
        for caution in Exercise.objects.get(slug=item.exercise).spec.cautions:
            assert " ".join(caution.split()) in text, caution


def test_the_handout_prints_on_one_or_two_pages_with_every_exercise(page, live_server, people):
    log_in(page, live_server, people["bob"])
    url = live_server.url + reverse("clinic:handout", args=[people["alice"].pk])
    pdf = print_to_pdf(page, url, "handout")
    assert pdf_pages(pdf) in (1, 2)
    text = pdf_text(pdf)
    for name in DAILY_FOUR:
        assert name in text
    assert_every_caution_and_both_frames(page, text, people["routine"])
    assert "Use the bed version on a bad morning." in text
    assert "Stop and get help if" in text
    assert "Print" not in re.sub(r"Printed on", "", text)  # the button stays on screen only

    OUT.mkdir(parents=True, exist_ok=True)
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert page.get_by_role("button", name="Print").is_visible()
    assert page.locator("svg.qr").is_visible()
    page.screenshot(path=str(OUT / "handout-phone.png"))
    page.locator(".handout-exercise").nth(2).screenshot(path=str(OUT / "handout-phone-card.png"))
    page.locator(".handout__closing").screenshot(path=str(OUT / "handout-phone-closing.png"))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_longer_routine_still_fits_on_two_pages(page, live_server, people, paper):
    routine = people["routine"]
    items = [dict(item) for item in routine.current.items]
    for slug, position in LONGER:
        items.append(
            {
                "exercise": slug,
                "position": position,
                "hold_seconds": 5,
                "repetitions": 8,
                "sides": "none",
                "rest_seconds": 3,
                "note": "Slow and steady; breathe out as you move.",
            }
        )
    save_version(routine, items, reason="Added strength work", created_by=people["bob"])
    log_in(page, live_server, people["alice"])
    url = live_server.url + reverse("clinic:my_handout")
    pdf = print_to_pdf(page, url, f"handout-eight-{paper.lower()}", paper)
    assert pdf_pages(pdf) in (1, 2)
    text = pdf_text(pdf)
    for name in (*DAILY_FOUR, "Pelvic tilt", "Bird dog", "Bridge"):
        assert name in text
    assert_every_caution_and_both_frames(page, text, routine)


def test_the_report_prints_on_one_or_two_pages(page, live_server, people):
    log_in(page, live_server, people["bob"])
    url = live_server.url + reverse("clinic:report", args=[people["alice"].pk])
    pdf = print_to_pdf(page, url, "report")
    assert pdf_pages(pdf) in (1, 2)
    text = pdf_text(pdf)
    for words in ("Progress report", "Adherence", "Hamstring stretch", "Weekdays only", "Fever"):
        assert words in text

    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)
    page.goto(url + "?days=400")
    assert page.get_by_role("alert").get_by_text("from 7 to 365").is_visible()
    page.get_by_label("Period").select_option("14")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**?days=14")
    assert page.get_by_role("alert").count() == 0
    page.screenshot(path=str(OUT / "report-phone.png"), full_page=True)
    # Nothing sticks out sideways on a phone, nor on a desktop screen.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(OUT / "report-desktop.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280


def test_a_busy_year_still_prints_on_one_or_two_pages(page, live_server, people):
    alice, routine = people["alice"], people["routine"]
    items = list(routine.current.items)
    for number in range(10):
        save_version(routine, items, reason=f"Review {number + 1}: dosage unchanged")
    session = PracticeSession.objects.filter(patient=alice).first()
    for number in range(15):
        HurtReport.objects.create(
            session=session,
            patient=alice,
            step_index=number,
            exercise="hip-flexor-stretch",
            position="floor",
            side="right",
            severity="sharp",
            numbness=True,
            action="stop",
            reported_at=session.started_at,
        )
    answers = dict.fromkeys(QUESTION_KEYS, True)
    for _ in range(4):
        RedFlagScreen.objects.create(user=alice, answers=answers, urgency="emergency")
    # A check-in every week, the STarT Back tool, and more long messages than the report quotes.
    today = alice.today()
    for week in range(52):
        score = 2 + week % 7
        record_peg(alice, today - timedelta(weeks=week), pain=score, enjoyment=score, activity=3)
    asked, _ = request_start_back(alice, people["bob"])
    answer_start_back(asked, [1, 0, 1, 0, 1, 1, 0, 1, 3])
    thread = messaging.thread_of(alice, people["bob"].memberships.get().clinic_id)
    for number in range(10):
        author = alice if number % 2 else people["bob"]
        messaging.send(thread, author, f"Message {number}: " + "the stretch felt fine. " * 20)
    log_in(page, live_server, people["bob"])
    url = live_server.url + reverse("clinic:report", args=[alice.pk]) + "?days=365"
    pdf = print_to_pdf(page, url, "report-busy")
    assert pdf_pages(pdf) in (1, 2)
    text = pdf_text(pdf)
    assert "earlier ones, not shown" in text
    for words in ("Weekly check-in", "High risk", "Message 9", "The routine as prescribed now"):
        assert words in text
