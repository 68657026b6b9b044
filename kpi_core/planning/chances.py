"""The chance of reaching a target: the bands that name it (status and achievability) and how
it is written, one rule for the pages, the report and the command line.

A chance is the share of simulated futures that reach the target (`Projection.probability`,
one of 2,000 futures a step). Written in whole percents it is rounded to the nearest, but never
onto a band's edge it has not reached (`chance_text`): 1,399 futures of 2,000 are 69.95 %, at risk,
and "70%" beside "on track from 70%" would contradict the status printed with it.
"""

from __future__ import annotations

from kpi_core.metrics.findings import whole_percent, whole_points

__all__ = [
    "AT_RISK_PROBABILITY",
    "EDGES",
    "EVEN_CHANCE",
    "LABELS",
    "ON_TRACK_PROBABILITY",
    "chance_points",
    "chance_text",
    "label_for",
    "status_for",
]

ON_TRACK_PROBABILITY = 0.7  # on track from this probability of reaching the target
AT_RISK_PROBABILITY = 0.3  # at risk from this one; below it, off track

# Achievability label by the probability of reaching the target: (lowest probability, label),
# highest first. The bands line up with the status bands (0.7 and 0.3 are shared edges).
LABELS: tuple[tuple[float, str], ...] = (
    (0.9, "too easy"),
    (ON_TRACK_PROBABILITY, "realistic"),
    (AT_RISK_PROBABILITY, "ambitious"),
    (0.05, "stretch"),
    (0.0, "unrealistic"),
)


def label_for(probability: float) -> str:
    """The achievability label of a probability 0..1 (see LABELS).

    >>> label_for(0.8), label_for(0.5), label_for(0.2)
    ('realistic', 'ambitious', 'stretch')
    """
    return next(label for low, label in LABELS if probability >= low)


def status_for(probability: float) -> str:
    """The status of a probability 0..1: on track from 70 %, at risk from 30 %, else off track."""
    if probability >= ON_TRACK_PROBABILITY:
        return "on track"
    return "at risk" if probability >= AT_RISK_PROBABILITY else "off track"


# The median future reaches the target (the reach date; the inverse's "today's pace already gives an
# even chance or better") from an even chance: 49.95 % written "50%" beside "Not by the deadline" read as a contradiction.
EVEN_CHANCE = 0.5
# Every probability where a reading changes: a status, an achievability label, a reach date.
EDGES = tuple(sorted({*(low for low, _ in LABELS if low > 0), EVEN_CHANCE}, reverse=True))


def chance_text(probability: float) -> str:
    """A chance as every page writes it: '64%', '<1%', '69%' for 69.95 % (at risk, not on track).

    >>> chance_text(0.6995), chance_text(0.8855), chance_text(0.0495), chance_text(0.0005)
    ('69%', '89%', '4%', '<1%')
    """
    return whole_percent(probability, EDGES)


def chance_points(probability: float) -> int:
    """The whole points `chance_text` writes (for a change between two chances: the difference
    of what is shown, "+3 pts", not of the unrounded chances)."""
    return whole_points(probability, EDGES)
