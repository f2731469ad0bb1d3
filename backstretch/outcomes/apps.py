from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Weekly check-ins and progression: what the sessions say, and what changes because of it.

    Keeps the label (and so the tables) of the ``checkins`` app it grew from.
    """

    name = "backstretch.outcomes"
    label = "checkins"

    def ready(self) -> None:
        from backstretch.practice.today import add_fact_source

        from . import receivers  # noqa: F401  (listens for stored sessions and new versions)
        from .services import today_pieces

        add_fact_source(today_pieces)  # the check-ins and the change notice on Today
