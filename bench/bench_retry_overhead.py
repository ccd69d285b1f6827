"""What tenacity's retry loop costs a request that succeeds at once: why the runner makes its
first attempt outside it (runner.Runner.answer) and lets tenacity take over only on a
retryable failure.

Usage: python bench/bench_retry_overhead.py [--calls N]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from tenacity import AsyncRetrying, retry_if_exception_type


async def main(calls: int) -> None:
    started = time.perf_counter()
    for _ in range(calls):
        async for attempt in AsyncRetrying(retry=retry_if_exception_type(ValueError),
                                           stop=lambda state: False, wait=lambda state: 0.0,
                                           reraise=True):
            with attempt:
                pass
    looped = (time.perf_counter() - started) / calls * 1e6
    print(f"tenacity loop, one successful attempt: {looped:.1f} µs per call")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=20000)
    asyncio.run(main(parser.parse_args().calls))
