"""API settings, read from the environment (``COLLABGRAPH_*``)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings", "is_loopback"]


class Settings(BaseSettings):
    """How the API runs. Every field can be set as ``COLLABGRAPH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="COLLABGRAPH_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    api_token: SecretStr | None = Field(
        default=None, description="Bearer token every endpoint but health requires when set."
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
    store_retry_seconds: int = Field(default=5, ge=1, le=3600)


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
