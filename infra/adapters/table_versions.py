"""A read model's tables, for migrations that change them all alike: the base table (the
template rebuilds copy) and every version a rebuild made of it (``<name>_vN``)."""

from __future__ import annotations

from typing import Any


def table_versions(bind: Any, name: str) -> list[str]:
    """Every table of read model ``name`` in the current schema, on Alembic's ``bind``."""
    rows = bind.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename ~ %(pattern)s",
        {"pattern": f"^{name}(_v[0-9]+)?$"},
    )
    return [str(row[0]) for row in rows]
