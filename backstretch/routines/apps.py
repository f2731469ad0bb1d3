from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    name = "backstretch.routines"
    label = "routines"

    def ready(self) -> None:
        from backstretch.library.translations import register_data_check

        register_data_check(_check_templates)


def _check_templates() -> tuple[str, list[str], list[str]]:
    """The routine templates' translations, for ``backstretch library check``."""
    from .words import check_template_translations

    _found, problems, missing = check_template_translations()
    return "routine template translations", problems, missing
