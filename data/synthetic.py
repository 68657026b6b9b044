"""Synthetic daily likes for backtests: level shifts, declines, growth and random walks with
weekly rhythm, autocorrelated noise and rare spikes (the shapes real accounts take, with known
structure)."""

from __future__ import annotations

import numpy as np

KINDS = ("shift", "decline", "growth", "walk")


def synthetic_likes(seed: int, kind: str, n: int = 540) -> np.ndarray:
    """Log-normal daily likes with weekly seasonality, autocorrelated noise, rare 4-20x spikes, and a
    level that shifts, declines, grows or wanders (`kind`)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    weekly = np.array([0.9, 1.1, 1.15, 1.05, 0.95, 0.85, 1.0])[t % 7]
    level = {
        "shift": 150 * np.where(t < n // 2, 1.0, 2.5),
        "decline": 400 * np.exp(-2.2 * t / n),
        "growth": 40 * np.exp(2.2 * t / n),
        "walk": 200 * np.exp(np.cumsum(rng.normal(0, 0.02, n))),
    }[kind]
    noise = np.zeros(n)
    shocks = rng.normal(0, 0.3, n)
    for i in range(1, n):
        noise[i] = 0.5 * noise[i - 1] + shocks[i]
    likes = level * weekly * np.exp(noise)
    spikes = rng.random(n) < 0.015
    likes[spikes] *= rng.uniform(4, 20, spikes.sum())
    return np.rint(likes)
