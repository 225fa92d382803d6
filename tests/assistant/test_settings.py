"""Settings: local defaults are announced, malformed values stop start-up by name."""

from __future__ import annotations

import pytest

from assistant.settings import SettingsError, load_settings

OPTIONAL_KEYS = (
    "DATABASE_URL",
    "REDIS_URL",
    "GOOGLE_CLIENT_ID",
    "GOOGLE_CLIENT_SECRET",
    "SENDGRID_API_KEY",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM_NUMBER",
    "SECRET_KEY",
    "RASA_TOKEN",
    "PUBLIC_URL",
    "HOST",
    "GATEWAY_HOST",
    "RASA_HOST",
    "RASA_URL",
    "MODEL_STORE_URL",
    "LOG_FORMAT",
    "GATEWAY_RUNS_JOBS",
)


@pytest.fixture(autouse=True)
def bare_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))  # generated secrets go there
    for key in OPTIONAL_KEYS:
        monkeypatch.delenv(key, raising=False)


def test_no_keys_means_every_integration_on_its_local_default() -> None:
    notes = load_settings().local_defaults()
    assert len(notes) == 8
    assert any("Stripe not configured: deposits are paid at the salon" in n for n in notes)
    assert any("SECRET_KEY unset" in note for note in notes)
    assert any("embedded PostgreSQL" in note for note in notes)
    assert any("SendGrid" in note for note in notes)
    assert any("Twilio" in note for note in notes)


def test_configured_integrations_are_not_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example:5432/booking")
    monkeypatch.setenv("SENDGRID_API_KEY", "SG.key")
    monkeypatch.setenv("SECRET_KEY", "a long random value from the operator")
    notes = load_settings().local_defaults()
    assert not any(word in note for note in notes for word in ("embedded", "SendGrid", "SECRET"))


def test_each_service_binds_to_loopback_and_is_reached_at_its_own_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load_settings()
    assert (settings.gateway_host, settings.rasa_host, settings.action_server_host) == (
        "127.0.0.1", "127.0.0.1", "127.0.0.1")
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.action_server_url == "http://127.0.0.1:5055/webhook"

    monkeypatch.setenv("HOST", "0.0.0.0")  # HOST still names the gateway's bind address
    monkeypatch.setenv("RASA_URL", "http://rasa.internal:5005/")
    settings = load_settings()
    assert settings.gateway_host == "0.0.0.0" and settings.rasa_host == "127.0.0.1"
    assert settings.gateway_url == "http://127.0.0.1:8000"  # a wildcard bind is reached locally
    assert settings.rasa_url == "http://rasa.internal:5005"


def test_env_file_is_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("GATEWAY_PORT=8123\n")
    assert load_settings().gateway_port == 8123


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("GATEWAY_PORT", "eighty"),
        ("GATEWAY_PORT", "70000"),
        ("DATABASE_URL", "not a url"),
        ("LOG_LEVEL", "LOUD"),
        ("SECRET_KEY", ""),
        ("RASA_TOKEN", ""),
    ],
)
def test_malformed_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, key: str, value: str
) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError, match=key):
        load_settings()


def test_cli_exits_2_with_the_name_of_the_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from assistant.__main__ import main

    monkeypatch.setenv("RASA_PORT", "-1")
    assert main(["migrate"]) == 2
    assert "RASA_PORT" in capsys.readouterr().err


def test_env_example_documents_every_setting() -> None:
    from assistant.settings import PROJECT_ROOT, Settings

    documented = (PROJECT_ROOT / ".env.example").read_text()
    missing = [name for name in Settings.model_fields if f"{name.upper()}=" not in documented]
    assert missing == []


def test_replica_settings_are_checked_by_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.__main__ import main

    for name, bad in (("MODEL_STORE_URL", "ftp://models"), ("MODEL_PULL_SECONDS", "0"),
                      ("LOG_FORMAT", "xml"), ("GATEWAY_RUNS_JOBS", "perhaps")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(SettingsError, match=name):
            load_settings()
        monkeypatch.delenv(name)
    assert main(["rasa"]) == 2  # a replica alone needs the shared database
    assert "DATABASE_URL is unset" in capsys.readouterr().err


def test_rasa_endpoints_name_the_shared_stores(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from assistant.run import rasa_endpoints

    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6380/3")
    monkeypatch.setenv("MODEL_STORE_URL", "http://gateway.internal:8000/model-store/rasa")
    monkeypatch.setenv("MODEL_PULL_SECONDS", "15")
    shared = rasa_endpoints(load_settings())
    config = yaml.safe_load(shared.read_text())
    assert config["lock_store"] == {"type": "redis", "url": "cache.internal", "port": 6380,
                                    "db": 3}
    assert config["models"] == {"url": "${MODEL_STORE_URL}", "token": "${RASA_TOKEN}",
                                "wait_time_between_pulls": 15}
    assert config["tracker_store"]["type"] == "SQL"
    monkeypatch.delenv("MODEL_STORE_URL")
    alone = rasa_endpoints(load_settings())  # another replica's settings: its own file
    assert alone != shared and "models" not in yaml.safe_load(alone.read_text())
    assert shared.exists() and not list(shared.parent.glob("*.tmp"))
