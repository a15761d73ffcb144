"""Paginators: every item (or page) of a paginated operation, fetched as you iterate. The
operation, the params and the options are checked when the paginator is made; ``max_items``
stops early; ``.total`` is what the service reported, from the first page on."""

from __future__ import annotations

from . import _frames
from ._operations import PAGINATION

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, AsyncIterator, Dict, Iterator, List, Mapping, Optional, Union


def _repr_params(params: Dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


class _PageFields:
    """Copies a page's own fields onto each of its items (the items and the total left out)."""

    def __init__(self, operation: str, pager: Any, keep: Union[bool, List[str]]) -> None:
        entry = PAGINATION.get(operation)
        self._drop = [f for f in (entry[0], entry[2]) if f] if entry else []
        self._pager, self._keep, self._seen = pager, keep, -1
        self._extra: Dict[str, Any] = {}

    def __call__(self, item: Dict[str, Any]) -> Dict[str, Any]:
        if self._pager.pages_fetched != self._seen:
            self._seen = self._pager.pages_fetched
            self._extra = _frames.page_fields_of(self._pager.page_fields() or {}, self._keep, self._drop)
        return _frames.with_fields(item, self._extra)


class Paginator:
    """Every item (or page) of a paginated operation. Iterating again starts again."""

    def __init__(self, native: Any, operation: str, params: Dict[str, Any], pages: bool,
                 options: Optional[Mapping[str, Any]] = None, max_items: Optional[int] = None,
                 progress: bool = False) -> None:
        if max_items is not None and (isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 0):
            from .errors import InvalidArgument

            raise InvalidArgument(f"max_items: must be a non-negative integer, not {max_items!r}",
                                  kind="InvalidArgument", code=100, field="max_items", dispatch="not_sent")
        self._native, self._progress = native, progress
        self._args = (operation, params, pages, options, max_items)
        self._current = self._first = native.pager(*self._args)

    def _pager(self) -> Any:
        pager = self._first or self._native.pager(*self._args)
        self._first = None
        self._current = pager
        return pager

    @property
    def operation(self) -> str:
        return self._args[0]

    @property
    def total(self) -> Optional[int]:
        """The total the service reported for the walk (``None`` before the first page, or when
        the operation reports none)."""
        total: Optional[int] = self._current.total
        return total

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        pager = self._pager()
        if not self._progress:
            it: Iterator[Dict[str, Any]] = pager
            return it
        return self._tracked(pager)

    def _tracked(self, pager: Any) -> Iterator[Dict[str, Any]]:
        from ._progress import Progress

        bar = Progress(self._bar_total(None), self.operation)
        try:
            for item in pager:
                bar.set_total(self._bar_total(pager.total))
                bar.update(1)
                yield item
        finally:
            bar.close()

    def _bar_total(self, total: Optional[int]) -> Optional[int]:
        _, _, pages, _, max_items = self._args
        if pages:
            return None
        if total is None:
            return max_items
        return total if max_items is None else min(total, max_items)

    def to_list(self) -> List[Dict[str, Any]]:
        return list(self)

    def _rows(self, page_fields: Union[bool, List[str]]) -> Iterator[Dict[str, Any]]:
        it = iter(self)
        if not page_fields or self._args[2]:
            yield from it
            return
        add = _PageFields(self.operation, self._current, page_fields)
        for item in it:
            yield add(item)

    def to_pandas(self, *, page_fields: Union[bool, List[str]] = False, decimal: str = "exact") -> Any:
        """Every item as a pandas DataFrame (pandas must be installed), nested fields flattened.

        ``page_fields``: also keep the page's own fields on each row (``currency``, sums; ``True``
        for all but the items and the total, or a list of names). ``decimal``: ``"exact"`` keeps
        money as ``Decimal`` objects; ``"float"`` makes those columns float64."""
        _frames.check_decimal(decimal)
        return _frames.frame(self._rows(page_fields), decimal)

    def __repr__(self) -> str:
        operation, params, pages, _, max_items = self._args
        limit = f", max_items={max_items}" if max_items is not None else ""
        return f"<{type(self).__name__} {'pages' if pages else 'items'} of {operation}({_repr_params(params)}){limit}>"


class AsyncPaginator(Paginator):
    """``async for`` over every item (or page) of a paginated operation."""

    def __aiter__(self) -> AsyncIterator[Dict[str, Any]]:
        pager = self._pager()
        if not self._progress:
            it: AsyncIterator[Dict[str, Any]] = pager
            return it
        return self._atracked(pager)

    async def _atracked(self, pager: Any) -> AsyncIterator[Dict[str, Any]]:
        from ._progress import Progress

        bar = Progress(self._bar_total(None), self.operation)
        try:
            async for item in pager:
                bar.set_total(self._bar_total(pager.total))
                bar.update(1)
                yield item
        finally:
            bar.close()

    async def to_list(self) -> List[Dict[str, Any]]:  # type: ignore[override]
        return [item async for item in self]

    async def to_pandas(
        self, *, page_fields: Union[bool, List[str]] = False, decimal: str = "exact"
    ) -> Any:
        _frames.check_decimal(decimal)
        it = self.__aiter__()
        add = _PageFields(self.operation, self._current, page_fields) if page_fields and not self._args[2] else None
        rows = [add(item) if add else item async for item in it]
        return _frames.frame(rows, decimal)
