"""The floor: CPU per request of the bare official `openai` client, with nothing of ours.

Sends N chat completions to the loopback server (no latency, no limits) the cheapest way the
official client allows (AsyncOpenAI.post with the aiohttp transport, raw response, json.loads),
and the usual way (chat.completions.create, default transport), both paced at a given rate
(as a rate-limited run is) and unpaced. What `pipeline run` costs per request can be no lower
than the paced figure at the same rate.

Usage: python bench/bench_client_floor.py [--requests N] [--rps RATE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
from pathlib import Path

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

    await one()  # warm: connection, imports
    started = cpu_seconds()
    tasks = []
    for _ in range(requests):
        tasks.append(asyncio.create_task(one()))
        await asyncio.sleep(interval)
    await asyncio.gather(*tasks)
    spent = cpu_seconds() - started
    await client.close()
    return spent / requests * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rps", type=float, default=50.0)
    args = parser.parse_args()
    server = subprocess.Popen([PYTHON, str(REPO / "tests/fake_openai.py")],
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
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
