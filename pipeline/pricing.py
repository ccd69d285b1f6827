"""Cost per request in exact Decimal dollars, from genai-prices' offline data or the job's prices.

Lookup order: the job's own `prices`; else genai-prices for `price_provider` when given; else
for the provider whose API the `base_url` points at; else genai-prices' best match for the model
name (a proxy or gateway serving gpt-4o-mini is priced at OpenAI's list price, and the run says
so once). A model nobody prices gets an empty cost and one warning. Nothing is fetched at run time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from genai_prices import Usage as PriceUsage
from genai_prices import calc_price
from genai_prices.types import TieredPrices

from .config import Connection, Prices
from .records import Usage

log = logging.getLogger(__name__)
PER_MILLION = Decimal(1_000_000)
PER_TOKEN_PROBE = 1_000_000  # tokens per probe: prices are quoted per million, so exact


class Pricer:
    """Prices usage for one job; remembers lookups and warns once per unpriced model."""

    def __init__(self, *, prices: Prices | None = None, price_provider: str | None = None,
                 base_url: str | None = None, free: bool = False):
        self._prices = prices
        self._provider_id = price_provider
        self._api_url = base_url if base_url and urlsplit(base_url).hostname else None
        if self._provider_id is None and self._api_url is None:
            self._provider_id = "openai"  # no base_url means the SDK talks to OpenAI
        self._free = free
        self._warned: set[str] = set()
        self._models: dict[str, tuple[dict[str, str], _Rates | None] | None] = {}
        self._batch_models: dict[str, tuple[dict[str, Any], _Rates | None] | None] = {}
        self.notes: list[str] = []

    def cost(self, model: str, usage: Usage) -> Decimal | None:
        """The exact cost of one response, or None when no price is known for the model."""
        if self._free:
            return Decimal(0)
        if self._prices is not None:
            return self._own_price(usage)
        if model not in self._models:
            self._models[model] = self._resolve(model)
        return _apply(model, self._models[model], usage)

    def batch_cost(self, model: str, usage: Usage) -> Decimal | None:
        """The cost of one answer from a Batch API batch: genai-prices' batch price (half the
        online one at OpenAI), or the job's [prices] batch_input/batch_output; None when
        neither is known (an online price is not a batch price)."""
        if self._free:
            return Decimal(0)
        if self._prices is not None:
            p = self._prices
            if p.batch_input is None or p.batch_output is None:
                self._note_once("batch-own", "[prices] has no batch_input/batch_output: "
                                "the cost of batch answers is left empty")
                return None
            total = ((usage.prompt_tokens) * p.batch_input
                     + usage.completion_tokens * p.batch_output)
            return total / PER_MILLION
        if model not in self._batch_models:
            resolved = self._models.get(model) if model in self._models else self._resolve(model)
            self._models[model] = resolved
            if resolved is None:
                self._batch_models[model] = None
            else:
                lookup = {**resolved[0], "price_context": {"processing": "batch"}}
                probe = calc_price(PriceUsage(input_tokens=0, output_tokens=0), model, **lookup)
                self._batch_models[model] = (lookup, _linear_rates(model, lookup, probe))
        return _apply(model, self._batch_models[model], usage)

    def _note_once(self, key: str, note: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.notes.append(note)
            log.info(note)

    def _resolve(self, model: str) -> tuple[dict[str, str], _Rates | None] | None:
        """Find who prices `model` (once per model) and, when its prices are linear, the
        per-token rates, so each row costs a few Decimal multiplications, not a lookup."""
        for lookup in self._lookups(model):
            try:
                probe = calc_price(PriceUsage(input_tokens=0, output_tokens=0), model, **lookup)
            except LookupError:
                continue
            self._note_guess(model, lookup, probe.provider.id)
            return lookup, _linear_rates(model, lookup, probe)
        log.warning(
            "no price known for model '%s': its cost_usd is left empty. Give the job "
            "[prices] input/output (USD per million tokens) to price it.", model)
        return None

    def _lookups(self, model: str) -> list[dict[str, str]]:
        if self._provider_id is not None:
            return [{"provider_id": self._provider_id}]
        return [{"provider_api_url": self._api_url}, {}]

    def _note_guess(self, model: str, attempt: dict[str, str], provider_id: str) -> None:
        key = f"guess:{model}"
        if attempt or key in self._warned:
            return
        self._warned.add(key)
        note = (f"'{model}' priced at {provider_id}'s list price (the server at "
                f"{urlsplit(self._api_url or '').hostname} is not a known provider); set "
                "price_provider or [prices] in the job to change that")
        self.notes.append(note)
        log.info(note)

    def _own_price(self, usage: Usage) -> Decimal:
        p = self._prices
        assert p is not None
        cached_rate = p.cached_input if p.cached_input is not None else p.input
        write_rate = p.cache_write_input if p.cache_write_input is not None else p.input
        uncached = usage.prompt_tokens - usage.cached_tokens - usage.cache_write_tokens
        total = (uncached * p.input + usage.cached_tokens * cached_rate
                 + usage.cache_write_tokens * write_rate + usage.completion_tokens * p.output)
        return total / PER_MILLION


def _apply(model: str, resolved: tuple[dict[str, Any], _Rates | None] | None,
           usage: Usage) -> Decimal | None:
    """A usage priced by a resolved lookup: per-token rates when linear, else genai-prices."""
    if resolved is None:
        return None
    lookup, rates = resolved
    if rates is not None:
        return rates.cost(usage)
    return Decimal(calc_price(_price_usage(usage), model, **lookup).total_price)


def _price_usage(usage: Usage) -> PriceUsage:
    return PriceUsage(input_tokens=usage.prompt_tokens,
                      cache_read_tokens=usage.cached_tokens or None,
                      cache_write_tokens=usage.cache_write_tokens or None,
                      output_tokens=usage.completion_tokens)


@dataclass(frozen=True)
class _Rates:
    """Exact USD per token (and per request) for a model whose prices are linear. A model
    with no cache-write price (OpenAI's) has it equal to its input rate."""

    per_request: Decimal
    uncached_input: Decimal
    cached_input: Decimal
    output: Decimal
    cache_write_input: Decimal

    def cost(self, usage: Usage) -> Decimal:
        uncached = usage.prompt_tokens - usage.cached_tokens - usage.cache_write_tokens
        return _plain(self.per_request
                + uncached * self.uncached_input
                + usage.cached_tokens * self.cached_input
                + usage.cache_write_tokens * self.cache_write_input
                + usage.completion_tokens * self.output)


def _plain(amount: Decimal) -> Decimal:
    """Without trailing zeros (0.000020100 -> 0.0000201); zero stays 0."""
    return amount.normalize() if amount else Decimal(0)


def _linear_rates(model: str, lookup: dict[str, Any], probe: Any) -> _Rates | None:
    """Per-token rates read off genai-prices at three usages, when its price for the model has
    no tiers (so cost is linear in the counts). Checked against a direct calculation."""
    model_price = probe.model_price
    fields = (getattr(model_price, name) for name in dir(model_price) if not name.startswith("_"))
    if any(isinstance(value, TieredPrices) for value in fields):
        return None

    def at(inputs: int, cached: int, outputs: int, written: int = 0) -> Decimal:
        usage = PriceUsage(input_tokens=inputs, cache_read_tokens=cached or None,
                           cache_write_tokens=written or None, output_tokens=outputs)
        return Decimal(calc_price(usage, model, **lookup).total_price)

    base = at(0, 0, 0)
    probe = PER_TOKEN_PROBE
    rates = _Rates(per_request=base,
                   uncached_input=(at(probe, 0, 0) - base) / probe,
                   cached_input=(at(probe, probe, 0) - base) / probe,
                   output=(at(0, 0, probe) - base) / probe,
                   cache_write_input=(at(probe, 0, 0, written=probe) - base) / probe)
    check = Usage(prompt_tokens=12_345, completion_tokens=678, cached_tokens=1_024,
                  cache_write_tokens=2_048)
    if rates.cost(check) != Decimal(calc_price(_price_usage(check), model, **lookup).total_price):
        return None
    return rates


def make_pricer(job: Connection, endpoint: str, *, free: bool) -> Pricer:
    """The job's pricer: its own prices, else genai-prices for its price_provider, its
    provider's (Gemini's: Google's) or the endpoint's (free: cost 0)."""
    return Pricer(prices=job.prices,
                  price_provider=job.price_provider or job.provider_info.price_provider,
                  base_url=None if free else endpoint, free=free)
