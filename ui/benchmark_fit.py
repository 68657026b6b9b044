"""The benchmarks that fit the account: the industry and follower band picked, kept in the session,
the URL and the workspace file.

- `st.session_state["benchmark_fit"]` (FIT_KEY) holds what the visitor chose as a plain dict,
  `{"industry": "fashion", "follower_band": "5k-100k"}` (keys kpi_core.metrics.benchmarks.FIT_KEYS);
  a key that is missing means "from the data". The workspace file saves and restores this dict;
  whatever it holds is validated on reading (a bad value is dropped with a note, never raised).
- On the Benchmarks page the choice is in the URL as `?industry=fashion&follower_band=5k-100k`; a
  link seen for the first time wins over the session, and a value that is not an option is ignored
  with a visible note.
- `current(account)` is the fit goals are judged with (ui/planning.py): the choice, else the data's.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from kpi_core.metrics import benchmarks
from kpi_core.metrics.benchmarks import FIT_KEYS, FOLLOWER_BANDS, BenchmarkFit
from ui import session
from ui.text import escape_md

FIT_KEY = session.FIT_KEY
_URL_SEEN = "benchmark_fit_url"  # the fit parameters of the last link read, so each is read once
_WIDGETS = {"industry": "benchmark_fit_industry", "follower_band": "benchmark_fit_band"}


def _chosen() -> dict[str, str]:
    raw = st.session_state.get(FIT_KEY)
    return {k: str(v) for k, v in raw.items() if k in FIT_KEYS} if isinstance(raw, Mapping) else {}


def current(account: str) -> BenchmarkFit:
    """The fit for `account`: the visitor's choice where there is one, the data's default elsewhere."""
    default, _ = session.memo(benchmarks.default_fit, account)
    fit, _ = benchmarks.read_fit(_chosen(), default)
    return fit


def _read_link(default: BenchmarkFit) -> tuple[str, ...]:
    """Take the fit from the URL the first time a link is seen; the notes on values it ignored."""
    params = {k: st.query_params[k] for k in FIT_KEYS if k in st.query_params}
    seen = tuple(sorted(params.items()))
    if not params or st.session_state.get(_URL_SEEN) == seen:
        return ()
    st.session_state[_URL_SEEN] = seen
    shown, _ = benchmarks.read_fit(_chosen(), default)
    from_link, notes = benchmarks.read_fit(params, shown, source="The link")
    valid = {k: getattr(from_link, k) for k in params if not benchmarks.read_fit({k: params[k]}, shown)[1]}
    st.session_state[FIT_KEY] = {**_chosen(), **valid}
    return notes


def _picked(field: str) -> None:
    st.session_state[FIT_KEY] = {**_chosen(), field: st.session_state[_WIDGETS[field]]}


def picker(account: str) -> BenchmarkFit:
    """Two pickers, industry and follower band, that start from the link, then the visitor's choice,
    then the data; the choice goes back into the URL and the session. Returns the fit shown."""
    default, origin = session.memo(benchmarks.default_fit, account)
    link_notes = _read_link(default)
    fit, saved_notes = benchmarks.read_fit(_chosen(), default, source="The saved choice")
    if saved_notes:  # e.g. a workspace file from an older version: keep only what is valid
        st.session_state[FIT_KEY] = {k: v for k, v in fit.to_dict().items() if k in _chosen()}
    for field, key in _WIDGETS.items():
        st.session_state[key] = getattr(fit, field)
    names = benchmarks.industries()
    industry_column, band_column = st.columns(2)
    industry_column.selectbox(
        "Industry",
        list(names),
        format_func=lambda k: names[k],
        key=_WIDGETS["industry"],
        on_change=_picked,
        args=("industry",),
        help="Industry benchmarks are Rival IQ's medians for brands in that industry. The exports do not "
        "say which industry an account is in.",
    )
    band_column.selectbox(
        "Follower band",
        list(FOLLOWER_BANDS),
        format_func=lambda k: (
            FOLLOWER_BANDS[k].label + (" (from the data)" if k == default.follower_band else "")
        ),
        key=_WIDGETS["follower_band"],
        on_change=_picked,
        args=("follower_band",),
        help="Rows published for a follower range fit when the band lies inside it; 'Any size' fits "
        "only the rows published for accounts of every size.",
    )
    for note in (*link_notes, *saved_notes):
        st.warning(escape_md(note), icon=":material/link_off:")
    st.caption(escape_md(origin))
    st.query_params.update(fit.to_dict())
    st.session_state[_URL_SEEN] = tuple(sorted(fit.to_dict().items()))
    return fit
