"""pandas DataFrames of results (pandas is optional: imported here, when a frame is asked for).

Money and other decimals stay exact ``Decimal`` objects by default (``decimal="exact"``);
``decimal="float"`` makes those columns ``float64``, which pandas computes on quickly (``mean``,
``describe``, plots) at the cost of binary rounding."""

from __future__ import annotations

from decimal import Decimal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Mapping


def _pandas() -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        raise ImportError(
            "to_dataframe()/to_pandas() need pandas, which is not installed: pip install pandas"
        ) from None
    return pd


def check_decimal(decimal: str) -> None:
    if decimal not in ("exact", "float"):
        from .errors import InvalidArgument

        raise InvalidArgument(
            f"decimal: must be \"exact\" (Decimal objects) or \"float\" (float64 columns), not {decimal!r}",
            kind="InvalidArgument", code=100, field="decimal", dispatch="not_sent")


def frame(rows: Iterable[Mapping[str, Any]], decimal: str = "exact") -> Any:
    """A DataFrame of ``rows``, nested dicts flattened (``account.amount``)."""
    check_decimal(decimal)
    pd = _pandas()
    df = pd.json_normalize(list(rows))
    if decimal == "float":
        for col in df.columns:
            if df[col].dtype == object:
                values = df[col].dropna()
                if len(values) and all(isinstance(v, Decimal) for v in values):
                    df[col] = df[col].astype("float64")
    return df


def with_fields(row: Mapping[str, Any], extra: Mapping[str, Any]) -> Dict[str, Any]:
    """``row`` with ``extra``'s keys it lacks (the row's own values win)."""
    merged: Dict[str, Any] = dict(extra)
    merged.update(row)
    return merged


def page_fields_of(page: Mapping[str, Any], keep: Any, drop: List[str]) -> Dict[str, Any]:
    """The page-level fields to copy onto rows: all but ``drop`` (``keep=True``) or those named."""
    if keep is True:
        return {k: v for k, v in page.items() if k not in drop}
    return {k: page[k] for k in keep if k in page}
