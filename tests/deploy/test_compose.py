"""deploy/compose.yaml, parsed and checked against the settings: the one-host topology
(PostgreSQL, Redis, migration, two of each process, haproxy), every variable an app service
sets is a setting, the settings load from exactly what compose gives them, and the addresses
the processes reach each other at are the ones the balancer serves. No container daemon."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any
from urllib.parse import urlsplit

import pytest

from assistant.settings import load_settings
from tests.deploy.manifests import (
    DEPLOY,
    REFERENCE,
    compose,
    rasa_variables,
    referenced,
    setting_names,
)

APP_IMAGE, RASA_IMAGE = "booking-assistant:", "booking-assistant-rasa:"
REPLICATED = {"gateway": ["gateway-1", "gateway-2"], "actions": ["actions-1", "actions-2"]}
REQUIRED_FOR_REPLICAS = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "RASA_TOKEN", "RASA_URL",
                         "ACTION_SERVER_URL", "PUBLIC_URL"}
"""Unset, each of these falls back to something private to one process (an embedded database,
a key generated into its own DATA_DIR, an in-memory lock store, a loopback address)."""

SERVICES = compose()["services"]


def interpolate(value: str, given: dict[str, str]) -> str:
    """Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}` with `given`."""
    def one(match: Any) -> str:
        name, tail = match.group(1), match.group(2) or ""
        if name in given:
            return given[name]
        assert not tail.startswith(":?"), f"{name} is required and not in compose.env.example"
        return tail[2:] if tail.startswith(":-") else ""
    return REFERENCE.sub(one, value)


def example_env() -> dict[str, str]:
    """compose.env.example with every empty secret filled in, as an operator would."""
    pairs = (line.split("=", 1) for line in (DEPLOY / "compose.env.example").read_text()
             .splitlines() if line and not line.startswith("#"))
    return {k: v or f"example-{k.lower()}-0123456789abcdef" for k, v in pairs}


def services_of(image_prefix: str) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in SERVICES.items() if s["image"].startswith(image_prefix)}


def lb_env() -> dict[str, str]:
    return {k: str(v) for k, v in SERVICES["lb"]["environment"].items()}


def test_one_host_runs_every_kind_twice_behind_a_balancer_after_the_migration() -> None:
    assert {"postgres", "redis", "migrate", "lb", "rasa-1", "rasa-2", *REPLICATED["gateway"],
            *REPLICATED["actions"]} <= set(SERVICES)
    for command, names in REPLICATED.items():
        for name in names:
            assert SERVICES[name]["command"] == [command]
    assert set(services_of(RASA_IMAGE)) == {"rasa-1", "rasa-2"}
    assert SERVICES["migrate"]["command"] == ["migrate"]
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("rasa-1", "rasa-2", *REPLICATED["gateway"], *REPLICATED["actions"]):
        assert SERVICES[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"}, name
    for name, service in SERVICES.items():
        assert set(service.get("depends_on", {})) <= set(SERVICES), name
        if name != "migrate":
            assert service["healthcheck"]["test"][0] == "CMD", name
            assert service["restart"] == "unless-stopped", name
    assert list(SERVICES["lb"]["ports"]) == ["${PUBLIC_PORT:-8080}:8080"]
    assert [n for n, s in SERVICES.items() if s.get("ports")] == ["lb"]  # nothing else exposed


def test_app_services_set_only_settings_and_every_one_replicas_need() -> None:
    known = setting_names()
    for name, service in services_of(APP_IMAGE).items():
        given = set(service["environment"])
        assert given - known == set(), f"{name} sets variables no setting reads"
        assert REQUIRED_FOR_REPLICAS - given == set(), f"{name} lacks settings replicas need"


def test_settings_load_from_what_compose_gives_and_point_at_the_balancer(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of this checkout
    for variable in setting_names():
        monkeypatch.delenv(variable, raising=False)
    env = example_env()
    lb = lb_env()
    for name, service in services_of(APP_IMAGE).items():
        with monkeypatch.context() as scoped:
            for key, value in service["environment"].items():
                scoped.setenv(key, interpolate(str(value), env))
            settings = load_settings()
        rasa, actions = urlsplit(settings.rasa_url), urlsplit(settings.action_server_url)
        assert (rasa.hostname, f"0.0.0.0:{rasa.port}") == ("lb", lb["LB_RASA_BIND"]), name
        assert (actions.hostname, f"0.0.0.0:{actions.port}") == ("lb", lb["LB_ACTIONS_BIND"])
        assert actions.path == "/webhook"
        assert settings.database_url and urlsplit(settings.database_url).hostname == "postgres"
        assert settings.redis_url and urlsplit(settings.redis_url).hostname == "redis"
        assert settings.secret_key.get_secret_value() == env["SECRET_KEY"]
        if name in REPLICATED["gateway"]:
            assert f"{name}:{settings.gateway_port}" in lb.values()
        if name in REPLICATED["actions"]:
            assert f"{name}:{settings.action_server_port}" in lb.values()


def test_rasa_services_give_what_the_rasa_image_reads_and_share_one_database() -> None:
    postgres = SERVICES["postgres"]["environment"]
    for name, service in services_of(RASA_IMAGE).items():
        env = service["environment"]
        assert set(env) - rasa_variables() == set(), f"{name} sets what the image never reads"
        assert rasa_variables(required_only=True) - set(env) == set(), name
        assert (env["TRACKER_DB_HOST"], env["TRACKER_DB_NAME"], env["TRACKER_DB_USER"]) == (
            "postgres", postgres["POSTGRES_DB"], postgres["POSTGRES_USER"])
        assert env["TRACKER_DB_PASSWORD"] == postgres["POSTGRES_PASSWORD"]
        assert env["REDIS_HOST"] == "redis"
        assert f"{name}:5005" in lb_env().values()
        assert env["RASA_TOKEN"].startswith("${RASA_TOKEN")  # the gateways' token


def test_every_variable_compose_needs_is_in_its_example_env() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    assert referenced(text) <= set(example_env())


def test_balancer_config_gets_every_address_it_names_and_haproxy_accepts_it() -> None:
    config = DEPLOY / "haproxy" / "haproxy.cfg"
    lb = lb_env()
    assert referenced(config.read_text()) == set(lb)
    for key, address in lb.items():
        host = address.split(":")[0]
        assert host == "0.0.0.0" if key.startswith("LB_") else host in SERVICES, key
    haproxy = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")
    if haproxy is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy missing: .ci/run installs it (apt-get install haproxy)")
        pytest.skip("haproxy is not installed (apt-get install haproxy); config not parsed")
    # compose's service names resolve only inside its network: the same ports on loopback
    local = {k: v if k.startswith("LB_") else f"127.0.0.1:{v.split(':')[1]}"
             for k, v in lb.items()}
    check = subprocess.run([haproxy, "-c", "-f", str(config)], env={**os.environ, **local},
                           capture_output=True, text=True, timeout=30, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
