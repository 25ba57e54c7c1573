"""The servers under test, each in its own process so it does not share the load
generator's GIL: `app` (the real Tolbooth app, seeded, configured as `tolbooth serve`
configures it) and `baseline` (a bare Starlette JSON endpoint). Both run under
uvicorn with one worker and the same options, on 127.0.0.1 only.

    python -m bench.servers app|baseline PORT DATA_DIR   (what Server starts)
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .http1 import Connection

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3 of stat(5)); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """`with Server("app") as server:` starts it, waits until GET / answers, stops it."""

    def __init__(self, kind: str) -> None:
        if kind not in ("app", "baseline"):
            raise ValueError(kind)
        self.kind = kind
        self.port = free_port()
        self._tmp = tempfile.TemporaryDirectory(prefix=f"tolbooth-bench-{kind}-")
        self.data_dir = Path(self._tmp.name)
        self.log_path = self.data_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def host_header(self) -> str:
        return f"localhost:{self.port}"

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}/"

    def __enter__(self) -> Server:
        # Only our own TOLBOOTH_ settings: unknown ones make Settings fail, and a
        # replica URL would put the app under Litestream.
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOLBOOTH_")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.servers", self.kind, str(self.port), str(self.data_dir)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        last_error = ""
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited with {self.process.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                conn = Connection(HOST, self.port, timeout=2)
                try:
                    response = conn.get("/", self.host_header, {})
                finally:
                    conn.close()
                if response.status == 200:
                    return
                last_error = f"GET / answered {response.status}"
            except OSError as exc:
                last_error = str(exc)
            time.sleep(0.1)
        raise RuntimeError(f"{self.kind} server not ready after {START_TIMEOUT_S:.0f} s "
                           f"({last_error}):\n{self.log_tail()}")

    def cpu_seconds(self) -> float:
        assert self.process is not None
        return cpu_seconds(self.process.pid)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._tmp.cleanup()


def _baseline_app():  # type: ignore[no-untyped-def]
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def hello(request):  # type: ignore[no-untyped-def]
        return JSONResponse({"hello": "world"})

    return Starlette(routes=[Route("/", hello)])


def _tolbooth_app(port: int, data_dir: str):  # type: ignore[no-untyped-def]
    from server.app import create_app
    from server.db import Store
    from server.db.seed import seed
    from server.settings import Settings

    settings = Settings.from_env({
        "TOLBOOTH_DATA_DIR": data_dir,
        "TOLBOOTH_SECRET_KEY": "bench-" + "x" * 40,
        "TOLBOOTH_ORIGIN": f"http://localhost:{port}",
    })
    store = Store(settings.db_path)
    app = create_app(settings, store)
    store.write_sync(seed)
    return app


def main(argv: list[str]) -> None:
    import uvicorn

    kind, port, data_dir = argv[0], int(argv[1]), argv[2]
    # As `tolbooth serve` does: the access log's JSON lines go to stderr at info level
    # (here into server.log), so their cost is part of what we measure.
    logging.basicConfig(level="INFO", format="%(message)s")
    app = _tolbooth_app(port, data_dir) if kind == "app" else _baseline_app()
    uvicorn.run(app, host=HOST, port=port, workers=1, log_level="info",
                access_log=False, proxy_headers=False, server_header=False)


if __name__ == "__main__":
    main(sys.argv[1:])
