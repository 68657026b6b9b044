"""How a chance is written: in the band its status and label come from, never "0%" or "100%"
for a chance that is neither, on every chance 2,000 simulated futures can give."""

from kpi_core.metrics.findings import whole_percent
from kpi_core.planning import consistency
from kpi_core.planning.blocks import N_PATHS
from kpi_core.planning.chances import EDGES, EVEN_CHANCE, chance_points, chance_text, label_for, status_for


def shown(probability: float) -> float:
    """The chance a reader takes from its text ("<1%" as 0.5 %, ">99%" as 99.5 %)."""
    text = chance_text(probability)
    return {"<1%": 0.005, ">99%": 0.995}.get(text) or int(text.rstrip("%")) / 100


def test_every_chance_of_the_simulations_reads_in_its_own_band():
    for futures in range(N_PATHS + 1):
        p = futures / N_PATHS
        assert status_for(shown(p)) == status_for(p), p
        assert label_for(shown(p)) == label_for(p), p
        assert (shown(p) >= EVEN_CHANCE) == (p >= EVEN_CHANCE), p  # a reach date from an even chance
        assert abs(shown(p) - p) <= 0.01, p  # and within a point of the chance
        assert (chance_text(p) == "0%") == (futures == 0), p
        assert (chance_text(p) == "100%") == (futures == N_PATHS), p


def test_a_chance_just_below_an_edge_is_not_rounded_onto_it():
    assert EDGES == (0.9, 0.7, 0.5, 0.3, 0.05)
    assert [chance_text(p) for p in (0.8995, 0.6995, 0.4995, 0.2995, 0.0495)] == [
        "89%",
        "69%",
        "49%",
        "29%",
        "4%",
    ]
    assert [chance_text(p) for p in (0.9, 0.7, 0.5, 0.3, 0.05)] == ["90%", "70%", "50%", "30%", "5%"]
    assert chance_text(0.8855) == "89%"  # elsewhere, the nearest point
    assert chance_points(0.6995) - chance_points(0.7) == -1


def test_shares_that_are_not_chances_round_to_the_nearest_but_never_to_none_or_all():
    assert [whole_percent(s) for s in (-0.004, float("nan"))] == [
        "-0.4%",
        "n/a",
    ]  # a follower goal's progress
    assert [whole_percent(s) for s in (3 / 22, 1 / 890, 889 / 890, 0.5, 0, 1)] == [
        "14%",
        "<1%",
        ">99%",
        "50%",
        "0%",
        "100%",
    ]


def test_the_consistency_check_catches_a_chance_written_across_its_band(monkeypatch):
    assert consistency._shown_in_band(0.6995, "the chance") == []
    monkeypatch.setattr(consistency, "chance_points", lambda p: round(p * 100))  # the old rounding
    assert consistency._shown_in_band(0.6995, "the chance") == [
        "the chance 0.6995 is shown as 69%, which reads 'realistic', not 'ambitious'"
    ]


def test_the_what_if_change_is_that_of_the_two_chances_shown():
    from types import SimpleNamespace

    from kpi_core.planning.whatif import WhatIf

    def change(now: float, today: float) -> str | None:
        shown = WhatIf(None, SimpleNamespace(probability=now), SimpleNamespace(probability=today), None)  # type: ignore[arg-type]
        return shown.chance_change()

    assert change(0.6995, 0.6) == "+9 pts vs today's pace"  # 69% against 60%, not the unrounded 9.95
    assert change(0.5, 0.4995) == "+1 pt vs today's pace"  # 50% against 49%
    assert change(0.003, 0.004) == "same as today's pace"  # <1% both
    assert change(0.003, 0.0) == "+<1 pt vs today's pace"  # <1% against 0%
    assert change(0.004, 0.012) == "-1 pt vs today's pace"  # <1% against 1%
