"""Two `backstretch send-reminders` processes at once, on the app's own embedded database
(WAL, immediate transactions), against a real SMTP server: every reminder arrives once."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "backstretch"


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_two_processes_started_together_send_each_demo_reminder_once(cli_env, smtp):
    env = {
        **cli_env,
        "BACKSTRETCH_EMAIL_HOST": "127.0.0.1",
        "BACKSTRETCH_EMAIL_PORT": str(smtp.port),
        "BACKSTRETCH_BASE_URL": "https://stretch.example.org",
    }
    run(env, "migrate", "--verbosity", "0")
    run(env, "demo")  # six patients, e-mail on, history up to yesterday: today not done yet
    # Reminders at midnight with no quiet hours: due whatever the hour this test runs at.
    # (Set straight in the data directory's database: no third process start needed.)
    database = sqlite3.connect(Path(env["BACKSTRETCH_DATA_DIR"]) / "backstretch.sqlite3")
    with database:
        database.execute(
            "UPDATE reminders_remindersettings SET time = '00:00:00', quiet_start = NULL,"
            " quiet_end = NULL"
        )
    database.close()

    senders = [
        subprocess.Popen(
            [str(BIN), "send-reminders"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [sender.communicate(timeout=300) for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], outputs
    sent = sum(int(re.search(r"sent (\d+)", out).group(1)) for out, _ in outputs)

    database = sqlite3.connect(Path(env["BACKSTRETCH_DATA_DIR"]) / "backstretch.sqlite3")
    rows = database.execute("SELECT status FROM reminders_sentreminder").fetchall()
    database.close()
    delivered = smtp.messages  # both senders have exited: a duplicate would be here already
    recipients = [message["To"] for message in delivered]
    assert sent >= 4, outputs  # the demo patients who may practise today (not Lena)
    assert len(recipients) == sent == len(rows)
    assert len(set(recipients)) == len(recipients), "someone got two reminders"
    assert {status for (status,) in rows} == {"sent"}
    assert "sent 0, failed 0" in run(env, "send-reminders")  # and none on the next run
