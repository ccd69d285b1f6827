"""The spending cap: a request is admitted only when its worst case still fits the budget.

Before each request goes out: spent + the worst case of everything in flight + this request's
worst case (prompt tokens exact, completion at its max) must be within the budget. Reservations
are replaced by the real cost when the answer arrives, so spent can never exceed the cap.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..records import Request

WorstCase = Callable[[Request], Decimal]


class Budget:
    """Dollars spent and reserved against an optional cap (None: no cap, only counted)."""

    def __init__(self, limit: Decimal | None = None, worst_case: WorstCase | None = None):
        self.limit = limit
        self.spent = Decimal(0)
        self.reserved = Decimal(0)
        self._worst_case = worst_case

    def worst_case(self, request: Request) -> Decimal:
        """The most this request can cost (0 when there is no cap to protect)."""
        if self.limit is None or self._worst_case is None:
            return Decimal(0)
        return self._worst_case(request)

    def try_reserve(self, amount: Decimal) -> bool:
        """Hold `amount` for a request about to go out, if it fits."""
        if self.limit is not None and self.spent + self.reserved + amount > self.limit:
            return False
        self.reserved += amount
        return True

    def settle(self, reserved: Decimal, actual: Decimal | None) -> None:
        """Replace a reservation by what the request really cost (None: it cost nothing)."""
        self.reserved -= reserved
        if actual is not None:
            self.spent += actual
