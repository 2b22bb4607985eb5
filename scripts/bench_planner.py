"""The planner's speed: a year of minutes (525,600 steps) x five policy sets, timed in one run.

Prints numbers and asserts none (timing limits live here, never in unit tests). The budget
is 10 s for the five sets on a 2-core machine; memory is the process's peak resident size
and the arrays the replay keeps per set.
"""

from __future__ import annotations

import dataclasses
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from constructs_lib.planner.compare import compare
from constructs_lib.planner.demand import toy_shop_year
from constructs_lib.planner.model import CapacityModel, TargetTracking
from stacks.plan import policy_set, read_config

BUDGET_SECONDS = 10.0


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    rss_before = _rss_mib()
    began = time.perf_counter()
    demand = toy_shop_year(time_zone="America/Sao_Paulo")
    generated = time.perf_counter() - began
    model = CapacityModel(requests_per_minute=3000.0)
    configured = policy_set(read_config({}))
    print(f"demand: {demand.minutes:,} minutes generated in {generated:.2f} s")
    for label, policies in (
        ("cdk.json tier (CPU, 5-minute basic monitoring)", configured),
        (
            "+ requests per target (1-minute ALB metric)",
            dataclasses.replace(
                configured,
                target_tracking=(
                    *configured.target_tracking,
                    TargetTracking("request_count", 1500.0),
                ),
            ),
        ),
    ):
        began = time.perf_counter()
        cpu_began = time.process_time()
        comparison = compare(demand, policies, model, price=0.0104, time_zone="America/Sao_Paulo")
        elapsed = time.perf_counter() - began
        cpu = time.process_time() - cpu_began
        steps = demand.minutes * len(comparison.runs)
        print(
            f"{label}: {len(comparison.runs)} sets x {demand.minutes:,} minutes in "
            f"{elapsed:.2f} s = {elapsed / BUDGET_SECONDS:.2f} of the {BUDGET_SECONDS:g} s "
            f"budget; {cpu:.2f} CPU-s in this process (the rest of the wall time is waiting "
            f"for a core) ({steps / elapsed / 1e6:.2f} M minute-steps/s)"
        )
    per_set = demand.minutes * (4 + 4 + 4)  # billed int32, serving int32, cpu float32
    print(
        f"memory: peak RSS {_rss_mib():.0f} MiB (before the planner ran: {rss_before:.0f} MiB, "
        f"mostly aws-cdk-lib); arrays kept per set {per_set / 2**20:.1f} MiB, demand "
        f"{demand.requests.nbytes / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()
