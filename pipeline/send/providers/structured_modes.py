"""The ways a structured reply can be asked of an OpenAI-compatible server, best first.

Servers accept different subsets of `response_format` (docs/servers.md): OpenAI, vLLM and
Ollama take `json_schema`; llama.cpp's servers take `json_object` with a `schema` beside it (and
llama-cpp-python answers `json_schema` with an HTTP 500); LM Studio refuses `json_object`. A run
starts with the best mode (or the one the journal learned for the endpoint and model) and steps
down, once per refusal, to the next; every mode below the first also spells the schema out in
the system message, and every reply is validated the same way.
"""

from __future__ import annotations

#: Best first. json_object_schema is llama.cpp's `{"type": "json_object", "schema": {...}}`;
#: text sends no response_format at all and relies on the prompt and lenient parsing.
RESPONSE_FORMAT_MODES = ("json_schema", "json_object_schema", "json_object", "text")

DESCRIPTIONS = {
    "json_schema": "json_schema (the schema enforced by the server)",
    "json_object_schema": "json_object with the schema beside it (llama.cpp's form)",
    "json_object": "json_object (JSON mode) with the schema in the system message",
    "text": "plain text with the schema in the system message, parsed leniently",
}


def next_mode(mode: str) -> str | None:
    """The mode to try after `mode` is refused (None: there is nothing below it)."""
    at = RESPONSE_FORMAT_MODES.index(mode)
    return RESPONSE_FORMAT_MODES[at + 1] if at + 1 < len(RESPONSE_FORMAT_MODES) else None
