"""What `pipeline --version` prints: ours, Python's and the versions a bug report needs.

The libraries named here decide behaviour a user can see: the client (requests and errors),
the price data (costs), Babel's CLDR (plural forms) and the embedded model's runtime.
"""

from __future__ import annotations

import platform
from importlib import metadata

DISTRIBUTION = "llm-batch-pipeline"
#: Installed distributions reported after ours, in this order.
REPORTED = ("openai", "anthropic", "google-genai", "genai-prices", "babel", "llama-cpp-python")


def installed(name: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def versions_text() -> str:
    lines = [f"pipeline ({DISTRIBUTION}) {installed(DISTRIBUTION) or 'not installed'}",
             f"Python {platform.python_version()} ({platform.system()} {platform.machine()})"]
    lines += [f"{name} {installed(name) or 'not installed'}" for name in REPORTED]
    return "\n".join(lines)
