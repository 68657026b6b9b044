"""The planning layer: goals, projections, what-if levers and backtests, all from a `Baseline`.

- `baseline`: an account's history as small arrays, measured once per data change;
- `goals`: a goal, its progress, status and achievability;
- `projection`: simulated futures, the 80% band and the probability of reaching a target;
- `whatif`: scenarios on the levers and what it takes on each lever alone;
- `backtest`: how often past bands held what really happened.
"""
