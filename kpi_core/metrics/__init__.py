"""The metrics layer: KPI declarations and what is computed from them over the store.

- `values`: the KPI registry and each KPI's value over an account and a date range;
- `trends`, `content`, `benchmarks`: trend verdicts, what content works, published references;
- `scoring`: the account's headline scores as one JSON-ready dict.
"""
