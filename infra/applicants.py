"""The applicant registry in PostgreSQL: one row per person, found by a keyed digest
of the IIN; events refer to people only by the row's pseudonymous reference."""

from __future__ import annotations

from psycopg import Connection
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from domain.applicants import Applicant, iin_digest, new_reference


class PostgresApplicants:
    def __init__(self, pool: ConnectionPool, secret: bytes) -> None:
        self.pool = pool
        self.secret = secret

    @staticmethod
    def create_table(conn: Connection) -> None:
        conn.execute(
            """
                CREATE TABLE IF NOT EXISTS applicants (
                    ref text PRIMARY KEY,
                    iin_digest text NOT NULL UNIQUE,
                    identity jsonb NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """
        )

    def register(self, applicant: Applicant) -> str:
        identity = {
            "iin": applicant.iin,
            "name": applicant.name,
            "phone": applicant.phone,
            "email": applicant.email,
            "address": applicant.address,
        }
        with self.pool.connection() as conn:
            row = conn.execute(
                """
                INSERT INTO applicants (ref, iin_digest, identity) VALUES (%s, %s, %s)
                ON CONFLICT (iin_digest) DO UPDATE
                SET identity = EXCLUDED.identity, updated_at = now()
                RETURNING ref
                """,
                (new_reference(), iin_digest(self.secret, applicant.iin), Jsonb(identity)),
            ).fetchone()
        assert row is not None
        return str(row[0])

    def lookup(self, ref: str) -> Applicant | None:
        with self.pool.connection() as conn:
            row = conn.execute("SELECT identity FROM applicants WHERE ref = %s", (ref,)).fetchone()
        if row is None:
            return None
        data = row[0]
        return Applicant(
            iin=data["iin"],
            name=data["name"],
            phone=data.get("phone"),
            email=data.get("email"),
            address=data.get("address"),
        )
