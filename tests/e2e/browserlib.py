"""Helpers of the real-browser tests: serve the app with `streamlit run` on a free port, wait for it to be idle."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts"
CHROMIUM = os.environ.get("AKB_CHROMIUM", "/usr/bin/chromium")
# the app script to serve (relative to the project); app.py unless a test run says otherwise
APP = os.environ.get("AKB_E2E_APP", "app.py")
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `streamlit run` of the app, started and stopped by the tests (a restart keeps the port and the store)."""

    def __init__(self, db: Path, port: int | None = None) -> None:
        self.db = db
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = ARTEFACTS / f"streamlit-{self.port}.log"

    def start(self, timeout: float = 90) -> Server:
        ARTEFACTS.mkdir(exist_ok=True)
        env = {**os.environ, "AKB_DB": str(self.db), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        cmd = [sys.executable, "-m", "streamlit", "run", APP, "--server.headless", "true",
               "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
        self._out = open(self.log, "ab")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit not healthy after {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        self._out.close()


def idle(page, timeout: float = 120_000) -> None:
    """Wait until the app has finished its run (Streamlit marks the app's state on its root element)."""
    page.wait_for_timeout(250)
    page.wait_for_selector(IDLE, timeout=timeout)


def save_shot(page, name: str) -> None:
    """A full-page screenshot under test-artefacts/."""
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
