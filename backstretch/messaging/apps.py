from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """One private thread per patient with their clinic; session notes and "this hurts"
    reports appear in it as the patient's own entries."""

    name = "backstretch.messaging"
    label = "messaging"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (listens for stored sessions)
