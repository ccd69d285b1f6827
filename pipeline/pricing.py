"""Cost per request in exact Decimal dollars, from genai-prices' offline data or the job's prices.

Lookup order: the job's own `prices`; else genai-prices for `price_provider` when given; else
for the provider whose API the `base_url` points at; else genai-prices' best match for the model
name (a proxy or gateway serving gpt-4o-mini is priced at OpenAI's list price, and the run says
so once). A model nobody prices gets an empty cost and one warning. Nothing is fetched at run time.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from urllib.parse import urlsplit

from genai_prices import Usage as PriceUsage
from genai_prices import calc_price

from .config import Prices
from .records import Usage

log = logging.getLogger(__name__)
PER_MILLION = Decimal(1_000_000)


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
        self.notes: list[str] = []

    def cost(self, model: str, usage: Usage) -> Decimal | None:
        """The exact cost of one response, or None when no price is known for the model."""
        if self._free:
            return Decimal(0)
        if self._prices is not None:
            return self._own_price(usage)
        price_usage = PriceUsage(input_tokens=usage.prompt_tokens,
                                 cache_read_tokens=usage.cached_tokens or None,
                                 output_tokens=usage.completion_tokens)
        for attempt in self._lookups(model):
            try:
                result = calc_price(price_usage, model, **attempt)
            except LookupError:
                continue
            self._note_guess(model, attempt, result.provider.id)
            return Decimal(result.total_price)
        if model not in self._warned:
            self._warned.add(model)
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
        uncached = usage.prompt_tokens - usage.cached_tokens
        total = (uncached * p.input + usage.cached_tokens * cached_rate
                 + usage.completion_tokens * p.output)
        return total / PER_MILLION
