"""The benchmark editor offers what the observation period reads (N3.5, catalog/observation.py):
the benchmark's "operating without a licence" and each level's "minor circumstances" flag, with
Chinese labels, refused with a reason naming the level when they do not fit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.catalog import services
from anjian.catalog.models import DiscretionBenchmark
from anjian.catalog.observation import tier_is_minor
from anjian.core.errors import ServiceError
from tests.catalog import test_maintenance
from tests.catalog.test_maintenance import _benchmark_form

pytestmark = pytest.mark.django_db
maintainers = test_maintenance.maintainers  # the fixture


def test_the_form_shows_both_fields_in_chinese(maintainers, login) -> None:
    page = login(maintainers["admin"]).get(reverse("catalog:benchmark_new")).content.decode()
    assert 'name="unlicensed_operation"' in page and "属无证经营" in page
    assert "新业态观察期不予包容" in page  # the help text says what it does
    assert 'name="ordinary_minor"' in page and 'name="grave_minor"' in page
    assert "情节轻微" in page and 'name="minor_minor"' not in page  # minor by its name


def test_both_fields_are_published_and_carried_into_the_next_version(
    maintainers, login, item
) -> None:
    browser = login(maintainers["admin"])
    response = browser.post(
        reverse("catalog:benchmark_new"),
        _benchmark_form(item, unlicensed_operation="on", ordinary_minor="on"),
    )
    assert response.status_code == 302
    benchmark = DiscretionBenchmark.objects.get(code="AQF-97-3")
    assert benchmark.unlicensed_operation is True
    ordinary = next(t for t in benchmark.levels if t["level"] == "ordinary")
    assert ordinary["minor"] is True and tier_is_minor(ordinary)
    assert "minor" not in next(t for t in benchmark.levels if t["level"] == "grave")
    url = reverse("catalog:benchmark_version_new", kwargs={"code": "AQF-97-3"})
    form = browser.get(url).context["form"]
    assert form.initial["unlicensed_operation"] is True and form.initial["ordinary_minor"] is True
    # The next version may clear both (the checkboxes are sent unticked).
    browser.post(url, _benchmark_form(item, effective_from="2024-11-01", reason="应急〔2024〕90号"))
    latest = DiscretionBenchmark.objects.filter(code="AQF-97-3").order_by("-effective_from")[0]
    assert latest.unlicensed_operation is False
    assert not any(t.get("minor") for t in latest.levels)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"grave_minor": "on"}, "严重：最重的阶次不能标为情节轻微"),
        # "serious" is not a level of this benchmark: grave follows ordinary.
        ({"grave_minor": "on", "ordinary_minor": "on"}, "最重的阶次"),
    ],
)
def test_the_heaviest_level_is_never_minor(maintainers, login, item, extra, words) -> None:
    response = login(maintainers["admin"]).post(
        reverse("catalog:benchmark_new"), _benchmark_form(item, **extra)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["levels"]
    assert words in errors[0], errors
    assert not DiscretionBenchmark.objects.exists()


def test_only_the_lightest_levels_are_minor(maintainers, login, item) -> None:
    data = _benchmark_form(
        item, serious_conditions="涉及6至10人", serious_penalty_kinds=["fine"],
        serious_fine_min="60000", serious_fine_max="100000", serious_minor="on",
    )  # fmt: skip
    response = login(maintainers["admin"]).post(reverse("catalog:benchmark_new"), data)
    errors = response.context["form"].errors["levels"]
    assert "较重" in errors[0] and "最轻的阶次" in errors[0], errors
    assert not DiscretionBenchmark.objects.exists()


def test_a_level_the_benchmark_lacks_cannot_be_minor(maintainers, login, item) -> None:
    response = login(maintainers["admin"]).post(
        reverse("catalog:benchmark_new"), _benchmark_form(item, serious_minor="on")
    )
    assert (
        "只有基准设置的阶次才能标为情节轻微" in response.context["form"].errors["serious_minor"][0]
    )


def test_the_service_refuses_a_flag_that_is_not_yes_or_no(item) -> None:
    levels = [
        {"level": "A", "penalty_kinds": ["warning"], "fine_min": 0, "fine_max": 0, "minor": "是"},
        {"level": "B", "penalty_kinds": ["fine"], "fine_min": 1000, "fine_max": 5000},
    ]
    with pytest.raises(ServiceError) as refused:
        services.levels_check(levels)
    assert "只能填是或否" in str(refused.value.fields["levels"][0])
    levels[0]["minor"] = True
    services.levels_check(levels)  # a lettered benchmark's lightest tier marked minor
