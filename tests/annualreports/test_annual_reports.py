"""Annual safety reports: the industry's form, filed once a year, corrected as a new version with
a reason, listed for the bureau, public figures on the portal; scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from anjian.annualreports import services
from anjian.annualreports.fields import fields_for
from anjian.annualreports.models import AnnualReport
from anjian.core import clock as core_clock
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from tests.page_words import untranslated_words

pytestmark = pytest.mark.django_db


def _values(industry: str, **extra: int) -> dict[str, int]:
    out = {f.name: 3 for f in fields_for(industry)}
    out.update(extra)
    return out


def test_the_form_follows_the_industry() -> None:
    coal = {f.name for f in fields_for("coal_mine")}
    trade = {f.name for f in fields_for("commerce_trade")}
    assert {"employees", "hazards_found", "accidents"} <= trade
    assert "underground_workers" in coal and "underground_workers" not in trade


def test_filed_once_then_corrected_with_a_reason(chain: dict[str, Any]) -> None:
    entity, year = chain["entity"], core_clock.today().year - 1
    first = services.report_file(
        actor=chain["principal"], entity=entity, year=year, values=_values(entity.industry)
    )
    with pytest.raises(ServiceError) as exc:
        services.report_file(
            actor=chain["principal"], entity=entity, year=year, values=_values(entity.industry)
        )
    assert "reason" in exc.value.fields
    second = services.report_file(
        actor=chain["principal"],
        entity=entity,
        year=year,
        values=_values(entity.industry, employees=120),
        reason="从业人员数填错",
    )
    first.refresh_from_db()
    assert (first.latest, second.latest, second.version) == (False, True, 2)
    assert AuditEvent.objects.filter(action="annualreports.report.corrected").count() == 1


def test_bad_figures_name_their_field(chain: dict[str, Any]) -> None:
    entity = chain["entity"]
    with pytest.raises(ServiceError) as exc:
        services.report_file(
            actor=chain["principal"],
            entity=entity,
            year=core_clock.today().year,
            values=_values(entity.industry, employees=-1, hazards_found=2, hazards_rectified=5),
        )
    assert "employees" in exc.value.fields
    assert not AnnualReport.objects.exists()


def test_who_files_and_who_sees(chain: dict[str, Any], login: Any) -> None:
    entity, year = chain["entity"], core_clock.today().year
    with pytest.raises(NotPermitted):
        services.report_file(
            actor=chain["staff_member"], entity=entity, year=year, values=_values(entity.industry)
        )
    with pytest.raises(NotFound):
        services.report_file(
            actor=chain["other_principal"], entity=entity, year=year, values=_values("x")
        )
    report = services.report_file(
        actor=chain["principal"], entity=entity, year=year, values=_values(entity.industry)
    )
    assert (
        login(chain["county"])
        .get(reverse("annualreports:report_detail", kwargs={"pk": report.pk}))
        .status_code
        == 200
    )
    for user, name in [
        (chain["other_county"], "annualreports:report_detail"),
        (chain["other_principal"], "annualreports:my_detail"),
    ]:
        assert login(user).get(reverse(name, kwargs={"pk": report.pk})).status_code == 404


def test_the_enterprise_files_through_the_page_and_the_portal_shows_public_figures(
    chain: dict[str, Any], login: Any, client: Any
) -> None:
    entity = chain["entity"]
    ent = login(chain["principal"])
    page = ent.get(reverse("annualreports:my_new"))
    assert page.status_code == 200 and not untranslated_words(page.content.decode())
    data = {"year": str(core_clock.today().year - 1), "entity_id": str(entity.pk)}
    data.update({k: str(v) for k, v in _values(entity.industry, underground_workers=77).items()})
    response = ent.post(reverse("annualreports:my_new"), data)
    report = AnnualReport.objects.get()
    assert response["Location"] == reverse("annualreports:my_detail", kwargs={"pk": report.pk})
    public = client.get(reverse("annualreports:portal_detail", kwargs={"pk": report.pk}))
    text = public.content.decode()
    assert entity.name in text and "77" not in text  # workers underground are not public
    assert not untranslated_words(text)
    listed = client.get(reverse("annualreports:portal_list") + "?q=平鲁").content.decode()
    assert entity.name in listed
