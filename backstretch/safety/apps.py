from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "backstretch.safety"
    label = "safety"
