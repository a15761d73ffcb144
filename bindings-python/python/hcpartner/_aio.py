"""`hcpartner.AsyncClient`, imported on first use (`hcpartner.AsyncClient`, or `from hcpartner
import AsyncClient`): a program that only calls the synchronous client never loads its coroutines."""

from __future__ import annotations

from . import _Base, _merge, _native
from ._async_operations import AsyncOperations

TYPE_CHECKING = False  # `typing` is slow to import: for type checkers only
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Mapping, Optional, Union

    from ._client_base import CallOptions, Reconciliation
    from ._map import MapResults
    from ._paginate import AsyncPaginator
    from ._result import Result
    from .errors import HcpError, ReconcileTicket
    from .types import OperationName, PaginatedOperation


class AsyncClient(_Base, AsyncOperations):
    """The asyncio client: every operation is a coroutine; many can be in flight at once.
    Cancelling one (or a timeout around it) stops a read at once; see
    ``CancelledOutcomeUnknown`` for state changes."""

    async def _call(self, operation: str, params: Dict[str, Any], options: Optional[CallOptions] = None) -> Dict[str, Any]:
        fut, control = self._native.call_async(operation, params, self._opts(options))
        try:
            result: Dict[str, Any] = await fut
        except BaseException as cancelled:
            import asyncio  # loaded already: this is an asyncio call

            if not isinstance(cancelled, asyncio.CancelledError):
                raise
            abandoned = control.cancel()
            if abandoned is not None:
                raise abandoned from cancelled
            raise
        return result

    async def call(self, operation: OperationName, params: Optional[Mapping[str, Any]] = None, /, *,
                   _options: Optional[CallOptions] = None, **kwargs: Any) -> Result:
        """Calls any operation by name with flat params (wire names), validated before sending."""
        result: Result = await self._call(operation, _merge(params, kwargs), _options)  # type: ignore[assignment]
        return result

    def paginate(self, operation: PaginatedOperation, params: Optional[Mapping[str, Any]] = None, /, *,
                 max_items: Optional[int] = None, progress: bool = False, _options: Optional[CallOptions] = None,
                 **kwargs: Any) -> AsyncPaginator:
        from ._paginate import AsyncPaginator

        return AsyncPaginator(self._native, operation, _merge(params, kwargs), False, self._opts(_options),
                              max_items, progress)

    def pages(self, operation: PaginatedOperation, params: Optional[Mapping[str, Any]] = None, /, *,
              progress: bool = False, _options: Optional[CallOptions] = None, **kwargs: Any) -> AsyncPaginator:
        from ._paginate import AsyncPaginator

        return AsyncPaginator(self._native, operation, _merge(params, kwargs), True, self._opts(_options), None,
                              progress)

    async def map(self, operation: OperationName, params: Iterable[Mapping[str, Any]], /, *, concurrency: int = 8,
                  progress: bool = False, _options: Optional[CallOptions] = None, **common: Any) -> MapResults:
        """``Client.map`` as a coroutine: cancelling it drops the reads and unsent items; a state
        change already on the wire goes on and is reported (``CancelledOutcomeUnknown``)."""
        from . import _map

        items = _map.items_of(params, common)
        return await _map.run_async(self._native, operation, items, self._opts(_options), concurrency, progress)

    def for_customer(
        self, agency_name: str, *, customer_id: Optional[str] = None, customer_name: Optional[str] = None
    ) -> "AsyncClient":
        view = AsyncClient(_native_client=self._for_customer(agency_name, customer_id, customer_name))
        view._options = self._options
        return view

    async def reconcile(self, error: Union[HcpError, ReconcileTicket], /) -> Reconciliation:
        """``Client.reconcile`` as a coroutine: cancelling it drops the reads."""
        result: Reconciliation = await _native.reconcile_async(self._native, error)
        return result

    async def close(self) -> None:
        """Nothing to release eagerly. Kept for ``async with`` blocks."""

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()


AsyncClient.__module__ = "hcpartner"  # where users find it
