"""The applicant registry in PostgreSQL, with a key per person (crypto-shredding).

Each person gets a random AES-256-GCM key. Their identity (IIN, name, contacts) is
stored only encrypted with it, and so is every free text of their appeals (sealed
tokens in the events). They are found by a keyed digest of the IIN, never the IIN.
Erasure deletes the identity and the key, then rewrites the key table so that the
key's bytes leave the data files: what was sealed for the person is unreadable for
good, while the appeals' events, dates and decisions stay.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg import Connection, Cursor
from psycopg_pool import ConnectionPool

from domain.applicants import (
    ERASED_TEXT,
    SEALED_PREFIX,
    Applicant,
    iin_digest,
    new_reference,
    sealed_ref,
)

_NONCE = 12


def _encrypt(key: bytes, plaintext: bytes, ref: str) -> bytes:
    nonce = os.urandom(_NONCE)
    # The reference is authenticated data: a ciphertext cannot be moved to another person.
    return nonce + AESGCM(key).encrypt(nonce, plaintext, ref.encode())


def _sealed(key: bytes, ref: str, text: str) -> str:
    """``text`` sealed with the person's key, as the token stored in events."""
    blob = _encrypt(key, text.encode(), ref)
    return f"{SEALED_PREFIX}{ref}:{base64.urlsafe_b64encode(blob).decode()}"


def _decrypt(key: bytes, blob: bytes, ref: str) -> bytes:
    return AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], ref.encode())


class KeyEncryptionKeyMissing(RuntimeError):
    """A data key is wrapped by a key-encryption key the settings no longer hold."""


class PostgresApplicants:
    def __init__(
        self,
        pool: ConnectionPool,
        secret: bytes,
        database_url: str,
        keks: dict[str, bytes],
        active_kek: str,
    ) -> None:
        self.pool = pool
        self.secret = secret
        self.database_url = database_url
        self.keks = keks
        self.active_kek = active_kek

    # Each person's data key is stored wrapped (AES-256-GCM) by a key-encryption key
    # from the settings, never in the clear: the database's files, WAL and dumps alone
    # decrypt nothing.

    def _wrap(self, key: bytes, ref: str) -> tuple[bytes, str]:
        return _encrypt(self.keks[self.active_kek], key, f"kek:{ref}"), self.active_kek

    def _unwrap(self, stored: bytes, kek_id: str | None, ref: str) -> bytes:
        if kek_id is None:
            return stored  # stored before keys were wrapped; `appeals keys rotate` wraps it
        kek = self.keks.get(kek_id)
        if kek is None:
            raise KeyEncryptionKeyMissing(
                f"the data key of {ref} is wrapped by key-encryption key {kek_id!r}, which "
                "APPEALS_KEY_ENCRYPTION_KEYS no longer holds: restore it, then run "
                "`appeals keys rotate`"
            )
        return _decrypt(kek, stored, f"kek:{ref}")

    def _key(self, conn: Connection, ref: str) -> bytes | None:
        row = conn.execute(
            "SELECT key, kek_id FROM applicant_keys WHERE ref = %s", (ref,)
        ).fetchone()
        return self._unwrap(bytes(row[0]), row[1], ref) if row else None

    def _new_key(self, conn: Connection, ref: str) -> bytes:
        key = AESGCM.generate_key(bit_length=256)
        wrapped, kek_id = self._wrap(key, ref)
        conn.execute(
            "INSERT INTO applicant_keys (ref, key, kek_id) VALUES (%s, %s, %s) "
            "ON CONFLICT (ref) DO NOTHING",
            (ref, wrapped, kek_id),
        )
        found = self._key(conn, ref)  # another process may have made it first
        assert found is not None
        return found

    def rotate(self, batch: int = 500) -> int:
        """Rewrap every data key not wrapped by the active key-encryption key (plain ones
        included); the number rewrapped. Safe to run again and while serving."""
        done = 0
        while True:
            with self.pool.connection() as conn:
                rows = conn.execute(
                    "SELECT ref, key, kek_id FROM applicant_keys "
                    "WHERE kek_id IS DISTINCT FROM %s LIMIT %s FOR UPDATE SKIP LOCKED",
                    (self.active_kek, batch),
                ).fetchall()
                for ref, stored, kek_id in rows:
                    wrapped, active = self._wrap(self._unwrap(bytes(stored), kek_id, ref), ref)
                    conn.execute(
                        "UPDATE applicant_keys SET key = %s, kek_id = %s WHERE ref = %s",
                        (wrapped, active, ref),
                    )
            done += len(rows)
            if len(rows) < batch:
                return done

    def register(self, applicant: Applicant) -> str:
        """``enrol``, written at once in a transaction of its own (for callers outside a
        command: the demo, tests); a newcomer registered meanwhile by another is found
        by the second lookup."""
        try:
            return self._write_alone(self.enrol(applicant))
        except psycopg.errors.UniqueViolation:
            return self._write_alone(self.enrol(applicant))

    def _write_alone(self, enrolment: PostgresEnrolment) -> str:
        with self.pool.connection() as conn, conn.cursor() as curs:
            enrolment.write(curs)
        return enrolment.ref

    def enrol(self, applicant: Applicant) -> PostgresEnrolment:
        """One round trip to find the person (with their key); a newcomer's reference and
        key are made here. What is written goes with the command's events
        (``AppealsRecorder``), so that a refused command registers nobody."""
        digest = iin_digest(self.secret, applicant.identity)
        identity = json.dumps(applicant.as_record()).encode()
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT a.ref, k.key, k.kek_id FROM applicants a "
                "JOIN applicant_keys k USING (ref) WHERE a.iin_digest = %s",
                (digest,),
            ).fetchone()
        if row is not None:
            ref = str(row[0])
            key = self._unwrap(bytes(row[1]), row[2], ref)
            writes: list[tuple[str, tuple[Any, ...]]] = [
                (
                    "UPDATE applicants SET identity = %s, updated_at = now() WHERE ref = %s",
                    (_encrypt(key, identity, ref), ref),
                )
            ]
            return PostgresEnrolment(ref, key, writes)
        ref = new_reference()
        key = AESGCM.generate_key(bit_length=256)
        wrapped, kek_id = self._wrap(key, ref)
        writes = [
            (
                "INSERT INTO applicant_keys (ref, key, kek_id) VALUES (%s, %s, %s)",
                (ref, wrapped, kek_id),
            ),
            (
                "INSERT INTO applicants (ref, iin_digest, identity) VALUES (%s, %s, %s)",
                (ref, digest, _encrypt(key, identity, ref)),
            ),
        ]
        return PostgresEnrolment(ref, key, writes)

    def lookup(self, ref: str) -> Applicant | None:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT k.key, k.kek_id, a.identity FROM applicants a "
                "JOIN applicant_keys k USING (ref) WHERE a.ref = %s",
                (ref,),
            ).fetchone()
        if row is None:
            return None
        key = self._unwrap(bytes(row[0]), row[1], ref)
        data = json.loads(_decrypt(key, bytes(row[2]), ref))
        return Applicant.from_record(data)

    def seal(self, ref: str, text: str) -> str:
        with self.pool.connection() as conn:
            key = self._key(conn, ref)
            if key is None:
                if conn.execute("SELECT 1 FROM erasures WHERE ref = %s", (ref,)).fetchone():
                    # Erasure is for good: what is written about the person afterwards
                    # is not kept either, and their appeals go on without it.
                    return ERASED_TEXT
                # A reference with no identity on record (a booking's own pseudonym):
                # it gets a key of its own, erasable like anyone's.
                key = self._new_key(conn, ref)
        return _sealed(key, ref, text)

    def unseal(self, token: str) -> str | None:
        ref = sealed_ref(token)
        with self.pool.connection() as conn:
            key = self._key(conn, ref)
        if key is None:
            return None
        blob = base64.urlsafe_b64decode(token.rsplit(":", 1)[1])
        try:
            return _decrypt(key, blob, ref).decode()
        except InvalidTag:
            return None

    def erase(self, ref: str, *, erased_by: str = "system") -> bool:
        with self.pool.connection() as conn:
            deleted = conn.execute("DELETE FROM applicant_keys WHERE ref = %s", (ref,)).rowcount
            if deleted:
                conn.execute(
                    "INSERT INTO erasures (ref, erased_by) VALUES (%s, %s) "
                    "ON CONFLICT (ref) DO NOTHING",
                    (ref, erased_by),
                )
        if deleted:
            # A deleted row's bytes stay in the table's pages until they are rewritten.
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                conn.execute("VACUUM FULL applicant_keys")
                conn.execute("VACUUM FULL applicants")
        return bool(deleted)

    def known(self, ref: str) -> bool:
        with self.pool.connection() as conn:
            return self._key(conn, ref) is not None

    def erased(self, ref: str) -> bool:
        with self.pool.connection() as conn:
            row = conn.execute("SELECT 1 FROM erasures WHERE ref = %s", (ref,)).fetchone()
        return row is not None


class PostgresEnrolment:
    """A person's reference and key, and the registry rows to write with the events of
    the command that enrols them (``AppealsRecorder``, one transaction)."""

    def __init__(self, ref: str, key: bytes, writes: list[tuple[str, tuple[Any, ...]]]) -> None:
        self.ref = ref
        self._key = key
        self._writes = writes
        self._written = False

    def seal(self, text: str) -> str:
        return _sealed(self._key, self.ref, text)

    def write(self, curs: Cursor[Any]) -> None:
        for statement, params in self._writes:
            curs.execute(statement, params)
        self._written = True

    def recorded(self) -> None:
        if not self._written:
            raise RuntimeError(
                f"the identity of {self.ref} was not written with the command's events: the "
                "event store must be built with AppealsRecorder (infra/adapters/event_recorder.py)"
            )
