"""Whether a process on this machine still runs: asked by the write gate (is the gate's holder
gone?) and by the background workers (is a worker that last beat here gone?). Imports no
Django: ``serve`` uses it before anything else forks."""

from __future__ import annotations

import os
from pathlib import Path


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc to ask: it exists, as far as we can tell
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
