"""New entities written to PostgreSQL while a large file is still being read (`importing`).

Reading and checking a million rows is Python's work; inserting them into the entity table and
its keys, the nine million bigram rows into theirs, and checking each row's county key is the
server's. Done one after the other, each waited for the other (issue 24). Here the rows that are
certainly new (their credit code is neither registered nor seen earlier in the file, their
county is in the importer's jurisdiction) go to the server a block at a time from a thread of
their own, while the import's thread reads the next block. The thread only formats a block and
waits for the server, so the two overlap.

What a later row can still change is undone before the import finishes: a credit code that
turns up again further down the file rejects both rows (`EntityStream.finish` deletes the
written one with its bigram rows), and an import that writes nothing after all ("all or
nothing" with a rejected row) rolls back to the savepoint taken before the first block. The
rows written are exactly those `bulk.entities_insert` would write; tests/entities/
test_import_streaming.py compares the two.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connection, transaction
from psycopg.copy import QueuedLibpqWriter

from anjian.core import clock
from anjian.core.bulk import keys_next, serial_sequence
from anjian.entities import bulk
from anjian.entities.models import Entity, EntityNameGram
from anjian.entities.search import search_texts_of
from anjian.entities.validation import EntityValues

# Bigram rows go to the server when this many have gathered (the entity COPY is ended for
# them, and opened again for the next block). Into a live key each batch goes in the key's own
# order; four or five batches cost the server somewhat more than one pass at the end (about 20 s
# against 15-19 s at a million entities on the bench machine) but run while the file is still
# being read, where one pass at the end kept the import waiting for all of it.
GRAM_FLUSH = 2_000_000
# Keys taken from the sequence at first, twice as many each time after (never more than the
# file's remaining lines, when it is text and they are known).
KEYS_FIRST = 50_000


class EntityStream:
    """Writes blocks of new entities on the import's connection from a thread of its own.

    `put` hands a block over; `finish` waits for the thread, deletes the rows found duplicated
    later in the file and builds the keys a first load dropped; `keep` then keeps what was
    written, `undo` undoes it (at any time). Nothing else may use the connection from its start
    until `finish` or `undo`: the reader does not (the regions are loaded before).
    """

    def __init__(self, expected: int | None = None) -> None:
        """`expected`: about how many rows the file has at most (its lines), for the keys."""
        self.table = Entity._meta.db_table
        self.gram_table = EntityNameGram._meta.db_table
        self.now = clock.now()
        self.written = 0
        self.failure: BaseException | None = None
        self.blocks: queue.Queue[list[EntityValues] | None] = queue.Queue()
        self.grams: list[np.ndarray] = []
        self.entity_ids: list[np.ndarray] = []
        self.gathered = 0
        self.keys: list[int] = []
        self.keys_used = 0
        self.keys_batch = KEYS_FIRST
        self.keys_left = expected  # the most keys the rest of the file can use
        self.copy: contextlib.ExitStack | None = None
        self.copy_write: Any = None
        self.savepoint = transaction.savepoint()
        self.cursor = connection.cursor()
        self.raw = self.cursor.cursor
        self.rebuild, self.gram_key = self._prepare()
        self.sequence = serial_sequence(self.cursor, self.table, "id")
        # A daemon: should the import's thread ever leave without `finish` or `undo`, the
        # process can still exit (the rows are rolled back with the transaction anyway).
        self.thread = threading.Thread(target=self._run, name="anjian-import-stream", daemon=True)
        self.thread.start()

    def _prepare(self) -> tuple[list[str] | None, str | None]:
        """As `bulk._entities_copy` does for one large insert: on the first load of an empty
        registry (by the tables' owner) the keys are dropped and built after the last row. On a
        registry that holds entities they stay. (Checking the county key at the end of each
        block instead of at the commit measured slower: 7 s against 3.7 s at 1M rows.)"""
        cursor, table, gram_table = self.cursor, self.table, self.gram_table
        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
        empty = cursor.fetchone()[0] and bulk._may_alter(cursor, table)
        rebuild = bulk._entity_keys_drop(cursor, table) if empty else None
        gram_key = None
        if bulk._gram_table_empty(cursor, gram_table) and bulk._may_alter(cursor, gram_table):
            gram_key = bulk._gram_key_drop(cursor, gram_table)
        return rebuild, gram_key

    def put(self, values: list[EntityValues]) -> None:
        if self.failure is not None or not values:
            return  # a failure is raised by `finish`
        self.written += len(values)
        self.blocks.put(values)

    def _run(self) -> None:
        while (values := self.blocks.get()) is not None:
            if self.failure is not None:
                continue  # drain the queue; the failure is raised by `finish`
            try:
                self._write(values)
            except BaseException as exc:  # raised again in the import's thread
                self.failure = exc
                self._copy_end(exc)
        if self.failure is None:
            try:
                self._copy_end()
            except BaseException as exc:
                self.failure = exc

    def _write(self, values: Sequence[EntityValues]) -> None:
        """One block into the open COPY (opened if need be). The COPY stays open from block to
        block, so that the server inserts without a pause while the next block is formatted:
        one statement per block waited for the server at its end each time, which made the
        writing, not the reading, the slower half into a registry with live keys."""
        texts = search_texts_of([v.name for v in values], [v.former_names for v in values])
        ids = self._keys_take(len(values))
        write = self._copy_open()
        for chunk in bulk._copy_text(values, texts, self.now, ids):
            write(chunk)
        grams, entity_ids = bulk.gram_columns(texts, ids)
        self.grams.append(grams)
        self.entity_ids.append(entity_ids)
        self.gathered += len(grams)
        if self.gathered >= GRAM_FLUSH:
            self._copy_end()
            self._grams_flush()

    def _keys_take(self, n: int) -> list[int]:
        """The next `n` keys of those taken from the sequence; more are taken (the COPY ended
        first: no other statement runs during one) when they run out, twice as many each time
        but no more than the rest of the file can use. Keys taken and not used are a gap in the
        sequence, as a rolled-back insert leaves."""
        if self.keys_used + n > len(self.keys):
            self._copy_end()
            wanted = self.keys_batch
            if self.keys_left is not None:
                wanted = min(wanted, self.keys_left)
            wanted = max(n, wanted)
            self.keys = self.keys[self.keys_used :] + keys_next(self.raw, self.sequence, wanted)
            self.keys_used = 0
            self.keys_batch = 2 * wanted
            if self.keys_left is not None:
                self.keys_left = max(0, self.keys_left - wanted)
        ids = self.keys[self.keys_used : self.keys_used + n]
        self.keys_used += n
        return ids

    def _copy_open(self) -> Any:
        if self.copy is None:
            stack = contextlib.ExitStack()
            copy = stack.enter_context(
                self.raw.copy(
                    f"COPY {self.table} (id, {', '.join(bulk._COLUMNS)}) FROM STDIN",
                    writer=QueuedLibpqWriter(self.raw),
                )
            )
            self.copy, self.copy_write = stack, copy.write
        return self.copy_write

    def _copy_end(self, failure: BaseException | None = None) -> None:
        """End the open COPY: it waits for the server to take every row sent; with a
        `failure`, the COPY is abandoned instead."""
        stack, self.copy, self.copy_write = self.copy, None, None
        if stack is None:
            return
        if failure is None:
            stack.close()
        else:
            stack.__exit__(type(failure), failure, failure.__traceback__)

    def _grams_flush(self) -> None:
        if not self.grams:
            return
        grams, entity_ids = np.concatenate(self.grams), np.concatenate(self.entity_ids)
        self.grams, self.entity_ids, self.gathered = [], [], 0
        if self.gram_key is None:
            # Into the live key in its own order (see `bulk._gram_rows`).
            order = np.lexsort((entity_ids, grams))
            grams, entity_ids = grams[order], entity_ids[order]
        bulk._gram_copy(self.cursor, self.gram_table, grams, entity_ids)

    def _stop(self) -> None:
        self.blocks.put(None)
        self.thread.join()

    def finish(self, rejected: set[str]) -> None:
        """Wait for the last block, remove the entities of the `rejected` credit codes (rows
        found duplicated after they were written) and build the keys a first load dropped.
        The rows stay undone until `keep`; `undo` may still roll them back."""
        self._stop()
        if self.failure is not None:
            raise self.failure
        self._grams_flush()
        if self.rebuild is not None:
            bulk._entity_keys_build(self.raw, self.rebuild)
        if self.gram_key is not None:
            bulk._gram_key_build(self.cursor, self.gram_table, self.gram_key)
        # After the keys: a deletion queues the checks of the tables that refer to entities,
        # and no key may be built on a table with checks pending. (Each credit code was
        # written once at most, so the rows to remove do not stop its key being built.)
        if rejected:
            self._remove(rejected)
        # Fresh statistics at once, so the next search plans with the new rows counted.
        self.cursor.execute(f"ANALYZE {self.table}, {self.gram_table}")

    def keep(self) -> None:
        self.cursor.close()
        transaction.savepoint_commit(self.savepoint)

    def undo(self) -> None:
        """Undo every row written (nothing of the file is to be written after all), before or
        after `finish`."""
        if self.thread.is_alive():
            self._stop()
        self.written = 0
        self.cursor.close()
        transaction.savepoint_rollback(self.savepoint)

    def _remove(self, codes: set[str]) -> None:
        cursor = self.cursor
        cursor.execute(
            f"DELETE FROM {self.table} WHERE uscc = ANY(%s) RETURNING id, search_text",  # noqa: S608
            [sorted(codes)],
        )
        removed = cursor.fetchall()
        self.written -= len(removed)
        grams, entity_ids = bulk.gram_columns([t for _i, t in removed], [i for i, _t in removed])
        cursor.execute(
            f"DELETE FROM {self.gram_table} WHERE (gram, entity_id) IN "  # noqa: S608
            "(SELECT * FROM unnest(%s::bigint[], %s::bigint[]))",
            [grams.tolist(), entity_ids.tolist()],
        )
