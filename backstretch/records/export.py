"""A patient's record for download: a FHIR R4 Bundle streamed as JSON, or a zip of plain CSV
and JSON files with a README.txt that says what each file holds.

Neither is held whole in memory: the Bundle is written entry by entry as the rows are read in
chunks, and the zip is written file by file into a temporary file that stays in memory while
small and moves to disk when it grows.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from django.utils import timezone

from backstretch.accounts.models import User
from backstretch.reminders.models import ReminderSettings

from . import fhir, gather
from .tables import TABLES, iso

IN_MEMORY = 8 * 1024 * 1024  # a zip larger than this goes to a temporary file on disk


def fhir_bundle_chunks(user: User, base: str, now: datetime | None = None) -> Iterator[bytes]:
    """The Bundle as JSON, a few entries at a time."""
    head = fhir.bundle_head(now or timezone.now())
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "entry": ['
    resources = fhir.record_resources(fhir.Site(base), gather.record_of(user), gather.pain_words())
    batch: list[str] = []
    first = True
    for resource in resources:
        batch.append(json.dumps(fhir.entry(resource), ensure_ascii=False))
        if len(batch) == 100:
            yield (("" if first else ",") + ",".join(batch)).encode()
            first, batch = False, []
    if batch:
        yield (("" if first else ",") + ",".join(batch)).encode()
    yield b"]}"


# --- The zip --------------------------------------------------------------------------------


def account(user: User) -> dict[str, Any]:
    profile = getattr(user, "patient", None)
    facts = gather.patient_facts(user)
    data: dict[str, Any] = {
        "name": user.name,
        "email": user.email,
        "time_zone": user.time_zone,
        "joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "clinic": facts.clinic or None,
        "clinician": facts.clinician or None,
    }
    if profile is not None:
        data["preferences"] = {
            "where_you_practise": profile.preferred_position,
            "daily_time": iso(profile.daily_time) or None,
            "days_a_week_to_aim_for": profile.weekly_target,
            "screened_by_clinician": profile.screened_by_clinician,
            "camera_waits_for_position": profile.camera_waits_for_position,
        }
    settings = ReminderSettings.objects.filter(patient=user).first()
    data["reminders"] = (
        {
            "time": iso(settings.time),
            "days": [fhir.WEEKDAYS[int(d)] for d in settings.days if 0 <= int(d) < 7],
            "channels": list(settings.channels),
            "quiet_hours": (
                {"from": iso(settings.quiet_start), "until": iso(settings.quiet_end)}
                if settings.quiet_start and settings.quiet_end
                else None
            ),
            "calendar_alert_minutes_before": settings.lead_minutes,
            "first_day": iso(settings.first_day),
        }
        if settings is not None
        else None
    )
    return data


README = """Your Backstretch data
=====================

Everything Backstretch holds about you, as of {now}.
The .csv files open in any spreadsheet (UTF-8, comma-separated, one row per line).
Times are ISO 8601 with their offset from UTC; dates are the day where you were.
Column names and codes are in English so that programs can read them too.

account.json
    who you are (name, e-mail, time zone), your clinic and clinician, your preferences
    and your reminder settings.
{tables}
For a record system, the same record is available as one FHIR R4 file (a Bundle in
JSON): "Download as FHIR" on your profile page.

The STarT Back questions: {copyright}
"""


def readme(now: datetime) -> str:
    from backstretch.outcomes.questions import START_BACK_COPYRIGHT

    lines = []
    for table in TABLES:
        lines.append(table.name)
        lines.append(f"    {table.about}.")
        lines.append(f"    Columns: {', '.join(table.header)}.")
    return README.format(
        now=iso(now), tables="\n".join(lines) + "\n", copyright=START_BACK_COPYRIGHT
    )


def write_zip(user: User, out: IO[bytes], now: datetime | None = None) -> None:
    now = now or timezone.now()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(now))
        archive.writestr(
            "account.json", json.dumps(account(user), indent=2, ensure_ascii=False) + "\n"
        )
        for table in TABLES:
            with archive.open(table.name, "w") as raw:
                # utf-8-sig: spreadsheets then read accented letters right.
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow(table.header)
                for row in table.rows(user):
                    writer.writerow(["" if value is None else value for value in row])
                text.flush()
                text.detach()


def zip_file(user: User) -> IO[bytes]:
    """The zip in a temporary file, rewound for reading."""
    spooled: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
    write_zip(user, spooled)
    spooled.seek(0)
    return spooled


def file_name(user: User, extension: str) -> str:
    return f"backstretch-record-{timezone.localdate():%Y-%m-%d}.{extension}"
