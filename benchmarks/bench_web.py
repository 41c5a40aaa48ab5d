"""Benchmark: the web app under load, against a bare FastAPI endpoint measured in the same run.

    python benchmarks/bench_web.py [--index PATH] [--semantic-index PATH] [--duration 10]

Starts the real app (``jobrisk serve``, one process) and ``benchmarks/bare_app.py`` (uvicorn,
one process, the same logging) on 127.0.0.1, then drives each with wrk: 32 connections, 2
threads, ``--latency``, a warm-up run first, every target repeated 3 times in interleaved
rounds so drift on this shared 2-core machine hits them all alike. Targets:

- bare JSON: ``/bare/bytes`` of bare_app.py, the occupation's JSON document as constant
  bytes (the baseline; the issue's "about 2,000 requests/s" endpoint);
- bare dict: ``/bare/json``, the same document as a dict FastAPI encodes on every request (for
  reference: what an endpoint without a byte cache would cost);
- occupation JSON, ``/api/v1/occupations/{code}``, rotating over a few codes;
- occupation HTML page, rotating over the same codes;
- custom-role POST (JSON body, 3 tasks, a fresh task wording on every request so no cache
  answers it), with the semantic matcher when the index carries task embeddings.

Prints medians of req/s, p50 and p99, the errors summed over runs (socket errors and non-2xx
answers), the occupation/bare ratio, and pass or miss against the issue's targets. The
numbers come from a Lua ``done()`` hook that writes wrk's own summary as JSON, not from its
rounded text output.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from jobrisk.build import index_is_current
from jobrisk.paths import user_cache_dir

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
CODES = ("15-2051.00", "15-1252.00", "43-4051.00", "29-1141.00", "41-2031.00")
SEMANTIC_INDEX = user_cache_dir() / "index-embeddings.duckdb"
"""Where the semantic bench looks for an index with task embeddings; make it once (about 26
minutes on the 2-core machine) with
``jobrisk --index ~/.cache/jobrisk/index-embeddings.duckdb build --embeddings``."""
OCCUPATION_JSON = "/api/v1/occupations/{code}"
OCCUPATION_PAGE = "/occupations/{code}"
ROLE_POST = "/api/v1/assess"
ROLE_TASKS = (
    "Train machine learning models on customer data",
    "Write reports that explain model results to managers",
    "Answer customer questions by phone and email",
)
MARK = "JOBRISK_WRK "

LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JOBRISK_WRK {"requests":%.0f,"duration_us":%.0f,"bytes":%.0f,"connect":%.0f,'
    .. '"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f,'
    .. '"p50_us":%.0f,"p90_us":%.0f,"p99_us":%.0f,"max_us":%.0f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class Target:
    """One thing to load: a name, the base URL and the wrk Lua script that builds requests."""

    name: str
    base_url: str
    lua: str
    connections: int | None = None  # None: the run's --connections
    # Called after each run. A slow POST leaves requests queued in the server when wrk stops;
    # the next run must not start behind them.
    drain: Callable[[], float] | None = None


@dataclass(frozen=True)
class Run:
    """One wrk run's summary."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _lua_str(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII text is a valid Lua string literal


def get_lua(paths: Sequence[str]) -> str:
    """Lua that cycles through ``paths`` with pre-built GET requests (cheap per request)."""
    items = ", ".join(_lua_str(p) for p in paths)
    return f"""
local paths = {{{items}}}
local built = {{}}
local i = 0
init = function(args)
  for k, p in ipairs(paths) do built[k] = wrk.format("GET", p) end
end
request = function()
  i = i % #built + 1
  return built[i]
end
{LUA_DONE}"""


def post_lua(path: str, title: str, tasks: Sequence[str], matcher: str) -> str:
    """Lua that POSTs a JSON role whose task wording changes on every request."""
    tasks_lua = ", ".join(_lua_str(t) for t in tasks)
    return f"""
local tasks = {{{tasks_lua}}}
local n = 0
local counter = 1
setup = function(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
end
local function quote(s) return '"' .. s:gsub('"', '\\\\"') .. '"' end
request = function()
  n = n + 1
  local tag = " batch " .. (thread_id or 0) .. "-" .. n
  local parts = {{}}
  for k, t in ipairs(tasks) do parts[k] = quote(t .. tag) end
  local body = '{{"title":' .. quote({_lua_str(title)}) .. ',"matcher":{_lua_str(matcher)},"tasks":['
    .. table.concat(parts, ",") .. ']}}'
  return wrk.format("POST", {_lua_str(path)}, {{["Content-Type"] = "application/json"}}, body)
end
{LUA_DONE}"""


def parse_wrk(stdout: str) -> Run:
    """The summary our ``done()`` hook printed; a clear error when wrk printed something else."""
    for line in stdout.splitlines():
        if line.startswith(MARK):
            s = json.loads(line[len(MARK) :])
            errors = s["connect"] + s["read"] + s["write"] + s["status"] + s["timeout"]
            done = int(s["requests"]) > 0  # no answer in the run: latency unknown, not 0
            return Run(
                requests=int(s["requests"]),
                seconds=s["duration_us"] / 1e6,
                p50_ms=s["p50_us"] / 1000 if done else math.inf,
                p99_ms=s["p99_us"] / 1000 if done else math.inf,
                errors=int(errors),
            )
    # wrk prints a Lua error, or nothing, when the script failed: show what it said.
    raise RuntimeError(f"wrk printed no summary line:\n{stdout}")


def run_wrk(target: Target, seconds: float, connections: int, threads: int, tmp: Path) -> Run:
    connections = target.connections or connections
    threads = min(threads, connections)
    script = tmp / f"{re.sub(r'[^a-z0-9]+', '-', target.name.lower())}.lua"
    script.write_text(target.lua)
    cmd = [
        "wrk",
        f"-c{connections}",
        f"-t{threads}",
        f"-d{seconds:g}s",
        "--latency",
        "--timeout",
        "10s",  # slow answers are measured, not dropped as timeouts at wrk's default 2 s
        "-s",
        str(script),
        target.base_url,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def server(cmd: list[str], url: str, log: Path, env: dict[str, str]) -> Iterator[None]:
    """Run ``cmd`` until the block ends; wait until ``url`` answers 200 first."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[:4]} exited {proc.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(url, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer in 300 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def check_get(url: str, content_type: str) -> bytes:
    r = httpx.get(url, timeout=30)
    if r.status_code != 200 or content_type not in r.headers.get("content-type", ""):
        raise RuntimeError(f"GET {url}: {r.status_code} {r.headers.get('content-type')}")
    return r.content


def post_role(url: str, matcher: str) -> tuple[float, str]:
    """POST one role; seconds taken and the matcher the app says it used (error if it failed)."""
    body = {"title": "Benchmark role", "tasks": list(ROLE_TASKS), "matcher": matcher}
    t = time.perf_counter()
    r = httpx.post(url, json=body, timeout=900)
    seconds = time.perf_counter() - t
    if r.status_code != 200:
        raise RuntimeError(f"POST {url}: {r.status_code} {r.text[:500]}")
    return seconds, str(_find_key(r.json(), "matcher") or "unknown")


def check_role_post(url: str, matcher: str) -> tuple[str, float]:
    """Warm the role path (matcher, label model); the matcher used and one warm POST's seconds."""
    seconds, used = post_role(url, matcher)
    warm = min(post_role(url, matcher)[0] for _ in range(2))
    print(
        f"  one role POST: {seconds * 1000:.0f} ms cold, {warm * 1000:.0f} ms warm; matcher {used}"
    )
    return used, warm


def _find_key(doc: object, key: str) -> object:
    if isinstance(doc, dict):
        if key in doc:
            return doc[key]
        for v in doc.values():
            found = _find_key(v, key)
            if found is not None:
                return found
    return None


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, help="index for the app (default: as the CLI)")
    parser.add_argument(
        "--semantic-index",
        type=Path,
        default=SEMANTIC_INDEX,
        help=f"an index with task embeddings, used when present (default {SEMANTIC_INDEX})",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per target")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    index = args.index
    semantic = args.semantic_index.is_file() and args.index is None
    if semantic and not index_is_current(args.semantic_index):
        # `jobrisk serve` would rebuild it in place, without the embeddings someone made
        print(f"{args.semantic_index} has an older schema: not serving it; lexical matcher")
        semantic = False
    if semantic:
        index = args.semantic_index
    env = dict(os.environ)
    app_port, bare_port = free_port(), free_port()
    app_url, bare_url = f"http://{HOST}:{app_port}", f"http://{HOST}:{bare_port}"
    app_cmd = [sys.executable, "-m", "jobrisk"]
    if index is not None:
        app_cmd += ["--index", str(index)]
    app_cmd += ["serve", "--host", HOST, "--port", str(app_port)]

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmpdir:
        tmp = Path(tmpdir)
        print(f"app: {' '.join(app_cmd[1:])}")
        with server(app_cmd, f"{app_url}/", tmp / "app.log", env):
            doc = check_get(app_url + OCCUPATION_JSON.format(code=CODES[0]), "application/json")
            for code in CODES:
                check_get(app_url + OCCUPATION_JSON.format(code=code), "application/json")
                check_get(app_url + OCCUPATION_PAGE.format(code=code), "text/html")
            matcher, warm = check_role_post(
                app_url + ROLE_POST, "semantic" if semantic else "lexical"
            )

            def drain() -> float:
                # Roles wrk left queued when it stopped are still being scored: POST until one
                # is answered about as fast as on an idle server, so none is ahead of the next run.
                start = time.monotonic()
                while post_role(app_url + ROLE_POST, matcher)[0] > 2 * warm + 0.5:
                    if time.monotonic() - start > 900:
                        raise RuntimeError("the app still has roles queued after 15 minutes")
                return time.monotonic() - start

            (tmp / "doc.json").write_bytes(doc)
            bare_env = env | {"BARE_JSON_FILE": str(tmp / "doc.json")}
            bare_cmd = [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(HERE),
                "--factory",
                "bare_app:create_app",
                "--host",
                HOST,
                "--port",
                str(bare_port),
                "--workers",
                "1",
                *UVICORN_LOG_ARGS,
            ]
            with server(bare_cmd, f"{bare_url}/bare/bytes", tmp / "bare.log", bare_env):
                bare = check_get(f"{bare_url}/bare/bytes", "application/json")
                if json.loads(check_get(f"{bare_url}/bare/json", "application/json")) != json.loads(
                    doc
                ):
                    raise RuntimeError("the bare app does not serve the occupation document")
                print(
                    f"bodies: occupation JSON {len(doc):,} B, bare JSON {len(bare):,} B; "
                    f"load average {os.getloadavg()[0]:.2f}"
                )
                targets = [
                    Target("bare JSON", bare_url, get_lua(["/bare/bytes"])),
                    Target(
                        "occupation JSON",
                        app_url,
                        get_lua([OCCUPATION_JSON.format(code=c) for c in CODES]),
                    ),
                    Target(
                        "occupation HTML",
                        app_url,
                        get_lua([OCCUPATION_PAGE.format(code=c) for c in CODES]),
                    ),
                    Target(
                        f"role POST ({matcher})",
                        app_url,
                        post_lua(ROLE_POST, "Benchmark role", ROLE_TASKS, matcher),
                        drain=drain,
                    ),
                    Target(
                        "role POST, 1 client",
                        app_url,
                        post_lua(ROLE_POST, "Benchmark role", ROLE_TASKS, matcher),
                        connections=1,
                        drain=drain,
                    ),
                    Target("bare dict (reference)", bare_url, get_lua(["/bare/json"])),
                ]
                results = measure(targets, args, tmp)
    clients = {t.name: t.connections or args.connections for t in targets}
    report(results, clients, matcher, semantic)
    return 0


# The bare app logs as `jobrisk serve` does, so neither pays for logging the other skips.
UVICORN_LOG_ARGS = ["--log-level", "warning", "--no-access-log"]


def measure(targets: list[Target], args: argparse.Namespace, tmp: Path) -> dict[str, list[Run]]:
    runner: Callable[[Target, float], Run] = lambda t, s: run_wrk(  # noqa: E731
        t, s, args.connections, args.threads, tmp
    )
    for t in targets:
        if t.drain is None:  # a draining target is warm already: check_role_post ran it
            runner(t, args.warmup)
    results: dict[str, list[Run]] = {t.name: [] for t in targets}
    for rnd in range(1, args.repeat + 1):
        for t in targets:
            r = runner(t, args.duration)
            results[t.name].append(r)
            drained = f"  (then {t.drain():.0f} s to drain the queue)" if t.drain else ""
            print(
                f"  round {rnd} {t.name:24} {r.rate:8.1f} req/s  p50 {r.p50_ms:8.1f} ms  "
                f"p99 {r.p99_ms:8.1f} ms  errors {r.errors}  answered {r.requests}{drained}",
                flush=True,
            )
    return results


def report(
    results: dict[str, list[Run]], connections: dict[str, int], matcher: str, semantic: bool
) -> None:
    print()
    print(
        f"{'target':26} {'clients':>7} {'req/s':>8} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}"
        f" {'answered':>9}  (medians of runs; errors and answered summed)"
    )
    med: dict[str, tuple[float, float, float, int]] = {}
    for name, runs in results.items():
        rate = median([r.rate for r in runs])
        p50 = median([r.p50_ms for r in runs])
        p99 = median([r.p99_ms for r in runs])
        errors = sum(r.errors for r in runs)
        med[name] = (rate, p50, p99, errors)
        # Fewer answers than clients: the rest were still queued when wrk stopped, so the
        # percentiles cover the fastest requests only and are lower bounds.
        low = ">" if any(r.requests < connections[name] for r in runs) else " "
        print(
            f"{name:26} {connections[name]:7d} {rate:8.1f} {low}{p50:8.1f} {low}{p99:8.1f} "
            f"{errors:7d} {sum(r.requests for r in runs):9d}"
        )
    bare, occ, page = med["bare JSON"], med["occupation JSON"], med["occupation HTML"]
    post = med[f"role POST ({matcher})"]
    ratio = occ[0] / bare[0] if bare[0] else float("nan")
    pairs = zip(results["occupation JSON"], results["bare JSON"], strict=True)
    per_round = median([o.rate / b.rate for o, b in pairs if b.rate])
    print()
    print(
        f"ratio occupation JSON / bare JSON req/s: {ratio:.2f} "
        f"(median of the per-round ratios: {per_round:.2f})"
    )
    print(
        f"{verdict(ratio >= 0.5 and occ[1] < 20 and occ[3] == 0)}: occupation JSON >= 0.5x bare "
        f"({ratio:.2f}x), p50 < 20 ms ({occ[1]:.1f}), zero errors ({occ[3]})"
    )
    print(
        f"{verdict(page[1] < 50 and page[3] == 0)}: occupation HTML p50 < 50 ms "
        f"({page[1]:.1f}), zero errors ({page[3]})"
    )
    # Timed-out requests have no latency: a p50 over the rest would flatter, so errors fail too.
    note = "" if semantic and matcher == "semantic" else " [NOT the semantic matcher]"
    print(
        f"{verdict(post[1] < 500 and post[3] == 0)}: role POST p50 < 500 ms ({post[1]:.1f}), "
        f"zero errors ({post[3]}), matcher {matcher}{note}"
    )


if __name__ == "__main__":
    sys.exit(main())
