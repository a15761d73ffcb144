"""hcpartner: the Huawei Cloud Partner Center API from Python.

>>> import hcpartner
>>> client = hcpartner.Client(site="intl", credentials=hcpartner.AkSk("AK", "SK", domain_id="..."))
>>> page = client.list_sub_customers(offset=0, limit=100)          # doctest: +SKIP
>>> df = client.paginate("list_sub_customers", limit=100).to_pandas()  # doctest: +SKIP

Every operation of the official SDK is a method with keyword arguments; results are plain dicts
whose numbers follow the API description: money and other decimals are ``decimal.Decimal``,
integers ``int``. ``AsyncClient`` has the same methods as coroutines. Errors are the classes in
``hcpartner.errors``; the library logs (retries, request ids, never a secret) to the ``logging``
logger ``hcpartner``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` is slow to import: for type checkers only
if TYPE_CHECKING:
    from typing import Any, AsyncIterator, Dict, Iterable, Iterator, List, Mapping, Optional


from . import _native
from ._client_base import ClientBase, Retry, Timeouts
from ._native import refresh_logging, sign_request
from ._operations import OPERATIONS, AsyncOperations, SyncOperations
from .credentials import (AkSk, AssumeRole, Credentials, Password, Provider, Token, default_chain, from_env,
                          from_metadata, from_profile)
from .errors import (ApiError, AuthError, ConnectionError, DecodeError, HcpError, InternalError,
                     InterruptedOutcomeUnknown, InvalidArgument, OutcomeUnknown, ThrottledError, TimeoutError)

if TYPE_CHECKING:
    from .errors import CancelledOutcomeUnknown


def __getattr__(name: str) -> Any:
    # hcpartner.CancelledOutcomeUnknown derives from asyncio's CancelledError: made on first use.
    if name == "CancelledOutcomeUnknown":
        from . import errors

        return errors.CancelledOutcomeUnknown
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__version__: str = _native.__version__

__all__ = [
    "Client", "AsyncClient", "AkSk", "Password", "Token", "AssumeRole", "Provider", "Credentials", "from_env",
    "from_profile", "from_metadata", "default_chain", "sign_request", "refresh_logging", "to_dataframe", "Paginator",
    "AsyncPaginator", "Timeouts", "Retry", "OPERATIONS", "HcpError", "InvalidArgument", "AuthError", "ApiError",
    "ThrottledError", "TimeoutError", "ConnectionError", "OutcomeUnknown", "InterruptedOutcomeUnknown",
    "CancelledOutcomeUnknown", "DecodeError", "InternalError",
]


def to_dataframe(items: Iterable[Mapping[str, Any]]) -> Any:
    """A pandas DataFrame of result items, nested fields flattened (``account.amount``)."""
    try:
        import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        raise ImportError(
            "to_dataframe()/to_pandas() need pandas, which is not installed: pip install pandas"
        ) from None
    return pd.json_normalize(list(items))


def _merge(params: Optional[Mapping[str, Any]], kwargs: Mapping[str, Any]) -> Dict[str, Any]:
    merged: Dict[str, Any] = dict(params or {})
    merged.update(kwargs)
    return {k: v for k, v in merged.items() if v is not None}


class Paginator:
    """Every item (or page) of a paginated operation, fetched as you iterate. The operation and
    params are checked when it is made; iterating again starts again."""

    def __init__(self, native: Any, operation: str, params: Dict[str, Any], pages: bool) -> None:
        self._args = (operation, params, pages)
        self._native, self._first = native, native.pager(operation, params, pages)

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        it: Iterator[Dict[str, Any]] = self._first or self._native.pager(*self._args)
        self._first = None
        return it

    def to_list(self) -> List[Dict[str, Any]]:
        return list(self)

    def to_pandas(self) -> Any:
        """All items as a pandas DataFrame (pandas must be installed)."""
        return to_dataframe(self)

    def __repr__(self) -> str:
        operation, params, pages = self._args
        return f"<{type(self).__name__} {'pages' if pages else 'items'} of {operation} {params!r}>"


class AsyncPaginator(Paginator):
    """``async for`` over every item (or page) of a paginated operation."""

    def __aiter__(self) -> AsyncIterator[Dict[str, Any]]:
        it: AsyncIterator[Dict[str, Any]] = iter(self)  # type: ignore[assignment]
        return it

    async def to_list(self) -> List[Dict[str, Any]]:  # type: ignore[override]
        return [item async for item in self]

    async def to_pandas(self) -> Any:
        return to_dataframe(await self.to_list())


class _Base(ClientBase):
    @property
    def endpoint(self) -> str:
        ep: str = self._native.endpoint
        return ep

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self.endpoint!r}, site={self._native.site!r}, auth={self._native.auth!r})"

    def __reduce__(self) -> Any:
        raise TypeError(f"{type(self).__name__} holds credentials and cannot be pickled")

    def _for_customer(self, agency_name: str, customer_id: Optional[str], customer_name: Optional[str]) -> Any:
        return self._native.for_customer(agency_name, customer_id=customer_id, customer_name=customer_name)


class Client(_Base, SyncOperations):
    """The synchronous client. Thread-safe: share one across threads; calls release the GIL and
    answer Ctrl-C (a read stops at once; see ``InterruptedOutcomeUnknown`` for state changes)."""

    def _call(self, operation: str, params: Dict[str, Any]) -> Dict[str, Any]:
        result: Dict[str, Any] = self._native.call(operation, params)
        return result

    def call(self, operation: str, params: Optional[Mapping[str, Any]] = None, /, **kwargs: Any) -> Dict[str, Any]:
        """Calls any operation by name with flat params (wire names), validated before sending."""
        return self._call(operation, _merge(params, kwargs))

    def paginate(self, operation: str, params: Optional[Mapping[str, Any]] = None, /, **kwargs: Any) -> Paginator:
        """Every item across pages; ``limit`` sets the page size."""
        return Paginator(self._native, operation, _merge(params, kwargs), pages=False)

    def pages(self, operation: str, params: Optional[Mapping[str, Any]] = None, /, **kwargs: Any) -> Paginator:
        """Every page (the whole response of each call)."""
        return Paginator(self._native, operation, _merge(params, kwargs), pages=True)

    def for_customer(
        self, agency_name: str, *, customer_id: Optional[str] = None, customer_name: Optional[str] = None
    ) -> "Client":
        """A client acting for a resale customer through assume_role (shares the connection pool)."""
        return Client(_native_client=self._for_customer(agency_name, customer_id, customer_name))

    def close(self) -> None:
        """Nothing to release eagerly: connections close when idle. Kept for ``with`` blocks."""

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class AsyncClient(_Base, AsyncOperations):
    """The asyncio client: every operation is a coroutine; many can be in flight at once.
    Cancelling one (or a timeout around it) stops a read at once; see
    ``CancelledOutcomeUnknown`` for state changes."""

    async def _call(self, operation: str, params: Dict[str, Any]) -> Dict[str, Any]:
        fut, control = self._native.call_async(operation, params)
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

    async def call(self, operation: str, params: Optional[Mapping[str, Any]] = None, /, **kwargs: Any) -> Dict[str, Any]:
        """Calls any operation by name with flat params (wire names), validated before sending."""
        return await self._call(operation, _merge(params, kwargs))

    def paginate(self, operation: str, params: Optional[Mapping[str, Any]] = None, /, **kwargs: Any) -> AsyncPaginator:
        return AsyncPaginator(self._native, operation, _merge(params, kwargs), pages=False)

    def pages(self, operation: str, params: Optional[Mapping[str, Any]] = None, /, **kwargs: Any) -> AsyncPaginator:
        return AsyncPaginator(self._native, operation, _merge(params, kwargs), pages=True)

    def for_customer(
        self, agency_name: str, *, customer_id: Optional[str] = None, customer_name: Optional[str] = None
    ) -> "AsyncClient":
        return AsyncClient(_native_client=self._for_customer(agency_name, customer_id, customer_name))

    async def close(self) -> None:
        """Nothing to release eagerly. Kept for ``async with`` blocks."""

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()
