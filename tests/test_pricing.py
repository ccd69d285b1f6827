"""Cost: genai-prices offline data, cached-token rates, the job's own prices, unknown models."""

from __future__ import annotations

import logging
from decimal import Decimal

from pipeline import Pricer, Prices, Usage


def test_openai_list_price_with_cached_tokens():
    pricer = Pricer()  # no base_url: the SDK talks to OpenAI
    cost = pricer.cost("gpt-4o-mini", Usage(1000, 100, 400))
    assert cost == (600 * Decimal("0.15") + 400 * Decimal("0.075") + 100 * Decimal("0.6")) / 10**6
    assert isinstance(cost, Decimal)


def test_dated_snapshot_names_are_priced():
    assert Pricer().cost("gpt-4o-mini-2024-07-18", Usage(1_000_000, 0, 0)) == Decimal("0.15")


def test_unknown_server_falls_back_to_the_model_name_and_says_so():
    pricer = Pricer(base_url="http://127.0.0.1:9/v1")
    assert pricer.cost("gpt-4o-mini", Usage(1_000_000, 0)) == Decimal("0.15")
    assert pricer.cost("gpt-4o-mini", Usage(1_000_000, 0)) == Decimal("0.15")
    assert len(pricer.notes) == 1
    assert "openai's list price" in pricer.notes[0]


def test_unknown_model_has_no_cost_and_warns_once(caplog):
    pricer = Pricer(base_url="http://localhost:11434/v1")
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        assert pricer.cost("my-finetune-xyz", Usage(10, 10)) is None
        assert pricer.cost("my-finetune-xyz", Usage(10, 10)) is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "my-finetune-xyz" in warnings[0].getMessage()
    assert "[prices]" in warnings[0].getMessage()


def test_job_prices_win_and_cached_defaults_to_input_rate():
    own = Prices(input=Decimal("2"), output=Decimal("8"), cached_input=Decimal("0.5"))
    assert Pricer(prices=own).cost("anything", Usage(1000, 500, 200)) == (
        800 * 2 + 200 * Decimal("0.5") + 500 * 8) / Decimal(10**6)
    no_cached = Prices(input=Decimal("2"), output=Decimal("8"))
    assert Pricer(prices=no_cached).cost("x", Usage(1000, 0, 200)) == Decimal("0.002")


def test_free_provider_costs_zero():
    assert Pricer(free=True).cost("smollm2", Usage(100, 100)) == Decimal(0)


def test_price_provider_is_honoured():
    pricer = Pricer(base_url="http://proxy.internal/v1", price_provider="openai")
    assert pricer.cost("gpt-4o-mini", Usage(0, 1_000_000)) == Decimal("0.6")
    assert pricer.notes == []


def test_tiered_prices_match_genai_prices_on_both_sides_of_the_tier():
    from genai_prices import Usage as PriceUsage
    from genai_prices import calc_price

    pricer = Pricer(price_provider="google")
    for prompt in (1_000, 300_000):  # gemini-2.5-pro charges more past 200k input tokens
        expected = calc_price(PriceUsage(input_tokens=prompt, output_tokens=500),
                              "gemini-2.5-pro", provider_id="google").total_price
        assert pricer.cost("gemini-2.5-pro", Usage(prompt, 500)) == expected


def test_linear_rates_equal_a_direct_calculation_for_many_usages():
    from genai_prices import Usage as PriceUsage
    from genai_prices import calc_price

    pricer = Pricer()
    for prompt, completion, cached in [(1, 1, 0), (987, 123, 512), (50_000, 4_096, 49_152)]:
        direct = calc_price(PriceUsage(input_tokens=prompt, output_tokens=completion,
                                       cache_read_tokens=cached or None),
                            "gpt-4.1", provider_id="openai").total_price
        assert pricer.cost("gpt-4.1", Usage(prompt, completion, cached)) == direct


def test_anthropic_cache_reads_and_writes_are_priced_as_genai_prices_prices_them():
    """Anthropic bills a cache write above the input rate and a read far below it; both are
    part of the prompt. Linear (claude-haiku-4-5) and tiered (claude-sonnet-4-5) prices."""
    from genai_prices import Usage as PriceUsage
    from genai_prices import calc_price

    pricer = Pricer(price_provider="anthropic")
    for model in ("claude-haiku-4-5", "claude-sonnet-4-5"):
        for prompt, completion, read, written in [(3_000, 200, 0, 2_048), (3_000, 200, 2_048, 0),
                                                  (9_000, 50, 4_096, 4_096),
                                                  (250_000, 10, 0, 240_000)]:
            expected = calc_price(PriceUsage(input_tokens=prompt, output_tokens=completion,
                                             cache_read_tokens=read or None,
                                             cache_write_tokens=written or None),
                                  model, provider_id="anthropic").total_price
            cost = pricer.cost(model, Usage(prompt, completion, read, cache_write_tokens=written))
            assert cost == expected, (model, prompt, read, written)
    plain = pricer.cost("claude-haiku-4-5", Usage(3_000, 200))
    assert pricer.cost("claude-haiku-4-5", Usage(3_000, 200, cache_write_tokens=2_048)) > plain


def test_cache_writes_cost_openai_models_nothing_more():
    """OpenAI caches on its own and bills no writes: a usage with cache-write tokens (the
    budget's worst case counts every prompt token as one) costs what it did without."""
    for pricer in (Pricer(), Pricer(prices=Prices(input=Decimal("2"), output=Decimal("8"),
                                                  cached_input=Decimal("0.5")))):
        for model in ("gpt-4o-mini", "gpt-4.1", "gpt-4o"):
            plain, written = Usage(5_000, 300, 1_024), Usage(5_000, 300, 1_024,
                                                             cache_write_tokens=3_976)
            assert pricer.cost(model, written) == pricer.cost(model, plain)
            assert pricer.batch_cost(model, written) == pricer.batch_cost(model, plain)


def test_job_prices_take_a_cache_write_rate():
    own = Prices(input=Decimal("1"), output=Decimal("5"), cached_input=Decimal("0.1"),
                 cache_write_input=Decimal("1.25"))
    assert Pricer(prices=own).cost("claude-x", Usage(1000, 100, 200, cache_write_tokens=300)) \
        == (500 * 1 + 200 * Decimal("0.1") + 300 * Decimal("1.25") + 100 * 5) / Decimal(10**6)
