"""The patient's reminder settings, their calendar feed, and the no-login unsubscribe page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from backstretch.accounts.requests import user_of
from backstretch.links import absolute_url
from backstretch.practice.decorators import practice_allowed
from backstretch.push import vapid

from .content import feed_url, routine_summary
from .forms import ReminderForm
from .mail import user_for_unsubscribe_token
from .models import Channel, ReminderSettings
from .services import save_settings, settings_for


@practice_allowed
def reminder_settings(request: HttpRequest) -> HttpResponse:
    reminders = settings_for(user_of(request))
    if request.method == "POST":
        form = ReminderForm(request.POST)
        if form.is_valid():
            form.apply_to(reminders)
            save_settings(reminders)
            messages.success(request, _("Saved. Your reminders follow the new settings."))
            return redirect("reminders:settings")
    else:
        form = ReminderForm(initial=ReminderForm.initial_from(reminders))
    form.fields["time"].help_text = _(
        "Your own local time (%(zone)s). The reminder comes at this time on the days below."
    ) % {"zone": reminders.patient.zone.key.replace("_", " ")}
    context = {
        "form": form,
        "reminders": reminders,
        "feed_url": feed_url(reminders, request),
        "push_key": vapid.public_key(),
        "email_unconfirmed": not reminders.patient.email_verified,
    }
    return render(request, "reminders/settings.html", context, status=200)


@require_POST
@practice_allowed
def revoke_feed(request: HttpRequest) -> HttpResponse:
    settings_for(user_of(request)).revoke_feed()
    messages.success(
        request,
        _("The old calendar link no longer works. Subscribe again with the new one below."),
    )
    return redirect("reminders:settings")


@require_GET
def feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """The private calendar feed: the token in the URL is the only credential."""
    reminders = (
        ReminderSettings.objects.filter(feed_token=feed_token, patient__is_active=True)
        .select_related("patient")
        .first()
    )
    if reminders is None or not reminders.calendar_on:
        raise Http404("No such calendar.")
    user = reminders.patient
    # A calendar app asks without the patient's session: the events speak the patient's language.
    translation.activate(user.language or translation.get_language())
    routine = routine_summary(user)
    today_url = absolute_url(reverse("practice:today"), request)
    name = routine.name if routine else _("Your stretches")
    minutes = routine.minutes if routine else 10
    description = _("%(name)s, about %(minutes)d minutes. Open today's session: %(url)s") % {
        "name": name,
        "minutes": minutes,
        "url": today_url,
    }
    # icalendar is big (about 2 MB and 0.1 s to import): only a worker serving a feed loads it.
    from .ical import Feed, build_calendar, event_uid

    body = build_calendar(
        Feed(
            uid=event_uid(reminders.feed_token),
            calendar_name=_("Backstretch"),
            summary=_("Stretches: %(name)s") % {"name": name},
            description=description,
            today_url=today_url,
            time_zone=user.zone.key,
            remind_at=reminders.time,
            days=tuple(reminders.days),
            minutes=minutes,
            first_day=reminders.first_day,
            stamp=timezone.now(),
            alarm_text=_("Time for your stretches"),
            lead_minutes=reminders.lead_minutes,
        )
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="backstretch.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the signed token is the credential; mail apps post RFC 8058 one-click requests
def unsubscribe(request: HttpRequest, signed: str) -> HttpResponse:
    user = user_for_unsubscribe_token(signed)
    if user is None:
        raise Http404("No such link.")
    if request.method == "POST":
        reminders = settings_for(user)
        reminders.channels = [c for c in reminders.channels if c != Channel.EMAIL]
        reminders.save(update_fields=["channels", "updated_at"])
        return render(request, "reminders/unsubscribed.html", {"email": user.email})
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    return render(request, "reminders/unsubscribe.html", {"email": user.email})
