from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    name = "backstretch.routines"
    label = "routines"
