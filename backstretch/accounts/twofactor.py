"""Two-step sign-in: a code from an authenticator app (TOTP, django-otp's ``otp_totp``) after
the password, and single-use recovery codes (``otp_static``) for a lost phone.

Clinic staff must have it (``views_twofactor`` sends them to set it up before any other page);
a patient may turn it on and off on their profile. A session counts as having passed the second
step once ``django_otp.login`` has stored the device that checked the code
(``user.is_verified()`` through django-otp's middleware). See docs/accounts.md.
"""

from __future__ import annotations

import base64
import re

from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstretch import access, links

from .models import User

APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"
RECOVERY_CODES = 10
# The demo's staff share one printed secret (``backstretch totp`` shows their current code);
# only a device with this name is ever read back that way.
DEMO_DEVICE = "Demo authenticator (shared, printed secret)"


def app_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def pending_app_device(user: User) -> TOTPDevice:
    """The device being set up: the same secret until it is confirmed, so a reloaded page
    shows the code the person may already have scanned."""
    found = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if found is None:
        found = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return found


def clean_code(raw: str) -> str:
    """What was typed, without spaces or dashes and in lower case (recovery codes are shown
    in groups; app codes are digits)."""
    return re.sub(r"[\s-]+", "", raw).lower()


def confirm_app_device(device: TOTPDevice, code: str) -> bool:
    """Confirm the device being set up with a code from the app; False for a wrong code."""
    code = clean_code(code)
    if not code.isdigit() or not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def check_code(user: User, raw: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code: the app (six digits) or a recovery code, which is
    used up by this check (deleted in one statement, so two tries at once cannot both use it)."""
    code = clean_code(raw)
    if not code:
        return None
    if code.isdigit():
        device = app_device(user)
        return device if device is not None and device.verify_token(code) else None
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is None:
        return None
    used, _counts = StaticToken.objects.filter(device=recovery, token=code).delete()
    return recovery if used else None


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh recovery codes; every earlier one stops working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def remove_second_factor(user: User) -> int:
    """Delete every app and recovery device of ``user`` (turning it off, or a lost phone);
    their sessions that passed the second step with one of them no longer count as such."""
    apps, _a = TOTPDevice.objects.filter(user=user).delete()
    codes, _b = StaticDevice.objects.filter(user=user).delete()
    return apps + codes


def secret_of(device: TOTPDevice) -> str:
    """The device's secret as people type it into an app: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def shown_code(code: str) -> str:
    """A recovery code as shown: two groups of four or five, easier to copy by hand."""
    middle = len(code) // 2
    return f"{code[:middle]}-{code[middle:]}"


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's set-up address as an SVG QR code."""
    return links.qr_svg(device.config_url, _("QR code to scan with your authenticator app"))


def must_use(user: User) -> bool:
    """Clinic staff (and Django's own staff) must pass the second step to use the site."""
    return bool(user.is_staff or access.works_at_a_clinic(user))


def needed(user: User) -> bool:
    """Whether this user's sessions must pass the second step: staff always, anyone else
    once they have turned it on."""
    return must_use(user) or has_second_factor(user)


# The session remembers whether a patient turned the second step on (asked once per session;
# the pages that turn it on or off set the answer). Whether someone is staff is asked on every
# request that has not passed it: a patient who accepts a clinician's invitation mid-session
# must not keep a session that skipped it.
NEEDED = "twofactor_needed"


def session_needs(request: HttpRequest, user: User) -> bool:
    if must_use(user):
        return True
    found = request.session.get(NEEDED)
    if not isinstance(found, bool):
        found = has_second_factor(user)
        request.session[NEEDED] = found
    return found


def is_verified(request: HttpRequest) -> bool:
    """The session passed the second step (django-otp's middleware says which device)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())
