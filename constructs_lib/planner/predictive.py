"""Predictive scaling's forecast: an APPROXIMATION, since AWS does not publish its model.

What AWS documents, and this module keeps: the forecast needs at least 24 hours of history,
reads at most the last 14 days, is hourly, is refreshed every 6 hours for up to 48 hours
ahead, launches ``SchedulingBufferTime`` before the hour, never scales in, and caps at the
group's maximum unless ``IncreaseMaxCapacity`` (then up to forecast + ``MaxCapacityBuffer`` %).
https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-predictive-scaling.html
https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PredictiveScalingConfiguration.html

What is ours: the load for hour h is the mean of the same hour one and two weeks before once a
week of history exists, else the mean of the same hour on each earlier day (at most 14); only
hours before the 6-hour mark at which the forecast was issued are read. Capacity is the load
divided by what one instance serves at the target, rounded up.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from constructs_lib.planner import aws
from constructs_lib.planner.model import Predictive

_REFRESH_HOURS = 6
_WEEK = 168


def hourly_load(demand: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mean requests per minute of each whole or partial hour."""
    hours = math.ceil(len(demand) / 60)
    padded = np.full(hours * 60, np.nan)
    padded[: len(demand)] = demand
    result: NDArray[np.float64] = np.nanmean(padded.reshape(hours, 60), axis=1)
    return result


def forecast_load(hourly: NDArray[np.float64]) -> NDArray[np.float64]:
    """Forecast requests per minute for each hour; NaN where no forecast exists yet."""
    hours = len(hourly)
    index = np.arange(hours)
    issued = ((index - 1) // _REFRESH_HOURS) * _REFRESH_HOURS  # the last 6-hour mark before h
    issued = np.maximum(issued, 0)
    daily = _lag_mean(hourly, [24 * d for d in range(1, aws.PREDICTIVE_MAX_HISTORY_DAYS + 1)])
    weekly = _lag_mean(hourly, [_WEEK, 2 * _WEEK])
    result = np.where(issued >= _WEEK, weekly, daily)
    result[issued < aws.PREDICTIVE_MIN_HISTORY_HOURS] = np.nan
    return result


def _lag_mean(hourly: NDArray[np.float64], lags: list[int]) -> NDArray[np.float64]:
    stacked = np.full((len(lags), len(hourly)), np.nan)
    for row, lag in enumerate(lags):
        if lag < len(hourly):
            stacked[row, lag:] = hourly[:-lag]
    counts = np.sum(~np.isnan(stacked), axis=0)
    sums = np.nansum(stacked, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean: NDArray[np.float64] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return mean


def forecast_capacity(
    load: NDArray[np.float64], policy: Predictive, requests_per_minute: float
) -> NDArray[np.int64]:
    """Instances each hour needs to hold the policy's target (0 where no forecast exists)."""
    if policy.metric == "cpu":
        per_instance = requests_per_minute * policy.target / 100
    else:
        per_instance = policy.target
    with np.errstate(invalid="ignore"):
        needed = np.ceil(load / per_instance - 1e-9)
    capacity: NDArray[np.int64] = np.where(np.isnan(needed), 0, needed).astype(np.int64)
    return capacity


def capacity_floor(
    capacity: NDArray[np.int64], policy: Predictive, minutes: int, max_capacity: int
) -> NDArray[np.int64]:
    """Per minute, the capacity predictive scaling holds (launched ``buffer`` early)."""
    limit = max_capacity
    per_hour = capacity.copy()
    if policy.increase_max_capacity:
        limit = max(max_capacity, int(np.max(per_hour, initial=0)))
    per_hour = np.minimum(per_hour, limit)
    buffer_minutes = policy.scheduling_buffer_seconds // 60
    hour_of = (np.arange(minutes) + buffer_minutes) // 60
    hour_of = np.minimum(hour_of, len(per_hour) - 1)
    floor: NDArray[np.int64] = per_hour[hour_of]
    return floor
