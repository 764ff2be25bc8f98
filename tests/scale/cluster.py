"""A jobrec deployment as plain processes: webhook replicas and workers on PostgreSQL and Redis.

Used by tests/scale/test_cluster.py and bench/bench_webhook.py. Each process is a real
``jobrec`` subprocess with its own environment; the fake Telegram plays Telegram and the
reverse proxy (round-robin POSTs with the secret header).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAtestTOKENtestTOKENtestTOKEN12345"
SECRET = "cluster-secret_0123456789"
WEBHOOK_PATH = "/telegram/webhook"
JOBREC = "import sys; from recommender.cli import main; sys.exit(main())"
OUR_SETTINGS = ("BOT_", "DATABASE_", "REDIS_", "WEBHOOK_", "MODEL_", "JOBS_", "DIGEST_", "RETRAIN_", "HH_")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Proc:
    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    port: int | None = None
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def webhook(self) -> str:
        return f"{self.url}{WEBHOOK_PATH}"

    async def start(self) -> None:
        stream = self.log.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", JOBREC, *self.args,
            cwd=self.log.parent, env=self.env, stdout=stream, stderr=stream,
        )  # fmt: skip
        stream.close()

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when a machine dies."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> int | None:
        if self.process is None or self.process.returncode is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            return await self.process.wait()

    async def wait(self) -> int:
        assert self.process is not None
        return await self.process.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    workdir: Path
    database_url: str
    redis_url: str
    redis_prefix: str
    telegram_url: str
    model_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    procs: list[Proc] = field(default_factory=list)

    def env(self, **overrides: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_SETTINGS)}
        env.update(
            PYTHONPATH=str(ROOT),
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE=self.telegram_url,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            REDIS_PREFIX=self.redis_prefix,
            WEBHOOK_SECRET=SECRET,
            MODEL_DIR=str(self.model_dir),
            JOBS_IN_BOT="false",
            LOG_LEVEL="INFO",
            MODEL_POLL_SECONDS="30",  # Redis announcements do the work; polling is the fallback
        )
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def replica(self, name: str, port: int | None = None, **env: str) -> Proc:
        port = port or free_port()
        settings = self.env(
            WEBHOOK_URL=f"https://bot.example.com{WEBHOOK_PATH}",
            WEBHOOK_LISTEN=f"127.0.0.1:{port}",
            **env,
        )
        proc = Proc(name, ["bot", "--webhook"], settings, self.workdir / f"{name}.log", port)
        self.procs.append(proc)
        return proc

    def worker(self, name: str, *args: str, **env: str) -> Proc:
        proc = Proc(name, ["worker", *args], self.env(**env), self.workdir / f"{name}.log")
        self.procs.append(proc)
        return proc

    async def stop(self) -> None:
        await asyncio.gather(*(proc.stop() for proc in self.procs), return_exceptions=True)


async def get_json(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(url, timeout=aiohttp.ClientTimeout(5)) as r:
        return r.status, await r.json()


async def wait_ready(proc: Proc, timeout: float = 120.0) -> dict[str, Any]:
    """Until the replica's /readyz says ready (it migrated, loaded a model, reached Redis)."""
    deadline = asyncio.get_running_loop().time() + timeout
    last: Any = None
    while asyncio.get_running_loop().time() < deadline:
        assert proc.process is not None
        if proc.process.returncode is not None:
            code = proc.process.returncode
            raise AssertionError(f"{proc.name} exited with {code}:\n{proc.output()[-3000:]}")
        with contextlib.suppress(aiohttp.ClientError, OSError, TimeoutError):
            status, body = await get_json(f"{proc.url}/readyz")
            last = body
            if status == 200:
                return body
        await asyncio.sleep(0.2)
    raise AssertionError(f"{proc.name} never became ready ({last}):\n{proc.output()[-3000:]}")


async def served_version(proc: Proc) -> str | None:
    with contextlib.suppress(aiohttp.ClientError, OSError, TimeoutError):
        _, body = await get_json(f"{proc.url}/readyz")
        return str(body.get("model"))
    return None
