from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "backstretch.library"
    label = "library"
