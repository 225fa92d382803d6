"""Where Google is and who we are to it: built by the composition root from the settings."""

from __future__ import annotations

from dataclasses import dataclass

SCOPES = ("https://www.googleapis.com/auth/calendar",)
GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GOOGLE_REVOKE_URI = "https://oauth2.googleapis.com/revoke"


@dataclass(frozen=True, slots=True)
class GoogleConfig:
    """An OAuth client and the endpoints to use; `api_url`/`oauth_url` None mean Google's.

    `retries` and `backoff` (seconds, doubled each try) govern rate limits and 5xx answers.
    """

    client_id: str
    client_secret: str
    api_url: str | None = None
    oauth_url: str | None = None
    retries: int = 4
    backoff: float = 0.5

    @property
    def auth_uri(self) -> str:
        return f"{self.oauth_url.rstrip('/')}/auth" if self.oauth_url else GOOGLE_AUTH_URI

    @property
    def token_uri(self) -> str:
        return f"{self.oauth_url.rstrip('/')}/token" if self.oauth_url else GOOGLE_TOKEN_URI

    @property
    def revoke_uri(self) -> str:
        return f"{self.oauth_url.rstrip('/')}/revoke" if self.oauth_url else GOOGLE_REVOKE_URI

    def client_config(self, kind: str, redirect_uris: list[str]) -> dict[str, object]:
        """The client-secrets structure google-auth-oauthlib expects (`web` or `installed`)."""
        return {
            kind: {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "auth_uri": self.auth_uri,
                "token_uri": self.token_uri,
                "redirect_uris": redirect_uris,
            }
        }
