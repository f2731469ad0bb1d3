"""A clinic's whole data as one zip: FHIR R4 bulk data (NDJSON: one file per resource type,
one resource per line) and ``summary.csv`` for a spreadsheet, with a README.txt.

It streams: patients are read a chunk at a time and their resources written as they come,
each type to a file of its own in a temporary directory; the zip is then filled from those
files in blocks. What is held at once is one chunk of patients and one patient's record,
however large the clinic. The library resources every record shares (ActivityDefinition,
PlanDefinition, Questionnaire) are written once.

References: in a Bundle they are ``urn:uuid:`` names (``records.fhir``); here, as bulk data
expects, ``Type/id`` of a resource in these files.
"""

from __future__ import annotations

import csv
import json
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from backstretch.accounts.models import PatientProfile
from backstretch.clinic.models import Clinic

from . import fhir, gather, summary
from .tables import iso

SHARED = ("ActivityDefinition", "PlanDefinition", "Questionnaire")
CHUNK = 100  # patients read at a time for the summary

README = """Backstretch clinic export: {clinic}
{underline}

Every patient of the clinic, as of {now}: {patients} patient(s).

fhir/<ResourceType>.ndjson
    FHIR R4 bulk data: one resource per line (JSON), one file per resource type.
    References are "Type/id" of resources in these files. docs/data.md describes the
    mapping (the same as a single patient's FHIR download).
summary.csv
    One row per patient, for a spreadsheet (UTF-8, comma-separated).
    Columns: {columns}.
    adherence: {adherence}.
    pain: {pain}.
    peg: {peg}.
"""


def rewrite_references(value: Any, names: dict[str, str]) -> Any:
    """``urn:uuid:`` references turned into ``Type/id`` (in place)."""
    if isinstance(value, dict):
        target = value.get("reference")
        if isinstance(target, str) and target in names:
            value["reference"] = names[target]
        for item in value.values():
            rewrite_references(item, names)
    elif isinstance(value, list):
        for item in value:
            rewrite_references(item, names)
    return value


class Ndjson:
    """One open file per resource type, in a temporary directory."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, IO[str]] = {}
        self.shared_names: dict[str, str] = {}
        self.counts: dict[str, int] = {}

    def write(self, resource: fhir.Resource) -> None:
        kind = resource["resourceType"]
        handle = self.files.get(kind)
        if handle is None:
            handle = self.files[kind] = open(  # noqa: SIM115 (closed in close())
                self.folder / f"{kind}.ndjson", "w", encoding="utf-8"
            )
        handle.write(json.dumps(resource, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def patient(self, resources: list[fhir.Resource]) -> None:
        """One patient's resources; the shared ones only the first time they come."""
        names = dict(self.shared_names)
        fresh = []
        for resource in resources:
            kind, key = resource["resourceType"], resource["id"]
            urn = fhir.urn(kind, key)
            if kind in SHARED:
                if urn in self.shared_names:
                    continue
                self.shared_names[urn] = f"{kind}/{key}"
            names[urn] = f"{kind}/{key}"
            fresh.append(resource)
        for resource in fresh:
            self.write(rewrite_references(resource, names))

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def write_export(
    clinic: Clinic,
    base: str,
    out: IO[bytes],
    now: datetime,
    after_first_patient: Callable[[], None] | None = None,
) -> int:
    """Write the clinic's zip to ``out``; returns how many patients it holds."""
    profiles = PatientProfile.objects.filter(clinic=clinic).select_related(
        "user", "clinic", "clinician"
    )
    site = fhir.Site(base)
    pain_words = gather.pain_words()
    count = 0
    with tempfile.TemporaryDirectory(prefix="backstretch-export-") as folder:
        ndjson = Ndjson(Path(folder))
        summary_path = Path(folder) / "summary.csv"
        try:
            with open(summary_path, "w", encoding="utf-8-sig", newline="") as sheet:
                writer = csv.writer(sheet)
                writer.writerow(summary.HEADER)
                for chunk in summary.profile_chunks(profiles, CHUNK):
                    for row in summary.chunk_rows(chunk):
                        writer.writerow(["" if value is None else value for value in row])
                    for profile in chunk:
                        record = gather.record_of(profile.user)
                        ndjson.patient(list(fhir.record_resources(site, record, pain_words)))
                        count += 1
                        if count == 1 and after_first_patient is not None:
                            after_first_patient()
        finally:
            ndjson.close()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", readme(clinic, now, count))
            archive.write(summary_path, "summary.csv")
            for kind in sorted(ndjson.files):
                archive.write(Path(folder) / f"{kind}.ndjson", f"fhir/{kind}.ndjson")
    return count


def readme(clinic: Clinic, now: datetime, patients: int) -> str:
    title = f"Backstretch clinic export: {clinic.name}"
    return README.format(
        clinic=clinic.name,
        underline="=" * len(title),
        now=iso(now),
        patients=patients,
        columns=", ".join(summary.HEADER),
        **summary.ABOUT,
    )


def hold_for_tests(hold: str) -> Callable[[], None]:
    """The test of a worker killed mid-export holds the export after its first patient, until
    the test removes the file ``hold`` (BACKSTRETCH_TEST_EXPORT_HOLD; never set in
    production). ``<hold>.reached`` tells the test the export got there."""

    def wait() -> None:
        Path(f"{hold}.reached").touch()
        while Path(hold).exists():
            time.sleep(0.05)

    return wait
