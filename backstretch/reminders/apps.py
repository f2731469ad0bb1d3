from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "backstretch.reminders"
    label = "reminders"
