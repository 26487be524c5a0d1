"""The incremental state of an output directory: which documents the store holds.

A SQLite file ``OUT/manifest.sqlite`` maps each document id to its source
file and the hash of its record, and keeps what the corpus-level step needs
without re-running the pipeline: the normalised text (for reprint
detection), the facts (for conflicts and ``facts.jsonl``) and the bottom-k
shingle sketch that finds reprint candidates with one SQL join instead of
holding every document in memory.

The manifest is written *after* the store has committed a batch, so after a
crash it never claims a document the store lacks; at worst it lacks one the
store holds, which the next build simply processes again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from isal import isal_zlib

from kg.types import Evidence, Fact

MANIFEST_NAME = "manifest.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    hash TEXT NOT NULL,
    run INTEGER NOT NULL,
    facts INTEGER NOT NULL,
    text BLOB NOT NULL,
    facts_jsonl BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_path ON docs (path);
CREATE TABLE IF NOT EXISTS sketch (hash INTEGER NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (hash, doc_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sketch_doc ON sketch (doc_id);
"""
_BIG_BUCKET = 50  # a shingle shared by this many documents is boilerplate, not evidence of a reprint


@dataclass(frozen=True)
class DocRecord:
    """What the manifest keeps of one processed document."""

    doc_id: str
    source: str
    path: str  # absolute path of the source file, to tell which inputs a build covers
    hash: str
    text: str
    facts_jsonl: str
    facts: int  # relation facts (not counting ``type``)
    sketch: tuple[int, ...]


@dataclass(frozen=True)
class Known:
    """The manifest's row for a document id, as a build looks it up."""

    hash: str
    path: str
    run: int


def pack(text: str) -> bytes:
    """A zlib stream that plain ``zlib`` reads, written by ISA-L in a fifth of zlib's time at about the same size."""
    return isal_zlib.compress(text.encode("utf-8"), 1)


def unpack(blob: bytes) -> str:
    return isal_zlib.decompress(blob).decode("utf-8")


def _signed(h: int) -> int:
    """SQLite integers are signed 64-bit; sketch hashes are unsigned."""
    return h - (1 << 64) if h >= 1 << 63 else h


class Manifest:
    """One output directory's manifest; use as a context manager.

    A build shares it between its own thread and its store writer, which
    records each commit once it is stored: transactions and lookups take
    turns on one connection.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._turn = threading.RLock()
        self.db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk when it returns, so a power cut cannot bring back a claim the
        # manifest gave up (``invalidate``) before the store was rewritten
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(_SCHEMA)

    @classmethod
    def open(cls, out_dir: str | Path) -> Manifest:
        return cls(Path(out_dir) / MANIFEST_NAME)

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ meta

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def start_run(self) -> int:
        """A new run number; documents a run sees are stamped with it."""
        run = int(self.get("run") or 0) + 1
        with self.transaction():
            self.set("run", str(run))
        return run

    # ------------------------------------------------------------------ documents

    def transaction(self) -> _Transaction:
        return _Transaction(self.db, self._turn)

    def lookup(self, doc_ids: Sequence[str]) -> dict[str, Known]:
        """Known rows of a batch of ids, in one query."""
        out: dict[str, Known] = {}
        with self._turn:
            for i in range(0, len(doc_ids), 500):
                chunk = doc_ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for doc_id, h, path, run in self.db.execute(
                    f"SELECT doc_id, hash, path, run FROM docs WHERE doc_id IN ({marks})", chunk
                ):
                    out[doc_id] = Known(h, path, run)
        return out

    def touch(self, doc_ids: Iterable[str], run: int) -> None:
        """Mark unchanged documents as seen in this run (so they are not retracted)."""
        self.db.executemany("UPDATE docs SET run = ? WHERE doc_id = ?", ((run, d) for d in doc_ids))

    def invalidate(self, doc_ids: Iterable[str]) -> None:
        """Stop claiming the stored versions of documents about to be rewritten in (or dropped from) the store.

        Their rows stay, with no hash: a write cut off half-way leaves documents the next build
        processes again (or retracts, when their files are gone), whatever their inputs then hold.
        """
        self.db.executemany("UPDATE docs SET hash = '' WHERE doc_id = ?", ((d,) for d in doc_ids))

    def put(self, records: Iterable[DocRecord], run: int) -> None:
        """Insert or replace processed documents, with their sketches (a commit's worth in three statements)."""
        records = list(records)
        ids = [(r.doc_id,) for r in records]
        self.db.executemany("DELETE FROM sketch WHERE doc_id = ?", ids)
        self.db.executemany(
            "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.doc_id,
                    r.source,
                    r.path,
                    r.hash,
                    run,
                    r.facts,
                    pack(r.text),
                    pack(r.facts_jsonl),
                )
                for r in records
            ],
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO sketch VALUES (?, ?)",
            [(_signed(h), r.doc_id) for r in records for h in r.sketch],
        )

    def delete(self, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            self.db.execute("DELETE FROM sketch WHERE doc_id = ?", (doc_id,))
            self.db.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))

    def unseen(self, run: int, scope: Sequence[Path]) -> list[tuple[str, str]]:
        """``(doc_id, path)`` of documents under the build's inputs that this run did not see."""
        out = []
        for doc_id, path in self.db.execute("SELECT doc_id, path FROM docs WHERE run != ? ORDER BY doc_id", (run,)):
            p = Path(path)
            if any(p == s or s in p.parents for s in scope):
                out.append((doc_id, path))
        return out

    # ------------------------------------------------------------------ reading back

    def count(self) -> tuple[int, int]:
        """Documents and relation facts the manifest holds."""
        n, f = self.db.execute("SELECT COUNT(*), COALESCE(SUM(facts), 0) FROM docs").fetchone()
        return n, f

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc_id FROM docs ORDER BY doc_id")]

    def claimed(self) -> list[str]:
        """The documents whose stored version the manifest vouches for (not invalidated)."""
        return [r[0] for r in self.db.execute("SELECT doc_id FROM docs WHERE hash != '' ORDER BY doc_id")]

    def text(self, doc_id: str) -> str:
        row = self.db.execute("SELECT text FROM docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return unpack(row[0])

    def facts(self, doc_id: str) -> list[Fact]:
        row = self.db.execute("SELECT facts_jsonl FROM docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return [fact_from_json(json.loads(line)) for line in unpack(row[0]).splitlines()]

    def facts_lines(self) -> Iterator[str]:
        """Every document's facts as JSON lines, in document-id order, streamed."""
        for (blob,) in self.db.execute("SELECT facts_jsonl FROM docs ORDER BY doc_id"):
            text = unpack(blob)
            if text:
                yield text if text.endswith("\n") else text + "\n"

    def reprint_candidates(self) -> Iterator[tuple[str, str]]:
        """Pairs of documents sharing a sketch shingle that is not boilerplate, sorted."""
        yield from self.db.execute(
            f"""
            WITH rare AS (SELECT hash FROM sketch GROUP BY hash HAVING COUNT(*) < {_BIG_BUCKET})
            SELECT DISTINCT a.doc_id, b.doc_id
            FROM rare JOIN sketch a ON a.hash = rare.hash JOIN sketch b ON b.hash = rare.hash AND a.doc_id < b.doc_id
            ORDER BY a.doc_id, b.doc_id
            """
        )


class _Transaction:
    def __init__(self, db: sqlite3.Connection, turn: threading.RLock) -> None:
        self.db, self.turn = db, turn

    def __enter__(self) -> sqlite3.Connection:
        self.turn.acquire()
        try:
            self.db.execute("BEGIN")
        except BaseException:
            self.turn.release()
            raise
        return self.db

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type:
                self.db.execute("ROLLBACK")
                return
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error:  # a full disk: the transaction stays open until rolled back
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        finally:
            self.turn.release()


def fact_from_json(d: dict) -> Fact:
    """The inverse of ``Fact.to_json`` (confidence keeps its printed precision)."""
    ev = Evidence(
        str(d["doc"]),
        str(d["sentence"]),
        int(d["start"]),
        int(d["end"]),
        str(d.get("rule", "")),
        float(d["confidence"]),
        d.get("quote"),
    )
    return Fact(str(d["subject"]), str(d["subject_type"]), str(d["predicate"]), str(d["object"]), str(d["object_type"]), ev)
