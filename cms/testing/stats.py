"""Figures of measured samples, one definition for the tests and the benchmarks (bench/)."""

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of `values`: the ceil(share * n)-th smallest of the n
    values, i.e. the smallest value with at least `share` of them at or below it; always
    one of the values (no interpolation), in their unit.

    `share` is the fraction, 0 < share <= 1: 0.95 for p95, 0.5 for p50 (for an even n
    the lower middle value, where a median would average the two).
    ValueError for no values or a share outside (0, 1].
    """
    if not values:
        raise ValueError("the percentile of no values")
    if not 0 < share <= 1:
        raise ValueError(f"share {share!r} is not in (0, 1]: 0.95 for p95")
    ordered = sorted(values)
    # Rounded first: 0.07 * 100 is 7.000000000000001 in floating point, whose ceil is 8.
    return ordered[math.ceil(round(share * len(ordered), 9)) - 1]
