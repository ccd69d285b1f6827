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

`--repo PATH` runs `pipeline run` from that checkout (PYTHONPATH=PATH) instead of this one;
given twice or more, every round measures each checkout in turn (the order alternating from
round to round) against the same bare figures, and the per-round ratio of each checkout to the
first is reported too: on a shared machine, before and after compared within one round.

Usage: python bench/bench_client_ratio.py [--requests N] [--rounds R] [--repo PATH ...]
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


def ours(base_url: str, n: int, work: Path, repo: Path = REPO) -> float:
    folder = Path(tempfile.mkdtemp(dir=work))
    write_input(folder / "in.csv", n)
    (folder / "t.j2").write_text(TEMPLATE, encoding="utf-8")
    env = dict(os.environ, OPENAI_API_KEY="sk-bench", PYTHONPATH=str(repo))
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
    parser.add_argument("--repo", type=Path, action="append",
                        help="a checkout to run `pipeline run` from (repeat to compare)")
    args = parser.parse_args()
    n = args.requests
    repos: list[Path] = [r.resolve() for r in args.repo] if args.repo else [REPO]
    server = subprocess.Popen([PYTHON, str(REPO / "tests/fake_openai.py")],
                              stdout=subprocess.PIPE, text=True)
    base_url = server.stdout.readline().strip()
    work = Path(tempfile.mkdtemp(prefix="bench-ratio-"))
    ratios: dict[Path, list[float]] = {r: [] for r in repos}
    typed_ratios: dict[Path, list[float]] = {r: [] for r in repos}
    per_request: dict[Path, list[float]] = {r: [] for r in repos}
    try:
        for round_ in range(1, args.rounds + 1):
            bare_ms = (bare(base_url, 2 * n) - bare(base_url, n)) / n * 1000
            typed_ms = (bare(base_url, 2 * n, "typed") - bare(base_url, n, "typed")) / n * 1000
            order = repos if round_ % 2 else repos[::-1]
            for repo in order:
                ours_ms = (ours(base_url, 2 * n, work, repo) - ours(base_url, n, work, repo)
                           ) / n * 1000
                per_request[repo].append(ours_ms)
                ratios[repo].append(ours_ms / bare_ms)
                typed_ratios[repo].append(ours_ms / typed_ms)
                name = f" [{repo}]" if len(repos) > 1 else ""
                print(f"round {round_}{name}: bare post {bare_ms:.3f} ms, bare "
                      f"chat.completions.create {typed_ms:.3f} ms, pipeline run {ours_ms:.3f} "
                      f"ms per request (marginal, concurrency {CONCURRENCY}): "
                      f"{ours_ms / bare_ms:.2f}x post, {ours_ms / typed_ms:.2f}x create",
                      flush=True)
    finally:
        server.terminate()
        server.wait()
    for repo in repos:
        name = f" [{repo}]" if len(repos) > 1 else ""
        print(f"median over {len(ratios[repo])} rounds{name}: "
              f"{statistics.median(per_request[repo]):.3f} ms per request, "
              f"{statistics.median(ratios[repo]):.2f}x the bare `post`, "
              f"{statistics.median(typed_ratios[repo]):.2f}x the bare `chat.completions.create` "
              f"(both on the aiohttp transport; {n} and {2 * n} requests / rows)")
    first = repos[0]
    for repo in repos[1:]:
        within = [b / a for a, b in zip(per_request[first], per_request[repo], strict=True)]
        print(f"[{repo}] / [{first}], per round: {', '.join(f'{r:.3f}' for r in within)}; "
              f"median {statistics.median(within):.3f}")


if __name__ == "__main__":
    main()
