"""The name search: any part of the name, former names or credit code; two-character queries."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.entities.models import EntityNameGram
from anjian.entities.search import grams_of, search_text_of
from anjian.entities.selectors import EntityFilters, entity_list

pytestmark = pytest.mark.django_db


def _names(user, q: str) -> list[str]:
    return sorted(e.name for e in entity_list(user=user, filters=EntityFilters(q=q)))


@pytest.fixture
def entities(make_entity) -> dict:
    return {
        "jiaomei": make_entity(name="山西焦煤集团平鲁煤业有限公司"),
        "huagong": make_entity(name="朔州市鑫泰化工有限公司", industry="hazardous_chemicals"),
        "jiaohua": make_entity(name="平鲁区焦化厂", industry="hazardous_chemicals"),
        "latin": make_entity(name="ＡＢＣ能源（朔州）有限公司", industry="commerce_trade"),
        "renamed": make_entity(name="朔州市新名称商贸有限公司", former_names=["平鲁区老焦煤商店"]),
        "other": make_entity("140525", name="泽州县焦煤化工有限公司"),
    }


def test_two_character_chinese_queries_find_substrings(org, entities) -> None:
    user = org["county_inspector"]
    assert _names(user, "焦煤") == sorted(
        ["山西焦煤集团平鲁煤业有限公司", "朔州市新名称商贸有限公司"]  # the second by former name
    )
    assert _names(user, "化工") == ["朔州市鑫泰化工有限公司"]
    assert _names(user, "焦") == sorted(
        ["山西焦煤集团平鲁煤业有限公司", "平鲁区焦化厂", "朔州市新名称商贸有限公司"]
    )


def test_the_bigrams_must_be_adjacent_in_the_name(org, entities) -> None:
    # 平鲁 and 煤业 both occur in the first name, but "平鲁煤业有" must be contiguous
    user = org["county_inspector"]
    assert _names(user, "平鲁煤业") == ["山西焦煤集团平鲁煤业有限公司"]
    assert _names(user, "焦煤业") == []


def test_full_width_and_case_are_folded(org, entities) -> None:
    user = org["county_inspector"]
    assert _names(user, "abc") == ["ＡＢＣ能源（朔州）有限公司"]
    assert _names(user, "ABC能源") == ["ＡＢＣ能源（朔州）有限公司"]
    assert _names(user, "能源(朔州") == ["ＡＢＣ能源（朔州）有限公司"]  # NFKC: （ → (


def test_no_query_matches_across_the_name_and_a_former_name(org, entities) -> None:
    assert _names(org["county_inspector"], "公司平鲁") == []


def test_search_by_credit_code_prefix_and_any_part(org, entities) -> None:
    user = org["county_inspector"]
    code = entities["huagong"].uscc
    assert _names(user, code) == ["朔州市鑫泰化工有限公司"]
    assert _names(user, code.lower()) == ["朔州市鑫泰化工有限公司"]
    assert _names(user, code[8:17]) == ["朔州市鑫泰化工有限公司"]  # the organisation code part
    assert len(_names(user, "91140603")) == 5


def test_search_stays_in_scope(org, entities) -> None:
    assert "泽州县焦煤化工有限公司" not in _names(org["county_inspector"], "焦煤")
    assert "泽州县焦煤化工有限公司" in _names(org["province_admin"], "焦煤")


def test_the_copy_path_writes_the_same_bigrams(entities) -> None:
    """The PostgreSQL COPY path of large imports indexes names like every other path."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY exists on PostgreSQL only; SQLite imports use executemany")
    from anjian.entities.bulk import _entities_copy
    from anjian.entities.models import Entity
    from anjian.entities.validation import EntityValues

    values = EntityValues(
        uscc="91140603MA0000001X",
        name="ＡＢＣ能源 焦煤𠀋化工有限公司",
        former_names=["旧名"],
        industry="coal_mine",
        sub_sector="",
        region_id="140603",
        address="",
        legal_representative="",
        business_status="operating",
        scale="",
        established_on=None,
        key_supervision=False,
        new_business_form=False,
        observation_start=None,
        observation_end=None,
        major_hazard_source=False,
    )
    _entities_copy([values], [search_text_of(values.name, values.former_names)])
    stored = Entity.objects.get(uscc="91140603MA0000001X")
    grams = set(EntityNameGram.objects.filter(entity=stored).values_list("gram", flat=True))
    assert grams == grams_of(stored.search_text)


ALPHABET = "焦煤化工山西平鲁有限公司aB１"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(alphabet=ALPHABET + " ", min_size=1, max_size=12),
    q=st.text(alphabet=ALPHABET, min_size=1, max_size=4),
)
def test_search_agrees_with_a_plain_substring_test(make_entity, org, name, q) -> None:
    """Whatever the name and query, the index answers exactly 'the name contains the query'."""
    from anjian.entities.models import Entity
    from anjian.entities.search import search_normalise

    EntityNameGram.objects.all().delete()
    Entity.objects.all().delete()
    make_entity(name=name.strip() or "空")
    expected = search_normalise(q) in search_normalise(name.strip() or "空")
    assert bool(_names(org["county_inspector"], q)) == expected


def test_the_first_load_of_an_empty_registry_rebuilds_the_bigram_key(db) -> None:
    """PostgreSQL's first load drops the bigram key, copies, and builds the key again."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY exists on PostgreSQL only; SQLite imports use executemany")
    from anjian.entities.bulk import _entities_copy
    from anjian.entities.models import Entity
    from anjian.entities.validation import EntityValues
    from tests.conftest import make_uscc

    values = [
        EntityValues(
            uscc=make_uscc("140603", i),
            name=f"平鲁区第{i}焦煤有限公司",
            former_names=[],
            industry="coal_mine",
            sub_sector="",
            region_id="140603",
            address="",
            legal_representative="",
            business_status="operating",
            scale="",
            established_on=None,
            key_supervision=False,
            new_business_form=False,
            observation_start=None,
            observation_end=None,
            major_hazard_source=False,
        )
        for i in range(1, 4)
    ]
    assert not EntityNameGram.objects.exists()
    _entities_copy(values, [search_text_of(v.name, []) for v in values])
    for entity in Entity.objects.all():
        stored = set(EntityNameGram.objects.filter(entity=entity).values_list("gram", flat=True))
        assert stored == grams_of(entity.search_text)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
            [EntityNameGram._meta.db_table],
        )
        assert cursor.fetchone()[0] == 1


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(
        st.lists(st.text(alphabet=ALPHABET + "𠀋 ", min_size=0, max_size=10), max_size=3),
        max_size=8,
    )
)
def test_the_vectorised_bigrams_of_an_import_are_those_of_grams_of(names) -> None:
    """Large imports build the bigram rows with NumPy: for any names, the same rows as
    `grams_of` entity by entity (no pair across names or entities, stop bigrams out)."""
    from anjian.entities.bulk import gram_columns

    texts = [search_text_of(n[0] if n else "", n[1:]) for n in names]
    ids = [1000 + i for i in range(len(texts))]
    grams, owners = gram_columns(texts, ids)
    got = sorted(zip(owners.tolist(), grams.tolist(), strict=True))
    expected = sorted((i, g) for i, t in zip(ids, texts, strict=True) for g in grams_of(t))
    assert got == expected


def test_the_capped_count_agrees_with_the_list_for_every_user_and_filter(org, entities) -> None:
    # Issue 24: a two-character query alone, by a user who sees the whole registry, is counted
    # over its bigram rows without the entity table; every other case counts the list. Both
    # give the list's own count, capped at cap + 1.
    from django.test.utils import CaptureQueriesContext

    from anjian.core.scope import ALL, visible_region_codes
    from anjian.entities.selectors import entity_list_count

    province = org["province_admin"]
    assert visible_region_codes(province) is ALL
    with CaptureQueriesContext(connection) as queries:
        entity_list_count(user=province, filters=EntityFilters(q="焦煤"), cap=10_000)
    assert 'entities_entity"' not in queries[-1]["sql"]  # the bigram rows alone
    for user in (province, org["county_inspector"]):
        for filters in (
            EntityFilters(q="焦煤"),
            EntityFilters(q="平鲁"),
            EntityFilters(q="焦煤", industry="coal_mine"),
            EntityFilters(q="平鲁煤业"),
            EntityFilters(q="有限"),
        ):
            listed = entity_list(user=user, filters=filters).count()
            assert entity_list_count(user=user, filters=filters, cap=10_000) == listed
            assert entity_list_count(user=user, filters=filters, cap=0) == min(listed, 1)


# Characters whose normalisation changes them or their neighbours: combining marks (which NFKC
# composes with the character before them), full-width and compatibility forms, case pairs that
# fold to two letters, spaces of several kinds.
NORMALISING = "Ａａｅ\u0301\u0308e\u0301ßẞİ\uff21①㈱ｶﾞ\u3000 \t\xa0ﬁ" + ALPHABET


@settings(max_examples=300, deadline=None)
@given(
    entities=st.lists(
        st.tuples(
            st.text(alphabet=NORMALISING, max_size=8),
            st.lists(st.text(alphabet=NORMALISING, max_size=6), max_size=2),
        ),
        max_size=8,
    )
)
def test_the_search_texts_of_an_import_are_those_of_search_text_of(entities) -> None:
    """A large import normalises all names as one text: for any names, including those that
    start with a combining mark (which must not join the name before it), the same search text
    as entity by entity."""
    from anjian.entities.search import search_texts_of

    names = [name for name, _former in entities]
    former = [former for _name, former in entities]
    assert search_texts_of(names, former) == [
        search_text_of(name, former_names) for name, former_names in entities
    ]
