"""A natural person's ID number and address, and a user's telephone, are sealed at rest: the
raw columns hold only SM4-GCM ciphertext, the pages and documents still read the text, and a case
past its notice can be saved unchanged without the frozen-proposal trigger firing
(docs/security.md)."""

from __future__ import annotations

import pytest
from django.db import connection

from anjian.accounts.models import User
from anjian.cases.models import Case
from tests.cases.conftest import notified

pytestmark = pytest.mark.django_db
ID_NUMBER = "140602199001011236"
ADDRESS = "朔州市平鲁区井坪镇新华街12号"


def _raw(sql: str, pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone()


def test_id_number_and_address_are_ciphertext_in_the_database(world) -> None:
    case = notified(
        world,
        party_kind="individual",
        party_name="赵小六",
        party_id_number=ID_NUMBER,
        party_address=ADDRESS,
    )
    raw_id, raw_address = _raw(
        "SELECT party_id_number, party_address FROM cases_case WHERE id = %s", case.pk
    )
    assert raw_id.startswith("sm4gcm:") and ID_NUMBER not in raw_id
    assert raw_address.startswith("sm4gcm:") and "井坪镇" not in raw_address
    # Nowhere in the row in clear.
    row = _raw("SELECT * FROM cases_case WHERE id = %s", case.pk)
    assert not any(ID_NUMBER in str(v) or "新华街" in str(v) for v in row)
    assert case.party_id_number == ID_NUMBER and case.party_address == ADDRESS

    # Past the notice the proposal is frozen by a trigger; saving the case unchanged keeps the
    # very same ciphertext, so the trigger sees no change.
    case.save()
    assert _raw("SELECT party_id_number FROM cases_case WHERE id = %s", case.pk)[0] == raw_id
    # A real change of the frozen ID number is still refused by the database.
    from django.db import IntegrityError, InternalError, transaction

    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(party_id_number="140602199001011244")


def test_the_users_telephone_is_ciphertext_in_the_database(make_user) -> None:
    user = make_user("140603", ["inspector"], phone="13912345678")
    raw = _raw("SELECT phone FROM accounts_user WHERE id = %s", user.pk)[0]
    assert raw.startswith("sm4gcm:") and "13912345678" not in raw
    assert User.objects.get(pk=user.pk).phone == "13912345678"
