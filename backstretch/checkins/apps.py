from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "backstretch.checkins"
    label = "checkins"
