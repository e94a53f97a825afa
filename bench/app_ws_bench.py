"""Simultaneous sessions against a real server, without browsers (printed, not asserted): `streamlit run app.py`
on a free port, and N clients speaking Streamlit's own protocol over its websocket (`/_stcore/stream`, the
messages of `streamlit.proto`), as a browser tab does once its page is loaded. Run with
`.venv/bin/python -m bench.app_ws_bench`; results go to bench/results/app-ws.json.

Why besides bench/app_http_bench.py: on this 2-core machine ten Chromium tabs use ten times the CPU the server
does (app-http.json), so the browser bench measures the browsers. Here each client costs only the parsing of the
messages it receives, and what is timed is the server's answer: from the session's request (the city sample's
address, `?scenario=d16-city-large.yaml`) to the end of its run (`script_finished`), with every finding of the
city sample received (one expander each in the keyed findings container; counted, and required to equal what
the engine finds on its own). First on a fresh server (empty caches), then again on the same server (warm).
Target (issue 12): each of 10 sessions ≤ 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT))

from browserlib import Server  # noqa: E402

from bench.app_http_bench import CITY, SESSIONS_TARGET_S, cpu_seconds, findings_of  # noqa: E402

FINISHED = 0  # ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY


async def one_session(url: str, query: str, start: asyncio.Event) -> dict:
    """One client: connect, ask for the page at `query`, read every message until the run has finished."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    await start.wait()
    t0 = time.perf_counter()
    findings_path: tuple[int, ...] | None = None
    findings = 0
    messages = 0
    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], max_size=None
    ) as ws:
        request = BackMsg()
        request.rerun_script.query_string = query
        await ws.send(request.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            messages += 1
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
                block = msg.delta.add_block
                path = tuple(msg.metadata.delta_path)
                if block.id.endswith("-findings"):
                    findings_path, findings = path, 0
                elif (
                    findings_path is not None
                    and block.WhichOneof("type") == "expandable"
                    and path[:-1] == findings_path
                ):
                    findings += 1
            elif kind == "script_finished" and msg.script_finished == FINISHED:
                return {"seconds": time.perf_counter() - t0, "findings": findings, "messages": messages}


async def sessions(url: str, n: int, server_pid: int, caches: str) -> dict:
    """n clients at once; each one's seconds, and the CPU the server used meanwhile."""
    expected = findings_of(CITY)
    start = asyncio.Event()
    tasks = [asyncio.create_task(one_session(url, f"scenario={CITY}", start)) for _ in range(n)]
    cpu0 = cpu_seconds(server_pid)["server"]
    t0 = time.perf_counter()
    start.set()
    done = await asyncio.gather(*tasks, return_exceptions=True)
    wall = time.perf_counter() - t0
    cpu = cpu_seconds(server_pid)["server"] - cpu0
    ok = [r for r in done if isinstance(r, dict) and r["findings"] == expected]
    times = [r["seconds"] for r in ok]
    return {
        "sessions": n,
        "sample": CITY,
        "caches": caches,
        "findings": expected,
        "complete": len(ok),
        "failed": [repr(r) if not isinstance(r, dict) else f"{r['findings']} findings" for r in done if r not in ok],
        "seconds": {
            "min": round(min(times), 2) if times else None,
            "median": round(statistics.median(times), 2) if times else None,
            "max": round(max(times), 2) if times else None,
        },
        "each_s": [round(t, 2) for t in times],
        "all_done_s": round(wall, 2),
        "server_cpu_s": round(cpu, 2),
    }


async def measure(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "akb.sqlite3").start()
        try:
            load = os.getloadavg()[0]
            cold = await sessions(server.url, n, server.proc.pid, "empty")  # type: ignore[union-attr]
            warm = await sessions(server.url, n, server.proc.pid, "warm")  # type: ignore[union-attr]
        finally:
            server.stop()
    return {
        "how": "Streamlit protocol clients over the websocket, no browser (bench/app_ws_bench.py)",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_1min": round(load, 2)},
        "runs": [cold, warm],
    }


def verdicts(out: dict) -> list[str]:
    lines = []
    for r in out["runs"]:
        worst = r["seconds"]["max"]
        met = r["complete"] == r["sessions"] and worst is not None and worst <= SESSIONS_TARGET_S
        lines.append(
            f"{'met   ' if met else 'MISSED'} {r['sessions']} sessions at once, {r['caches']} caches: each gets its "
            f"{r['findings']} findings in ≤ {SESSIONS_TARGET_S} s — slowest {worst} s, median "
            f"{r['seconds']['median']} s, {r['complete']}/{r['sessions']} complete (server CPU {r['server_cpu_s']} s)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "app-ws.json"))
    args = parser.parse_args()
    out = asyncio.run(measure(args.sessions))
    out["verdicts"] = verdicts(out)
    print("\n".join(out["verdicts"]))
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
