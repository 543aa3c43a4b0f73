"""Load test of ``hansa serve``: 200 concurrent connections for 20 s with wrk.

    .venv/bin/python bench/api_load.py [--db URL] [--workers 2] [--duration 20] [--connections 200]

Half the requests are GET /health, half are authenticated GET /api/v1/users (a fresh
tenant with 25 users). The baseline, measured in the same run with the same worker
count and load, is a bare ASGI app answering {"status": "ok"} under the same Uvicorn:
the ratio shows what Hansa's stack costs on this machine. Prints JSON and writes it to
bench/results/api_load-<backend>.json. Needs wrk (Debian package `wrk`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HANSA = str(Path(sys.executable).with_name("hansa"))
PASSWORD = "Bench-Password-42"

MIXED_LUA = """
local paths = {"/health", "/api/v1/users"}
local n = 0
request = function()
  n = n + 1
  local path = paths[(n % 2) + 1]
  if path == "/health" then
    return wrk.format("GET", path)
  end
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")})
end
"""

BARE_APP = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"status":"ok"}'})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not become ready")


def run_wrk(
    url: str, connections: int, duration: int, script: Path | None, env: dict[str, str]
) -> dict[str, Any]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, env=env, check=True).stdout
    return parse_wrk(out) | {"command": " ".join([*cmd, url])}


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(text: str) -> dict[str, Any]:
    def find(pattern: str, default: str = "0") -> str:
        match = re.search(pattern, text)
        return match.group(1) if match else default

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    return {
        "requests": int(find(r"(\d+) requests in")),
        "requests_per_s": float(find(r"Requests/sec:\s+([\d.]+)")),
        "p50_ms": _ms(find(r"50%\s+([\d.]+\w+)", "0ms")),
        "p99_ms": _ms(find(r"99%\s+([\d.]+\w+)", "0ms")),
        "non_2xx": int(find(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


def serve(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        args,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_ready(f"http://127.0.0.1:{port}/health")
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=200)
    opts = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    home = Path(tempfile.mkdtemp(prefix="hansa-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANSA_")}
    env.update(
        HANSA_HOME=str(home),
        HANSA_CONFIG=str(home / "config.toml"),
        HANSA_DATABASE_URL=opts.db or f"sqlite:///{home / 'hansa.db'}",
    )
    hansa = [HANSA]
    subprocess.run(
        [*hansa, "init", "--admin-user", "admin", "--admin-password", PASSWORD],
        env=env,
        check=True,
        capture_output=True,
    )
    login_env = {**env, "HANSA_USER": "admin", "HANSA_PASSWORD": PASSWORD}
    subprocess.run([*hansa, "login"], env=login_env, check=True, capture_output=True)
    for i in range(24):
        subprocess.run(
            [*hansa, "users", "add", "--username", f"user{i:02d}", "--role", "viewer"],
            env=env,
            check=True,
            capture_output=True,
        )

    results: dict[str, Any] = {
        "benchmark": "api_load",
        "command": "python " + " ".join(["bench/api_load.py", *sys.argv[1:]]),
        "backend": "postgresql" if opts.db and opts.db.startswith("postgresql") else "sqlite",
        "workers": opts.workers,
        "connections": opts.connections,
        "duration_s": opts.duration,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    script = home / "mixed.lua"
    script.write_text(MIXED_LUA)

    port = free_port()
    proc = serve([*hansa, "serve", "--port", str(port), "--workers", str(opts.workers)], env, port)
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/auth/token",
            method="POST",
            data=json.dumps({"username": "admin", "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:
            token = json.load(response)["access_token"]
        wrk_env = {**os.environ, "BENCH_TOKEN": token}
        base = f"http://127.0.0.1:{port}"
        results["mixed_health_and_users"] = run_wrk(
            base, opts.connections, opts.duration, script, wrk_env
        )
        results["health_only"] = run_wrk(
            f"{base}/health", opts.connections, opts.duration, None, wrk_env
        )
    finally:
        stop(proc)

    bare_dir = home / "bare"
    bare_dir.mkdir()
    (bare_dir / "bare_app.py").write_text(BARE_APP)
    port = free_port()
    proc = serve(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bare_app:app",
            "--port",
            str(port),
            "--workers",
            str(opts.workers),
            "--no-access-log",
            "--app-dir",
            str(bare_dir),
        ],
        env,
        port,
    )
    try:
        results["baseline_bare_asgi"] = run_wrk(
            f"http://127.0.0.1:{port}/health",
            opts.connections,
            opts.duration,
            None,
            dict(os.environ),
        )
    finally:
        stop(proc)

    mixed, bare = results["mixed_health_and_users"], results["baseline_bare_asgi"]
    results["all_2xx"] = all(
        results[k]["non_2xx"] == 0 and results[k]["socket_errors"] == 0
        for k in ("mixed_health_and_users", "health_only")
    )
    results["ratio_bare_over_mixed_rps"] = round(
        bare["requests_per_s"] / max(mixed["requests_per_s"], 1e-9), 2
    )
    out = ROOT / "bench" / "results" / f"api_load-{results['backend']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    shutil.rmtree(home, ignore_errors=True)
    if not results["all_2xx"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
