from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "backstretch.core"
    label = "core"

    def ready(self) -> None:
        # The translations Django reads, built from the .po files we keep (core/catalogues.py).
        from .catalogues import compile_catalogues

        compile_catalogues()
