from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Exercise


def exercise_list(request: HttpRequest) -> HttpResponse:
    exercises = Exercise.objects.filter(retired=False)
    return render(request, "library/list.html", {"exercises": exercises})


def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise, slug=slug, retired=False)
    return render(request, "library/detail.html", {"exercise": exercise})
