"""Benchmark of the app through a real server (printed, not asserted): `streamlit run app.py` on a free port and
Debian's chromium driven by Playwright, as the browser tests do (tests/e2e/). Run with
`.venv/bin/python -m bench.app_http_bench`; results also go to bench/results/app-http.json.

Measured (issue 12's targets):
- sessions: N browser contexts (one browser, one tab each) open the city sample's address at the same moment
  (./?scenario=d16-city-large.yaml), first on a fresh server (empty caches), then again on the same server
  (warm caches); each timed from its request to all its findings shown (`.st-key-findings`, one expander per
  finding) and, apart, to its page finished (the script idle). Target: each ≤ 5 s.
- interaction: in one tab on the city sample after its first evaluation, seconds from a click to the changed
  page shown: a view changed and changed back, an interpretation reading seen for the first time, returning to
  a reading seen before. Target: changing a view or returning to a reading ≤ 0.5 s (the first time a reading
  is seen is reported, without a target).
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

from browserlib import CHROMIUM, IDLE, Server  # noqa: E402

from kb.interpretations import load_interpretations  # noqa: E402
from kb.scenario_io import load_scenario  # noqa: E402
from reasoning.queries import run  # noqa: E402

CITY = "d16-city-large.yaml"
EXAMPLE = "d16-8-chain-three-levels.yaml"  # the page the app opens on
SWITCH = ("pursuit_record", "explicit_only", "closed_world")
SESSIONS_TARGET_S = 5.0
VIEW_TARGET_S = 0.5
TIMEOUT_MS = 300_000


def _processes() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds used so far) of every process (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(d.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return out


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the server (and its children) and by this process's other children, the
    browser's processes (other work on the machine is not counted)."""
    procs = _processes()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)

    def tree(pid: int) -> set[int]:
        out, todo = set(), [pid]
        while todo:
            p = todo.pop()
            out.add(p)
            todo += children.get(p, [])
        return out

    server = tree(server_pid)
    mine = tree(os.getpid()) - {os.getpid()}
    return {
        "server": sum(procs[p][1] for p in server if p in procs),
        "browser": sum(procs[p][1] for p in mine - server if p in procs),
    }


def findings_of(sample: str, readings: dict[str, str] | None = None) -> int:
    """How many findings the page shows for a sample (what the engine says on its own)."""
    return len(run(load_scenario(ROOT / "kb" / "scenarios" / sample), readings or {}).liabilities())


async def _findings_shown(page, n: int) -> None:
    """Until the page shows n findings (all of them: the last expander of the keyed container is visible)."""
    box = page.locator(".st-key-findings [data-testid='stExpander']")
    await box.nth(n - 1).wait_for(state="visible", timeout=TIMEOUT_MS)


async def _idle(page) -> None:
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


async def one_session(browser, server: Server, how: str, n: int, ready: asyncio.Barrier, start: asyncio.Event) -> dict:
    """One tab. `how` = "open": at the start it requests the city sample's address (so the time includes loading
    the app's frontend); "pick": it opens the app on the example first, untimed, and at the start chooses the city
    sample in the sample list."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    frames: list[float] = []  # when each message of the server reached the tab
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(time.perf_counter())))
    try:
        if how == "pick":
            await page.goto(server.url, timeout=TIMEOUT_MS)
            await _findings_shown(page, findings_of(EXAMPLE))
            await _idle(page)
            await _open_list(page, "sample_pick")
        await ready.wait()
        await start.wait()
        frames.clear()
        t = time.perf_counter()
        if how == "pick":
            await page.get_by_role("option").filter(has_text=CITY).first.click()
        else:
            await page.goto(f"{server.url}/?scenario={CITY}", timeout=TIMEOUT_MS)
        await _findings_shown(page, n)
        shown = time.perf_counter() - t
        await _idle(page)
        done = time.perf_counter() - t
        errors = await page.locator("[data-testid='stException']").count()
        return {
            "findings_shown_s": shown,
            "page_done_s": done,
            "server_first_s": frames[0] - t if frames else None,
            "server_last_s": frames[-1] - t if frames else None,
            "errors": errors,
            "context": context,  # closed by the caller once the CPU used is read (a closed tab's is lost)
        }
    except BaseException:
        await context.close()
        raise


async def sessions(browser, server: Server, n: int, how: str, caches: str) -> dict:
    expected = findings_of(CITY)
    ready, start = asyncio.Barrier(n + 1), asyncio.Event()
    tasks = [asyncio.create_task(one_session(browser, server, how, expected, ready, start)) for _ in range(n)]
    await ready.wait()  # every tab made (and, to pick, showing the example) before the clock starts
    cpu0 = cpu_seconds(server.proc.pid)
    t0 = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    wall = time.perf_counter() - t0
    cpu1 = cpu_seconds(server.proc.pid)
    ok = [r for r in results if isinstance(r, dict)]
    for r in ok:
        await r.pop("context").close()
    failed = [repr(r) for r in results if not isinstance(r, dict)]

    def stats(key: str) -> dict:
        v = sorted(r[key] for r in ok if r[key] is not None)
        if not v:
            return {}
        return {"max": round(v[-1], 2), "median": round(statistics.median(v), 2), "min": round(v[0], 2)}

    return {
        "sessions": n,
        "sample": CITY,
        "findings": expected,
        "how": how,
        "caches": caches,
        "findings_shown_s": stats("findings_shown_s"),
        "page_done_s": stats("page_done_s"),
        "server_first_message_s": stats("server_first_s"),
        "server_last_message_s": stats("server_last_s"),
        "each_findings_shown_s": [round(r["findings_shown_s"], 2) for r in ok],
        "wall_s": round(wall, 2),
        "cpu_s": {k: round(cpu1[k] - cpu0[k], 2) for k in cpu0},
        "errors": failed + [f"{r['errors']} exception(s) shown" for r in ok if r["errors"]],
    }


async def _open_list(page, key: str) -> None:
    """Open a selectbox's list of options (Streamlit's combobox): a click, and the arrow key when the click
    only focused it."""
    box = page.locator(f".st-key-{key} [role='combobox']")
    await box.click()
    await page.wait_for_timeout(200)
    if not await page.get_by_role("option").count():
        await box.press("ArrowDown")
    await page.get_by_role("option").first.wait_for(state="visible")


async def interaction(browser, server: Server) -> dict:
    """One tab on the city sample: view changes and reading switches, each timed from the click to the page."""
    name, default, other = SWITCH
    words = load_interpretations()[name].readings
    n_default, n_other = findings_of(CITY), findings_of(CITY, {name: other})
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = await context.new_page()
    caption = page.locator("[data-testid='stCaptionContainer']").filter(has_text="评估日期")
    out: dict = {"sample": CITY, "switch": f"{name}: {default} → {other}"}
    try:
        await page.goto(f"{server.url}/?scenario={CITY}", timeout=TIMEOUT_MS)
        page.set_default_timeout(60_000)
        await _findings_shown(page, n_default)
        await _idle(page)

        async def timed(action, shown) -> float:
            t = time.perf_counter()
            await action()
            await shown()
            took = time.perf_counter() - t
            await _idle(page)
            return took

        def view(label: str):
            return lambda: page.locator(".st-key-view label").filter(has_text=label).click()

        async def tree() -> None:
            await page.locator(".akb-tree").first.wait_for(state="visible", timeout=TIMEOUT_MS)

        views = [
            await timed(view("逐条推理"), tree),
            await timed(view("认定与推理图"), lambda: _findings_shown(page, n_default)),
            await timed(view("情景概要"), lambda: page.get_by_role("heading", name="事件时间线").wait_for()),
            await timed(view("认定与推理图"), lambda: _findings_shown(page, n_default)),
        ]

        def count(n: int):
            return lambda: caption.filter(has_text=f"认定{n}项").first.wait_for(timeout=TIMEOUT_MS)

        async def switch(reading: str, n: int) -> float:
            await _open_list(page, f"interp_{name}")  # the clock starts at the choice, not at opening the list
            option = page.get_by_role("option").filter(has_text=words[reading]["zh"][:12]).first
            return await timed(option.click, count(n))

        first = await switch(other, n_other)
        back = await switch(default, n_default)
        again = await switch(other, n_other)
        out.update(
            {
                "change_view_s": [round(v, 3) for v in views],
                "change_view_s_max": round(max(views), 3),
                "first_new_reading_s": round(first, 3),
                "returning_to_a_reading_s": round(max(back, again), 3),
                "returning_s": [round(back, 3), round(again, 3)],
                "errors": await page.locator("[data-testid='stException']").count(),
            }
        )
    except Exception:
        await page.screenshot(path=str(ROOT / "test-artefacts" / "app-http-bench-failed.png"), full_page=True)
        raise
    finally:
        await context.close()
    return out


async def measure(n: int) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                out["sessions"] = []
                for how in ("open", "pick"):
                    server = Server(Path(tmp) / "akb.sqlite3").start()  # a fresh server: empty caches
                    try:
                        if n:
                            out["sessions"] += [
                                await sessions(browser, server, n, how, "empty (fresh server)"),
                                await sessions(browser, server, n, how, "warm (same server)"),
                            ]
                    finally:
                        server.stop()
                server = Server(Path(tmp) / "akb.sqlite3").start()  # again fresh: the first reading is new
                try:
                    out["interaction"] = await interaction(browser, server)
                finally:
                    server.stop()
            finally:
                await browser.close()
    return out


HOW = {
    "open": "open the city sample's address at once (the app's frontend loaded in each tab)",
    "pick": "already open, choose the city sample at once",
}


def verdicts(out: dict) -> list[str]:
    lines = []
    for s in out["sessions"]:
        worst = s["findings_shown_s"].get("max")
        met = worst is not None and worst <= SESSIONS_TARGET_S and not s["errors"]
        lines.append(
            f"{'MET' if met else 'MISSED'}: {s['sessions']} sessions {HOW[s['how']]}, caches {s['caches']}: each sees "
            f"its {s['findings']} findings in ≤ {SESSIONS_TARGET_S} s — slowest {worst} s, median "
            f"{s['findings_shown_s'].get('median')} s (the server's last message: slowest "
            f"{s['server_last_message_s'].get('max')} s; CPU used meanwhile on {os.cpu_count()} cores: server "
            f"{s['cpu_s']['server']} s, the {s['sessions']} tabs {s['cpu_s']['browser']} s)"
        )
    i = out["interaction"]
    for key, what in (("change_view_s_max", "changing a view"), ("returning_to_a_reading_s", "returning to a reading")):
        met = i[key] <= VIEW_TARGET_S
        lines.append(f"{'MET' if met else 'MISSED'}: {what} ≤ {VIEW_TARGET_S} s on the city sample — {i[key]} s")
    lines.append(f"(no target) a reading seen for the first time on the city sample: {i['first_new_reading_s']} s")
    return lines


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=10)
    p.add_argument("--output", default=str(ROOT / "bench" / "results" / "app-http.json"))
    args = p.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no chromium at {CHROMIUM} (apt-get install chromium, or set AKB_CHROMIUM)")
    out: dict = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_1min": os.getloadavg()[0]},
        "note": "one `streamlit run app.py` server, one chromium, one context (tab) per session; times in seconds "
        "from the request or click to the page shown",
    }
    out.update(asyncio.run(measure(args.sessions)))
    out["machine"]["load_1min_after"] = os.getloadavg()[0]
    out["targets"] = verdicts(out)
    for r in out["sessions"]:
        print(json.dumps(r, ensure_ascii=False))
    print(json.dumps(out["interaction"], ensure_ascii=False))
    for line in out["targets"]:
        print(line)
    Path(args.output).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
