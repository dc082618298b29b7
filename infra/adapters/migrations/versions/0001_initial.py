"""The tables as they stood when migrations took over from constructors' DDL.

Revision ID: 0001
Revises:
Created: 2026-12-05

Frozen: a later change to a table is a new revision, never an edit here.
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    # Read models (projections/). Version 1 of each; a rebuild adds <name>_v<n>.
    """
    CREATE TABLE appeal_history (
        appeal_id uuid NOT NULL,
        version integer NOT NULL,
        position bigint NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor text NOT NULL,
        office text NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (appeal_id, version)
    )
    """,
    """
    CREATE TABLE appeal_register (
        appeal_id uuid PRIMARY KEY,
        version integer NOT NULL,
        status text NOT NULL,
        channel text NOT NULL,
        receiving_office text NOT NULL,
        office text NOT NULL,
        region text NOT NULL,
        assignee text,
        anonymous boolean NOT NULL,
        received_on date NOT NULL,
        due_on date NOT NULL,
        outcome text,
        refusal_ground text,
        updated_at timestamptz NOT NULL
    )
    """,
    "CREATE INDEX appeal_register_assignee ON appeal_register (assignee, received_on)",
    "CREATE INDEX appeal_register_channel ON appeal_register (channel, received_on)",
    "CREATE INDEX appeal_register_office ON appeal_register (office, received_on)",
    "CREATE INDEX appeal_register_office_status ON appeal_register (office, status, received_on)",
    "CREATE INDEX appeal_register_received ON appeal_register (received_on)",
    "CREATE INDEX appeal_register_receiving ON appeal_register (receiving_office, received_on)",
    "CREATE INDEX appeal_register_region_status ON appeal_register (region, status, received_on)",
    "CREATE INDEX appeal_register_open_due ON appeal_register (due_on) "
    "WHERE status IN ('received', 'in_progress')",
    "CREATE INDEX appeal_register_open_received ON appeal_register (received_on) "
    "WHERE status IN ('received', 'in_progress')",
    """
    CREATE TABLE oversight_facts (
        event_id text PRIMARY KEY,
        appeal_id uuid NOT NULL,
        kind text NOT NULL,
        day date NOT NULL,
        office text NOT NULL,
        region text NOT NULL,
        actor text NOT NULL,
        detail jsonb NOT NULL
    )
    """,
    "CREATE INDEX oversight_facts_appeal ON oversight_facts (appeal_id, kind)",
    "CREATE INDEX oversight_facts_kind_day ON oversight_facts (kind, day, region, office)",
    """
    CREATE TABLE instruction_status (
        instruction_id uuid PRIMARY KEY,
        version integer NOT NULL,
        position bigint NOT NULL,
        issuing_office text NOT NULL,
        addressee_office text NOT NULL,
        addressee_region text NOT NULL,
        appeal_id uuid,
        due_on date NOT NULL,
        status text NOT NULL,
        marked_overdue boolean NOT NULL DEFAULT false,
        late boolean NOT NULL DEFAULT false,
        issued_at timestamptz NOT NULL,
        received_at timestamptz,
        acknowledged_at timestamptz,
        executed_at timestamptz
    )
    """,
    "CREATE INDEX instruction_status_addressee ON instruction_status (addressee_office, status)",
    "CREATE INDEX instruction_status_open_due ON instruction_status (due_on) "
    "WHERE status <> 'executed' AND NOT marked_overdue",
    """
    CREATE TABLE read_model_versions (
        projection text PRIMARY KEY,
        live_table text NOT NULL,
        version integer NOT NULL,
        source text NOT NULL,
        swapped_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    # Feeders' positions (consumers/positions.py) and dead letters.
    """
    CREATE TABLE consumer_offsets (
        consumer text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        applied_position bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (consumer, topic, partition)
    )
    """,
    """
    CREATE TABLE projection_positions (
        consumer text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        consumer text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        aggregate_id text,
        event_id text,
        type text,
        position bigint,
        payload bytea NOT NULL,
        error text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        retried_at timestamptz,
        resolved boolean NOT NULL DEFAULT false,
        UNIQUE (consumer, topic, partition, "offset")
    )
    """,
    "CREATE INDEX dead_letters_unresolved ON dead_letters (consumer, aggregate_id) "
    "WHERE NOT resolved",
    # The relay's acknowledged position, and every worker's heartbeat.
    """
    CREATE TABLE relay_positions (
        relay text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE worker_heartbeats (
        worker text PRIMARY KEY,
        kind text NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL,
        state text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        beat_at timestamptz NOT NULL DEFAULT now(),
        lag bigint,
        error text,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb
    )
    """,
    # The applicant registry: identities sealed under per-person keys (crypto-shredding).
    "CREATE TABLE applicant_keys (ref text PRIMARY KEY, key bytea NOT NULL)",
    """
    CREATE TABLE applicants (
        ref text PRIMARY KEY REFERENCES applicant_keys (ref) ON DELETE CASCADE,
        iin_digest text NOT NULL UNIQUE,
        identity bytea NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE erasures (
        ref text PRIMARY KEY,
        erased_by text NOT NULL,
        erased_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    # Who saw whose personal data: append-only, enforced by the database.
    """
    CREATE TABLE personal_data_views (
        id bigserial PRIMARY KEY,
        appeal_id uuid NOT NULL,
        applicant_ref text NOT NULL,
        viewer text NOT NULL,
        role text NOT NULL,
        office text NOT NULL,
        viewed_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    "CREATE INDEX personal_data_views_appeal ON personal_data_views (appeal_id, viewed_at)",
    """
    CREATE FUNCTION personal_data_views_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'personal_data_views is append-only'; END $$
    """,
    "CREATE TRIGGER personal_data_views_no_change BEFORE UPDATE OR DELETE "
    "ON personal_data_views FOR EACH ROW EXECUTE FUNCTION personal_data_views_append_only()",
)

DROPPED = (
    "personal_data_views",
    "erasures",
    "applicants",
    "applicant_keys",
    "worker_heartbeats",
    "relay_positions",
    "dead_letters",
    "projection_positions",
    "consumer_offsets",
    "read_model_versions",
    "instruction_status",
    "oversight_facts",
    "appeal_register",
    "appeal_history",
)


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)


def downgrade() -> None:
    for table in DROPPED:
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION personal_data_views_append_only()")
