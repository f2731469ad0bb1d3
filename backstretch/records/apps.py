from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The patient's record as a whole: export (FHIR R4 and a plain zip) and erasure."""

    name = "backstretch.records"
    label = "records"
