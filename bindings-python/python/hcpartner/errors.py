"""Exceptions of hcpartner. Every one carries the same attributes; none ever holds a secret.

``HcpError`` is the root. Each subclass maps one kind of failure of the core:

- ``InvalidArgument`` (also a ``ValueError``): bad input; ``field`` names it; nothing was sent.
- ``AuthError``: signature refused, token expired, no permission, wrong site (see ``hint``).
- ``ApiError``: any other error answer; ``ThrottledError`` is the "slow down" kind of it.
- ``TimeoutError`` / ``ConnectionError`` (also the built-in ones): no answer in time / no connection.
- ``OutcomeUnknown``: a call that moves money, coupons, orders or resources failed after it may
  have reached the server. It may have been applied: check before trying again.
- ``DecodeError``: a response that could not be read (``body_excerpt`` shows its start). With a
  2xx ``status`` the server did the work: a state change was applied; do not send it again.
- ``InternalError``: a bug in hcpartner (a caught panic); ``dispatch`` says whether it was sent.

Giving up on a state change that may be on the wire never cuts it off: it runs to its end in the
background (its outcome is logged at WARNING under ``hcpartner``) and the caller gets
``InterruptedOutcomeUnknown`` (Ctrl-C: also a ``KeyboardInterrupt``) or
``CancelledOutcomeUnknown`` (asyncio cancel or timeout: also a ``CancelledError``).

``code`` is the stable number of the kind, the same in every face (100 InvalidArgument, 200
Auth, 300 Api, 301 Throttled, 302 Decode, 400 Timeout, 401 Connection, 500 OutcomeUnknown, 900
Internal).
"""

from __future__ import annotations

import asyncio
import builtins
from typing import Optional

__all__ = [
    "HcpError",
    "InvalidArgument",
    "AuthError",
    "ApiError",
    "ThrottledError",
    "TimeoutError",
    "ConnectionError",
    "OutcomeUnknown",
    "InterruptedOutcomeUnknown",
    "CancelledOutcomeUnknown",
    "DecodeError",
    "InternalError",
]


class HcpError(Exception):
    """Root of every hcpartner error."""

    kind: Optional[str]
    #: The kind's stable number (see the module doc).
    code: Optional[int]
    #: "not_sent", "maybe_sent" or "responded": how far the request got.
    dispatch: Optional[str]
    status: Optional[int]
    error_code: Optional[str]
    error_msg: Optional[str]
    request_id: Optional[str]
    retryable: bool
    field: Optional[str]
    operation: Optional[str]
    hint: Optional[str]
    attempts: int
    body_excerpt: Optional[str]

    def __init__(
        self,
        message: str,
        *,
        kind: Optional[str] = None,
        code: Optional[int] = None,
        dispatch: Optional[str] = None,
        status: Optional[int] = None,
        error_code: Optional[str] = None,
        error_msg: Optional[str] = None,
        request_id: Optional[str] = None,
        retryable: bool = False,
        field: Optional[str] = None,
        operation: Optional[str] = None,
        hint: Optional[str] = None,
        attempts: int = 1,
        body_excerpt: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.dispatch = dispatch
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.retryable = retryable
        self.field = field
        self.operation = operation
        self.hint = hint
        self.attempts = attempts
        self.body_excerpt = body_excerpt

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        parts = [repr(str(self))]
        for name in ("error_code", "status", "request_id", "field"):
            value = getattr(self, name, None)
            if value is not None:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class InvalidArgument(HcpError, ValueError):
    """Bad input: ``field`` names it. Nothing was sent."""


class AuthError(HcpError):
    """Credentials refused or unobtainable, or no permission (wrong caller kind, wrong site)."""


class ApiError(HcpError):
    """The service answered with an error: ``status``, ``error_code``, ``error_msg``, ``request_id``."""


class ThrottledError(ApiError):
    """The service asked to slow down (429, CBC.0250, APIGW.0308). ``retryable`` is true."""


class TimeoutError(HcpError, builtins.TimeoutError):
    """No answer in time (for a read, after the retries)."""


class ConnectionError(HcpError, builtins.ConnectionError):
    """The connection could not be made, or broke."""


class OutcomeUnknown(HcpError):
    """A state-changing call failed after it may have been applied: reconcile before retrying."""


class InterruptedOutcomeUnknown(OutcomeUnknown, KeyboardInterrupt):
    """Ctrl-C while a state change may have been on the wire: it goes on in the background."""


class CancelledOutcomeUnknown(OutcomeUnknown, asyncio.CancelledError):
    """An asyncio cancel (or timeout) while a state change may have been on the wire: it goes on
    in the background."""


class DecodeError(HcpError):
    """A response arrived but could not be read."""


class InternalError(HcpError):
    """A bug in hcpartner, caught: please report it."""
