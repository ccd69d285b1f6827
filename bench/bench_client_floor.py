"""The floor: CPU per request of the bare official `openai` client, with nothing of ours.

Sends N chat completions to the loopback server (no latency, no limits) the cheapest way the
official client allows (AsyncOpenAI.post with the aiohttp transport, raw response, json.loads),
and the usual way (chat.completions.create, default transport), both paced at a given rate
(as a rate-limited run is) and unpaced. What `pipeline run` costs per request can be no lower
than the paced figure at the same rate. For reference it also measures plain aiohttp with no
SDK at all (what the OpenAI cookbook's parallel processor uses): the floor of any Python
asyncio client on this machine.

Usage: python bench/bench_client_floor.py [--requests N] [--rps RATE] [--latency S]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import httpx2
import openai

sys.path.insert(0, str(Path(__file__).parent))
from bench_ratelimit import PYTHON, REPO

MESSAGES = [{"role": "system", "content": "You write short product copy."},
            {"role": "user", "content": "Describe Product number 1 (Tea, $1.50) in one sentence "
                                        "for our online shop, mentioning the category."}]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def cpu_ms_per_request(one: Callable[[], Awaitable[None]], *, requests: int,
                             interval: float) -> float:
    """CPU ms per call of `one`, started every `interval` seconds (0: all at once), after one
    warm-up call (connection, imports)."""
    await one()
    started = cpu_seconds()
    tasks = []
    for _ in range(requests):
        tasks.append(asyncio.create_task(one()))
        await asyncio.sleep(interval)
    await asyncio.gather(*tasks)
    return (cpu_seconds() - started) / requests * 1000


async def measure_plain_aiohttp(base_url: str, *, requests: int, interval: float) -> float:
    """The same request with aiohttp alone: no SDK, no request/response models."""
    body = {"model": "gpt-4o-mini", "messages": MESSAGES, "max_tokens": 100}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:

        async def one() -> None:
            async with session.post(f"{base_url}/chat/completions", json=body,
                                    headers={"Authorization": "Bearer sk-bench"}) as response:
                json.loads(await response.read())

        return await cpu_ms_per_request(one, requests=requests, interval=interval)


async def measure(base_url: str, *, cheapest: bool, requests: int, interval: float) -> float:
    kwargs = {"http_client": openai.DefaultAioHttpClient()} if cheapest else {}
    client = openai.AsyncOpenAI(api_key="sk-bench", base_url=base_url, max_retries=0, **kwargs)

    async def one() -> None:
        if cheapest:
            raw = await client.post("/chat/completions",
                                    body={"model": "gpt-4o-mini", "messages": MESSAGES,
                                          "max_tokens": 100},
                                    cast_to=httpx2.Response, options={"timeout": 10})
            json.loads(raw.content)
        else:
            await client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES,
                                                 max_tokens=100, timeout=10)

    ms = await cpu_ms_per_request(one, requests=requests, interval=interval)
    await client.close()
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rps", type=float, default=50.0)
    parser.add_argument("--latency", type=float, default=0.0,
                        help="server latency in seconds (the rate-limit benchmarks use 0.3)")
    args = parser.parse_args()
    server = subprocess.Popen([PYTHON, str(REPO / "tests/fake_openai.py"),
                               "--latency", str(args.latency)],
                              stdout=subprocess.PIPE, text=True)
    base_url = server.stdout.readline().strip()
    try:
        for cheapest in (True, False):
            for interval in (1 / args.rps, 0.0):
                ms = asyncio.run(measure(base_url, cheapest=cheapest, requests=args.requests,
                                         interval=interval))
                way = "post + aiohttp" if cheapest else "create + httpx2"
                pace = f"paced at {args.rps:g}/s" if interval else "unpaced"
                print(f"{way:16s} {pace:16s} {ms:.2f} ms CPU per request")
        for interval in (1 / args.rps, 0.0):
            ms = asyncio.run(measure_plain_aiohttp(base_url, requests=args.requests,
                                                   interval=interval))
            pace = f"paced at {args.rps:g}/s" if interval else "unpaced"
            print(f"{'plain aiohttp':16s} {pace:16s} {ms:.2f} ms CPU per request")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
