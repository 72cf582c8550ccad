"""The schema as SDL text, the form committed to ``docs/schema.graphql``."""

from __future__ import annotations

from pathlib import Path

from api.schema import build_schema

SDL_PATH = Path(__file__).resolve().parent.parent / "docs" / "schema.graphql"


def schema_sdl() -> str:
    """The SDL of the whole schema, ending with one newline."""
    return build_schema().as_str().rstrip("\n") + "\n"


def write_sdl(path: Path = SDL_PATH) -> bool:
    """Write the SDL to ``path``; True when the file changed."""
    text = schema_sdl()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
