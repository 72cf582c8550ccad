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

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

UPLOAD_FRAMING_BYTES = 1 << 20  # the multipart form around an uploaded file: operations, map


class Settings(BaseSettings):
    """Every option of the product, from ``GRIDGRAPH_*`` environment variables.

    Two byte limits guard a file, one rule between them: ``max_file_bytes`` is the largest
    file the loader reads, however it comes (a path, bytes, the file inside an ``importFile``
    upload); ``max_upload_bytes`` is the largest HTTP upload request the server accepts, judged
    by its declared length before the request is parsed. The upload limit follows from the file
    limit (the file plus :data:`UPLOAD_FRAMING_BYTES` for the form around it) unless it is set;
    set, it may not be below the file limit, or a file the loader accepts could not be sent.
    """

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
    audit_path: Path | None = Field(None, description="Audit trail (default: beside the store)")
    tokens_file: Path | None = Field(None, description="Named tokens with roles (TOML)")
    introspection_roles: str = Field(
        "anonymous,reader,planner,app,admin", description="Roles that may introspect"
    )
    graphiql_roles: str = Field(
        "anonymous,reader,planner,app,admin", description="Roles GraphiQL is served to"
    )
    failed_token_limit: int = Field(10, ge=1, description="Refused tokens per client per window")
    failed_token_window: float = Field(60.0, gt=0, description="Seconds of that window")
    max_upload_bytes: int = Field(
        0,
        ge=0,
        description="Largest upload request, bytes, by its declared length "
        "(0: the file limit plus 1 MiB for the form around the file)",
    )

    # what one uploaded or loaded file may cost; refused, before the work, above these
    max_file_bytes: int = Field(
        50 * 2**20, ge=1, description="Largest file the loader reads (a path, or an upload's file)"
    )
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
    persisted_queries_dir: Path | None = Field(
        None, description="More persisted queries: every *.graphql in this folder"
    )
    compiled_queries: bool = Field(
        True, description="Answer persisted queries from compiled plans (off: graphql-core)"
    )
    keep_renderings: bool = Field(
        True,
        description="Compiled plans keep the JSON of the parts of an answer that depend on a "
        "kept domain answer alone (off: every field is walked on every request)",
    )

    timezone: str = Field(
        "Asia/Shanghai",
        description="IANA time zone of the governed place: its day is 'today' for every asOf",
    )

    @model_validator(mode="after")
    def _upload_follows_file(self) -> Settings:
        if self.max_upload_bytes == 0:
            self.max_upload_bytes = self.max_file_bytes + UPLOAD_FRAMING_BYTES
        elif self.max_upload_bytes < self.max_file_bytes:
            raise ValueError(
                f"max_upload_bytes ({self.max_upload_bytes:,}) is below max_file_bytes "
                f"({self.max_file_bytes:,}): a file the loader accepts could not be uploaded; "
                "raise it or leave it unset (上传上限不能小于文件上限)"
            )
        return self

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
