"""The embedded Prefect server `run` starts itself: only without an API URL, always stopped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from prefect.settings import PREFECT_API_URL, PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED, temporary_settings

from flows import embedded_server as es
from flows.settings import SAMPLES_DIR

pytestmark = pytest.mark.prefect


def test_no_server_is_started_when_the_environment_names_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert es.start_embedded_server() is None
    monkeypatch.delenv("PREFECT_API_URL")
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_ENABLED", "false")
    assert es.start_embedded_server() is None


def test_a_server_started_where_settings_name_another_is_stopped_unused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    as_a_profile_would = temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"})
    with as_a_profile_would, es.embedded_server() as server:
        assert server is not None and server.process is not None
        process = server.process
        with es.using(server):
            assert "PREFECT_API_URL" not in os.environ and server.process is None
        assert process.poll() is not None


def test_the_server_answers_inside_using_and_is_gone_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    before = os.environ.get("PREFECT_API_URL")
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        with es.embedded_server() as server:
            assert server is not None and server.process is not None
            with es.using(server):
                assert os.environ["PREFECT_API_URL"] == server.api_url == PREFECT_API_URL.value()
                assert PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED.value() is False  # its own Prefect
                assert httpx.get(f"{server.api_url}/health", timeout=10).status_code == 200
            process = server.process
            assert os.environ.get("PREFECT_API_URL") == before
            assert PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED.value() is True
        assert process.poll() is not None and server.process is None
        assert server not in es._running


def test_a_run_talks_to_its_server_by_url_never_imports_prefects_server_and_sends_its_logs(tmp_path: Path) -> None:
    """INFO logs go to the API: they used to be queued until exit, after the server stopped, and
    the exit hung 60–70 s retrying them ("Error logging to API")."""
    src = tmp_path / "src"
    src.mkdir()
    first = sorted(SAMPLES_DIR.glob("*.pdf"))[0]
    (src / first.name).write_bytes(first.read_bytes())
    script = (
        "import sys\n"
        "from flows.cli import app\n"
        "try:\n"
        f"    app(['run', '--source', {str(src)!r}, '--out', {str(tmp_path / 'out')!r}])\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        "print('SERVER_IMPORTED' if 'prefect.server.api.server' in sys.modules else 'CLIENT_ONLY')\n"
    )
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "home"), "PREFECT_LOGGING_LEVEL": "INFO"}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Error logging to API" not in done.stderr, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "CLIENT_ONLY", done.stdout
    assert (tmp_path / "out" / "datapackage.json").is_file()


@pytest.mark.parametrize(("environment", "triggers_on"), [({}, False), ({"PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "true"}, True)])
def test_services_nobody_uses_are_off_unless_the_environment_turns_them_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], triggers_on: bool
) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with temporary_settings(restore_defaults={PREFECT_API_URL}), es.embedded_server() as server:
        assert server is not None
        with es.using(server):
            settings = httpx.get(f"{server.api_url}/admin/settings", timeout=10).json()
    services = settings["server"]["services"]
    assert services["triggers"]["enabled"] is triggers_on
    assert settings["server"]["events"]["stream_out_enabled"] is False
    assert settings["server"]["logs"]["stream_out_enabled"] is False
    assert services["task_run_recorder"]["enabled"] is True  # what records the run stays on
    assert services["event_persister"]["enabled"] is True
