"""The public exercise library pages: the list with its filters, and one exercise."""

import copy
import re

import pytest
from django.urls import reverse

from backstretch.library.filters import LibraryFilters, filter_exercises, parse_filters
from backstretch.library.models import Exercise
from backstretch.library.schema import load_library
from tests.cast import give_second_factor

pytestmark = pytest.mark.django_db

LIST = reverse("library:list")
SHIPPED = load_library()


def listed_slugs(response):
    """The slugs of the exercise cards on a list page, in page order."""
    return re.findall(r'href="/library/([a-z0-9-]+)/(?:#[a-z]+)?"', response.content.decode())


def slugs_where(predicate):
    return {slug for slug, spec in SHIPPED.items() if predicate(spec)}


def test_the_list_shows_every_shipped_exercise(client, library):
    response = client.get(LIST)
    assert response.status_code == 200
    assert set(listed_slugs(response)) == set(SHIPPED)
    for spec in SHIPPED.values():
        assert spec.name.replace("'", "&#x27;") in response.content.decode()


def test_the_list_shows_the_seed_dosage_at_a_glance(client, library):
    page = client.get(LIST).content.decode()
    assert "10 s × 5, each leg" in page  # hamstring stretch
    assert "10 s × 5" in page  # child's pose


def test_the_list_is_a_full_page_with_the_layout(client, library):
    page = client.get(LIST).content.decode()
    assert '<html lang="en"' in page
    assert 'href="#main"' in page  # skip link
    assert "it does not replace it" in page
    assert "htmx.min.js" in page and "defer" in page


def test_filtering_by_bed_lists_only_exercises_with_a_bed_version(client, library):
    response = client.get(LIST, {"position": "bed"})
    slugs = set(listed_slugs(response))
    assert slugs == slugs_where(lambda spec: "bed" in spec.positions)
    assert "hamstring-stretch" in slugs
    assert slugs != set(SHIPPED), "the shipped library should hold exercises without a bed version"


def test_cards_filtered_by_position_link_to_that_position(client, library):
    page = client.get(LIST, {"position": "bed"}).content.decode()
    assert 'href="/library/hamstring-stretch/#bed"' in page


@pytest.mark.parametrize("position", ["floor", "chair", "standing"])
def test_each_position_filter_narrows_to_that_position(client, library, position):
    slugs = set(listed_slugs(client.get(LIST, {"position": position})))
    assert slugs == slugs_where(lambda spec: position in spec.positions)


def test_filtering_by_kind(client, library):
    slugs = set(listed_slugs(client.get(LIST, {"kind": "strength"})))
    expected = slugs_where(lambda spec: spec.kind == "strength")
    assert expected and slugs == expected


def test_filtering_by_target(client, library):
    slugs = set(listed_slugs(client.get(LIST, {"target": "hamstrings"})))
    expected = slugs_where(lambda spec: "hamstrings" in spec.targets)
    assert "hamstring-stretch" in expected
    assert slugs == expected


def test_searching_by_words_in_the_name(client, library):
    slugs = set(listed_slugs(client.get(LIST, {"q": "Hamstring"})))
    assert "hamstring-stretch" in slugs
    assert "childs-pose" not in slugs


def test_filters_combine(client, library):
    slugs = set(listed_slugs(client.get(LIST, {"position": "bed", "kind": "stretch"})))
    expected = slugs_where(lambda spec: "bed" in spec.positions and spec.kind == "stretch")
    assert slugs == expected


def test_an_unknown_position_shows_a_clear_message_and_is_ignored(client, library):
    response = client.get(LIST, {"position": "roof"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown position &#x27;roof&#x27; — choose floor, bed, chair or standing" in page
    assert set(listed_slugs(response)) == set(SHIPPED)


def test_an_unknown_kind_and_target_show_messages_too(client, library):
    response = client.get(LIST, {"kind": "juggling", "target": "elbows"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown kind &#x27;juggling&#x27;" in page
    assert "Unknown target area &#x27;elbows&#x27;" in page


def test_nothing_matching_says_so_and_offers_to_clear_the_filters(client, library):
    page = client.get(LIST, {"q": "trampoline"}).content.decode()
    assert "No exercises match" in page
    assert 'href="/library/"' in page


def test_an_htmx_request_gets_only_the_results_fragment(client, library):
    response = client.get(LIST, {"position": "bed"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "<form" not in page
    assert set(listed_slugs(response)) == slugs_where(lambda spec: "bed" in spec.positions)
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_full_page(client, library):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    page = client.get(LIST, {"position": "bed"}, headers=headers).content.decode()
    assert "<html" in page


def test_the_detail_page_shows_every_position_with_its_steps(client, library):
    spec = SHIPPED["hamstring-stretch"]
    response = client.get(reverse("library:detail", args=["hamstring-stretch"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert spec.name in page
    for position, variant in spec.positions.items():
        assert f'id="{position.value}"' in page
        for step in variant.steps:
            assert step in page
    assert "Hold 10 seconds, 5 times, each leg in turn, 5 seconds rest" in page
    assert "Why it works" in page
    assert "Stop and get help if" in page
    assert "bend forward" in page  # the flexion-sensitive tag in plain words
    assert page.count('<img src="/figures/') >= len(spec.positions)  # each with its text


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_every_shipped_exercise_has_a_working_page(client, library, slug):
    response = client.get(reverse("library:detail", args=[slug]))
    assert response.status_code == 200
    for step in next(iter(SHIPPED[slug].positions.values())).steps:
        assert step.replace("'", "&#x27;") in response.content.decode()


def test_a_position_with_its_own_dosage_says_so(client, library):
    row = Exercise.objects.get(slug="hamstring-stretch")
    definition = copy.deepcopy(row.definition)
    definition["positions"]["bed"]["dosage"] = {
        "hold_seconds": 20,
        "repetitions": 3,
        "sides": "each",
        "rest_seconds": 10,
    }
    row.definition = definition
    row.save()
    page = client.get(reverse("library:detail", args=["hamstring-stretch"])).content.decode()
    assert page.count("In this position:") == 1
    assert "Hold 20 seconds, 3 times, each leg in turn, 10 seconds rest" in page


def test_an_unknown_exercise_is_a_helpful_404(client, library):
    response = client.get("/library/no-such-stretch/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "find that page" in page
    assert 'href="/library/"' in page
    assert "<html" in page


def test_parse_filters_reports_every_unknown_value_and_keeps_the_good_ones():
    filters = parse_filters({"position": "BED", "kind": "nope", "q": "  knee   hug "}, ["hips"])
    assert filters.position == "bed"
    assert filters.kind is None
    assert filters.query == "knee hug"
    assert [problem.field for problem in filters.problems] == ["kind"]


def test_filter_exercises_needs_every_search_word():
    class Row:
        def __init__(self, name, targets):
            self.name, self.summary, self.kind = name, "", "stretch"
            self.positions, self.targets = ["floor"], targets

    rows = [Row("Knee hug", ["lower back"]), Row("Knee roll", ["hips"])]
    chosen = filter_exercises(rows, LibraryFilters(query="knee back"))
    assert [row.name for row in chosen] == ["Knee hug"]


def test_dosage_words_read_naturally():
    from backstretch.library.schema import Dosage
    from backstretch.library.vocabulary import dosage_short, dosage_words

    walk = Dosage(hold_seconds=300, repetitions=1, rest_seconds=0)
    assert dosage_words(walk, "side", "aerobic") == "Keep going for 5 minutes"
    assert dosage_short(walk, "side") == "5 min"
    twist = Dosage(hold_seconds=5, repetitions=10, sides="alternating", rest_seconds=5)
    assert (
        dosage_words(twist, "side") == "Hold 5 seconds, 10 times, alternating sides, 5 seconds rest"
    )
    assert dosage_short(twist, "side") == "5 s × 10, alternating sides"


@pytest.mark.django_db
def test_positions_keep_the_data_files_order_whatever_the_database(library):
    """jsonb (PostgreSQL) reorders object keys; the file's order must still win."""
    from backstretch.library.models import Exercise
    from backstretch.library.schema import load_library

    shipped = load_library()
    for row in Exercise.objects.all():
        assert list(row.spec.positions) == list(shipped[row.slug].positions), row.slug


def test_staff_read_the_library_in_the_admin_but_change_it_only_through_the_files(
    client, library, django_user_model
):
    staff = django_user_model.objects.create_superuser("staff@example.org", "staff-password-1")
    give_second_factor(staff)  # the admin opens only after the second step of signing in
    client.force_login(staff)
    listing = client.get("/admin/library/exercise/?kind=stretch")
    assert listing.status_code == 200
    assert "Child&#x27;s pose" in listing.content.decode()
    assert client.get("/admin/library/exercise/add/").status_code == 403
