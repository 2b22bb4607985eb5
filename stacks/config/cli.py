"""What the app reads besides the ``App``'s own context, when the CDK CLI runs it.

- The context exactly as the CLI sent it (``CDK_CONTEXT_JSON``, and the overflow file the
  CLI writes when the context is too big for an environment variable; see toolkit-lib
  ``writeContextToEnv``): the ``App`` drops keys whose value is ``null``, and a ``null`` must
  be reported, not replaced by a default.
- cdk.json's ``context`` as written: the CLI merges it with ``-c``, and only the file tells
  a setting at its top level (an error) from one given with ``-c``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

CONTEXT_ENV = "CDK_CONTEXT_JSON"
CONTEXT_OVERFLOW_ENV = "CONTEXT_OVERFLOW_LOCATION_ENV"


def cli_context(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The context the CDK CLI passed, nulls included; ``None`` when not run by the CLI."""
    text = environ.get(CONTEXT_ENV)
    if text is None:
        return None
    context: dict[str, Any] = json.loads(text)
    overflow = environ.get(CONTEXT_OVERFLOW_ENV)
    if overflow:
        context.update(json.loads(Path(overflow).read_text()))
    return context


def project_context(cdk_json: Path) -> dict[str, Any] | None:
    """cdk.json's ``context`` object as written, or ``None`` without a readable cdk.json."""
    try:
        settings = json.loads(cdk_json.read_text())
    except (OSError, ValueError):
        return None
    context = settings.get("context") if isinstance(settings, dict) else None
    return context if isinstance(context, dict) else None
