"""The random draw (双随机、一公开), version `anjian-draw-v1`: the pure algorithm.

These modules implement docs/algorithms/draw.md, which is the specification; the section
numbers in the comments refer to it. They have no Django import: the `draws` app stores the
inputs and the result, these modules only compute. Python integers carry the exact
arithmetic; NumPy does the work that grows with the directory (generator values, sorts,
cumulative sums) in int64/uint64, within the bounds section 11 checks before anything is drawn.

The public functions:
    secret_new, secret_commitment, commitment_check         section 3
    Directory.from_rows / from_columns, .serialisation, .hash   section 4
    draw_seed, substream_key                                 section 5
    mix64, stream_value, stream_values, uniform_below        section 6
    quotas_from_weights                                      section 7
    draw_entities -> DrawResult                              section 8
    pool_hash, assign_inspectors -> AssignmentResult         section 9

The code is split by concern and re-exported here, so that `from anjian.draws import algorithm`
reaches every name: `draws.generator` (constants, sections 3, 5 and 6, shared by the other
two), `draws.sampling` (sections 4, 7 and 8) and `draws.assignment` (section 9).
"""

from anjian.draws.assignment import (
    AssignmentEntity,
    AssignmentRefusal,
    AssignmentResult,
    AssignmentRules,
    Inspector,
    _Candidates,
    _check_inspectors,
    _check_rules,
    assign_inspectors,
    pool_hash,
    valid_on,
)
from anjian.draws.generator import (
    _ID_RE,
    _KEY_RE,
    _SECRET_RE,
    GOLDEN,
    INT64_MAX,
    MASK64,
    MAX_ID_LENGTH,
    MAX_KEY_LENGTH,
    MAX_WEIGHT,
    MIX_1,
    MIX_2,
    RULES,
    VERSION,
    BoolArray,
    DrawInputError,
    I64Array,
    U64Array,
    _all_ids,
    _bound,
    _check_id,
    _check_key,
    _secret_bytes,
    _Stream,
    _utf8_key,
    commitment_check,
    draw_seed,
    mix64,
    secret_commitment,
    secret_new,
    stream_value,
    stream_values,
    stream_values_at,
    substream_key,
    uniform_below,
)
from anjian.draws.sampling import (
    Directory,
    DirectoryRow,
    DrawResult,
    StratumResult,
    _bool_column,
    _int64_column,
    _quota_table,
    _Shares,
    _stratum_draw,
    _stratum_shares,
    coded,
    draw_entities,
    inclusion_probabilities,
    quotas_from_weights,
)

__all__ = [
    "GOLDEN",
    "INT64_MAX",
    "MASK64",
    "MAX_ID_LENGTH",
    "MAX_KEY_LENGTH",
    "MAX_WEIGHT",
    "MIX_1",
    "MIX_2",
    "RULES",
    "VERSION",
    "_ID_RE",
    "_KEY_RE",
    "_SECRET_RE",
    "AssignmentEntity",
    "AssignmentRefusal",
    "AssignmentResult",
    "AssignmentRules",
    "BoolArray",
    "Directory",
    "DirectoryRow",
    "DrawInputError",
    "DrawResult",
    "I64Array",
    "Inspector",
    "StratumResult",
    "U64Array",
    "_Candidates",
    "_Shares",
    "_Stream",
    "_all_ids",
    "_bool_column",
    "_bound",
    "_check_id",
    "_check_inspectors",
    "_check_key",
    "_check_rules",
    "_int64_column",
    "_quota_table",
    "_secret_bytes",
    "_stratum_draw",
    "_stratum_shares",
    "_utf8_key",
    "assign_inspectors",
    "coded",
    "commitment_check",
    "draw_entities",
    "draw_seed",
    "inclusion_probabilities",
    "mix64",
    "pool_hash",
    "quotas_from_weights",
    "secret_commitment",
    "secret_new",
    "stream_value",
    "stream_values",
    "stream_values_at",
    "substream_key",
    "uniform_below",
    "valid_on",
]
