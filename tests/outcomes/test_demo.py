"""`backstretch demo` gives every demo patient weekly check-ins and each clinic one STarT Back."""

from django.core.management import call_command

from backstretch.outcomes.models import PegCheckin, StartBack


def test_demo_check_ins_are_made_once(db):
    call_command("demo", json=True)
    counts = (PegCheckin.objects.count(), StartBack.objects.count())
    assert counts == (36, 2)
    assert PegCheckin.objects.filter(skipped=True).count() == 1
    assert set(StartBack.objects.values_list("risk", flat=True)) == {"medium"}
    call_command("demo", json=True)
    assert (PegCheckin.objects.count(), StartBack.objects.count()) == counts
