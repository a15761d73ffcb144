"""hcpartner: the Huawei Cloud Partner Center API from Python.

>>> import hcpartner
>>> client = hcpartner.Client(site="intl", credentials=hcpartner.AkSk("AK", "SK", domain_id="..."))
>>> page = client.list_sub_customers(offset=0, limit=100)          # doctest: +SKIP
>>> df = client.paginate("list_sub_customers", limit=100).to_pandas()  # doctest: +SKIP

Every operation of the official SDK is a method with keyword arguments; results are plain dicts
(integers as ``int``, every other number as an exact ``decimal.Decimal``). ``AsyncClient`` has the
same methods as coroutines. Errors are the classes in ``hcpartner.errors``.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Dict, Iterable, Iterator, List, Mapping, Optional

from . import _native
from ._native import AkSk, AssumeRole, Password, Token, default_chain, from_env, from_profile, sign_request
from ._operations import OPERATIONS, AsyncOperations, SyncOperations
from .errors import (
    ApiError,
    AuthError,
    ConnectionError,
    DecodeError,
    HcpError,
    InvalidArgument,
    OutcomeUnknown,
    ThrottledError,
    TimeoutError,
)

__version__: str = _native.__version__

__all__ = [
    "Client",
    "AsyncClient",
    "AkSk",
    "Password",
    "Token",
    "AssumeRole",
    "from_env",
    "from_profile",
    "default_chain",
    "sign_request",
    "to_dataframe",
    "Paginator",
    "AsyncPaginator",
    "OPERATIONS",
    "HcpError",
    "InvalidArgument",
    "AuthError",
    "ApiError",
    "ThrottledError",
    "TimeoutError",
    "ConnectionError",
    "OutcomeUnknown",
    "DecodeError",
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
    """Every item of a paginated operation, fetched page by page as you iterate."""

    def __init__(self, native: Any, operation: str, params: Dict[str, Any], pages: bool) -> None:
        self._native, self._operation, self._params, self._pages = native, operation, params, pages

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        return iter(self._native.paginate(self._operation, self._params, self._pages))

    def to_list(self) -> List[Dict[str, Any]]:
        return list(self)

    def to_pandas(self) -> Any:
        """All items as a pandas DataFrame (pandas must be installed)."""
        return to_dataframe(self)

    def __repr__(self) -> str:
        kind = "pages" if self._pages else "items"
        return f"<Paginator {kind} of {self._operation} {self._params!r}>"


class AsyncPaginator:
    """``async for`` over every item of a paginated operation."""

    def __init__(self, native: Any, operation: str, params: Dict[str, Any], pages: bool) -> None:
        self._native, self._operation, self._params, self._pages = native, operation, params, pages

    def __aiter__(self) -> AsyncIterator[Dict[str, Any]]:
        it: AsyncIterator[Dict[str, Any]] = self._native.paginate_async(self._operation, self._params, self._pages)
        return it

    async def to_list(self) -> List[Dict[str, Any]]:
        return [item async for item in self]

    async def to_pandas(self) -> Any:
        return to_dataframe(await self.to_list())

    def __repr__(self) -> str:
        return f"<AsyncPaginator of {self._operation} {self._params!r}>"


class _Base:
    _native: Any

    def __init__(
        self,
        *,
        site: Optional[str] = None,
        endpoint: Optional[str] = None,
        credentials: Any = None,
        _native_client: Any = None,
        **options: Any,
    ) -> None:
        """Options: ``site`` ("cn" default, "intl") or ``endpoint`` (a base URL, e.g. the emulator's);
        ``credentials`` (AkSk, Password, Token, AssumeRole, from_env(), from_profile(); default:
        environment, then profile file); ``iam_endpoint``, ``connect_timeout``, ``read_timeout``,
        ``timeout`` (one attempt), ``total_timeout`` (seconds), ``max_attempts``,
        ``retry_base_delay``, ``retry_max_delay``, ``throttle_delay``, ``proxy``, ``language``
        ("zh_CN"/"en_US"), ``rate_limit`` (requests/s per operation), ``rate_limits``
        ({op: per_second}), ``user_agent``, ``verify_tls``. Never touches the network."""
        self._native = _native_client or _native.Client(
            site=site, endpoint=endpoint, credentials=credentials, **options
        )

    @property
    def endpoint(self) -> str:
        ep: str = self._native.endpoint
        return ep

    def __repr__(self) -> str:
        return f"{type(self).__name__}{repr(self._native)[len('Client'):]}"

    def _for_customer(self, agency_name: str, customer_id: Optional[str], customer_name: Optional[str]) -> Any:
        return self._native.for_customer(agency_name, customer_id=customer_id, customer_name=customer_name)


class Client(_Base, SyncOperations):
    """The synchronous client. Thread-safe: share one across threads; calls release the GIL."""

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
    """The asyncio client: every operation is a coroutine; many can be in flight at once."""

    async def _call(self, operation: str, params: Dict[str, Any]) -> Dict[str, Any]:
        result: Dict[str, Any] = await self._native.call_async(operation, params)
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
