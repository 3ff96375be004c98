"""N4.3: the bureau removes a member with a reason; the association asks to add or remove one and
the bureau decides; the association withdraws a convention (off the portal, kept in the record).
Another association, another county and the other side's role cannot do any of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from anjian.accounts.roles import Role
from anjian.associations import services
from anjian.associations.models import Convention, MemberRequest
from anjian.core.errors import NotFound, ServiceError
from anjian.core.models import AuditEvent
from tests.conftest import make_uscc
from tests.page_words import untranslated_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(make_user: Any) -> dict[str, Any]:
    """泽州县's bureau with its own association and account."""
    county = make_user("140525", [Role.INSPECTOR], username="zz_keeper")
    b = services.association_create(
        actor=county, name="泽州县安全协会", code=make_uscc("140525", 902, prefix="51")
    )
    account = make_user(None, [Role.ASSOCIATION], username="zz_assoc")
    admin = make_user("140525", [Role.ADMINISTRATOR], username="zz_admin")
    services.account_bind(actor=admin, association=b, username="zz_assoc")
    return {"county": county, "b": b, "account": account}


def test_the_bureau_removes_a_member_with_a_reason(
    assoc: dict[str, Any], other: dict[str, Any], login: Any
) -> None:
    a, member = assoc["a"], assoc["member"]
    url = reverse("associations:member_remove", kwargs={"pk": a.pk, "entity_pk": member.pk})
    # Another county's bureau: the association is not theirs.
    assert login(other["county"]).post(url, {"reason": "越权移出会员"}).status_code == 404
    with pytest.raises(NotFound):
        services.member_remove(actor=other["county"], association=a, entity=member, reason="越权")
    # The association itself, and an enterprise-side role, cannot.
    assert login(assoc["account"]).post(url, {"reason": "自行移出会员"}).status_code == 403
    # No reason: refused, still a member.
    admin = login(assoc["admin"])
    page = admin.post(url, {"reason": " "}, follow=True).content.decode()
    assert "理由" in page and a.members.filter(pk=member.pk).exists()
    # A unit that is not a member: 404.
    stranger = reverse(
        "associations:member_remove", kwargs={"pk": a.pk, "entity_pk": assoc["outsider"].pk}
    )
    assert admin.post(stranger, {"reason": "不是会员"}).status_code == 404
    done = admin.post(url, {"reason": "该单位已退出本行业"}, follow=True).content.decode()
    assert "已将平鲁会员煤业有限公司移出会员单位" in done
    assert not a.members.filter(pk=member.pk).exists()
    event = AuditEvent.objects.get(action="associations.association.member_removed")
    assert event.changes["uscc"] == member.uscc and event.changes["reason"] == "该单位已退出本行业"


def test_the_association_asks_and_the_bureau_decides(
    assoc: dict[str, Any], other: dict[str, Any], login: Any, make_entity: Any
) -> None:
    a = assoc["a"]
    newcomer = make_entity("140602", name="朔城新会员煤业有限公司")
    me = login(assoc["account"])
    ask = reverse("associations:my_request")
    me.post(ask, {"kind": "add", "uscc": newcomer.uscc, "reason": "申请加入协会"})
    me.post(ask, {"kind": "remove", "uscc": assoc["member"].uscc, "reason": "会员单位已注销"})
    add, remove = (
        MemberRequest.objects.get(kind="add"),
        MemberRequest.objects.get(kind="remove"),
    )
    assert add.status == remove.status == "pending"
    assert not a.members.filter(pk=newcomer.pk).exists()  # nothing changes before approval
    # Bad requests name their field and write nothing.
    for data, field in (
        ({"kind": "add", "uscc": "91140000000000000X", "reason": "申请加入"}, "uscc"),
        ({"kind": "remove", "uscc": assoc["outsider"].uscc, "reason": "不是会员"}, "uscc"),
        ({"kind": "add", "uscc": newcomer.uscc, "reason": "再次申请"}, "uscc"),  # pending
        ({"kind": "join", "uscc": assoc["outsider"].uscc, "reason": "乱填类型"}, "kind"),
    ):
        with pytest.raises(ServiceError) as exc:
            services.member_request(actor=assoc["account"], **data)
        assert field in exc.value.fields
    assert MemberRequest.objects.count() == 2
    # Another association's account, another county's bureau: 404.
    decide = reverse("associations:request_decide", kwargs={"pk": a.pk, "request_pk": add.pk})
    assert login(other["county"]).post(decide, {"decision": "approve"}).status_code == 404
    wrong = reverse(
        "associations:request_decide", kwargs={"pk": other["b"].pk, "request_pk": add.pk}
    )
    assert login(other["county"]).post(wrong, {"decision": "approve"}).status_code == 404
    with pytest.raises(NotFound):
        services.member_request_decide(actor=other["county"], request=add, approve=True)
    assert login(other["account"]).post(decide, {"decision": "approve"}).status_code == 403
    other_page = login(other["account"]).get(reverse("associations:my_page")).content.decode()
    assert "朔城新会员煤业有限公司" not in other_page
    # The bureau sees the requests on the association's page, refuses one only with a note.
    admin = login(assoc["admin"])
    detail = admin.get(
        reverse("associations:association_detail", kwargs={"pk": a.pk})
    ).content.decode()
    assert "申请加入协会" in detail and "批准" in detail
    assert not untranslated_words(detail), untranslated_words(detail)
    refuse = reverse("associations:request_decide", kwargs={"pk": a.pk, "request_pk": remove.pk})
    admin.post(refuse, {"decision": "refuse", "note": ""})
    remove.refresh_from_db()
    assert remove.status == "pending"
    admin.post(refuse, {"decision": "refuse", "note": "该单位仍在经营，暂不移出"})
    admin.post(decide, {"decision": "approve"})
    add.refresh_from_db()
    remove.refresh_from_db()
    assert add.status == "approved" and add.decided_by == assoc["admin"]
    assert remove.status == "refused" and remove.decision_note == "该单位仍在经营，暂不移出"
    assert a.members.filter(pk=newcomer.pk).exists()
    assert a.members.filter(pk=assoc["member"].pk).exists()
    with pytest.raises(ServiceError):  # decided once
        services.member_request_decide(actor=assoc["admin"], request=add, approve=False, note="改")
    mine = me.get(reverse("associations:my_page")).content.decode()
    assert "已同意" in mine and "该单位仍在经营，暂不移出" in mine
    assert not untranslated_words(mine)


def test_a_county_bureau_approves_only_units_in_its_jurisdiction(
    other: dict[str, Any], make_entity: Any
) -> None:
    far = make_entity("140603", name="平鲁远方煤业有限公司")
    req = services.member_request(
        actor=other["account"], kind="add", uscc=far.uscc, reason="申请加入本协会"
    )
    with pytest.raises(ServiceError):
        services.member_request_decide(actor=other["county"], request=req, approve=True)
    assert not other["b"].members.exists()


def test_a_withdrawn_convention_leaves_the_portal_and_stays_in_the_record(
    assoc: dict[str, Any], other: dict[str, Any], login: Any, client: Any
) -> None:
    c = services.convention_publish(
        actor=assoc["account"],
        title="煤炭行业安全生产自律公约",
        body="会员单位承诺严格落实安全生产主体责任，按时排查治理隐患。",
    )
    url = reverse("associations:my_convention_withdraw", kwargs={"pk": c.pk})
    # Another association's account: 404; a bureau: 403 (not its page).
    assert login(other["account"]).post(url, {"reason": "越权撤回"}).status_code == 404
    with pytest.raises(NotFound):
        services.convention_withdraw(actor=other["account"], convention=c, reason="越权撤回")
    assert login(assoc["admin"]).post(url, {"reason": "越权撤回"}).status_code == 403
    me = login(assoc["account"])
    me.post(url, {"reason": ""})
    assert Convention.objects.get(pk=c.pk).withdrawn_at is None
    me.post(url, {"reason": "已被新版公约替代"})
    c.refresh_from_db()
    assert c.withdrawn_at is not None and c.withdrawn_by == assoc["account"]
    public = client.get(reverse("associations:portal_conventions")).content.decode()
    assert "煤炭行业安全生产自律公约" not in public
    mine = me.get(reverse("associations:my_page")).content.decode()
    assert "煤炭行业安全生产自律公约" in mine and "已撤回" in mine and "已被新版公约替代" in mine
    staff = login(assoc["admin"]).get(
        reverse("associations:association_detail", kwargs={"pk": assoc["a"].pk})
    )
    assert "已被新版公约替代" in staff.content.decode()
    event = AuditEvent.objects.get(action="associations.association.convention_withdrawn")
    assert event.changes["reason"] == "已被新版公约替代"
    with pytest.raises(ServiceError):
        services.convention_withdraw(actor=assoc["account"], convention=c, reason="再撤一次")
