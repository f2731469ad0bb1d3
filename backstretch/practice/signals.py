"""What practice announces to the apps above it (they listen; practice never calls them).

``session_recorded(sender=PracticeSession, session=...)``: a performed session was stored for
the first time (a repeated upload of the same client id sends nothing). Sent once the
transaction that stored it has committed, so a listener that fails cannot lose the session
and sees it as every other request does. ``outcomes`` listens (progression), and
``messaging`` (the note and "this hurts" reports go into the patient's thread).
"""

from django.dispatch import Signal

session_recorded = Signal()
