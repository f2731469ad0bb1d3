"""Background jobs for the worker's tests (module level, as django-tasks requires)."""

from django_tasks import task


@task()
def add(a: int, b: int) -> int:
    return a + b
