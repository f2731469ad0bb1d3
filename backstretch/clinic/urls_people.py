"""Clinics and people: inviting patients and colleagues, joining by invitation, the audit log."""

from django.urls import URLPattern, path

from . import views_people as views

urlpatterns: list[URLPattern] = [
    path("clinic/invitations/", views.invitations, name="invitations"),
    path(
        "clinic/invitations/<int:invitation_id>/qr.svg", views.invitation_qr, name="invitation_qr"
    ),
    path(
        "clinic/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("clinic/<int:clinic_id>/members/", views.members, name="members"),
    path(
        "clinic/<int:clinic_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("clinic/<int:clinic_id>/audit/", views.audit_log, name="audit"),
    path("invite/<str:token>/", views.accept, name="accept"),
]
