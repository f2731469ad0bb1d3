from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "backstretch.core"
    label = "core"
