"""Where keys and tokens come from: the process environment over a `.env` file.

Read, not loaded: the library never changes os.environ behind its caller's back. Secrets are
taken from here by name (`api_key_env`, `webhook_env`, `token_env`) and never written anywhere.
"""

from __future__ import annotations

import os

from dotenv import dotenv_values, find_dotenv


def environment() -> dict[str, str]:
    """The process environment over a .env file found from the current directory."""
    dotenv_path = find_dotenv(usecwd=True)
    found = dotenv_values(dotenv_path) if dotenv_path else {}
    return {**{k: v for k, v in found.items() if v is not None}, **os.environ}
