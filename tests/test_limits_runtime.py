"""The limiter on a virtual clock: requests and tokens per minute, pauses, learning, refunds."""

from __future__ import annotations

import asyncio

import pytest
from conftest import max_in_window

from pipeline.send.limits import Bucket, RateLimiter, RateLimits


class VirtualClock:
    """A clock that only moves when someone sleeps: timing tests without real waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


def limiter(clock: VirtualClock, **kw) -> RateLimiter:
    return RateLimiter(clock=clock, sleep=clock.sleep, **kw)


async def admit_times(lim: RateLimiter, clock: VirtualClock, charges: list[int]) -> list[float]:
    times = []
    for charge in charges:
        await lim.acquire(charge)
        times.append(clock.now)
    return times




def test_requests_per_minute_are_never_exceeded_over_any_window():
    clock = VirtualClock()
    lim = limiter(clock, ceiling=RateLimits(rpm=600))
    times = asyncio.run(admit_times(lim, clock, [1] * 1200))
    assert max_in_window(times, 60.0) <= 600
    assert max_in_window(times, 1.0) <= 10  # no burst: per-second enforcement holds too
    rate = (len(times) - 1) / (times[-1] - times[0]) * 60
    assert 0.99 * 600 <= rate <= 600


def test_tokens_per_minute_bind_when_requests_are_large():
    clock = VirtualClock()
    lim = limiter(clock, ceiling=RateLimits(rpm=6000, tpm=60_000))
    times = asyncio.run(admit_times(lim, clock, [500] * 400))  # 120 requests/min by tokens
    rate = (len(times) - 1) / (times[-1] - times[0]) * 60
    assert 0.99 * 120 <= rate <= 120
    assert max_in_window(times, 60.0) <= 120


def test_a_charge_bigger_than_the_bucket_goes_through_and_is_paid_back():
    clock = VirtualClock()
    lim = limiter(clock, ceiling=RateLimits(tpm=6_000))  # bucket holds 0.5 s = 50 tokens
    times = asyncio.run(admit_times(lim, clock, [1_000, 1_000, 1_000]))
    # each 1,000-token request waits for the debt of the previous one: 10 s at 100 tokens/s
    assert times[2] - times[1] == pytest.approx(1_000 / (6_000 * 0.995 / 60), rel=1e-6)


def test_pause_holds_every_caller_then_resumes_at_the_limit():
    clock = VirtualClock()
    lim = limiter(clock, ceiling=RateLimits(rpm=600))

    async def scenario() -> list[float]:
        await admit_times(lim, clock, [1] * 5)
        lim.pause(3.0)
        paused_at = clock.now
        times = await admit_times(lim, clock, [1] * 5)
        return [t - paused_at for t in times]

    after = asyncio.run(scenario())
    assert after[0] >= 3.0
    assert after[1] - after[0] >= 0.1  # no burst after the pause
    assert lim.pauses == 1


def test_limits_are_learned_from_headers_and_capped_by_the_ceiling():
    clock = VirtualClock()
    lim = limiter(clock)
    assert not lim.limits.known
    lim.learn({"x-ratelimit-limit-requests": "3000", "x-ratelimit-limit-tokens": "250000"})
    assert lim.limits == RateLimits(rpm=3000, tpm=250000)
    capped = limiter(clock, ceiling=RateLimits(rpm=1000))
    capped.learn({"x-ratelimit-limit-requests": "3000", "x-ratelimit-limit-tokens": "250000"})
    assert capped.limits == RateLimits(rpm=1000, tpm=250000)
    frozen = limiter(clock, ceiling=RateLimits(rpm=10), learn=False)
    frozen.learn({"x-ratelimit-limit-requests": "3000"})
    assert frozen.limits == RateLimits(rpm=10)


@pytest.mark.parametrize("garbage", ["", "abc", "-5", "0", "nan", "inf"])
def test_garbage_limit_headers_are_ignored(garbage):
    lim = limiter(VirtualClock())
    lim.learn({"x-ratelimit-limit-requests": garbage})
    assert not lim.limits.known


def test_settle_refunds_an_overcharge():
    clock = VirtualClock()
    lim = limiter(clock, ceiling=RateLimits(tpm=60_000))  # 995 tokens/s
    asyncio.run(admit_times(lim, clock, [2_000]))
    lim.settle(2_000, 100)  # the server counted 100
    start = clock.now
    asyncio.run(admit_times(lim, clock, [400]))
    assert clock.now - start < 0.5


def test_bucket_refills_continuously_up_to_its_burst():
    bucket = Bucket(600, burst_s=0.5, now=0.0)
    assert bucket.capacity == 5
    assert bucket.wait_s(1, 0.0) == pytest.approx(0.1)
    assert bucket.wait_s(1, 100.0) == 0.0
    assert bucket.level == 5  # a long quiet spell stores half a second, not a minute


def test_rate_limits_refuse_nonsense():
    with pytest.raises(ValueError, match="rpm must be a positive number"):
        RateLimits(rpm=0)


def test_remaining_below_what_we_hold_lowers_the_bucket_never_raises_it():
    clock = VirtualClock()
    lim = limiter(clock, ceiling=RateLimits(rpm=600))
    clock.now = 10.0  # a full bucket: about 5 requests in hand
    lim.learn({"x-ratelimit-remaining-requests": "0"})  # another client used the quota
    times = asyncio.run(admit_times(lim, clock, [1, 1]))
    assert times[0] - 10.0 == pytest.approx(1 / (600 * 0.995 / 60))  # waits for a refill
    lim.learn({"x-ratelimit-remaining-requests": "2999"})
    before = clock.now
    asyncio.run(admit_times(lim, clock, [1]))
    assert clock.now - before > 0  # a large remaining did not refill our bucket


@pytest.mark.parametrize("garbage", ["", "x", "-1", "nan"])
def test_garbage_remaining_headers_are_ignored(garbage):
    clock = VirtualClock()
    lim = limiter(clock, ceiling=RateLimits(rpm=600))
    clock.now = 10.0
    lim.learn({"x-ratelimit-remaining-requests": garbage})
    asyncio.run(admit_times(lim, clock, [1] * 4))
    assert clock.now == 10.0  # the four in hand (of 4.975) went at once
