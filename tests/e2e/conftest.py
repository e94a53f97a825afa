"""The real-browser tests' set-up: `streamlit run app.py` on a free port with its own work store, and Debian's
chromium driven by pytest-playwright (Playwright's own browser download is not available; CI installs chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browserlib import APP, CHROMIUM, ROOT, Server, save_shot


def pytest_collection_modifyitems(items):
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"no chromium at {CHROMIUM}: `apt-get install chromium` (.ci/run does)"
    elif "st.navigation" not in (ROOT / APP).read_text(encoding="utf-8"):
        reason = f"{APP} has no st.navigation shell yet, so the pages have no address to open"
    if reason:
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("akb") / "akb.sqlite3").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "locale": "zh-CN"}


@pytest.fixture
def shot(page, request):
    """Save a full-page screenshot under test-artefacts/ at the end of the test (also when it fails)."""
    yield
    save_shot(page, request.node.name)


