"""``client.map``: one operation for many parameter sets (the monthly bills of every customer),
``concurrency`` calls at a time within the client's rate limit. Every item is its own call under
the money rule: a failure is that item's error and the others go on; results and errors come
back in input order. The fan-out itself runs in the core (``facade::spawn_fan_out``)."""

from __future__ import annotations

import warnings

from . import _frames, _native
from ._operations import PAGINATION

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Union, overload

    from .errors import HcpError


class MapItem:
    """One item of a fan-out: its place in the input, its params, and its result or its error."""

    __slots__ = ("index", "params", "result", "error")

    def __init__(self, index: int, params: Dict[str, Any], result: Optional[Dict[str, Any]],
                 error: Optional[HcpError]) -> None:
        self.index, self.params, self.result, self.error = index, params, result, error

    @property
    def ok(self) -> bool:
        return self.error is None

    def __iter__(self) -> Iterator[Any]:  # unpacks as (params, result, error)
        return iter((self.params, self.result, self.error))

    def __repr__(self) -> str:
        what = f"error={self.error!r}" if self.error is not None else "ok"
        return f"MapItem({self.index}, {self.params!r}, {what})"


class MapResults:
    """Every item of a fan-out, in input order (a sequence of ``MapItem``)."""

    def __init__(self, operation: str, items: List[MapItem]) -> None:
        self.operation, self._items = operation, items

    def __len__(self) -> int:
        return len(self._items)

    if TYPE_CHECKING:
        @overload
        def __getitem__(self, i: int) -> MapItem: ...
        @overload
        def __getitem__(self, i: slice) -> List[MapItem]: ...

    def __getitem__(self, i: Union[int, slice]) -> Union[MapItem, List[MapItem]]:
        return self._items[i]

    def __iter__(self) -> Iterator[MapItem]:
        return iter(self._items)

    @property
    def ok(self) -> bool:
        """Whether every item succeeded."""
        return all(i.error is None for i in self._items)

    @property
    def results(self) -> List[Optional[Dict[str, Any]]]:
        """Each item's result (``None`` where it failed), in input order."""
        return [i.result for i in self._items]

    @property
    def errors(self) -> List[MapItem]:
        """The items that failed."""
        return [i for i in self._items if i.error is not None]

    def raise_first(self) -> None:
        """Raises the first item's error, if any failed."""
        for i in self._items:
            if i.error is not None:
                raise i.error

    def to_pandas(self, *, params: bool = True, page_fields: Union[bool, List[str]] = True,
                  errors: bool = False, decimal: str = "exact") -> Any:
        """A DataFrame of the results. For a paginated operation, one row per item of each
        result's page (``bill_sums``), else one row per result. ``params``: each row also carries
        its call's params (which customer, which cycle); ``page_fields``: the page's own fields
        (``currency``); ``errors``: a row per failed call, with ``error`` and ``error_code``.
        ``decimal``: ``"exact"`` (Decimal objects) or ``"float"`` (float64 columns)."""
        _frames.check_decimal(decimal)
        entry = PAGINATION.get(self.operation)
        rows: List[Dict[str, Any]] = []
        for item in self._items:
            extra: Dict[str, Any] = dict(item.params) if params else {}
            if item.error is not None:
                if errors:
                    rows.append({**extra, "error": str(item.error), "error_code": item.error.error_code})
                continue
            result = item.result or {}
            if entry is None:
                rows.append(_frames.with_fields(result, extra))
                continue
            items_field, _, total_field = entry
            page = result.get(items_field) or []
            total = result.get(total_field) if total_field else None
            if isinstance(total, int) and total > len(page) + int(item.params.get("offset") or 0):
                warnings.warn(
                    f"{self.operation} item {item.index}: the service has {total} {items_field} but the page "
                    f"holds {len(page)}; pass a larger limit= (or use paginate) to get them all",
                    stacklevel=2,
                )
            if page_fields:
                drop = [f for f in (items_field, total_field) if f]
                extra = _frames.with_fields(_frames.page_fields_of(result, page_fields, drop), extra)
            rows.extend(_frames.with_fields(row, extra) for row in page)
        return _frames.frame(rows, decimal)

    def __repr__(self) -> str:
        failed = len(self.errors)
        return f"<MapResults of {self.operation}: {len(self._items) - failed} ok, {failed} failed>"


def items_of(params: Iterable[Mapping[str, Any]], common: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """Each item's params: ``common`` under the item's own, ``None`` values left out."""
    out = []
    for p in params:
        merged = dict(common)
        merged.update(p)
        out.append({k: v for k, v in merged.items() if v is not None})
    return out


def run(native: Any, operation: str, items: List[Dict[str, Any]], options: Optional[Mapping[str, Any]],
        concurrency: int, progress: bool) -> MapResults:
    bar = None
    if progress:
        from ._progress import Progress

        bar = Progress(len(items), operation)
    try:
        pairs = _native.map_blocking(native, operation, items, options, concurrency, bar.to if bar else None)
    finally:
        if bar is not None:
            bar.close()
    return MapResults(operation, [MapItem(i, p, r, e) for i, (p, (r, e)) in enumerate(zip(items, pairs))])  # type: ignore[arg-type]


async def run_async(native: Any, operation: str, items: List[Dict[str, Any]], options: Optional[Mapping[str, Any]],
                    concurrency: int, progress: bool) -> MapResults:
    import asyncio

    futures, control = _native.map_async(native, operation, items, options, concurrency)
    bar = None
    if progress:
        from ._progress import Progress

        bar = Progress(len(items), operation)
        for f in futures:
            f.add_done_callback(lambda _, bar=bar: bar.update(1))
    try:
        if futures:
            await asyncio.wait(futures)
    except asyncio.CancelledError as cancelled:
        left = control.cancel()
        for f in futures:
            f.cancel()
        if left:
            exc = left[0][1]
            setattr(exc, "abandoned_items", [i for i, _ in left])
            raise exc from cancelled
        raise
    finally:
        if bar is not None:
            bar.close()
    out = []
    for i, (p, f) in enumerate(zip(items, futures)):
        e = f.exception()
        out.append(MapItem(i, p, None if e is not None else f.result(), e))
    return MapResults(operation, out)
