"""What a person watching batch mode sees: on a terminal, a bar of the running batches'
requests done and failed; elsewhere (cron, CI), a line whenever that changes."""

from __future__ import annotations

from typing import Any

from .api import BatchProgress


class BatchDisplay:
    """What a person watching sees while batches run: on a terminal, a bar of the running
    batches' requests done and failed; elsewhere (cron, CI), a line whenever that changes."""

    def __init__(self, *, stream: Any = None):
        import sys

        self.stream = stream or sys.stderr
        self._bar: Any = None
        self._last = ""

    def __call__(self, progress: BatchProgress) -> None:
        running = progress.running
        total = sum(b["requests"] for b in running)
        done = sum(b["completed"] for b in running)
        failed = sum(b["failed"] for b in running)
        states = ", ".join(f"{b['batch_id'] or b['input_file_id']}: {b['status']} "
                           f"{b['completed']}/{b['requests']} done, {b['failed']} failed"
                           for b in running[:3]) + (" …" if len(running) > 3 else "")
        if self.stream.isatty():
            from tqdm import tqdm

            if self._bar is None or self._bar.total != total:
                if self._bar is not None:
                    self._bar.close()
                self._bar = tqdm(total=total, unit="req", file=self.stream,
                                 desc=f"{len(running)} batch(es)", dynamic_ncols=True)
            self._bar.n = done + failed
            self._bar.set_postfix_str(f"failed {failed}; {states}", refresh=True)
            if not running:
                self.close()
            return
        if not running and not self._last:
            return  # nothing submitted yet: nothing to show
        line = (f"batches: {len(running)} running, {done}/{total} done, {failed} failed"
                + (f" ({states})" if states else ""))
        if line != self._last:
            print(line, file=self.stream, flush=True)
            self._last = line

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
