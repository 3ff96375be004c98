"""The random draw, version `anjian-draw-v1`: the directory, quotas and sampling.

Sections 4, 7 and 8 of docs/algorithms/draw.md (the specification; section numbers in the
comments refer to it). Re-exported by `draws.algorithm`, which is the module to import. No
Django import.
"""

from __future__ import annotations

import hashlib
import operator
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from itertools import islice, repeat
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from anjian.draws.generator import (
    INT64_MAX,
    MAX_WEIGHT,
    VERSION,
    BoolArray,
    DrawInputError,
    I64Array,
    _all_ids,
    _check_id,
    _check_key,
    _utf8_key,
    draw_seed,
    secret_commitment,
    stream_values_at,
    substream_key,
    uniform_below,
)

# --- section 4: the directory -----------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryRow:
    uscc: str
    stratum: str
    weight: int
    forced: bool = False


def coded(values: Sequence[str]) -> tuple[list[str], I64Array]:
    """The distinct `values` sorted, and each value's position among them."""
    keys = sorted(set(values))
    position_of = {key: position for position, key in enumerate(keys)}
    codes = np.fromiter(map(position_of.__getitem__, values), dtype=np.int64, count=len(values))
    return keys, codes


class Directory:
    """A validated directory in canonical (uscc) order, column by column (section 4).

    `usccs` and `strata` are lists in canonical order; `weights` (int64) and `forced` (bool) are
    arrays in the same order; `stratum_keys` lists the distinct strata sorted, and `stratum_codes`
    gives each row's position in it. Build one with `from_rows` or `from_columns`.
    """

    usccs: list[str]
    strata: list[str]
    weights: I64Array
    forced: BoolArray
    stratum_keys: list[str]
    stratum_codes: I64Array

    def __init__(self) -> None:  # use from_rows / from_columns
        raise TypeError("build a Directory with Directory.from_rows or Directory.from_columns")

    @classmethod
    def from_rows(cls, rows: Iterable[DirectoryRow | tuple[Any, ...]]) -> Directory:
        """From rows `DirectoryRow(uscc, stratum, weight, forced)` or plain tuples, any order."""
        usccs: list[str] = []
        strata: list[str] = []
        weights: list[int] = []
        forced: list[bool] = []
        for row in rows:
            if isinstance(row, DirectoryRow):
                row = (row.uscc, row.stratum, row.weight, row.forced)
            if len(row) == 3:
                row = (*row, False)
            usccs.append(row[0])
            strata.append(row[1])
            weights.append(row[2])
            forced.append(row[3])
        return cls.from_columns(usccs, strata, weights, forced)

    @classmethod
    def from_columns(
        cls,
        usccs: Sequence[str],
        strata: Sequence[str],
        weights: Sequence[int] | npt.ArrayLike,
        forced: Sequence[bool] | npt.ArrayLike | None = None,
    ) -> Directory:
        """From parallel columns, any order (already sorted by uscc is fastest)."""
        n = len(usccs)
        usccs = list(usccs)
        strata = list(strata)
        if len(strata) != n:
            raise DrawInputError("the columns must have the same length")
        not_text = next((u for u in usccs if not isinstance(u, str)), None)
        if not_text is not None:
            raise DrawInputError(f"a uscc must be a string: {not_text!r}")
        # All the usccs at once (a million calls would be slow); the per-uscc check below only
        # names the first bad one.
        if n and not _all_ids("\n".join(usccs), n):
            for u in usccs:
                _check_id(u, "a uscc")
        w = _int64_column(weights, n)
        if n and (int(w.min()) < 1 or int(w.max()) > MAX_WEIGHT):
            raise DrawInputError("every weight must be an integer from 1 to 2^32 - 1")
        f = np.zeros(n, dtype=np.bool_) if forced is None else _bool_column(forced, n)
        if not all(map(operator.lt, usccs, islice(usccs, 1, None))):
            order = sorted(range(n), key=usccs.__getitem__)
            usccs = [usccs[i] for i in order]
            strata = [strata[i] for i in order]
            index = np.array(order, dtype=np.int64)
            w, f = w[index], f[index]
            for a, b in zip(usccs, islice(usccs, 1, None), strict=False):
                if a == b:
                    raise DrawInputError(f"duplicate uscc in the directory: {a}")
        keys, codes = coded(strata)
        for key in keys:
            _check_key(key, "a stratum")
        self = cls.__new__(cls)
        self.usccs = usccs
        self.strata = strata
        self.weights = w
        self.forced = f
        self.stratum_keys = keys
        self.stratum_codes = codes
        return self

    @classmethod
    def from_parts(
        cls,
        usccs: list[str],
        stratum_keys: list[str],
        stratum_codes: I64Array,
        weights: I64Array,
        forced: BoolArray,
        serialisation: bytes,
    ) -> Directory:
        """The parts of a directory that `from_columns` built and checked earlier, with its
        section 4.3 bytes, put back together without repeating a check. Only for a caller
        that vouches the parts and the bytes are the same directory (anjian's draw run: the
        commit stored both and the hash of each). A verifier reads the bytes instead."""
        self = cls.__new__(cls)
        self.usccs = usccs
        self.stratum_keys = stratum_keys
        self.stratum_codes = stratum_codes
        self.strata = list(map(stratum_keys.__getitem__, stratum_codes.tolist()))
        self.weights = weights
        self.forced = forced
        self.__dict__["_serialised"] = serialisation
        return self

    def __len__(self) -> int:
        return len(self.usccs)

    def index_of(self, uscc: str) -> int:
        """The canonical index of `uscc` (KeyError if absent)."""
        i = bisect_left(self.usccs, uscc)
        if i == len(self.usccs) or self.usccs[i] != uscc:
            raise KeyError(uscc)
        return i

    def serialisation(self) -> bytes:
        """Section 4.3: the bytes the directory hash covers (made once: the commit writes them
        to a file and hashes them)."""
        return self._serialised

    @cached_property
    def _serialised(self) -> bytes:
        weights, forced = self.weights.tolist(), self.forced.view(np.int8).tolist()
        rows = zip(self.usccs, self.strata, weights, forced, strict=True)
        body = "".join([f"{u}\t{s}\t{w}\t{f}\n" for u, s, w, f in rows])
        return f"{VERSION} directory\n{body}".encode()

    @classmethod
    def from_serialisation(cls, data: bytes) -> Directory:
        """Read a directory back from its section 4.3 bytes (a published directory file). The
        hash is then the hash of these very bytes, as a verifier computes it."""
        text = data.decode()
        header, _sep, body = text.partition("\n")
        if header != f"{VERSION} directory":
            raise DrawInputError("not an anjian-draw-v1 directory")
        lines = body.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        n = len(lines)
        # Split the whole body at once rather than line by line (a million lines); the tab
        # count of every line guards against a short line shifting the columns.
        if n and set(map(str.count, lines, repeat("\t", n))) != {3}:
            raise DrawInputError("a directory line must have four tab-separated fields")
        cells = "\t".join(lines).split("\t") if n else []
        usccs, strata = cells[0::4], cells[1::4]
        try:
            weights = np.array(cells[2::4], dtype=np.int64) if n else np.zeros(0, np.int64)
        except (OverflowError, ValueError) as exc:
            raise DrawInputError("every weight must be an integer from 1 to 2^32 - 1") from exc
        forced = np.array(cells[3::4]) == "1" if n else np.zeros(0, np.bool_)
        directory = cls.from_columns(usccs, strata, weights, forced)
        if directory.usccs == usccs:  # already canonical: these bytes are its serialisation
            directory.__dict__["_serialised"] = data
        return directory

    @cached_property
    def hash(self) -> bytes:
        return hashlib.sha256(self.serialisation()).digest()

    @property
    def hash_hex(self) -> str:
        return self.hash.hex()

    @cached_property
    def stratum_groups(self) -> tuple[I64Array, list[int]]:
        """(canonical indices grouped by stratum, each group in canonical order; the group
        boundaries: stratum number p holds positions bounds[p]:bounds[p + 1])."""
        grouped = np.argsort(self.stratum_codes, kind="stable")
        bounds = np.searchsorted(
            self.stratum_codes[grouped], np.arange(len(self.stratum_keys) + 1)
        ).tolist()
        return grouped, bounds

    @cached_property
    def stratum_columns(self) -> tuple[I64Array, BoolArray]:
        """The weights and forced flags in the order of `stratum_groups` (made once: every
        draw and every probability computation reads the strata this way)."""
        grouped, _ = self.stratum_groups
        return self.weights[grouped], self.forced[grouped]

    @cached_property
    def stratum_sizes(self) -> dict[str, int]:
        _, bounds = self.stratum_groups
        return {key: bounds[p + 1] - bounds[p] for p, key in enumerate(self.stratum_keys)}

    @cached_property
    def stratum_weights(self) -> dict[str, int]:
        """W_h, exact: each is below 2^32 · 2^31 = 2^63, so int64 sums cannot overflow."""
        grouped, bounds = self.stratum_groups
        if not self.stratum_keys:
            return {}
        sums = np.add.reduceat(self.weights[grouped], np.array(bounds[:-1], dtype=np.int64))
        return dict(zip(self.stratum_keys, sums.tolist(), strict=True))


def _int64_column(values: Any, n: int) -> I64Array:
    """The weights as int64, refusing anything but integers (no floats, text or bools)."""
    try:
        array = np.asarray(values)
    except (OverflowError, ValueError) as exc:
        raise DrawInputError("every weight must be an integer from 1 to 2^32 - 1") from exc
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if array.shape != (n,) or array.dtype.kind not in "iu":
        raise DrawInputError("every weight must be an integer from 1 to 2^32 - 1, one per row")
    if array.dtype.kind == "u" and int(array.max()) > MAX_WEIGHT:
        raise DrawInputError("every weight must be an integer from 1 to 2^32 - 1")
    return array.astype(np.int64)


def _bool_column(values: Any, n: int) -> BoolArray:
    array = np.asarray(values)
    if array.shape != (n,) or not (
        array.dtype.kind == "b"
        or (n == 0)
        or (array.dtype.kind in "iu" and bool(((array == 0) | (array == 1)).all()))
    ):
        raise DrawInputError("forced must be one boolean per row")
    return array.astype(np.bool_)


# --- section 7: quotas ------------------------------------------------------------------------


def quotas_from_weights(directory: Directory, total: int) -> dict[str, int]:
    """Section 7.1: spread `total` over the strata by weight share, largest remainders first
    (ties by stratum key), never more than a stratum's size; the quotas add up to `total`."""
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= len(directory):
        raise DrawInputError(f"the total must be an integer from 0 to {len(directory)}")
    sizes = directory.stratum_sizes
    weights = directory.stratum_weights
    open_strata = sorted(sizes, key=_utf8_key)
    remaining = total
    quotas: dict[str, int] = {}
    while True:
        w_open = sum(weights[h] for h in open_strata)
        share = {h: divmod(remaining * weights[h], w_open) for h in open_strata}
        q = {h: share[h][0] for h in open_strata}
        extra = remaining - sum(q.values())
        by_remainder = sorted(open_strata, key=lambda h: (-share[h][1], _utf8_key(h)))
        for h in by_remainder[:extra]:
            q[h] += 1
        over = [h for h in open_strata if q[h] > sizes[h]]
        if not over:
            quotas.update(q)
            return {h: quotas[h] for h in sorted(quotas, key=_utf8_key)}
        for h in over:
            quotas[h] = sizes[h]
            remaining -= sizes[h]
        open_strata = [h for h in open_strata if h not in over]


# --- section 8: sampling ----------------------------------------------------------------------


@dataclass(frozen=True)
class StratumResult:
    """Section 8.6: what one stratum's draw did."""

    stratum: str
    size: int
    quota: int
    total_weight: int
    forced: int
    overflow: int
    certainties: int
    systematic_quota: int
    systematic_weight: int
    start: int | None
    selected: int


@dataclass(frozen=True)
class DrawResult:
    """Section 8.6. Arrays are in the directory's canonical order. Each row's π is
    `raw_numerators[i] / raw_denominators[i]` (int64, not reduced: n·w and W for the
    systematic rows); `probability_numerators` / `probability_denominators` are the same
    fractions in lowest terms, as the specification writes them."""

    directory: Directory
    commitment: str
    directory_hash: str
    seed: bytes
    keys: dict[str, int]
    selected: list[str]
    selected_mask: BoolArray
    raw_numerators: I64Array
    raw_denominators: I64Array
    strata: list[StratumResult]
    overflow: int

    @cached_property
    def _reduced(self) -> tuple[I64Array, I64Array]:
        divisor = np.gcd(self.raw_numerators, self.raw_denominators)
        divisor[divisor == 0] = 1
        return self.raw_numerators // divisor, self.raw_denominators // divisor

    @property
    def probability_numerators(self) -> I64Array:
        return self._reduced[0]

    @property
    def probability_denominators(self) -> I64Array:
        return self._reduced[1]

    @cached_property
    def probabilities(self) -> npt.NDArray[np.float64]:
        """π as floating point, for display only (computed once)."""
        return self.raw_numerators / self.raw_denominators

    def probability(self, uscc: str) -> Fraction:
        i = self.directory.index_of(uscc)
        return Fraction(int(self.raw_numerators[i]), int(self.raw_denominators[i]))

    def probability_texts(self) -> dict[str, str]:
        """{uscc: "numerator/denominator"} in lowest terms for every row, as in the vectors."""
        return {
            u: f"{a}/{b}"
            for u, a, b in zip(
                self.directory.usccs,
                self.probability_numerators.tolist(),
                self.probability_denominators.tolist(),
                strict=True,
            )
        }


def _quota_table(directory: Directory, quotas: Mapping[str, int]) -> list[int]:
    sizes = directory.stratum_sizes
    table = []
    for key in quotas:
        if key not in sizes:
            raise DrawInputError(f"a quota names a stratum that is not in the directory: {key!r}")
    for key in directory.stratum_keys:
        n_h = quotas.get(key, 0)
        if isinstance(n_h, bool) or not isinstance(n_h, int | np.integer):
            raise DrawInputError(f"the quota of {key!r} must be an integer")
        n_h = int(n_h)
        if not 0 <= n_h <= sizes[key]:
            raise DrawInputError(f"the quota of {key!r} must be from 0 to {sizes[key]}: {n_h}")
        if max(n_h, 1) * directory.stratum_weights[key] > INT64_MAX:
            raise DrawInputError(f"stratum {key!r}: quota × total weight exceeds 2^63 - 1")
        table.append(n_h)
    return table


def draw_entities(directory: Directory, quotas: Mapping[str, int], *, secret: str) -> DrawResult:
    """Section 8: the stratified random-order systematic PPS draw.

    `quotas` maps stratum → n_h (missing strata: 0); the seed comes from `secret` and the
    directory's hash (section 5)."""
    quota_list = _quota_table(directory, quotas)
    seed = draw_seed(secret, directory.hash)
    order_key = substream_key(seed, "order")
    keys = {"order": order_key, "assign": substream_key(seed, "assign")}
    n_rows = len(directory)
    selected_mask = np.zeros(n_rows, dtype=np.bool_)
    numerators = np.zeros(n_rows, dtype=np.int64)
    denominators = np.ones(n_rows, dtype=np.int64)
    by_stratum, bounds = directory.stratum_groups
    grouped_weights, grouped_forced = directory.stratum_columns
    strata: list[StratumResult] = []
    for position, key in enumerate(directory.stratum_keys):
        start_label = f"start/{key}"
        keys[start_label] = substream_key(seed, start_label)
        at = slice(bounds[position], bounds[position + 1])
        strata.append(
            _stratum_draw(
                key=key,
                rows=by_stratum[at],
                quota=quota_list[position],
                weights=grouped_weights[at],
                forced=grouped_forced[at],
                order_key=order_key,
                start_key=keys[start_label],
                selected_mask=selected_mask,
                numerators=numerators,
                denominators=denominators,
            )
        )
    chosen = np.flatnonzero(selected_mask).tolist()
    selected = (
        list(itemgetter(*chosen)(directory.usccs))
        if len(chosen) > 1
        else [directory.usccs[i] for i in chosen]
    )
    return DrawResult(
        directory=directory,
        commitment=secret_commitment(secret),
        directory_hash=directory.hash_hex,
        seed=seed,
        keys=keys,
        selected=selected,
        selected_mask=selected_mask,
        raw_numerators=numerators,
        raw_denominators=denominators,
        strata=strata,
        overflow=sum(s.overflow for s in strata),
    )


@dataclass(frozen=True)
class _Shares:
    forced_rows: I64Array
    sure_rows: I64Array
    rest: I64Array
    rest_weights: I64Array
    systematic_quota: int


def _stratum_shares(
    rows: I64Array,
    quota: int,
    weights: I64Array,
    forced: BoolArray,
    numerators: I64Array,
    denominators: I64Array,
) -> _Shares:
    """Sections 8.1–8.3 and 8.6 for one stratum: the forced rows and the certainties (π = 1),
    and for the rest π = n·w / W, written into `numerators` / `denominators` (reduced to lowest
    terms only when read). None of this depends on the secret."""
    empty = rows[:0]
    if forced.any():
        forced_rows = rows[forced]
        numerators[forced_rows] = 1
        keep = ~forced
        rest, w = rows[keep], weights[keep]
    else:  # most strata: nothing to take out
        forced_rows, rest, w = empty, rows, weights
    f = len(forced_rows)
    if f >= quota:  # 8.2: the forced rows fill (or overflow) the quota
        return _Shares(forced_rows, empty, empty, weights[:0], 0)
    n = quota - f
    sure_parts = []
    while n > 0:  # 8.3
        total = int(w.sum())
        if int(w.max(initial=0)) * n < total:  # no row is a certainty: one pass, no mask
            break
        big = w * n >= total
        if not big.any():
            break
        sure = rest[big]
        numerators[sure] = 1
        sure_parts.append(sure)
        n -= len(sure)
        rest, w = rest[~big], w[~big]
    sure_rows = np.concatenate(sure_parts) if sure_parts else empty
    if n > 0:
        numerators[rest] = w * n
        denominators[rest] = int(w.sum())
    return _Shares(forced_rows, sure_rows, rest, w, n)


def inclusion_probabilities(
    directory: Directory, quotas: Mapping[str, int]
) -> tuple[I64Array, I64Array]:
    """Every row's π as (numerators, denominators) in canonical order, not reduced (section
    8.6). They depend on the directory and the quotas only, so they can be published with the
    commitment, before the secret is revealed."""
    quota_list = _quota_table(directory, quotas)
    numerators = np.zeros(len(directory), dtype=np.int64)
    denominators = np.ones(len(directory), dtype=np.int64)
    by_stratum, bounds = directory.stratum_groups
    grouped_weights, grouped_forced = directory.stratum_columns
    for position in range(len(directory.stratum_keys)):
        at = slice(bounds[position], bounds[position + 1])
        _stratum_shares(
            by_stratum[at],
            quota_list[position],
            grouped_weights[at],
            grouped_forced[at],
            numerators,
            denominators,
        )
    return numerators, denominators


def _stratum_draw(
    *,
    key: str,
    rows: I64Array,
    quota: int,
    weights: I64Array,
    forced: BoolArray,
    order_key: int,
    start_key: int,
    selected_mask: BoolArray,
    numerators: I64Array,
    denominators: I64Array,
) -> StratumResult:
    """One stratum (sections 8.1–8.5), writing into the draw's arrays in place."""
    size = len(rows)
    total_weight = int(weights.sum())
    part = _stratum_shares(rows, quota, weights, forced, numerators, denominators)
    selected_mask[part.forced_rows] = True
    selected_mask[part.sure_rows] = True
    f, certainties, n = len(part.forced_rows), len(part.sure_rows), part.systematic_quota
    result = StratumResult(
        stratum=key,
        size=size,
        quota=quota,
        total_weight=total_weight,
        forced=f,
        overflow=max(0, f - quota),
        certainties=certainties,
        systematic_quota=0,
        systematic_weight=0,
        start=None,
        selected=f + certainties,
    )
    if n == 0:
        return result
    rest, w = part.rest, part.rest_weights
    big_w = int(w.sum())
    u, _ = uniform_below(start_key, 0, big_w)
    points = np.arange(n, dtype=np.int64) * big_w + u
    if len(rest) >= _BUCKETED_FROM and big_w < _FLOAT_EXACT:
        chosen = _systematic_bucketed(rest, w, n, points, order_key)
    else:
        chosen = _systematic_sorted(rest, w, n, points, order_key)
    selected_mask[chosen] = True
    return replace(
        result,
        systematic_quota=n,
        systematic_weight=big_w,
        start=u,
        selected=f + certainties + len(chosen),
    )


# Sections 8.4 and 8.5 two ways, with the same result: `_systematic_sorted` follows the text
# (sort the whole stratum into its random order, then walk the cumulative weights), and
# `_systematic_bucketed` avoids the sort, which was most of the draw's time (issue 24).
_BUCKETED_FROM = 4096  # below this the sort is as fast
_FLOAT_EXACT = 1 << 53  # weight sums below this are exact in float64 (np.bincount's type)


def _systematic_sorted(
    rest: I64Array, w: I64Array, n: int, points: I64Array, order_key: int
) -> I64Array:
    # 8.4: random order by (value("order", g), g). `rest` is in canonical order, so a stable
    # sort on the value alone would break ties by g; the faster unstable sort is used and
    # replaced by the stable one only if two values are equal (about never: 2^-64 per pair).
    values = stream_values_at(order_key, rest)
    order = np.argsort(values)
    ranked = values[order]
    if len(ranked) > 1 and bool((ranked[1:] == ranked[:-1]).any()):
        order = np.argsort(values, kind="stable")
    # 8.5: the row holding the point U + j·W is the first k with C_k > U + j·W.
    cumulative = np.cumsum(w[order])
    cumulative *= n
    chosen: I64Array = rest[order[np.searchsorted(cumulative, points, side="right")]]
    return chosen


def _systematic_bucketed(
    rest: I64Array, w: I64Array, n: int, points: I64Array, order_key: int
) -> I64Array:
    """The same rows as `_systematic_sorted`, without sorting the stratum.

    The rows are put in buckets by the top bits of their order value, so that bucket order is
    the random order at a coarser grain (a row's bucket never comes before the bucket of a
    row with a smaller value). The buckets' weight sums (one pass, no sort) and their running
    total say which bucket holds each point: the first whose running total n·C exceeds it.
    Only the rows of those buckets (a few per point) are then sorted by (value, g), exactly as
    8.4 orders them, and the point falls in the same row as in the full order: every row of an
    earlier bucket ends at or below the point, and the bucket's last row ends above it."""
    values = stream_values_at(order_key, rest)
    bits = max(1, min(22, (len(rest) - 1).bit_length()))
    bucket = (values >> np.uint64(64 - bits)).astype(np.int64)
    # Exact: every sum is an integer below 2^53 (the caller checks the stratum's total).
    sums = np.bincount(bucket, weights=w, minlength=1 << bits).astype(np.int64)
    ends = np.cumsum(sums)
    ends *= n
    wanted = np.zeros(1 << bits, dtype=np.bool_)
    wanted[np.searchsorted(ends, points, side="right")] = True
    picked = np.flatnonzero(wanted[bucket])  # positions in `rest`, in canonical order
    # Sorted by (value, g) as 8.4 orders them; `picked` ascends with g, so a stable sort on
    # the value alone breaks ties by g.
    picked = picked[np.argsort(values[picked], kind="stable")]
    picked_bucket = bucket[picked]
    # Each picked row's end n·C_k: the end of the buckets before its own, plus the weights of
    # its bucket's rows up to and including it.
    running = np.cumsum(w[picked])
    first = np.ones(len(picked), dtype=np.bool_)
    first[1:] = picked_bucket[1:] != picked_bucket[:-1]
    starts = np.flatnonzero(first)
    before = np.zeros(len(starts), dtype=np.int64)
    before[1:] = running[starts[1:] - 1]
    group = np.cumsum(first) - 1
    own = running - before[group]
    previous = np.where(picked_bucket > 0, ends[np.maximum(picked_bucket - 1, 0)], 0)
    cumulative = previous + own * n
    chosen: I64Array = rest[picked[np.searchsorted(cumulative, points, side="right")]]
    return chosen
