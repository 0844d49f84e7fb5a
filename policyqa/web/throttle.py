"""Login throttling: after repeated wrong passwords for one user name, or from one address, further login
attempts are refused for a while that doubles with every further failure (so guessing a password online
takes years), and a success clears the user's count."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qs

FREE_FAILURES = 5  # wrong passwords allowed before a pause: enough for typos
FIRST_PAUSE = 2.0  # seconds after the first failure beyond the free ones; doubled each time
MAX_PAUSE = 900.0
FORGET_AFTER = 3600.0  # a key without failures for this long starts afresh
MAX_RECORDS = 10_000  # beyond this many keys, the forgotten ones are dropped
LOGIN_PATH = "/login"


@dataclass
class _Record:
    failures: int = 0
    until: float = 0.0  # refused before this time
    last: float = 0.0


@dataclass
class LoginThrottle:
    """Failure counts per key ("user:NAME", "addr:IP"); `clock` is injectable for tests of the policy."""

    clock: Callable[[], float] = time.monotonic
    _records: dict[str, _Record] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, *keys: str) -> float:
        """Seconds until any of `keys` may try again (0 when all may)."""
        now = self.clock()
        with self._lock:
            return max([0.0] + [r.until - now for k in keys if (r := self._records.get(k)) and r.until > now])

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._records) > MAX_RECORDS:  # a client spraying user names must not grow memory without end
                self._records = {k: r for k, r in self._records.items() if now - r.last <= FORGET_AFTER}
            for key in keys:
                r = self._records.get(key)
                if r is None or now - r.last > FORGET_AFTER:
                    r = self._records[key] = _Record()
                r.failures += 1
                r.last = now
                if r.failures > FREE_FAILURES:
                    r.until = now + min(MAX_PAUSE, FIRST_PAUSE * 2 ** (r.failures - FREE_FAILURES - 1))

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)


class ThrottleLogins:
    """ASGI middleware in front of Gradio's POST /login: refuses (429, a Chinese reason) while the user name or
    the client address is paused, and counts Gradio's answer (400 = wrong credentials)."""

    def __init__(self, app, throttle: LoginThrottle | None = None):
        self.app = app
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].rstrip("/").endswith(LOGIN_PATH):
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:  # the form is small; read it to learn the user name, then hand it on unchanged
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > 64 * 1024:
                break
        user = (parse_qs(body.decode("utf-8", "replace")).get("username") or [""])[0].strip()
        addr = (scope.get("client") or ("", 0))[0]
        keys = (f"user:{user}", f"addr:{addr}")
        wait = self.throttle.wait_for(*keys)
        if wait > 0:
            await _refuse(send, wait)
            return
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(message):
            if message["type"] == "http.response.start":
                if message["status"] == 400:
                    self.throttle.failed(*keys)
                elif message["status"] < 300:
                    self.throttle.succeeded(keys[0])
            await send(message)

        await self.app(scope, replay, watch)


async def _refuse(send, wait: float) -> None:
    detail = f"登录失败次数过多，请 {int(wait) + 1} 秒后再试。"
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 429,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"retry-after", str(int(wait) + 1).encode())]})
    await send({"type": "http.response.body", "body": body})
