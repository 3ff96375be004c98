"""PostgreSQL fast path for large entity imports: COPY the rows, then derive the search bigrams
inside the database, so a million-row file does not cross the wire twice.

The bigram rule here must match `search.grams_of` exactly: pairs of adjacent characters of the
normalised search text, never across the separator, each pair as (code point 1 << 21) | code
point 2, distinct per entity. `tests/entities/test_search.py` checks the two agree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from anjian.entities.models import Entity, EntityNameGram
from anjian.entities.search import SEPARATOR

_COLUMNS = (
    "uscc",
    "name",
    "former_names",
    "industry",
    "sub_sector",
    "region_id",
    "address",
    "legal_representative",
    "business_status",
    "scale",
    "established_on",
    "key_supervision",
    "new_business_form",
    "observation_start",
    "observation_end",
    "major_hazard_source",
    "search_text",
    "created_at",
    "updated_at",
)


def entities_copy(entities: Sequence[Entity]) -> None:
    table = Entity._meta.db_table
    gram_table = EntityNameGram._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        (start_after,) = cursor.fetchone()
        with cursor.cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for e in entities:
                copy.write_row(
                    (
                        e.uscc,
                        e.name,
                        json.dumps(e.former_names, ensure_ascii=False),
                        e.industry,
                        e.sub_sector,
                        e.region_id,
                        e.address,
                        e.legal_representative,
                        e.business_status,
                        e.scale,
                        e.established_on,
                        e.key_supervision,
                        e.new_business_form,
                        e.observation_start,
                        e.observation_end,
                        e.major_hazard_source,
                        e.search_text,
                        now,
                        now,
                    )
                )
        # The new rows are those with ids above the old maximum; any concurrent writer's rows
        # already have their bigrams, hence ON CONFLICT DO NOTHING.
        cursor.execute(
            f"""
            INSERT INTO {gram_table} (gram, entity_id)
            SELECT DISTINCT
                (ascii(substr(e.search_text, i, 1))::bigint << 21)
                    | ascii(substr(e.search_text, i + 1, 1)),
                e.id
            FROM {table} e
            CROSS JOIN LATERAL generate_series(1, length(e.search_text) - 1) AS i
            WHERE e.id > %s
              AND substr(e.search_text, i, 1) <> %s
              AND substr(e.search_text, i + 1, 1) <> %s
            ORDER BY 1, 2
            ON CONFLICT DO NOTHING
            """,  # noqa: S608
            [start_after, SEPARATOR, SEPARATOR],
        )
