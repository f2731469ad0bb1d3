"""Bring every language's catalogue up to date with the code, in the project's layout.

    .venv/bin/python scripts/update-messages.py

Runs Django's ``makemessages`` for each language in ``backstretch/locale`` (it needs the
gettext tools), then writes each ``.po`` file again with Babel at a line width of 100, the
layout the catalogues are kept in, so a change to one message changes only its own lines in
the diff. New messages come out with an empty translation and changed ones marked fuzzy:
translate those (CONTRIBUTING.md, "Adding a language").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "backstretch" / "locale"
BIN = Path(sys.executable).parent / "backstretch"


def main() -> int:
    languages = sorted(path.name for path in LOCALE.iterdir() if (path / "LC_MESSAGES").is_dir())
    for language in languages:
        subprocess.run(
            [str(BIN), "makemessages", "-l", language, "-i", "static/vendor/*"],
            cwd=ROOT / "backstretch",
            check=True,
        )
        for po in (LOCALE / language / "LC_MESSAGES").glob("*.po"):
            with po.open("rb") as handle:
                catalogue = read_po(handle, locale=language)
            for message in catalogue:
                # msgmerge's "#| msgid ..." notes of an earlier wording come back from Babel as
                # comments: the fuzzy mark says enough, and stale ones only clutter the diff.
                message.user_comments = [c for c in message.user_comments if not c.startswith("| ")]
            with po.open("wb") as handle:
                write_po(handle, catalogue, width=100, include_previous=True)
            missing = sum(1 for m in catalogue if m.id and not m.string)
            fuzzy = sum(1 for m in catalogue if m.id and m.fuzzy)
            print(f"{po.relative_to(ROOT)}: {missing} to translate, {fuzzy} fuzzy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
