"""What routines announces to the apps above it (they listen; routines never calls them).

``version_saved(sender=RoutineVersion, version=...)``: a routine got a new version, from the
builder, a template, progression or anywhere else. Sent inside the transaction that saves it,
with the routine's row locked, so a listener's writes commit or roll back with the version.
``outcomes`` listens (a waiting progression proposal is out of date once the routine changed).
"""

from django.dispatch import Signal

version_saved = Signal()
