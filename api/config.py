"""API settings, read from the environment (``COLLABGRAPH_*``)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["LOCAL_NAMES", "Settings", "get_settings", "is_loopback"]

#: The names a server on this machine always answers to.
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


class Settings(BaseSettings):
    """How the API runs. Every field can be set as ``COLLABGRAPH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="COLLABGRAPH_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    api_token: SecretStr | None = Field(
        default=None,
        description="An install-wide admin bearer token for scripts (optional; accounts "
        "have their own tokens, see 'collabgraph users token').",
    )
    allowed_hosts: str = Field(
        default="",
        description="Comma-separated extra host names the server answers to (the Host "
        "header); 127.0.0.1, localhost, ::1 and the listening address always are.",
    )
    min_group: int = Field(
        default=5, ge=2, le=1000, description="Smallest group a partner sees figures of (k)."
    )
    max_body_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    query_timeout_ms: int = Field(default=5_000, ge=10, le=600_000)
    query_max_rows: int = Field(default=10_000, ge=1, le=1_000_000)
    query_concurrency: int = Field(
        default=2, ge=1, le=64, description="Ad-hoc and named queries run at once; others wait."
    )
    query_wait_ms: int = Field(
        default=1_000, ge=0, le=60_000, description="How long a query waits for a turn (then 429)."
    )
    pdf_concurrency: int = Field(
        default=1, ge=1, le=16, description="Report PDFs printed at once (each runs a Chromium)."
    )
    pdf_wait_ms: int = Field(
        default=2_000, ge=0, le=60_000, description="How long a PDF waits for a turn (then 429)."
    )
    store_retry_seconds: int = Field(default=5, ge=1, le=3600)

    @field_validator("api_token")
    @classmethod
    def _no_blank_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            raise ValueError(
                "COLLABGRAPH_API_TOKEN is set but empty or only spaces: set a real token "
                "(e.g. from 'python -m secrets') or unset it"
            )
        if value is not None and len(value.get_secret_value().strip()) < 16:
            raise ValueError("COLLABGRAPH_API_TOKEN is too short: use at least 16 characters")
        return value

    def host_names(self) -> list[str]:
        """Every name the Host header may carry.

        >>> Settings(allowed_hosts="cg.example.org, x").host_names()[-2:]
        ['cg.example.org', 'x']
        """
        names = [*LOCAL_NAMES]
        if self.host not in ("0.0.0.0", "::", ""):
            names.append(self.host)
        names.extend(n.strip() for n in self.allowed_hosts.split(",") if n.strip())
        return list(dict.fromkeys(names))


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
