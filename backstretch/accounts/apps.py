from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backstretch.accounts"
    label = "accounts"
