"""Writes for random inspections: configure a draw, commit it (freeze and hash the directory and
the inspector pool, publish the commitment), run it (reveal the secret, draw, assign inspectors,
make inspection tasks), redo it (a new draw that names the first), and declare conflicts.

The draw itself is `draws.algorithm` (docs/algorithms/draw.md). Here is what the platform adds:
which entities form the directory and with what weight, which inspectors form the pool, and the
rule that nothing committed is ever edited, re-run or deleted.

Split by concern: `configure` (drafts, the random-check list, conflicts), `commit` (directory,
pool, published files, commitment) and `run` (the draw, the assignment and what they write).
Callers import from here: `from anjian.draws import services`.
"""

from anjian.draws.services.commit import (
    DirectoryBuild,
    _columns_bytes,
    _industries_of,
    _pool_text,
    _ratio_expression,
    _stratum_expression,
    directory_build,
    draw_commit,
    inspector_id,
    item_industries,
    pool_build,
    probabilities_text,
    quotas_for,
    recently_inspected,
)
from anjian.draws.services.configure import (
    FACTOR_SCALE,
    RATIO_SCALE,
    DrawValues,
    _draw_fields,
    _locked,
    _own_bureau,
    _values_check,
    conflict_declare,
    draw_abandon,
    draw_create,
    draw_export_record,
    random_check_item_add,
    ratio_key,
)
from anjian.draws.services.run import (
    DirectoryEntities,
    _people_text,
    _tasks_from_draw,
    assignment_entities,
    committed_directory,
    draw_run,
    people_parse,
    pool_parse,
    result_json,
    selected_entities,
    selection_text,
    stored_directory,
    stored_people,
    stored_pool,
)

__all__ = [
    "FACTOR_SCALE",
    "RATIO_SCALE",
    "DirectoryBuild",
    "DirectoryEntities",
    "DrawValues",
    "_columns_bytes",
    "_draw_fields",
    "_industries_of",
    "_locked",
    "_own_bureau",
    "_people_text",
    "_pool_text",
    "_ratio_expression",
    "_stratum_expression",
    "_tasks_from_draw",
    "_values_check",
    "assignment_entities",
    "committed_directory",
    "conflict_declare",
    "directory_build",
    "draw_abandon",
    "draw_commit",
    "draw_create",
    "draw_export_record",
    "draw_run",
    "inspector_id",
    "item_industries",
    "people_parse",
    "pool_build",
    "pool_parse",
    "probabilities_text",
    "quotas_for",
    "random_check_item_add",
    "ratio_key",
    "recently_inspected",
    "result_json",
    "selected_entities",
    "selection_text",
    "stored_directory",
    "stored_people",
    "stored_pool",
]
