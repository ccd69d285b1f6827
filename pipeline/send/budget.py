"""The spending cap: a request is admitted only when its worst case still fits the budget.

Before each request goes out: spent + the worst case of everything in flight + this request's
worst case (prompt tokens exact, completion at its max) must be within the budget. Reservations
are replaced by the real cost when the answer arrives, so spent can never exceed the cap.
One budget covers a job's every target: a runner pricing its requests another way (the judge,
on its own endpoint and prices) holds a view of it (`priced_by`) that shares its tally.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..records import Request

WorstCase = Callable[[Request], Decimal]


class _Tally:
    """What every view of one budget has spent and holds reserved."""

    __slots__ = ("reserved", "spent")

    def __init__(self) -> None:
        self.spent = Decimal(0)
        self.reserved = Decimal(0)


class Budget:
    """Dollars spent and reserved against an optional cap (None: no cap, only counted)."""

    def __init__(self, limit: Decimal | None = None, worst_case: WorstCase | None = None,
                 *, _tally: _Tally | None = None):
        self.limit = limit
        self._tally = _tally or _Tally()
        self._worst_case = worst_case

    @property
    def spent(self) -> Decimal:
        return self._tally.spent

    @property
    def reserved(self) -> Decimal:
        return self._tally.reserved

    def priced_by(self, worst_case: WorstCase) -> Budget:
        """The same budget (same cap, same spending) for requests priced by `worst_case`."""
        return Budget(self.limit, worst_case, _tally=self._tally)

    def worst_case(self, request: Request) -> Decimal:
        """The most this request can cost (0 when there is no cap to protect)."""
        if self.limit is None or self._worst_case is None:
            return Decimal(0)
        return self._worst_case(request)

    def try_reserve(self, amount: Decimal) -> bool:
        """Hold `amount` for a request about to go out, if it fits."""
        tally = self._tally
        if self.limit is not None and tally.spent + tally.reserved + amount > self.limit:
            return False
        tally.reserved += amount
        return True

    def settle(self, reserved: Decimal, actual: Decimal | None) -> None:
        """Replace a reservation by what the request really cost (None: it cost nothing)."""
        self._tally.reserved -= reserved
        if actual is not None:
            self._tally.spent += actual
