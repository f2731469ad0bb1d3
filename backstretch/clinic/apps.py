from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "backstretch.clinic"
    label = "clinic"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
