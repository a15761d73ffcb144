"""Credentials for ``Client(credentials=...)``. Each is the core's credentials spec (the same
``{"type": ...}`` shape the Node and C faces take); reprs never show a secret and none can be
pickled (a pickle would hold the secret)."""

from __future__ import annotations

from typing import Any, Dict, NoReturn, Optional, Union

__all__ = ["AkSk", "Password", "Token", "AssumeRole", "Provider", "Credentials", "from_env", "from_profile",
           "from_metadata", "default_chain"]


class _Spec:
    __slots__ = ("_spec",)
    _spec: Dict[str, Any]

    def __reduce__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} holds a secret and cannot be pickled")


class AkSk(_Spec):
    """An access key pair; ``security_token`` for temporary keys; ``domain_id`` = the account id
    (looked up once on the first call when absent)."""

    __slots__ = ()

    def __init__(self, ak: str, sk: str, *, security_token: Optional[str] = None, domain_id: Optional[str] = None) -> None:
        self._spec = {"type": "ak_sk", "ak": ak, "sk": sk, "security_token": security_token, "domain_id": domain_id}

    @property
    def ak(self) -> str:
        ak: str = self._spec["ak"]
        return ak

    @property
    def domain_id(self) -> Optional[str]:
        d: Optional[str] = self._spec["domain_id"]
        return d

    def __repr__(self) -> str:
        token = ", security_token='***'" if self._spec["security_token"] else ""
        return f"AkSk(ak={self.ak!r}, sk='***'{token}, domain_id={self.domain_id!r})"


class Password(_Spec):
    """An IAM user's password, exchanged for a token (cached, refreshed before expiry)."""

    __slots__ = ()

    def __init__(self, user: str, password: str, domain_name: str) -> None:
        self._spec = {"type": "password", "user": user, "password": password, "domain_name": domain_name}

    def __repr__(self) -> str:
        return f"Password(user={self._spec['user']!r}, password='***', domain_name={self._spec['domain_name']!r})"


class Token(_Spec):
    """A token obtained elsewhere, sent as X-Auth-Token."""

    __slots__ = ()

    def __init__(self, token: str) -> None:
        self._spec = {"type": "token", "token": token}

    def __repr__(self) -> str:
        return "Token('***')"


class Provider(_Spec):
    """Credentials found when first needed: the environment, the profile file, the ECS/CCE
    metadata service, or the default chain of the three."""

    __slots__ = ()

    def __init__(self, spec: Dict[str, Any]) -> None:
        self._spec = spec

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._spec.items() if k != "type" and v is not None)
        return f"Provider({self._spec['type']}{', ' + args if args else ''})"


class AssumeRole(_Spec):
    """A resale customer's token by assume_role: ``partner`` credentials assume the agency the
    customer created. Exactly one of ``customer_id`` (recommended) and ``customer_name``."""

    __slots__ = ("_partner",)

    def __init__(self, partner: "Credentials", agency_name: str, *, customer_id: Optional[str] = None,
                 customer_name: Optional[str] = None) -> None:
        self._partner = partner
        self._spec = {"type": "assume_role", "partner": spec_of(partner), "agency_name": agency_name,
                      "customer_id": customer_id, "customer_name": customer_name}

    def __repr__(self) -> str:
        who = self._spec["customer_id"] or self._spec["customer_name"]
        return f"AssumeRole({self._partner!r}, {self._spec['agency_name']!r}, customer={who!r})"


Credentials = Union[AkSk, Password, Token, AssumeRole, Provider]


def spec_of(credentials: Any) -> Dict[str, Any]:
    """The core's spec of a credentials object."""
    if not isinstance(credentials, _Spec):
        from .errors import InvalidArgument

        raise InvalidArgument(
            f"credentials: must be AkSk, Password, Token, AssumeRole, from_env(), from_profile(), "
            f"from_metadata() or default_chain(), not {type(credentials).__name__}",
            kind="InvalidArgument", code=100, field="credentials", dispatch="not_sent")
    return credentials._spec


def from_env() -> Provider:
    """``HUAWEICLOUD_SDK_AK``, ``_SK``, ``_SECURITY_TOKEN``, ``_DOMAIN_ID``, read when first needed."""
    return Provider({"type": "env"})


def from_profile(path: Optional[str] = None, section: Optional[str] = None) -> Provider:
    """The official profile file (``~/.huaweicloud/credentials`` or
    ``HUAWEICLOUD_SDK_CREDENTIALS_FILE``), section ``global`` by default."""
    return Provider({"type": "profile", "path": None if path is None else str(path), "section": section})


def from_metadata(endpoint: Optional[str] = None) -> Provider:
    """Temporary keys of an ECS/CCE instance's cloud service agency, refreshed before they expire."""
    return Provider({"type": "metadata", "endpoint": endpoint})


def default_chain() -> Provider:
    """The environment, then the profile file, then the metadata service (the default)."""
    return Provider({"type": "chain"})
