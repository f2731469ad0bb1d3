from django.apps import AppConfig


class PushConfig(AppConfig):
    """Web Push: the phones a person asked to be notified on, and sending to them."""

    name = "backstretch.push"
    label = "push"
