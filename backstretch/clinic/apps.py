from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "backstretch.clinic"
    label = "clinic"
