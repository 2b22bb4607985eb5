"""Leaving a Python process that holds jsii's Node.js runtime without the interpreter's
teardown (≈ 0.3 s for the large aws_cdk modules, more in a test worker): what the app runs
once its cloud assembly is on disk, and what a pytest-xdist worker runs once its results are
sent. No aws_cdk import here: the xdist controller loads this module too."""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn


def exit_without_teardown(status: int) -> NoReturn:
    """Exit with ``status``, skipping the teardown of modules and objects. What teardown must
    do still happens: the atexit handlers run (jsii's stops its Node.js process gracefully and
    waits for it, so no process outlives this one, and removes its runtime's temporary
    directory) and stdout/stderr are flushed. Call it only on the way out of a finished run:
    an exception should exit the ordinary way."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
