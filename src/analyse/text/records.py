"""Reading the fields of a result record: a dict, a pandas row, a row of a CSV read back as strings, or a
result object with ``to_record`` (:class:`analyse.trends.TrendResult` and the like)."""

from __future__ import annotations

import pandas as pd


def is_set(value) -> bool:
    """True for a real, non-empty value (not None, NaN or an empty string)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    return not (pd.api.types.is_scalar(value) and pd.isna(value))


def is_true(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "ja", "waar")
    return is_set(value) and bool(value)


def record_of(obj) -> dict:
    """A plain dict from a record, a pandas row or a result object with ``to_record``."""
    if hasattr(obj, "to_record"):
        return obj.to_record()
    if isinstance(obj, pd.Series):
        return obj.to_dict()
    return dict(obj)


def codes(value) -> tuple[str, ...]:
    """Codes from ``'a;b'``, a list/tuple, or nothing."""
    if isinstance(value, str):
        return tuple(c.strip() for c in value.split(";") if c.strip())
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ()
    return tuple(str(c) for c in value)


def as_int(value) -> int | None:
    return int(float(value)) if is_set(value) else None
