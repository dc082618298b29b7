"""A real Apache Kafka broker (KRaft, one node) from the jars Maven Central serves.

``ensure_jars`` resolves ``org.apache.kafka:kafka_2.13`` with
``mvn dependency:copy-dependencies`` (pom in ``infra/local/kafka/pom.xml``) into an ignored
cache folder; ``KafkaBroker`` formats storage and runs ``kafka.Kafka`` on loopback
ports. No Docker, no tarball.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import structlog

from infra.adapters.settings import PROJECT_ROOT

log = structlog.get_logger(__name__)

POM = Path(__file__).resolve().parent / "kafka" / "pom.xml"
DEFAULT_LIBS = PROJECT_ROOT / ".cache" / "kafka-libs"

LOG4J2 = """\
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
"""


class BrokerError(RuntimeError):
    """The broker could not be provided; the message says what to install or check."""


def _require(tool: str, hint: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise BrokerError(f"`{tool}` was not found on PATH. {hint}")
    return path


def ensure_jars(libs_dir: Path = DEFAULT_LIBS) -> Path:
    """Resolve the broker's jars once; later calls reuse the cache folder."""
    marker = libs_dir / ".complete"
    if marker.exists():
        return libs_dir
    mvn = _require("mvn", "Install Maven (Debian: apt-get install maven) to fetch the Kafka jars.")
    libs_dir.mkdir(parents=True, exist_ok=True)
    log.info("kafka.resolving_jars", into=str(libs_dir))
    result = subprocess.run(
        [
            mvn,
            "-B",
            "-q",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={libs_dir}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BrokerError(
            "Maven could not resolve the Kafka broker jars:\n"
            + (result.stdout + result.stderr)[-4000:]
        )
    marker.write_text("ok\n")
    return libs_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class KafkaBroker:
    """One combined broker/controller node on 127.0.0.1, data under ``work_dir``."""

    def __init__(
        self,
        work_dir: Path,
        *,
        libs_dir: Path = DEFAULT_LIBS,
        port: int | None = None,
        controller_port: int | None = None,
    ) -> None:
        self.work_dir = work_dir
        self.libs_dir = libs_dir
        self.port = port or free_port()
        self.controller_port = controller_port or free_port()
        while self.controller_port == self.port:
            # Two free ports asked for one after the other can be the same one, just
            # released; the broker then refuses its own configuration.
            self.controller_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _write_config(self) -> Path:
        data = self.work_dir / "data"
        data.mkdir(parents=True, exist_ok=True)
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.bootstrap.servers": f"127.0.0.1:{self.controller_port}",
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},"
            f"CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port},"
            f"CONTROLLER://127.0.0.1:{self.controller_port}",
            "inter.broker.listener.name": "PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(data.resolve()),
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "group.min.session.timeout.ms": "1000",
            "num.network.threads": "2",
            "num.io.threads": "2",
            "num.partitions": "1",
            "auto.create.topics.enable": "false",
        }
        config = self.work_dir / "server.properties"
        config.write_text("".join(f"{k}={v}\n" for k, v in props.items()))
        (self.work_dir / "log4j2.properties").write_text(LOG4J2)
        return config

    def _java(self, *args: str) -> list[str]:
        java = _require(
            "java", "Install a Java 17 runtime (Debian: apt-get install openjdk-17-jre)."
        )
        return [
            java,
            "-Xms256m",
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.work_dir / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={self.work_dir}",
            "-cp",
            f"{self.libs_dir}/*",
            *args,
        ]

    def start(self, timeout: float = 120.0) -> str:
        """Format storage (once) and start the broker; returns bootstrap servers."""
        ensure_jars(self.libs_dir)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        config = self._write_config()
        cluster_id_file = self.work_dir / "cluster.id"
        if not cluster_id_file.exists():
            out = subprocess.run(
                self._java("kafka.tools.StorageTool", "random-uuid"),
                capture_output=True,
                text=True,
                check=True,
            )
            cluster_id_file.write_text(out.stdout.strip().splitlines()[-1])
        fmt = subprocess.run(
            self._java(
                "kafka.tools.StorageTool",
                "format",
                "--standalone",
                "--ignore-formatted",
                "-t",
                cluster_id_file.read_text().strip(),
                "-c",
                str(config),
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if fmt.returncode != 0:
            raise BrokerError(f"Formatting Kafka storage failed:\n{fmt.stdout}{fmt.stderr}")
        server_log = self.work_dir / "server.log"
        # The readiness check reads this log, so a previous run's lines must not count.
        server_log.unlink(missing_ok=True)
        stdout = open(self.work_dir / "stdout.log", "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(
            self._java("kafka.Kafka", str(config)),
            stdout=stdout,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = (self.work_dir / "stdout.log").read_text(errors="replace")[-3000:]
                raise BrokerError(
                    f"The Kafka broker exited with {self.process.returncode}:\n{tail}"
                )
            if (
                server_log.exists()
                and "Kafka Server started" in server_log.read_text(errors="replace")
                and self._port_open()
            ):
                log.info("kafka.started", bootstrap=self.bootstrap_servers)
                return self.bootstrap_servers
            time.sleep(0.25)
        self.stop()
        raise BrokerError(f"The Kafka broker did not start within {timeout:.0f}s; see {server_log}")

    def _port_open(self) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self, timeout: float = 30.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait(10)
        log.info("kafka.stopped")
