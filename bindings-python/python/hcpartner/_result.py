"""Results: the answer's dict exactly as the service sent it, plus what the answer said about itself
(``result.meta``: request id, status, attempts, elapsed time), in the manner of boto3's
``ResponseMetadata`` but kept off the data so the dict keeps the wire's shape."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Mapping, Optional, Tuple


class ResponseMeta:
    """What a successful call's answer said about itself."""

    __slots__ = ("operation", "request_id", "status", "attempts", "elapsed")

    #: The operation called.
    operation: str
    #: ``X-Request-Id`` of the answer: quote it to Huawei support.
    request_id: Optional[str]
    #: The HTTP status.
    status: int
    #: Requests sent, retries included.
    attempts: int
    #: Seconds from the call's start to its answer (rate-limit waits and retries included).
    elapsed: float

    def __init__(self, operation: str, request_id: Optional[str], status: int, attempts: int, elapsed: float) -> None:
        self.operation, self.request_id, self.status = operation, request_id, status
        self.attempts, self.elapsed = attempts, elapsed

    def as_dict(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResponseMeta) and self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"ResponseMeta(operation={self.operation!r}, request_id={self.request_id!r}, status={self.status}, "
                f"attempts={self.attempts}, elapsed={self.elapsed:.3f})")


def _rebuild(data: Dict[str, Any], meta: Optional[Tuple[Any, ...]]) -> "Result":
    r = Result(data)
    r._meta = meta
    return r


class Result(dict):  # type: ignore[type-arg]
    """A call's result: a ``dict`` of the answer (wire names, numbers by the API description) with
    ``.meta``. Typed code reads the meta with ``hcpartner.meta(result)``."""

    __slots__ = ("_meta",)
    _meta: Optional[Tuple[Any, ...]]

    @property
    def meta(self) -> Optional[ResponseMeta]:
        """The answer's request id, status, attempts and elapsed time."""
        m = getattr(self, "_meta", None)
        return None if m is None else ResponseMeta(*m)

    def __reduce__(self) -> Any:
        return (_rebuild, (dict(self), getattr(self, "_meta", None)))


def meta(result: Mapping[str, Any]) -> Optional[ResponseMeta]:
    """The response metadata of a result (``None`` for a dict that did not come from a call)."""
    return result.meta if isinstance(result, Result) else None
