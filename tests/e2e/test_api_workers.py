"""`appeals api --workers N`: N worker processes serve one port; the embedded feed runs
in the parent, so what a worker records reaches the read models all the same."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.processes import api_port, appeals_process, wait_for_api
from tests.support import as_user

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def children(pid: int) -> list[str]:
    """The command lines of ``pid``'s child processes."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(cmdline)
    return found


def test_two_workers_serve_and_the_parent_feeds_the_read_models(
    database_url: str, scratch_dir: Path
) -> None:
    port = api_port()
    base = f"http://127.0.0.1:{port}"
    log = scratch_dir / "api.log"
    env = {"DATABASE_URL": database_url, "APPEALS_LOG_LEVEL": "WARNING"}
    with appeals_process(["api", "--port", str(port), "--workers", "2"], env, log) as proc:
        wait_for_api(base, proc, log)
        workers = [c for c in children(proc.pid) if "spawn_main" in c]
        assert len(workers) == 2, children(proc.pid)
        registrar = as_user("reg.1", "registrar", "REG-ALA")
        supervisor = as_user("sup.1", "supervisor", "REG-ALA")
        with httpx.Client(base_url=base, timeout=30) as http:
            made = []
            for n in range(6):  # over new connections, so both workers take some
                with httpx.Client(base_url=base, timeout=30, headers=registrar) as one:
                    body = {"channel": "written", "office": "REG-ALA", "summary": f"Appeal {n}"}
                    r = one.post("/appeals", json=body)
                assert r.status_code == 201, r.text
                made.append(r.json())
            last = made[-1]
            history = http.get(
                f"/appeals/{last['appeal_id']}/history",
                params={"min_position": last["position"]},
                headers=supervisor,
            )
            assert history.status_code == 200, history.text
            assert history.json()["events"][0]["type"] == "appeals.appeal.received"
            for appeal in made:
                r = http.get(f"/appeals/{appeal['appeal_id']}", headers=supervisor)
                assert r.status_code == 200
                assert r.json()["summary"].startswith("Appeal ")
