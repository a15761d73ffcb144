"""hcpartner: the Huawei Cloud Partner Center API from Python.

>>> import hcpartner
>>> client = hcpartner.Client(site="intl", credentials=hcpartner.AkSk("AK", "SK", domain_id="..."))
>>> page = client.list_sub_customers(offset=0, limit=100)          # doctest: +SKIP
>>> page.meta.request_id                                             # doctest: +SKIP
>>> df = client.paginate("list_sub_customers", limit=100).to_pandas()  # doctest: +SKIP
>>> bills = client.map("list_subcustomer_monthly_bills", [{"customer_id": c} for c in ids],
...                    cycle="2024-05", charge_mode="1", progress=True)  # doctest: +SKIP

Every operation of the official SDK is a method with keyword arguments (``help()`` lists them,
with their meaning and what they take); results are dicts whose numbers follow the API
description: money and other decimals are ``decimal.Decimal``, integers ``int``; ``.meta`` holds
the request id, status, attempts and time of the answer. ``AsyncClient`` has the same methods as
coroutines. Errors are the classes in ``hcpartner.errors``; the library logs (retries, request
ids, never a secret) to the ``logging`` logger ``hcpartner``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` is slow to import: for type checkers only
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Mapping, Optional, TypeVar, Union

    from ._aio import AsyncClient
    from ._client_base import CallOptions
    from ._map import MapItem, MapResults
    from ._paginate import AsyncPaginator, Paginator
    from .errors import CancelledOutcomeUnknown
    from .types import OperationName, PaginatedOperation

    _C = TypeVar("_C", bound="_Base")

# collections.abc's classes, from the module the interpreter loads at start-up (importing
# `collections` for them would add about 3 ms to `import hcpartner`).
import _collections_abc as _abc

from . import _native
from ._client_base import ClientBase, Reconciliation, Retry, Timeouts
from ._native import refresh_logging, sign_request
from ._operations import OPERATIONS, SyncOperations
from ._result import ResponseMeta, Result, meta
from .credentials import (AkSk, AssumeRole, Credentials, Password, Provider, Token, default_chain, from_env,
                          from_metadata, from_profile)
from .errors import (ApiError, AuthError, ConnectionError, DecodeError, HcpError, InternalError,
                     InterruptedOutcomeUnknown, InvalidArgument, OutcomeUnknown, ReconcileTicket, ThrottledError,
                     TimeoutError)

# Made on first use: AsyncClient (its coroutines are a module as large as the client's methods),
# CancelledOutcomeUnknown (it derives from asyncio's CancelledError, and asyncio is slow to
# import); the rest import what only paginators and fan-outs need.
_LAZY = {"AsyncClient": "_aio", "CancelledOutcomeUnknown": "errors", "Paginator": "_paginate",
         "AsyncPaginator": "_paginate", "MapResults": "_map", "MapItem": "_map"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__: str = _native.__version__

__all__ = [
    "Client", "AsyncClient", "AkSk", "Password", "Token", "AssumeRole", "Provider", "Credentials", "from_env",
    "from_profile", "from_metadata", "default_chain", "sign_request", "refresh_logging", "to_dataframe", "Paginator",
    "AsyncPaginator", "MapResults", "MapItem", "Result", "ResponseMeta", "meta", "Timeouts", "Retry", "OPERATIONS",
    "Reconciliation", "ReconcileTicket",
    "HcpError", "InvalidArgument", "AuthError", "ApiError", "ThrottledError", "TimeoutError", "ConnectionError",
    "OutcomeUnknown", "InterruptedOutcomeUnknown", "CancelledOutcomeUnknown", "DecodeError", "InternalError",
]


def to_dataframe(items: Iterable[Mapping[str, Any]], *, decimal: str = "exact") -> Any:
    """A pandas DataFrame of result items, nested fields flattened (``account.amount``);
    ``decimal="float"`` makes Decimal columns float64."""
    from ._frames import frame

    return frame(items, decimal)


def _merge(params: Optional[Mapping[str, Any]], kwargs: Mapping[str, Any]) -> Dict[str, Any]:
    if params is not None and not isinstance(params, _abc.Mapping):
        # dict() would take a list of pairs as params, and fail on anything else with a TypeError.
        raise InvalidArgument(f"`params`: parameters must be a mapping (a dict), got {type(params).__name__}",
                              kind="InvalidArgument", code=100, field="params", dispatch="not_sent")
    merged: Dict[str, Any] = dict(params or {})
    merged.update(kwargs)
    return {k: v for k, v in merged.items() if v is not None}


def _over(base: Optional[Dict[str, Any]], extra: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """Call options ``extra`` over ``base``: each name replaced, ``retry`` and ``headers`` merged."""
    if not extra:
        return base
    out: Dict[str, Any] = dict(base or {})
    for name, value in extra.items():
        if name in ("retry", "headers") and isinstance(out.get(name), dict) and hasattr(value, "items"):
            out[name] = {**out[name], **value}
        else:
            out[name] = value
    return out


class _Base(ClientBase):
    _options: Optional[Dict[str, Any]] = None

    @property
    def endpoint(self) -> str:
        ep: str = self._native.endpoint
        return ep

    @property
    def proxy(self) -> str:
        """The proxies requests go through, with where each came from (passwords shown as ***)."""
        p: str = self._native.proxy
        return p

    def with_options(self: _C, *, timeout: Optional[float] = None, retry: Optional[Retry] = None,
                     headers: Optional[Mapping[str, str]] = None) -> _C:
        """A view of this client (the same connections and credentials) whose calls take these
        options: ``timeout`` (seconds, the whole call), ``retry`` (over the client's), ``headers``
        (extra, sent and signed). Checked at each call, before anything is sent."""
        given = {"timeout": timeout, "retry": retry, "headers": headers}
        view = type(self)(_native_client=self._native)
        view._options = _over(self._options, {k: v for k, v in given.items() if v is not None})
        return view

    def _opts(self, options: Optional[Mapping[str, Any]]) -> Optional[CallOptions]:
        merged: Optional[CallOptions] = _over(self._options, options)  # type: ignore[assignment]
        return merged

    def __repr__(self) -> str:
        n = self._native
        text = f"{type(self).__name__}(endpoint={n.endpoint!r}, site={n.site!r}, auth={n.auth!r}"
        if n.proxy != "none":
            text += f", proxy={n.proxy!r}"
        if self._options:
            shown = {k: (sorted(v) if k == "headers" else v) for k, v in self._options.items()}
            text += f", options={shown!r}"  # header names only: values may be credentials
        return text + ")"

    def __reduce__(self) -> Any:
        raise TypeError(f"{type(self).__name__} holds credentials and cannot be pickled")

    def _for_customer(self, agency_name: str, customer_id: Optional[str], customer_name: Optional[str]) -> Any:
        return self._native.for_customer(agency_name, customer_id=customer_id, customer_name=customer_name)


class Client(_Base, SyncOperations):
    """The synchronous client. Thread-safe: share one across threads; calls release the GIL and
    answer Ctrl-C (a read stops at once; see ``InterruptedOutcomeUnknown`` for state changes)."""

    def _call(self, operation: str, params: Dict[str, Any], options: Optional[CallOptions] = None) -> Dict[str, Any]:
        result: Dict[str, Any] = self._native.call(operation, params, self._opts(options))
        return result

    def call(self, operation: OperationName, params: Optional[Mapping[str, Any]] = None, /, *,
             _options: Optional[CallOptions] = None, **kwargs: Any) -> Result:
        """Calls any operation by name with flat params (wire names), validated before sending."""
        result: Result = self._native.call(operation, _merge(params, kwargs), self._opts(_options))
        return result

    def paginate(self, operation: PaginatedOperation, params: Optional[Mapping[str, Any]] = None, /, *,
                 max_items: Optional[int] = None, progress: bool = False, _options: Optional[CallOptions] = None,
                 **kwargs: Any) -> Paginator:
        """Every item across pages (``limit`` sets the page size), checked now, fetched as you
        iterate. ``max_items`` stops early; ``progress=True`` shows a bar (tqdm if installed);
        ``.total`` is the service's count after the first page; ``.to_pandas()`` makes a frame."""
        from ._paginate import Paginator

        return Paginator(self._native, operation, _merge(params, kwargs), False, self._opts(_options),
                         max_items, progress)

    def pages(self, operation: PaginatedOperation, params: Optional[Mapping[str, Any]] = None, /, *,
              progress: bool = False, _options: Optional[CallOptions] = None, **kwargs: Any) -> Paginator:
        """Every page (the whole response of each call)."""
        from ._paginate import Paginator

        return Paginator(self._native, operation, _merge(params, kwargs), True, self._opts(_options), None, progress)

    def map(self, operation: OperationName, params: Iterable[Mapping[str, Any]], /, *, concurrency: int = 8,
            progress: bool = False, _options: Optional[CallOptions] = None, **common: Any) -> MapResults:
        """Calls ``operation`` once per params dict (``common`` keyword arguments go into each),
        ``concurrency`` at a time within the client's rate limit. Keeps going past failures;
        returns every result and error in input order (``.results``, ``.errors``, ``.to_pandas()``).
        Each item follows the money rule on its own; Ctrl-C stops the rest."""
        from . import _map

        items = _map.items_of(params, common)
        return _map.run(self._native, operation, items, self._opts(_options), concurrency, progress)

    def for_customer(
        self, agency_name: str, *, customer_id: Optional[str] = None, customer_name: Optional[str] = None
    ) -> "Client":
        """A client acting for a resale customer through assume_role (shares the connection pool)."""
        view = Client(_native_client=self._for_customer(agency_name, customer_id, customer_name))
        view._options = self._options
        return view

    def reconcile(self, error: Union[HcpError, ReconcileTicket], /) -> Reconciliation:
        """Settles an ``OutcomeUnknown`` of a funding, reclaim or coupon call (or its ``ticket``)
        from the service's records: ``verdict`` is ``"applied"``, ``"not_applied"`` or
        ``"ambiguous"``, with the ``records`` that decided it (docs/reliability.md). Sends only
        reads. Any other error: ``InvalidArgument`` (``field="error"``)."""
        result: Reconciliation = _native.reconcile(self._native, error)
        return result

    def close(self) -> None:
        """Nothing to release eagerly: connections close when idle. Kept for ``with`` blocks."""

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
