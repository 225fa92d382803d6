"""One settings object, read from the environment and `.env`; `.env.example` lists every field.

With no keys configured, every external service has a local default (embedded PostgreSQL, no
Google, messages recorded in the outbox and the log), so `make run` works with no accounts.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from assistant import secret_file

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

    # processes: the address each binds to (HOST still names the gateway's), its port, and the
    # URL the others reach it at (unset: derived from the bind address and port)
    gateway_host: str = Field(default="127.0.0.1",
                              validation_alias=AliasChoices("gateway_host", "host"))
    rasa_host: str = "127.0.0.1"
    action_server_host: str = "127.0.0.1"
    gateway_port: int = Field(default=8000, ge=1, le=65535)
    rasa_port: int = Field(default=5005, ge=1, le=65535)
    action_server_port: int = Field(default=5055, ge=1, le=65535)
    rasa_url: str = Field(default="", validate_default=True)
    action_server_url: str = Field(default="", validate_default=True)
    public_url: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # "json": one JSON object a line (for a log collector), with the request/conversation id
    log_format: Literal["text", "json"] = "text"
    # replicas: whether each gateway also runs the periodic jobs and the outbox dispatcher (a
    # tick is claimed once across processes either way); false when `assistant worker` does
    gateway_runs_jobs: bool = True
    # where Rasa pulls its model from (the gateway's /model-store/rasa, or any server speaking
    # Rasa's model-server protocol), every MODEL_PULL_SECONDS; unset: the local models/ file
    model_store_url: str | None = None
    model_pull_seconds: int = Field(default=10, ge=1, le=86_400)
    # unset: a random value kept in DATA_DIR/secret_key and DATA_DIR/rasa_token (made once)
    secret_key: SecretStr = Field(default=None, validate_default=True)
    rasa_token: SecretStr = Field(default=None, validate_default=True)
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
    # origins whose pages may frame the booking page (`/book?embed=1`, the widget's booking mode)
    booking_embed_origins: str = ""

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
    # Stripe: deposits paid online and refunds (unset: deposits are paid at the salon)
    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_api_base: str | None = None
    """Tests point the `stripe` library at a local fake of Stripe's API."""

    @field_validator("database_url", "redis_url")
    @classmethod
    def _parseable_url(cls, value: str | None) -> str | None:
        if value:
            try:
                make_url(value)
            except ArgumentError as error:
                raise ValueError(f"not a database URL: {error}") from None
        return value or None

    @field_validator("model_store_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and (urlsplit(value).scheme not in ("http", "https")
                      or not urlsplit(value).hostname):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value or None

    @field_validator("chat_allowed_origins", "booking_embed_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        """Exact origins only: a wildcard would let any site's script read the chat's replies,
        or frame the booking page under its own buttons."""
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

    @property
    def embed_origins(self) -> tuple[str, ...]:
        return tuple(o for o in self.booking_embed_origins.split(",") if o)

    @field_validator("rasa_url", "action_server_url")
    @classmethod
    def _reach_url(cls, value: str, info: ValidationInfo) -> str:
        """The URL as given, or the bound address's: `rasa_url` from RASA_HOST and RASA_PORT,
        `action_server_url` (the webhook Rasa calls) from ACTION_SERVER_HOST and its port."""
        service = (info.field_name or "").removesuffix("_url")
        host, port = info.data.get(f"{service}_host"), info.data.get(f"{service}_port")
        if value or host is None or port is None:  # a bad host or port is reported by name
            return value.rstrip("/")
        url = f"http://{client_host(host)}:{port}"
        return f"{url}/webhook" if service == "action_server" else url

    @field_validator("secret_key", "rasa_token", mode="before")
    @classmethod
    def _secret_or_file(cls, value: object, info: ValidationInfo) -> object:
        """An unset secret is read from (or first written to) its file in DATA_DIR, so every
        process of this installation shares it; an empty one is a mistake, not "unset"."""
        if value is not None:
            if not str(value.get_secret_value() if isinstance(value, SecretStr) else value):
                raise ValueError("empty: unset it to use a generated one, or set a random value")
            return value
        data_dir = info.data.get("data_dir")
        if data_dir is None:  # DATA_DIR itself is malformed and reported by name
            return ""
        try:
            return secret_file.read_or_create(Path(data_dir) / str(info.field_name))[0]
        except (OSError, secret_file.SecretFileError) as error:
            raise ValueError(f"unset, and no usable file for it: {error}") from None

    @property
    def secret_key_generated(self) -> bool:
        """True when SECRET_KEY is not configured and the key comes from DATA_DIR/secret_key."""
        return "secret_key" not in self.model_fields_set

    def subkey(self, purpose: str) -> bytes:
        """A key for one purpose ("admin-session", "customer-link", "google-token"...) derived
        from SECRET_KEY, so a key leaked from one use cannot forge another's."""
        root = self.secret_key.get_secret_value().encode()
        return hmac.new(root, f"booking-assistant/{purpose}".encode(), hashlib.sha256).digest()

    @property
    def gateway_url(self) -> str:
        return self.public_url or f"http://{client_host(self.gateway_host)}:{self.gateway_port}"

    def local_defaults(self) -> list[str]:
        """One sentence for each integration that runs on its local stand-in."""
        notes = []
        if self.secret_key_generated:
            notes.append(f"SECRET_KEY unset: signing with the key generated in "
                         f"{self.data_dir / 'secret_key'}")
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
        if not (self.stripe_secret_key and self.stripe_webhook_secret):
            notes.append("Stripe not configured: deposits are paid at the salon")
        if not self.redis_url:
            notes.append("REDIS_URL unset: Rasa uses its in-memory lock store (one Rasa process)")
        if not self.model_store_url:
            notes.append("MODEL_STORE_URL unset: Rasa loads the model file in models/ "
                         "(a retrain reaches the local Rasa only)")
        return notes


def client_host(bind: str) -> str:
    """The host a local client connects to for a server bound to `bind` (a wildcard bind is
    reached on the loopback address)."""
    if bind in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{bind}]" if ":" in bind else bind


def is_local_url(url: str | None) -> bool:
    """True for no URL, or one whose host is localhost or a loopback address."""
    if url is None:
        return True
    host = urlsplit(url).hostname
    if host == "localhost":
        return True
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings() -> Settings:
    """Read the settings; a malformed one raises SettingsError naming every bad variable.

    A reachable installation (PUBLIC_URL not local) must configure SECRET_KEY: a key generated
    into DATA_DIR differs between replicas and is lost with the machine, breaking every link
    already sent to customers.
    """
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None
    if settings.secret_key_generated and not is_local_url(settings.public_url):
        raise SettingsError(
            f"invalid settings: SECRET_KEY must be set when PUBLIC_URL ({settings.public_url}) "
            "is not a local address; set it to a long random value shared by every process"
        )
    return settings
