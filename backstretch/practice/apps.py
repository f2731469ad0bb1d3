from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "backstretch.practice"
    label = "practice"
