"""The image pipeline's settings that a configuration layer checks and states without
building a pipeline: its schedule, the images it keeps, extra components, and the boot time
a golden image saves. Kept apart from ``image_pipeline`` so that an app without a pipeline
never imports EC2 Image Builder, Lambda and EventBridge (≈ 0.09 s per synth)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from constructs_lib._validation import PropErrors, check_int_range, is_token

# What a golden image takes off an instance's boot: the default boot script's `dnf install
# nginx` (repository metadata and packages through the NAT gateway). An estimate, not a
# measurement (no AWS account is used here); `make plan` subtracts it from its boot time.
PACKAGE_INSTALL_SECONDS = 30.0
# Image Builder's cron: six fields, e.g. every Sunday 04:00 UTC.
DEFAULT_SCHEDULE = "cron(0 4 ? * sun *)"
# fullmatch with ASCII-only classes: "$" would accept a trailing newline, "\d" non-ASCII digits.
_CRON = re.compile(r"cron\((\S+ ){5}\S+\)|rate\([0-9]+ (minute|hour|day)s?\)", re.ASCII)
_COMPONENT_ARN = re.compile(
    r"arn:aws[a-z-]*:imagebuilder:[a-z0-9-]*:(aws|[0-9]{12}):component/\S+", re.ASCII
)
_MAX_KEPT_IMAGES = 1000  # lifecycle policy COUNT filter


def check_schedule(errors: PropErrors, arg: str, schedule: str | None) -> None:
    """An Image Builder schedule: ``cron(...)`` with six fields, or ``None`` (on demand)."""
    if schedule is not None and not is_token(schedule):
        errors.check(
            isinstance(schedule, str) and bool(_CRON.fullmatch(schedule)),
            f"{arg} {schedule!r} is not an Image Builder schedule; give six cron fields in "
            "'cron(...)', e.g. 'cron(0 4 ? * sun *)', or none for builds on demand only",
        )


def check_keep_images(errors: PropErrors, arg: str, keep_images: int) -> None:
    """The lifecycle policy's count: at least the running image and a rollback's."""
    check_int_range(
        errors,
        arg,
        keep_images,
        low=2,
        high=_MAX_KEPT_IMAGES,
        hint=" (the running image and the one a rollback returns to)",
    )


def check_component_arns(errors: PropErrors, arg: str, arns: Sequence[str]) -> None:
    """Image Builder component ARNs (AWS's or the account's), as a list."""
    if isinstance(arns, str):
        errors.add(f"{arg} {arns!r} is a string; give a list of component ARNs")
        return
    for index, arn in enumerate(arns):
        errors.check(
            is_token(arn) or (isinstance(arn, str) and bool(_COMPONENT_ARN.fullmatch(arn))),
            f"{arg}[{index}] {arn!r} is not an Image Builder component ARN, e.g. "
            "'arn:aws:imagebuilder:eu-west-1:aws:component/update-linux/x.x.x'",
        )
