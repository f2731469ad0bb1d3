from tests.reminders.smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)
