"""`jobrec bot` (long polling, or a webhook replica) as a real process against the fake Telegram,
for the shutdown and one-poller tests: start it, wait until it answers, SIGTERM it, time the exit."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from bot_harness import TOKEN
from fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
JOBREC = "import sys; from recommender.cli import main; sys.exit(main())"
OUR_SETTINGS = ("BOT_", "DATABASE_", "REDIS_", "WEBHOOK_", "MODEL_", "JOBS_", "SHUTDOWN_", "LOG_")
WARM_UP_USER = 2999
WEBHOOK_SECRET = "shutdown-secret_0123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BotProcess:
    tg: FakeTelegram
    workdir: Path
    database_url: str
    model_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    name: str = "bot"
    webhook_port: int | None = None  # a webhook replica listening there; None: long polling
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.webhook_port}/tg/hook"

    @property
    def log(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_SETTINGS)}
        env.update(
            PYTHONPATH=str(ROOT),
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE=self.tg.url,
            DATABASE_URL=self.database_url,
            MODEL_DIR=str(self.model_dir),
            JOBS_IN_BOT="false",
            LOG_LEVEL="INFO",
            RATE_LIMIT_COUNT="100",
        )
        if self.webhook_port is not None:
            env.update(
                WEBHOOK_URL=self.webhook_url,
                WEBHOOK_LISTEN=f"127.0.0.1:{self.webhook_port}",
                WEBHOOK_SECRET=WEBHOOK_SECRET,
            )
        env.update(self.env)
        return env

    async def start(self, *, warm_up: bool = True) -> None:
        """Start the process; with ``warm_up``, until it has answered a /help (it polls and handles)."""
        self.starts += 1
        mode = ["--webhook"] if self.webhook_port is not None else []
        with self.log.open("ab") as stream:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", JOBREC, "bot", *mode,
                cwd=self.workdir, env=self.environment(), stdout=stream, stderr=stream,
            )  # fmt: skip
        if self.webhook_port is not None:
            await self.listening()
        elif warm_up:
            await self.warm_up()

    async def listening(self, timeout: float = 90) -> None:
        """Until the webhook replica answers /healthz."""
        url = f"http://127.0.0.1:{self.webhook_port}/healthz"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with aiohttp.ClientSession() as session:
            while loop.time() < deadline:
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(url) as response:
                        if response.status == 200:
                            return
                assert self.process is not None and self.process.returncode is None, self.output()[-3000:]
                await asyncio.sleep(0.1)
        raise AssertionError(f"{self.name} did not listen within {timeout} s:\n{self.output()[-3000:]}")

    async def warm_up(self) -> None:
        if WARM_UP_USER not in self.tg.users:
            self.tg.add_user(WARM_UP_USER)
        before = len(self.tg.outbox(WARM_UP_USER))
        await self.tg.send_text(WARM_UP_USER, "/help")
        await self.tg.wait_new(WARM_UP_USER, before, timeout=90)

    async def terminate(self) -> tuple[int, float]:
        """SIGTERM; the exit code and the seconds it took to exit."""
        assert self.process is not None
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.process.wait(), 60)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(
                f"{self.name} did not exit within 60 s of SIGTERM:\n{self.output()[-3000:]}"
            ) from None
        return code, time.monotonic() - began

    async def wait(self, timeout: float = 60) -> int:
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
