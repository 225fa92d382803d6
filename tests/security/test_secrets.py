"""No built-in signing key, and one key per purpose.

The attacks: a deployment that forgot SECRET_KEY signed everything with a key printed in the
source ("dev-only-change-me"), so anyone could mint a customer's link; and one key signed
customer links, admin sessions and derived the Google token key, so a key leaked from one use
forged the others.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from aiohttp.test_utils import TestClient

from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from assistant.settings import PROJECT_ROOT, SettingsError, load_settings
from tests.gateway.test_api import _booking, _first_slot

RACERS = 8
RACE = """
import sys
from assistant.settings import load_settings
sys.stdout.write("ready\\n"); sys.stdout.flush()
sys.stdin.readline()  # every racer is imported and waiting: start together
print(load_settings().secret_key.get_secret_value())
"""


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No SECRET_KEY, PUBLIC_URL or .env; DATA_DIR in a fresh folder, which is returned."""
    monkeypatch.chdir(tmp_path)
    for key in ("SECRET_KEY", "PUBLIC_URL", "RASA_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    return data_dir


def test_without_secret_key_a_private_key_is_generated_once_and_reused(environment: Path) -> None:
    settings = load_settings()
    key_file = environment / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = settings.secret_key.get_secret_value()
    assert key == key_file.read_text().strip() and len(key) >= 64
    assert load_settings().secret_key.get_secret_value() == key
    assert not any(key in note for note in settings.local_defaults())  # said, never shown
    assert stat.S_IMODE((environment / "rasa_token").stat().st_mode) == 0o600


def test_processes_racing_to_create_the_key_all_get_the_same_one(environment: Path) -> None:
    racers = [subprocess.Popen([sys.executable, "-c", RACE], cwd=environment.parent,
                               env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
              for _ in range(RACERS)]
    for racer in racers:
        assert racer.stdout is not None and racer.stdout.readline() == "ready\n"
    keys = {racer.communicate("go\n", timeout=60)[0].strip() for racer in racers}
    assert keys == {(environment / "secret_key").read_text().strip()}
    assert [p.name for p in environment.iterdir() if p.name.startswith(".")] == []


def test_an_empty_key_file_stops_start_up_naming_secret_key(environment: Path) -> None:
    environment.mkdir()
    (environment / "secret_key").write_text("")
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings()


@pytest.mark.parametrize("url", ["https://salon.example.com", "http://203.0.113.7:8000"])
def test_a_public_address_without_secret_key_refuses_to_start(
    environment: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("PUBLIC_URL", url)
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings()
    monkeypatch.setenv("SECRET_KEY", "a long random value the operator chose")
    assert load_settings().public_url == url


@pytest.mark.parametrize("url", ["http://localhost:8000", "http://127.0.0.2:8000",
                                 "http://[::1]:8000"])
def test_a_local_public_url_may_use_the_generated_key(
    environment: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("PUBLIC_URL", url)
    assert load_settings().secret_key_generated


def test_each_purpose_has_its_own_key(environment: Path) -> None:
    settings = load_settings()
    purposes = ("customer-link", "admin-session", "google-token")
    keys = {settings.subkey(purpose) for purpose in purposes}
    assert len(keys) == len(purposes)
    assert settings.secret_key.get_secret_value().encode() not in keys


def _manage_token(key: str, appointment: str) -> dict[str, str]:
    expires = datetime.now(UTC) + timedelta(days=1)
    return {"Authorization": f"Bearer {links.sign(key, UUID(appointment), 'manage', expires)}"}


@pytest.mark.db
@pytest.mark.parametrize("forged_with", ["SECRET_KEY", "admin-session", "google-token"])
async def test_a_customer_link_signed_with_another_key_is_refused(
    gateway: TestClient, forged_with: str  # type: ignore[type-arg]  # noqa: F811
) -> None:
    service_id, start = await _first_slot(gateway)
    booked = await gateway.post("/api/v1/appointments", json=_booking(service_id, start),
                                headers={"Idempotency-Key": f"forge-{forged_with}"})
    body = await booked.json()
    assert booked.status == 201, body
    appointment = body["appointment"]["id"]
    path = f"/api/v1/appointments/{appointment}"
    settings = gateway.server.app[SETTINGS]
    genuine = _manage_token(links.link_key(settings), appointment)
    assert (await gateway.get(path, headers=genuine)).status == 200

    key = (settings.secret_key.get_secret_value() if forged_with == "SECRET_KEY"
           else settings.subkey(forged_with).hex())
    refused = await gateway.get(path, headers=_manage_token(key, appointment))
    assert refused.status == 401
    assert (await refused.json())["error"]["message"].endswith("signature mismatch")
