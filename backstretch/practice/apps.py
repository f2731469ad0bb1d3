from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "backstretch.practice"
    label = "practice"

    def ready(self) -> None:
        from backstretch.library.translations import register_data_check

        register_data_check(_check_tips)


def _check_tips() -> tuple[str, list[str], list[str]]:
    """The habit tips' translations, for ``backstretch library check``."""
    from django.conf import settings

    from .tips import check_tip_translations

    codes = [code for code, _name in settings.LANGUAGES if code != "en"]
    _found, problems, missing = check_tip_translations(codes)
    return "tip translations", problems, missing
