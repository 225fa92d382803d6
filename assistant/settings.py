"""One settings object, read from the environment and `.env`; `.env.example` lists every field.

With no keys configured, every external service has a local default (embedded PostgreSQL, no
Google, messages recorded in the outbox and the log), so `make run` works with no accounts.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

log = logging.getLogger(__name__)


class SettingsError(RuntimeError):
    """A malformed setting; the message names each offending variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    # database: unset means an embedded server in data_dir/postgres
    database_url: str | None = None
    data_dir: Path = PROJECT_ROOT / ".data"
    embedded_db_port: int = Field(default=54329, ge=1024, le=65535)
    embedded_db_name: str = "booking"

    # processes and ports
    host: str = "127.0.0.1"
    gateway_port: int = Field(default=8000, ge=1, le=65535)
    rasa_port: int = Field(default=5005, ge=1, le=65535)
    action_server_port: int = Field(default=5055, ge=1, le=65535)
    public_url: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    secret_key: SecretStr = SecretStr("dev-only-change-me")
    trust_proxy: bool = False
    # how long the action server reuses the catalog it read (0: read it on every use)
    catalog_cache_seconds: float = Field(default=5.0, ge=0, le=3600)
    # admin: a user made at start from these; the REST API's admin key (compared hashed)
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    admin_api_key: SecretStr | None = None
    # /metrics wants `Authorization: Bearer <this>` when set; unset: open (local use)
    metrics_token: SecretStr | None = None
    # origins (scheme://host[:port], comma-separated) whose pages may call POST /chat
    chat_allowed_origins: str = ""

    # optional integrations: each unset key switches that integration to its local default
    redis_url: str | None = None
    google_client_id: str | None = None
    google_client_secret: SecretStr | None = None
    google_token_key: SecretStr | None = None
    google_api_url: str | None = None
    google_oauth_url: str | None = None
    sendgrid_api_key: SecretStr | None = None
    sendgrid_from_email: str | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = None

    @field_validator("database_url", "redis_url")
    @classmethod
    def _parseable_url(cls, value: str | None) -> str | None:
        if value:
            try:
                make_url(value)
            except ArgumentError as error:
                raise ValueError(f"not a database URL: {error}") from None
        return value or None

    @field_validator("chat_allowed_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        """Exact origins only: a wildcard would let any site's script read the chat's replies."""
        found = [o.strip().rstrip("/").lower() for o in value.split(",") if o.strip()]
        for origin in found:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or "*" in origin \
                    or parts.path or parts.query or parts.fragment or "@" in parts.netloc:
                raise ValueError(f"{origin!r} is not an origin like https://www.example.com")
        return ",".join(found)

    @property
    def chat_origins(self) -> frozenset[str]:
        return frozenset(self.chat_allowed_origins.split(",")) - {""}

    def subkey(self, purpose: str) -> bytes:
        """A key for one purpose ("admin-session", "customer-link", "google-token"...) derived
        from SECRET_KEY, so a key leaked from one use cannot forge another's."""
        root = self.secret_key.get_secret_value().encode()
        return hmac.new(root, f"booking-assistant/{purpose}".encode(), hashlib.sha256).digest()

    @property
    def gateway_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.gateway_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_server_url(self) -> str:
        return f"http://{self.host}:{self.action_server_port}/webhook"

    def local_defaults(self) -> list[str]:
        """One sentence for each integration that runs on its local stand-in."""
        notes = []
        if not self.database_url:
            notes.append(
                f"DATABASE_URL unset: using the embedded PostgreSQL in {self.data_dir / 'postgres'}"
            )
        if not (self.google_client_id and self.google_client_secret):
            notes.append("Google Calendar not configured: no busy times or events from Google")
        if not self.sendgrid_api_key:
            notes.append("SendGrid not configured: e-mails are recorded in the outbox and the log")
        if not (self.twilio_account_sid and self.twilio_auth_token and self.twilio_from_number):
            notes.append("Twilio not configured: SMS are recorded in the outbox and the log")
        if not self.redis_url:
            notes.append("REDIS_URL unset: Rasa uses its in-memory lock store (one Rasa process)")
        return notes


def load_settings() -> Settings:
    """Read the settings; a malformed one raises SettingsError naming every bad variable."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None
