"""Input checks shared by the constructs.

Every construct validates its props in ``__init__`` before it creates any child, collects
every problem it finds, and raises one ``ValueError`` listing them all (a ``PropsError``,
which is also a ``TypeError`` when a value had the wrong Python type). Each message names
the argument, the value received and what would be valid. Values that are unresolved CDK
tokens (known only at deploy time) are skipped.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import inspect
import ipaddress
import math
import re
import types
import typing
from collections import abc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from aws_cdk import Duration, Token

# RFC 1123 host label: letters, digits, hyphens; no leading/trailing hyphen; 1-63 chars.
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)\Z")


class PropsError(ValueError):
    """Invalid props: every problem of one call, each naming its argument and value."""


class PropsTypeError(PropsError, TypeError):
    """Invalid props where at least one value had the wrong Python type (``None``, a ``str``
    for a list...): a ``TypeError`` as Python code expects, and a ``ValueError`` like the rest."""


class PropErrors:
    """Collects the problems found in one construct's props and raises them together."""

    def __init__(self, owner: str) -> None:
        self._owner = owner
        self._problems: list[str] = []
        self._wrong_type = False

    def add(self, message: str) -> None:
        # Once: a composite runs its children's checks, and two children may apply one rule
        # to the same value (the app port is checked by the load balancer and the template).
        if message not in self._problems:
            self._problems.append(message)

    def add_type(self, message: str) -> None:
        """A value of the wrong Python type: raised as a ``TypeError`` (and ``ValueError``)."""
        self._problems.append(message)
        self._wrong_type = True

    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.add(message)

    @property
    def problems(self) -> list[str]:
        return list(self._problems)

    def raise_if_any(self) -> None:
        if not self._problems:
            return
        error = PropsTypeError if self._wrong_type else PropsError
        if len(self._problems) == 1:
            raise error(f"{self._owner}: {self._problems[0]}")
        listing = "\n".join(f"  - {p}" for p in self._problems)
        raise error(f"{self._owner}: {len(self._problems)} invalid props:\n{listing}")

    def extend(self, other: PropErrors) -> None:
        """Takes over ``other``'s problems (a child's check run by its parent)."""
        self._problems.extend(other._problems)
        self._wrong_type = self._wrong_type or other._wrong_type


# Set while a composite builds children whose arguments its own check already ran through the
# children's static checks (WebTier.check runs WebAutoScalingGroup.check...): each rule then
# runs once per call, not once more in every constructor down the tree.
_CHECKED_BY_PARENT: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "checked_by_parent", default=False
)


@contextlib.contextmanager
def checked_by_parent() -> Iterator[None]:
    """Children built inside were checked by their parent: their constructors skip their
    static check (only the parent may promise it, having run exactly that check)."""
    token = _CHECKED_BY_PARENT.set(True)
    try:
        yield
    finally:
        _CHECKED_BY_PARENT.reset(token)


def parent_checked() -> bool:
    """Whether the construct being built was checked by its parent (``checked_by_parent``)."""
    return _CHECKED_BY_PARENT.get()


# A number CDK encodes as a token is a double whose top 16 bits are 0xFBFF (≈ -1.9e289):
# aws-cdk-lib core/lib/private/encoding.js, extractTokenDouble / DOUBLE_TOKEN_MARKER_BITS.
_NEVER_A_TOKEN_DOUBLE = 2**53


def is_token(value: Any) -> bool:
    """True when the value is only known at deploy time (a CDK token).

    Answered here, without a round trip to Node.js, where aws-cdk-lib's own answer cannot be
    yes (core/lib/private/encoding.js ``unresolved``): a string without ``Token[`` (its own
    first test), None and booleans (not resolvable objects), integers of magnitude below 2**53
    (a token double is ≈ -1.9e289). Everything else asks ``Token.is_unresolved``;
    ``tests/test_argument_types.py`` checks both agree."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str) and "Token[" not in value:
        return False
    if isinstance(value, int) and abs(value) < _NEVER_A_TOKEN_DOUBLE:
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False  # NaN/inf are never tokens, and jsii's JSON cannot carry them
    return Token.is_unresolved(value)


def as_list(errors: PropErrors, arg: str, value: Any, *, example: str) -> list[Any]:
    """The items of a list-valued argument. ``None``, a string (which would be checked
    character by character) or anything else that is not a sequence is a type error."""
    if isinstance(value, (str, bytes)):
        errors.add_type(f"{arg} {value!r} is a string; give a list, e.g. {example}")
        return []
    if not isinstance(value, Sequence):
        errors.add_type(f"{arg} {value!r} is not a list; give a list, e.g. {example}")
        return []
    return list(value)


# The largest integer a JSON number carries exactly: jsii and CloudFormation templates are
# JSON, and a bigger value (10**400) becomes null or loses digits; NaN and infinity crash jsii.
MAX_NUMBER = 2**53 - 1


def number_problem(value: Any) -> str | None:
    """Why ``value`` cannot go into a template as a number, or ``None`` when it can."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "is not a number"
    if isinstance(value, float) and not math.isfinite(value):
        return "is not a finite number"
    if abs(value) > MAX_NUMBER:
        return f"is too large for a template (at most {MAX_NUMBER:,})"
    return None


def check_number(errors: PropErrors, arg: str, value: Any, *, hint: str = "") -> bool:
    """A finite number a template can carry (no NaN, infinity, bool or 10**400)."""
    if is_token(value):
        return False
    problem = number_problem(value)
    if problem is None:
        return True
    add = errors.add_type if problem == "is not a number" else errors.add
    add(f"{arg} {value!r} {problem}{hint}")
    return False


def check_ipv4_cidr(errors: PropErrors, arg: str, value: str, *, allow_any: bool) -> None:
    """A strict IPv4 CIDR: dotted quad, explicit mask, no host bits, /0 only if allowed."""
    if is_token(value):
        return
    if not isinstance(value, str):
        errors.add_type(f"{arg} {value!r} is not a string; give a CIDR, e.g. '203.0.113.10/32'")
        return
    if "/" not in value:
        errors.add(
            f"{arg} {value!r} is not an IPv4 CIDR; write it with a mask, e.g. '203.0.113.10/32'"
        )
        return
    if ":" in value:
        errors.add(
            f"{arg} {value!r} is an IPv6 CIDR where an IPv4 CIDR is expected, "
            "e.g. '203.0.113.10/32'"
        )
        return
    try:
        network = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        errors.add(
            f"{arg} {value!r} is not a valid IPv4 CIDR (four octets 0-255 and a mask 0-32), "
            "e.g. '203.0.113.10/32'"
        )
        return
    if str(network) != value:
        errors.add(
            f"{arg} {value!r} has host bits set; the network is {str(network)!r} "
            "(or use /32 for a single address)"
        )
        return
    if network.prefixlen == 0 and not allow_any:
        errors.add(
            f"{arg} {value!r} opens the port to the whole internet; give your own "
            "address as a /32 (e.g. '203.0.113.10/32'), or omit it and use Session Manager"
        )


def check_port(errors: PropErrors, arg: str, value: int) -> None:
    """A TCP port: an integer from 1 to 65535 (not a bool)."""
    if is_token(value):
        return
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add_type(f"{arg} {value!r} is not a TCP port; give an integer from 1 to 65535")
    elif not 1 <= value <= 65535:
        errors.add(f"{arg} {value!r} is not a TCP port; give an integer from 1 to 65535")


def check_int_range(
    errors: PropErrors, arg: str, value: int, *, low: int, high: int | None = None, hint: str = ""
) -> bool:
    """Integer within [low, high]; returns whether it passed (for follow-up cross-checks)."""
    if is_token(value):
        return False
    upper = "" if high is None else f" to {high}"
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add_type(f"{arg} {value!r} is not an integer; give a whole number from {low}{upper}")
        return False
    if high is None and value > MAX_NUMBER:
        errors.add(f"{arg} {value} is too large for a template; give at most {MAX_NUMBER:,}")
        return False
    if value < low or (high is not None and value > high):
        range_text = f"from {low}{upper}" if high is not None else f"of at least {low}"
        errors.add(f"{arg} {value} is out of range; give a whole number {range_text}{hint}")
        return False
    return True


def check_percentage(errors: PropErrors, arg: str, value: float) -> None:
    """A utilisation target: strictly above 0 and at most 100."""
    if is_token(value):
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        errors.add_type(f"{arg} {value!r} is not a percentage in (0, 100]; e.g. 50 for 50% CPU")
    elif not 0 < value <= 100:  # NaN compares false, so it lands here too
        errors.add(f"{arg} {value!r} is not a percentage in (0, 100]; e.g. 50 for 50% CPU")


def check_duration_seconds(
    errors: PropErrors, arg: str, value: Duration, *, low: int, high: int
) -> int | None:
    """A Duration of whole seconds in [low, high]; returns the seconds when valid."""
    if not isinstance(value, Duration):
        errors.add_type(
            f"{arg} {value!r} is not a Duration; give e.g. Duration.seconds({max(low, 1)})"
        )
        return None
    millis = value.to_milliseconds(integral=False)
    if is_token(millis):
        return None
    if millis % 1000:
        errors.add(
            f"{arg} {millis / 1000:g}s is not a whole number of seconds; "
            f"give a Duration from {low}s to {high}s"
        )
        return None
    seconds = int(millis // 1000)
    if not low <= seconds <= high:
        errors.add(f"{arg} {seconds}s is out of range; give a Duration from {low}s to {high}s")
        return None
    return seconds


def check_http_path(errors: PropErrors, arg: str, value: str) -> None:
    """An HTTP path as a health check probes it: starts with '/', at most 1024 characters."""
    if is_token(value):
        return
    if not isinstance(value, str):
        errors.add_type(f"{arg} {value!r} is not a string; give a path such as '/health'")
    elif not value.startswith("/"):
        errors.add(f"{arg} {value!r} must start with '/', e.g. '/health'")
    elif len(value) > 1024:
        errors.add(f"{arg} is {len(value)} characters long; give at most 1024")
    elif any(c.isspace() for c in value):
        errors.add(f"{arg} {value!r} contains whitespace; URL-encode it, e.g. '%20'")


def without_root_dot(name: str) -> str:
    """``name`` without the one trailing dot of a fully qualified name (``example.com.``),
    the form every check and every use of a name shares: a second dot is not stripped, so
    ``example.com..`` keeps an empty label that ``check_dns_name`` refuses."""
    return name[:-1] if name.endswith(".") else name


def check_dns_name(errors: PropErrors, arg: str, value: str, *, allow_wildcard: bool) -> bool:
    """A fully qualified DNS name: RFC 1123 labels, total length <= 253, wildcard only first;
    one trailing (root) dot is allowed and dropped where the name is used."""
    if is_token(value):
        return False
    if not isinstance(value, str) or not value:
        errors.add(f"{arg} {value!r} is not a domain name; e.g. 'shop.example.com'")
        return False
    name = without_root_dot(value).lower()
    labels = name.split(".")
    problems: list[str] = []
    if len(name) > 253:
        problems.append(f"is {len(name)} characters long (at most 253)")
    if len(labels) < 2:
        problems.append("needs at least two labels, e.g. 'example.com'")
    for index, label in enumerate(labels):
        if label == "*" and index == 0 and allow_wildcard:
            continue
        if label == "*":
            problems.append("may hold a wildcard '*' only as its first label")
        elif not label:
            problems.append("has an empty label (two dots in a row, or a dot at either end)")
        elif not _LABEL.match(label):
            problems.append(
                f"has an invalid label {label!r} (letters, digits and inner hyphens, 1-63 chars)"
            )
    if problems:
        errors.add(f"{arg} {value!r} " + "; ".join(problems))
        return False
    return True


def is_within_zone(name: str, zone_name: str) -> bool:
    name = without_root_dot(name).lower()
    zone = without_root_dot(zone_name).lower()
    return name == zone or name.endswith("." + zone)


def unique(values: Iterable[str]) -> list[str]:
    """Keeps the first of each value, in order."""
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)


def check_alternative_names(
    errors: PropErrors,
    arg: str,
    names: Sequence[str],
    *,
    primary: str,
    zone_name: str | None,
) -> None:
    """Extra site names beside ``primary``: each a valid DNS name (a wildcard only as the
    first label), inside ``zone_name`` when it is known, and no name given twice."""
    zone_known = zone_name is not None and not is_token(zone_name)
    for index, name in enumerate(names):
        item = f"{arg} item {index}"
        if not check_dns_name(errors, item, name, allow_wildcard=True):
            continue
        if zone_known and not is_within_zone(name, str(zone_name)):
            zone = without_root_dot(str(zone_name))
            errors.add(
                f"{item} {name!r} is not inside the hosted zone {zone!r}; use a name ending "
                f"in '.{zone}' or the zone apex"
            )
    lowered = [
        without_root_dot(n).lower()
        for n in (primary, *names)
        if isinstance(n, str) and not is_token(n)
    ]
    duplicates = sorted({n for n in lowered if lowered.count(n) > 1})
    if duplicates:
        errors.add(f"{arg} repeats {duplicates} (the primary name included); give each once")


# The local part of an address as mail providers accept it: RFC 5322 "atext" dot-atoms.
_EMAIL_LOCAL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z"
)


def check_email(errors: PropErrors, arg: str, value: str) -> None:
    """One e-mail address, ``local@domain``, with a real domain name (no display name)."""
    if is_token(value):
        return
    example = "e.g. 'ops@example.com'"
    if not isinstance(value, str) or value.count("@") != 1:
        errors.add(f"{arg} {value!r} is not an e-mail address; give one address, {example}")
        return
    local, domain = value.split("@")
    if len(local) > 64 or not _EMAIL_LOCAL.match(local):
        errors.add(
            f"{arg} {value!r} has an invalid part before '@' (letters, digits, dots between "
            f"characters and !#$%&'*+/=?^_`{{|}}~- only, at most 64); {example}"
        )
        return
    check_dns_name(errors, f"{arg} {value!r}: domain", domain, allow_wildcard=False)


# Argument types: one owner for "a value of the wrong Python type", read from the annotations.
_HINTS: dict[object, dict[str, Any]] = {}
_InitT = typing.TypeVar("_InitT", bound=Callable[..., None])


def typed_arguments(init: _InitT) -> _InitT:
    """Decorates a constructor: its arguments are checked against its annotations
    (``check_types``) before its body runs, so nothing is built from a wrong-typed value."""
    signature = inspect.signature(init)

    @functools.wraps(init)
    def checked(self: Any, *args: Any, **kwargs: Any) -> None:
        # bind_partial: the types are reported even when a required argument is missing too
        # (Python's own TypeError for it follows once the types are right).
        bound = signature.bind_partial(self, *args, **kwargs)
        check_types(type(self).__name__, init, bound.arguments)
        init(self, *args, **kwargs)

    return typing.cast(_InitT, checked)


_ClassT = typing.TypeVar("_ClassT", bound=type)


def typed_fields(cls: _ClassT) -> _ClassT:
    """Decorates an options dataclass (under ``@dataclass``): its fields are checked against
    their annotations (``check_types``) when it is created, so a ``Capacity(min_capacity="2")``
    fails where it is written, naming the field; its values are checked by the constructs
    that take it (its ``check`` method), where the other arguments are known."""
    if "__post_init__" in vars(cls):
        raise TypeError(f"{cls.__name__} has its own __post_init__; call check_types there")

    def post_init(self: Any) -> None:
        fields = dataclasses.fields(self)
        check_types(cls.__name__, cls, {f.name: getattr(self, f.name) for f in fields})

    cls.__post_init__ = post_init  # type: ignore[attr-defined]
    return cls


def check_types(owner: str, function: Callable[..., Any], arguments: Mapping[str, Any]) -> None:
    """Every argument of ``function`` (a constructor, or a dataclass) against its annotation;
    raises one ``PropsTypeError`` naming each argument of the wrong Python type (``None``
    where a value is required, a string where a list or an ``InstanceType`` goes, a list
    where a mapping goes...) with the value and the type expected, before any value check
    reads it (and before jsii or Node.js would fail with a generic error). Unresolved tokens
    pass (a number token is a float); jsii interfaces (``ec2.IVpc``...) take any jsii object,
    since imported resources are dynamic proxies."""
    hints = _HINTS.get(function)
    if hints is None:
        hints = _HINTS[function] = {
            name: hint
            for name, hint in typing.get_type_hints(function).items()
            if name not in ("return", "self", "scope", "construct_id")
        }
    errors = PropErrors(owner)
    for name, value in arguments.items():
        hint = hints.get(name)
        if hint is not None and not _fits(value, hint):
            found = "is None" if value is None else f"{_shown(value)} is {_kind(value)}"
            errors.add_type(f"{name} {found}; give {_words(hint)}")
    errors.raise_if_any()


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    name = {str: "string", bool: "bool (True or False)"}.get(type(value), type(value).__name__)
    if hasattr(value, "__jsii_ref__"):
        return f"a jsii {name}"
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def _fits(value: Any, hint: Any) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, arg) for arg in args)
    if hint is type(None):
        return value is None
    if origin in (list, tuple, abc.Sequence):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            return False
        item = args[0] if args else Any
        return all(_fits(v, item) for v in value)
    if origin in (dict, abc.Mapping):
        key, item = args if args else (Any, Any)
        return isinstance(value, abc.Mapping) and all(
            _fits(k, key) and _fits(v, item) for k, v in value.items()
        )
    if origin is not None or not isinstance(hint, type):
        return True  # Callable, Literal and other generics are not checked here
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        if isinstance(value, float):
            return is_token(value)  # a number token is a float
        return isinstance(value, int) and not isinstance(value, bool)
    if getattr(hint, "_is_protocol", False) and hasattr(hint, "__jsii_type__"):
        # A jsii interface: any jsii object (imported resources are dynamic proxies) or a
        # Python class declaring it with @jsii.implements.
        return hasattr(value, "__jsii_ref__") or any(
            hint in getattr(klass, "__jsii_ifaces__", ()) for klass in type(value).__mro__
        )
    return isinstance(value, hint)


def _words(hint: Any, article: bool = True) -> str:
    """A type as a message says it: 'an int', 'InstanceType or None', 'a list of IAlarm'."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is type(None):
        return "None"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_words(arg, article) for arg in args)
    if origin in (list, tuple, abc.Sequence):
        return f"a list of {_words(args[0], False)}" if args else "a list"
    if origin in (dict, abc.Mapping):
        if not args:
            return "a mapping"
        return f"a mapping of {_words(args[0], False)} to {_words(args[1], False)}"
    if hint is bool:
        return "True or False" if article else "bool"
    names = {int: ("an int", "int"), float: ("a number", "number"), str: ("a str", "str")}
    if hint in names:
        return names[hint][0 if article else 1]
    return str(getattr(hint, "__name__", hint))
