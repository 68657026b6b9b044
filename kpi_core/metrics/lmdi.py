"""The additive LMDI-I (log-mean Divisia index) split of a change in a product between its factors.

The change in a product of factors is split with no residual: factor k contributes

    L(product now, product before) × ln(k now / k before),  L(a, b) = (a − b) / ln(a / b),  L(a, a) = a

and since the logs of the factors' ratios add up to ln(product now / product before), the
contributions add up to the change. A factor equal in both periods contributes 0, so a change in
one factor alone is attributed entirely to it. A factor that is 0 in one period makes that
period's product 0; the whole change then goes to it (the limit of LMDI as the zero is
approached; several zeros in one period share it equally), and factors that cannot be measured in
that period (None) contribute 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["lmdi", "log_mean"]


def log_mean(a: float, b: float) -> float:
    """The logarithmic mean L(a, b) = (a − b) / ln(a / b) of two values ≥ 0; a when a == b, 0 when
    either is 0 (its limit).

    >>> log_mean(200, 100), log_mean(5, 5), log_mean(7, 0)
    (144.26950408889635, 5, 0.0)
    """
    if a < 0 or b < 0:
        raise ValueError("the logarithmic mean is defined for values of 0 and more")
    if a == 0 or b == 0:
        return 0.0
    if a == b:
        return a
    return (a - b) / math.log(a / b)


def _product(factors: Mapping[str, float | None]) -> float:
    """The product of the factors: 0 as soon as one is 0; None factors need a 0 beside them."""
    values = list(factors.values())
    if any(v is not None and v < 0 for v in values):
        raise ValueError("drivers are 0 or more")
    if 0 in values:
        return 0.0
    if None in values:
        raise ValueError("a driver can be unmeasurable (None) only beside a driver that is 0")
    return math.prod(v for v in values if v is not None)


def lmdi(now: Mapping[str, float | None], before: Mapping[str, float | None]) -> dict[str, float]:
    """The change in the product of the factors, split exactly between them (additive LMDI-I).

    Factors are ≥ 0. A factor may be None in a period where another factor is 0 (views per video
    when no video was posted): it cannot be measured there and contributes 0. When one period's
    product is 0, the whole change goes to the factors that are 0 in it, in equal shares.

    >>> lmdi({"posts": 2, "rate": 0.1}, {"posts": 1, "rate": 0.1})
    {'posts': 0.1, 'rate': 0.0}
    """
    if set(now) != set(before):
        raise ValueError("both periods need the same drivers")
    total_now, total_before = _product(now), _product(before)
    if total_now > 0 and total_before > 0:
        weight = log_mean(total_now, total_before)
        return {k: weight * math.log(float(now[k]) / float(before[k])) for k in now}  # type: ignore[arg-type]
    change = total_now - total_before
    if change == 0:
        return {k: 0.0 for k in now}
    zero_side = before if total_before == 0 else now
    zeros = [k for k, v in zero_side.items() if v == 0]
    return {k: change / len(zeros) if k in zeros else 0.0 for k in now}
