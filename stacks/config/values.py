"""Reading one context value: JSON types from cdk.json, strings from ``-c key=value``.

Each parser returns the typed value or raises ``ValueError``; its docstring is what the
error message says is valid when the key's own table entry says nothing more specific.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ConfigError(ValueError):
    """The configuration is invalid: one line per problem, each naming its key."""

    def __init__(self, problems: list[str] | str, *, profile: str = "") -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.profile = profile
        source = f" (profile {profile!r} from context key 'env')" if profile else ""
        listing = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"Invalid configuration in cdk.json context / -c{source}:\n{listing}")


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
    digits = raw.strip().lstrip("-") if isinstance(raw, str) else ""
    if digits.isascii() and digits.isdigit():  # isdigit alone takes '٣' and '³'
        return int(raw.strip())
    raise ValueError


def parse_number(raw: Any) -> float:
    """a finite number"""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError
    number = float(raw.strip() if isinstance(raw, str) else raw)
    if not math.isfinite(number):
        raise ValueError
    return number


def parse_bool(raw: Any) -> bool:
    """true or false"""
    if isinstance(raw, bool):
        return raw
    if not isinstance(raw, str):
        raise ValueError
    text = raw.strip().lower()
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
        if not all(isinstance(item, str) for item in raw):
            raise ValueError
        return [item.strip() for item in raw if item.strip()]
    if isinstance(raw, str):
        return [item.strip() for item in raw.split(",") if item.strip()]
    raise ValueError


def parse_str(raw: Any) -> str:
    """a string"""
    if not isinstance(raw, str):
        raise ValueError
    return raw.strip()


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


@dataclass(frozen=True)
class Key(Generic[T]):
    """One configuration key."""

    name: str
    default: Any
    parse: Callable[[Any], T]
    expected: str
    doc: str
