"""Build the translation catalogues Django reads (``.mo``) from the ones we write (``.po``).

Only the ``.po`` files are in the repository. A ``.mo`` beside each is made, or made again
when its ``.po`` is newer, whenever Django starts (``CoreConfig.ready``: ``backstretch serve``,
``make run``, the tests, any management command). Babel does the compiling, in Python, so no
machine needs the gettext tools to run the app (``makemessages``, a contributor's tool, does).
Each file is written under a temporary name and then moved into place, so two processes
starting at once never read half a catalogue.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def stale_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The ``.po`` files whose ``.mo`` is missing or older."""
    stale = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


def compile_catalogue(po: Path, mo: Path) -> None:
    """Write ``mo`` from ``po``; entries marked fuzzy or left empty stay English."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source)
    handle, temporary = tempfile.mkstemp(dir=mo.parent, prefix=".", suffix=".mo")
    try:
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        os.replace(temporary, mo)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every stale catalogue; returns the ``.mo`` files written. A folder that cannot
    be written (an install owned by another user) is reported once, and the app goes on in
    the catalogues it has (English where there are none)."""
    written = []
    for po in stale_catalogues(locale_dir):
        mo = po.with_suffix(".mo")
        try:
            compile_catalogue(po, mo)
        except OSError as error:
            sys.stderr.write(
                f"Warning: could not write the translation catalogue {mo} ({error.strerror}). "
                "Run `backstretch compilemessages` as the user who installed Backstretch.\n"
            )
            continue
        written.append(mo)
    return written
