"""One Settings object for the whole product, read from the environment (and CLI flags).

Every option has a default that works on a fresh machine: the embedded store in
``data/gridgraph.sqlite``, the API on http://127.0.0.1:8000/graphql.

"Today" is the governed place's day, not the server's: :meth:`Settings.today` is the date in
``timezone`` (default Asia/Shanghai), and every question without ``asOf`` (API, CLI, library)
is asked for that day.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRIDGRAPH_", extra="ignore")

    store: Literal["memory", "neo4j"] = Field("memory", description="Which store to use")
    store_path: Path = Field(Path("data/gridgraph.sqlite"), description="Embedded store file")
    host: str = "127.0.0.1"
    port: int = 8000

    neo4j_uri: str | None = Field(
        None, validation_alias=AliasChoices("NEO4J_URI", "GRIDGRAPH_NEO4J_URI")
    )
    neo4j_user: str = Field(
        "neo4j", validation_alias=AliasChoices("NEO4J_USER", "GRIDGRAPH_NEO4J_USER")
    )
    neo4j_password: SecretStr = Field(
        SecretStr(""), validation_alias=AliasChoices("NEO4J_PASSWORD", "GRIDGRAPH_NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(
        "neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "GRIDGRAPH_NEO4J_DATABASE")
    )
    neo4j_batch_size: int = Field(5000, ge=1, description="Rows per UNWIND batch")

    admin_token: SecretStr | None = Field(None, description="Bearer token for mutations")
    read_token: SecretStr | None = Field(None, description="Bearer token for reads, if set")
    tokens_file: Path | None = Field(None, description="Named tokens with roles (TOML)")
    introspection_roles: str = Field(
        "anonymous,reader,planner,app,admin", description="Roles that may introspect"
    )
    graphiql_roles: str = Field(
        "anonymous,reader,planner,app,admin", description="Roles GraphiQL is served to"
    )
    failed_token_limit: int = Field(10, ge=1, description="Refused tokens per client per window")
    failed_token_window: float = Field(60.0, gt=0, description="Seconds of that window")
    max_upload_bytes: int = Field(100 * 1024 * 1024, ge=1, description="Bytes of one upload")

    # what one uploaded or loaded file may cost; refused, before the work, above these
    max_file_bytes: int = Field(50 * 2**20, ge=1, description="Largest file or upload, bytes")
    max_uncompressed_bytes: int = Field(
        400 * 2**20, ge=1, description="Largest unpacked size of an xlsx (a zip bomb), bytes"
    )
    max_rows: int = Field(500_000, ge=1, description="Most rows in one sheet")
    max_columns: int = Field(200, ge=1, description="Most columns in one sheet")
    max_cells: int = Field(
        20_000_000, ge=1, description="Most cells in one sheet, as declared or used"
    )

    max_query_depth: int = Field(12, ge=1)
    max_aliases: int = Field(30, ge=1)
    max_tokens: int = Field(5000, ge=1)
    max_page_size: int = Field(500, ge=1)
    max_query_cost: int = Field(300_000, ge=1, description="Values one query may produce")
    max_query_bytes: int = Field(100_000, ge=1, description="Bytes of query text and variables")
    request_timeout: float = Field(10.0, gt=0, description="Seconds one request may run")
    graphql_threads: int = Field(2, ge=1, description="Requests executing at once per process")

    timezone: str = Field(
        "Asia/Shanghai",
        description="IANA time zone of the governed place: its day is 'today' for every asOf",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (未知时区): give an IANA name like Asia/Shanghai"
            ) from None
        return value

    def today(self) -> date:
        """The governed place's day now (not the server's): the default of every asOf."""
        return datetime.now(ZoneInfo(self.timezone)).date()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def today() -> date:
    """Today in the configured time zone (``GRIDGRAPH_TIMEZONE``, default Asia/Shanghai)."""
    return get_settings().today()
