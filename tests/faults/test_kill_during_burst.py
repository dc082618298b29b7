"""The relay, the projection consumer and the API killed with SIGKILL during a burst of
commands, each restarted: every command the API acknowledged is stored, and every
stored event reaches the read models exactly once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.processes import api_port
from tests.faults.processes import Service
from tests.support import as_user, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.kafka, pytest.mark.postgres]

COMMANDS = 900
CLIENTS = 4
REGISTRAR = as_user("registrar.almaty", role="registrar", office="REG-ALA")
SUPERVISOR = as_user("sup.gpo", role="supervisor", office="GPO")


def appeal(n: int) -> dict[str, Any]:
    return {
        "channel": "written",
        "office": "REG-ALA",
        "summary": f"Burst appeal {n}",
        "applicant": {"iin": "791028302728", "name": "Aigerim Nurlanovna"},
    }


def unexpected_errors(log: Path, chars: int = 4000) -> str:
    """What the API logged of its unexpected errors (each with its traceback), for the
    failure message: a 500 in a burst is rare, and the log is gone with the scratch dir."""
    text = log.read_text(errors="replace")
    found = [text[i : i + chars] for i in _starts(text, "api.unexpected_error")]
    return "\n...\n".join(found[:3]) or "(the API logged no unexpected error)"


def _starts(text: str, marker: str) -> list[int]:
    out, at = [], text.find(marker)
    while at != -1:
        out.append(max(0, at - 200))
        at = text.find(marker, at + 1)
    return out


class Burst:
    """Clients that send every command until it is acknowledged, retrying with the same
    idempotency key while the API is down, as a careful client does."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.acknowledged: dict[int, str] = {}
        self.server_errors: list[str] = []
        self.done = 0
        self.lock = threading.Lock()

    def client(self, numbers: range) -> None:
        with httpx.Client(base_url=self.base, timeout=10) as http:
            for n in numbers:
                self.send(http, n)

    def send(self, http: httpx.Client, n: int) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                r = http.post(
                    "/appeals",
                    json=appeal(n),
                    headers={**REGISTRAR, "Idempotency-Key": f"burst-{n}"},
                )
            except httpx.TransportError:
                time.sleep(0.2)  # the API is restarting
                continue
            if r.status_code == 201:
                with self.lock:
                    self.acknowledged[n] = r.json()["appeal_id"]
                    self.done += 1
                return
            if r.status_code >= 500 and r.status_code != 503:
                self.server_errors.append(f"{r.status_code} {r.text[:200]}")
            time.sleep(0.2)
        raise AssertionError(f"command {n} was never acknowledged")


@pytest.fixture
def services(
    database_url: str, kafka_bootstrap: str, scratch_dir: Path
) -> Iterator[dict[str, Service]]:
    port = api_port()
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "APPEALS_TOPIC": f"faults.{scratch_dir.name}",
        "APPEALS_TOPIC_PARTITIONS": "3",
        "APPEALS_CONSUMER_GROUP": f"faults-{scratch_dir.name}",
        "APPEALS_LOG_FORMAT": "json",
    }
    made = {
        "api": Service(["api", "--port", str(port)], env, scratch_dir / "api.log"),
        "relay": Service(["relay"], env, scratch_dir / "relay.log"),
        "consume": Service(["consume"], env, scratch_dir / "consume.log"),
    }
    for service in made.values():
        service.start()
    try:
        yield made
    except BaseException:
        for service in made.values():
            print(service.tail())
        raise
    finally:
        for service in made.values():
            service.stop()


def wait_for_api(base: str) -> None:
    def up() -> bool:
        try:
            httpx.get(f"{base}/openapi.json", timeout=2)
            return True
        except httpx.HTTPError:
            return False

    wait_until(up, timeout=60, interval=0.2, what=f"{base} to answer")


def test_kill_minus_nine_during_a_burst_loses_nothing_and_applies_once(
    services: dict[str, Service],
) -> None:
    api = services["api"]
    base = f"http://127.0.0.1:{api.args[-1]}"
    wait_for_api(base)
    burst = Burst(base)
    share = COMMANDS // CLIENTS
    clients = [
        threading.Thread(target=burst.client, args=(range(k * share, (k + 1) * share),))
        for k in range(CLIENTS)
    ]
    for thread in clients:
        thread.start()
    # Each kill comes while commands are flowing; each service is restarted a moment later.
    for fraction, name in ((0.2, "relay"), (0.45, "consume"), (0.7, "api")):
        target = COMMANDS * fraction
        wait_until(lambda: burst.done >= target, timeout=120, what="the burst")  # noqa: B023
        services[name].kill()
        time.sleep(1)
        services[name].start()
    for thread in clients:
        thread.join(180)
    assert not any(thread.is_alive() for thread in clients)
    assert burst.server_errors == [], unexpected_errors(api.log)
    acknowledged = set(burst.acknowledged.values())
    assert len(acknowledged) == COMMANDS  # one appeal per idempotency key, none twice

    with httpx.Client(base_url=base, headers=SUPERVISOR, timeout=10) as http:

        def register_total() -> int:
            r = http.get("/appeals", params={"limit": 1})
            return int(r.json()["total"]) if r.status_code == 200 else -1

        wait_until(
            lambda: register_total() == COMMANDS, timeout=120, what="every appeal in the register"
        )
        listed: set[str] = set()
        for offset in range(0, COMMANDS, 200):
            page = http.get("/appeals", params={"limit": 200, "offset": offset}).json()
            listed |= {item["appeal_id"] for item in page["items"]}
        assert listed == acknowledged
        # Exactly once: each appeal's history holds its one event, not a copy of it.
        for appeal_id in sorted(acknowledged)[:: COMMANDS // 30]:
            history = http.get(f"/appeals/{appeal_id}/history").json()["events"]
            assert [e["version"] for e in history] == [1]
