"""The local broker never configures its two listeners on one port (Kafka refuses that,
and two free ports asked for in turn can be the same one, just released)."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.local import kafka_broker


def test_the_controller_gets_a_port_of_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    given = iter([40001, 40001, 40001, 40002])
    monkeypatch.setattr(kafka_broker, "free_port", lambda: next(given))
    broker = kafka_broker.KafkaBroker(tmp_path)
    assert (broker.port, broker.controller_port) == (40001, 40002)
