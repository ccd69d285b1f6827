"""Client CPU per request against the bare official client, measured the same way.

`bench_client_floor.py` times the bare client's request loop after a warm-up, while the `cpu`
scenario of `bench_ratelimit.py` divides a whole `pipeline run` process's CPU (imports,
start-up, pre-flight, rendering, output) by its requests: the two figures are not the same
measure, and their ratio overstates what each request costs us. Here both are marginal:

- bare: the official client on the aiohttp transport, the cheapest way (`AsyncOpenAI.post`,
  raw response, `json.loads`: what the pipeline's provider does) and the usual way
  (`chat.completions.create`, typed response), each in a fresh process for N and for 2N
  requests, with the same concurrency as the pipeline (32);
- ours: `pipeline run` (the `cpu` scenario: no limits, no latency) for N and for 2N rows.

Each figure is (CPU of the 2N process - CPU of the N process) / N: what one more request
costs, with everything that is paid once left out on both sides. Runs alternate, R rounds;
the ratio is taken per round (same machine state) and its median reported.

Usage: python bench/bench_client_ratio.py [--requests N] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_ratelimit import PYTHON, REPO, TEMPLATE, write_input

CONCURRENCY = 32
BARE = r'''
import asyncio, json, sys
import httpx2, openai
MESSAGES = [{"role": "system", "content": "You write short product copy."},
            {"role": "user", "content": "Describe Product number 1 (Tea, $1.50) in one "
                                        "sentence for our online shop, mentioning the category."}]
async def main(base_url, n, concurrency, typed):
    client = openai.AsyncOpenAI(api_key="sk-bench", base_url=base_url, max_retries=0,
                                http_client=openai.DefaultAioHttpClient())
    gate = asyncio.Semaphore(concurrency)
    async def one():
        async with gate:
            if typed:
                await client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES,
                                                     max_tokens=100, timeout=10)
                return
            raw = await client.post("/chat/completions",
                                    body={"model": "gpt-4o-mini", "messages": MESSAGES,
                                          "max_tokens": 100},
                                    cast_to=httpx2.Response, options={"timeout": 10})
            json.loads(raw.content)
    await asyncio.gather(*(one() for _ in range(n)))
    await client.close()
asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "typed"))
'''


def child_cpu(cmd: list[str], **kw) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[:4]} exited {done.returncode}: {done.stderr[-800:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bare(base_url: str, n: int, way: str = "raw") -> float:
    return child_cpu([PYTHON, "-c", BARE, base_url, str(n), str(CONCURRENCY), way])


def ours(base_url: str, n: int, work: Path) -> float:
    folder = Path(tempfile.mkdtemp(dir=work))
    write_input(folder / "in.csv", n)
    (folder / "t.j2").write_text(TEMPLATE, encoding="utf-8")
    env = dict(os.environ, OPENAI_API_KEY="sk-bench")
    return child_cpu([PYTHON, "-m", "pipeline", "run", "-q", "-i", str(folder / "in.csv"),
                      "-t", str(folder / "t.j2"), "-o", str(folder / "out.csv"),
                      "-m", "gpt-4o-mini", "--base-url", base_url, "--id-column", "sku",
                      "--max-tokens", "100", "--concurrency", str(CONCURRENCY)],
                     env=env, cwd=folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    n = args.requests
    server = subprocess.Popen([PYTHON, str(REPO / "tests/fake_openai.py")],
                              stdout=subprocess.PIPE, text=True)
    base_url = server.stdout.readline().strip()
    work = Path(tempfile.mkdtemp(prefix="bench-ratio-"))
    ratios: list[float] = []
    typed_ratios: list[float] = []
    try:
        for round_ in range(1, args.rounds + 1):
            bare_ms = (bare(base_url, 2 * n) - bare(base_url, n)) / n * 1000
            typed_ms = (bare(base_url, 2 * n, "typed") - bare(base_url, n, "typed")) / n * 1000
            ours_ms = (ours(base_url, 2 * n, work) - ours(base_url, n, work)) / n * 1000
            ratios.append(ours_ms / bare_ms)
            typed_ratios.append(ours_ms / typed_ms)
            print(f"round {round_}: bare post {bare_ms:.3f} ms, bare chat.completions.create "
                  f"{typed_ms:.3f} ms, pipeline run {ours_ms:.3f} ms per request (marginal, "
                  f"concurrency {CONCURRENCY}): {ours_ms / bare_ms:.2f}x post, "
                  f"{ours_ms / typed_ms:.2f}x create", flush=True)
    finally:
        server.terminate()
        server.wait()
    print(f"median over {len(ratios)} rounds: {statistics.median(ratios):.2f}x the bare "
          f"`post`, {statistics.median(typed_ratios):.2f}x the bare `chat.completions.create` "
          f"(both on the aiohttp transport; {n} and {2 * n} requests / rows)")


if __name__ == "__main__":
    main()
