"""Progress on long work (``progress=True`` on ``paginate``, ``pages`` and ``map``): a tqdm bar when
tqdm is installed (``tqdm.auto``: a widget in a notebook, text in a terminal), else one line on
stderr rewritten in place. The total is known up front for ``map`` and from the first page for
``paginate``."""

from __future__ import annotations

import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional


class _Line:
    """``desc: done/total`` on stderr, at most ten times a second."""

    def __init__(self, total: Optional[int], desc: str) -> None:
        self.total, self.desc, self.n, self._shown = total, desc, 0, 0.0

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._shown < 0.1:
            return
        self._shown = now
        of = f"/{self.total}" if self.total is not None else ""
        sys.stderr.write(f"\r{self.desc}: {self.n}{of}")
        sys.stderr.flush()

    def update(self, n: int = 1) -> None:
        self.n += n
        self._show()

    def refresh(self) -> None:
        self._show(force=True)

    def close(self) -> None:
        self._show(force=True)
        sys.stderr.write("\n")
        sys.stderr.flush()


class Progress:
    """One bar: ``update`` by a count, ``to`` an absolute count, ``set_total`` once it is known."""

    def __init__(self, total: Optional[int], desc: str) -> None:
        self._bar: Any
        try:
            from tqdm.auto import tqdm  # type: ignore[import-untyped, import-not-found, unused-ignore]
        except ImportError:
            self._bar = _Line(total, desc)
        else:
            self._bar = tqdm(total=total, desc=desc, unit="item")

    @property
    def n(self) -> int:
        n: int = self._bar.n
        return n

    def update(self, n: int = 1) -> None:
        self._bar.update(n)

    def to(self, done: int) -> None:
        if done > self._bar.n:
            self._bar.update(done - self._bar.n)

    def set_total(self, total: Optional[int]) -> None:
        if total is not None and self._bar.total != total:
            self._bar.total = total
            self._bar.refresh()

    def close(self) -> None:
        self._bar.close()
