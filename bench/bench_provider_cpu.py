"""Client CPU per request of each remote provider (OpenAI, Anthropic, Gemini) through its
official SDK, against its loopback stand-in (tests/fake_*.py), nothing else of the pipeline.

Each provider's `complete` is called N times, `--concurrency` at once, for a structured and a
plain reply. The fake servers answer from their own thread, so the figure is the CPU time of
the client's thread only (time.thread_time): what building the body, the SDK, its transport
and reading the answer cost per request. Rounds alternate providers so a loaded machine
weighs on each alike; the median round is reported.

Usage: python bench/bench_provider_cpu.py [--requests N] [--concurrency C] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from fake_anthropic import FakeAnthropic  # noqa: E402
from fake_gemini import FakeGemini  # noqa: E402
from fake_openai import FakeOpenAI  # noqa: E402

from pipeline.records import Request  # noqa: E402

SCHEMA = {"type": "object", "properties": {"title": {"type": "string"},
                                           "meta_description": {"type": "string"}},
          "required": ["title", "meta_description"], "additionalProperties": False}


def request(i: int, model: str, structured: bool) -> Request:
    return Request(row_id=str(i), model=model, fingerprint=str(i), params={"max_tokens": 200},
                   completion_cap=200, response_schema=SCHEMA if structured else None,
                   messages=[{"role": "system", "content": "You write short product copy."},
                             {"role": "user", "content": f"Describe product {i} (Tea, $1.50) "
                                                         "in one sentence for our shop."}])


def providers(servers: dict[str, object]) -> dict[str, tuple[object, str]]:
    from pipeline.send.providers.anthropic import AnthropicProvider
    from pipeline.send.providers.gemini import GeminiProvider
    from pipeline.send.providers.openai import OpenAIProvider

    openai = OpenAIProvider(api_key="sk-bench-0000000000", base_url=servers["openai"].base_url)
    return {"openai": (openai, "gpt-4o-mini"),
            "anthropic": (AnthropicProvider(api_key="sk-ant-bench-000000",
                                            base_url=servers["anthropic"].base_url),
                          "claude-haiku-4-5"),
            "gemini": (GeminiProvider(api_key="AIza-bench-0000000000",
                                      base_url=servers["gemini"].base_url), "gemini-2.5-flash")}


async def one_round(provider, model: str, n: int, concurrency: int, structured: bool) -> float:
    gate = asyncio.Semaphore(concurrency)

    async def send(i: int) -> None:
        async with gate:
            await provider.complete(request(i, model, structured), timeout=30)

    await asyncio.gather(*(send(i) for i in range(20)))  # warm: connections, imports
    started = time.thread_time()
    await asyncio.gather(*(send(i) for i in range(n)))
    return (time.thread_time() - started) / n * 1e6


async def main(args: argparse.Namespace) -> dict:
    servers = {"openai": FakeOpenAI().start(), "anthropic": FakeAnthropic().start(),
               "gemini": FakeGemini().start()}
    for server in servers.values():
        server.keep_requests = False
    built = providers(servers)
    results: dict[str, dict[str, list[float]]] = {
        name: {"plain": [], "structured": []} for name in built}
    try:
        for _ in range(args.rounds):
            for structured in (False, True):
                for name, (provider, model) in built.items():
                    results[name]["structured" if structured else "plain"].append(
                        await one_round(provider, model, args.requests, args.concurrency,
                                        structured))
    finally:
        for provider, _ in built.values():
            await provider.aclose()
        for server in servers.values():
            server.stop()
    return {name: {kind: round(statistics.median(values), 1) for kind, values in kinds.items()}
            for name, kinds in results.items()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    figures = asyncio.run(main(arguments))
    print(json.dumps({"us_cpu_per_request (client thread, median round)": figures,
                      "requests": arguments.requests, "concurrency": arguments.concurrency,
                      "rounds": arguments.rounds}, indent=2))
