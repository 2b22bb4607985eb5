"""Reading one context value: JSON types from cdk.json, strings from ``-c key=value``.

Each parser returns the typed value or raises ``ValueError``; its docstring is what the
error message says is valid when the key's own table entry says nothing more specific.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any


class ConfigError(ValueError):
    """A cdk.json / ``-c`` value is invalid; the message names the key."""


def is_blank(raw: Any) -> bool:
    """``None`` or an empty string: "not set", the default applies."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_int(raw: Any) -> int:
    """a whole number"""
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    raise ValueError


def parse_number(raw: Any) -> float:
    """a number"""
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, (int, float)):
        return float(raw)
    return float(str(raw).strip())


def parse_bool(raw: Any) -> bool:
    """true or false"""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise ValueError


def parse_optional_bool(raw: Any) -> bool | None:
    """true, false or empty"""
    if is_blank(raw):
        return None
    return parse_bool(raw)


def parse_optional_int(raw: Any) -> int | None:
    """a whole number or empty"""
    if is_blank(raw):
        return None
    return parse_int(raw)


def parse_list(raw: Any) -> list[str]:
    """comma-separated values"""
    if isinstance(raw, list):
        return [str(item).strip() for item in raw if str(item).strip()]
    if isinstance(raw, str):
        return [item.strip() for item in raw.split(",") if item.strip()]
    raise ValueError


def parse_str(raw: Any) -> str:
    """a string"""
    if isinstance(raw, (dict, list)):
        raise ValueError
    return "" if raw is None else str(raw).strip()


def parse_objects(raw: Any) -> list[dict[str, Any]]:
    """a JSON list of objects"""
    if isinstance(raw, str):
        raw = json.loads(raw) if raw.strip() else []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise ValueError
    return raw


def parse_date(raw: Any) -> dt.date:
    """a date YYYY-MM-DD"""
    if isinstance(raw, str) and len(raw.strip()) == 10:
        return dt.date.fromisoformat(raw.strip())
    raise ValueError
