"""The metrics layer: KPI declarations and what is computed from them over the store.

- `registry` (with `measures`, `guards`, `goal_metrics`): the KPI declarations;
- `ratios`, `values`, `comparison`: each KPI's value over an account and a date range, and
  against the period before;
- `trends`, `content`, `benchmarks`: trend verdicts, what content works, published references;
- `scoring`: the account's headline scores as one JSON-ready dict.
"""
