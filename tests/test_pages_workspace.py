"""AppTest: the workspace through the app (save, restore, merge, damage), a scenario that persists
across pages and in the URL, links made for other accounts, and the report that holds the scenario.

Downloads are made as the button makes them: `downloaded` calls the callable the button registered.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from kpi_core import workspace
from kpi_core.workspace.link import read_link

ROOT = Path(__file__).resolve().parents[1]
STUDIO = ROOT / "tests" / "fixtures" / "studio"
ZIP = "application/zip"


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Callable[[], Any]]]:
    """Every deferred download the app registers, by its file id (what a click would run)."""
    made: dict[str, Callable[[], Any]] = {}
    register = MediaFileManager.add_deferred

    def keep(self: MediaFileManager, data_callable: Callable[[], Any], *args: Any, **kwargs: Any) -> str:
        file_id = register(self, data_callable, *args, **kwargs)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    yield made


def downloaded(at: AppTest, made: dict[str, Callable[[], Any]], label: str) -> bytes:
    button = next(b for b in at.get("download_button") if b.proto.label == label)
    data = made[button.proto.deferred_file_id]()
    return data.encode("utf-8") if isinstance(data, str) else data


def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    return at


def visit(at: AppTest, page: str, query: dict[str, str] | None = None) -> AppTest:
    if query is not None:
        at.query_params.clear()
        at.query_params.update(query)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    visit(at, "pages/data.py")
    at.file_uploader[0].set_value(
        [(name, data, ZIP if name.endswith(".zip") else "text/csv") for name, data in files]
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Every text element's source (Markdown as written, escapes included)."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "warning", "error", "success", "text")
        for e in at.get(kind)
    ]
    return "\n".join(str(p) for p in parts)


def read(markdown: str) -> str:
    """Markdown source as it reads on screen: escaped characters without their backslash, and
    escape_md's invisible word joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def shown_scenario(at: AppTest) -> dict[str, object]:
    keys = ("wi_metric", "wi_target", "wi_start", "wi_deadline", "wi_posts_per_week", "wi_like_rate_change")
    return {k: at.session_state[k] for k in keys}


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def query(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


# --- the scenario persists -------------------------------------------------------------------------


def test_leaving_what_if_and_coming_back_keeps_the_goal_and_the_sliders():
    at = visit(app(), "pages/what-if.py")
    at.number_input(key="wi_target").set_value(45_000.0).run()
    at.slider(key="wi_posts_per_week").set_value(5.0).run()
    at.slider(key="wi_like_rate_change").set_value(15.0).run()
    before = shown_scenario(at)
    reach = metric(at, "Target reached on")
    for page in ("pages/overview.py", "pages/goals.py", "pages/data.py"):
        visit(at, page)
        assert query(at)["posts_per_week"] == "5" and query(at)["target"] == "45000"  # the URL on every page
    visit(at, "pages/what-if.py")
    assert shown_scenario(at) == before and metric(at, "Target reached on") == reach


def test_the_url_carries_the_account_and_the_last_day_of_data_never_any_data():
    at = visit(app(), "pages/what-if.py")
    params = query(at)
    assert params["account"] == "lumen.skincare" and date.fromisoformat(params["data_to"])
    state, notes = read_link(params)
    assert notes == () and state is not None and state.complete
    assert set(params) == {*workspace.ScenarioState().to_json(), *state.levers} - {"levers"}


def test_the_benchmark_choice_stays_in_the_url_beside_the_scenario_and_is_no_unknown_key():
    at = visit(app(), "pages/what-if.py")
    visit(at, "pages/benchmarks.py", {**query(at), "industry": "fashion", "follower_band": "1m-5m"})
    assert at.session_state["benchmark_fit"] == {"industry": "fashion", "follower_band": "1m-5m"}
    assert not any("Left out of the link" in i.value for i in at.info)
    visit(at, "pages/overview.py")
    params = query(at)
    assert params["industry"] == "fashion" and params["follower_band"] == "1m-5m" and "target" in params


def test_the_report_holds_the_scenario_straight_after_a_slider_moves(downloads):
    at = visit(app(), "pages/what-if.py")
    at.slider(key="wi_posts_per_week").set_value(6.0).run()
    reach = metric(at, "Target reached on")
    chance = metric(at, "Chance of success")
    for page in ("pages/overview.py", "pages/goals.py", "pages/what-if.py"):
        visit(at, page)
        report = downloaded(at, downloads, "Report (HTML)").decode("utf-8")
        assert "No what-if scenario" not in report
        assert "<th>Posts per week</th><td>6.0 (today 3.0)</td>" in report
        assert f"<td>{reach}</td>" in report and f"<td>{chance} (" in report
        assert report.count("<svg") == 2  # the likes chart and the scenario's chart


# --- links made elsewhere ----------------------------------------------------------------------------

LINK = {
    "metric": "likes",
    "target": "2057",
    "start": "2026-07-01",
    "deadline": "2026-09-30",
    "posts_per_week": "30",
    "like_rate_change": "10",
    "views_change": "0",
    "follower_change": "0",
    "account": "x.brand",
    "data_to": "2026-06-28",
}


def test_a_link_made_for_an_account_not_loaded_says_so_and_shows_its_parameters():
    at = visit(app(), "pages/what-if.py", LINK)
    [warning] = [read(w.value) for w in at.warning if "made for" in w.value]
    assert warning.startswith(
        "This scenario was made for @x.brand with data to 28 Jun 2026. Upload @x.brand's exports or "
        "workspace to see it; below it is applied to the demo account."
    )
    assert "posts per week 30" in warning and "Likes received 2,057" in warning
    # Applied to the demo account within its own bounds; the link itself stays as it was made.
    assert at.slider(key="wi_posts_per_week").value == at.slider(key="wi_posts_per_week").max < 30
    assert query(at)["account"] == "x.brand" and query(at)["posts_per_week"] == "30"


def test_a_scenario_planned_on_the_demo_steps_aside_with_it_and_a_link_s_stays():
    name = "Overview_2026-01-04_1767657600_sample.brand.zip"
    overview = (name, (STUDIO / name).read_bytes())
    at = visit(app(), "pages/what-if.py")  # the demo's own scenario, made by opening the page
    assert at.session_state["scenario"].account == "lumen.skincare"
    upload(at, overview)
    visit(at, "pages/what-if.py")
    assert not any("made for" in w.value for w in at.warning)
    assert at.session_state["scenario"].account == "sample.brand"

    linked = upload(visit(app(), "pages/what-if.py", LINK), overview)
    assert linked.session_state["scenario"].account == "x.brand"  # still waiting for @x.brand's data


def test_moving_a_slider_on_a_foreign_scenario_makes_it_this_account_s():
    at = visit(app(), "pages/what-if.py", LINK)
    at.slider(key="wi_like_rate_change").set_value(20.0).run()
    assert not any("made for" in w.value for w in at.warning)
    assert query(at)["account"] == "lumen.skincare" and query(at)["like_rate_change"] == "20"


def test_a_link_made_for_a_loaded_account_opens_on_it():
    at = visit(app(), "pages/what-if.py", {**LINK, "account": "glow.theory", "posts_per_week": "2"})
    assert at.sidebar.selectbox(key="account").value == "glow.theory"
    assert not any("made for" in w.value for w in at.warning)


def test_a_posting_rate_above_the_slider_is_held_to_it_with_a_note_not_a_crash():
    at = visit(app(), "pages/what-if.py", {**LINK, "account": "lumen.skincare", "data_to": "2026-11-18"})
    high = at.slider(key="wi_posts_per_week").max
    assert at.slider(key="wi_posts_per_week").value == high
    assert (
        f"The link's posts per week 30 is above the most this account's plans take (0 to {high:g} posts per week)"
        in read(texts(at))
    )


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/goals.py", "pages/data.py"])
def test_a_broken_link_on_any_page_gets_notes_and_never_an_error(page):
    at = visit(app(), page, {"posts_per_week": "lots", "<img src=x>": "1", "start": "9999-99-99"})
    shown = texts(at)
    assert "The link's posts per week “lots” is not a number: it is ignored." in read(shown)
    assert "“\\<img src\\=x\\>”" in shown  # a link's text is escaped, never markup
    assert not re.search(r"(?<!\\)<img", shown)


# --- save and restore ----------------------------------------------------------------------------------


def test_a_saved_workspace_restores_kpis_goals_scenario_and_sidebar_in_a_new_session(downloads):
    exports = sorted(
        (ROOT / "data" / "demo").glob("*_lumen.skincare.zip")
    )  # a year of the account's own exports
    at = upload(app(), *[(p.name, p.read_bytes()) for p in exports])
    at.sidebar.selectbox(key="period").set_value("All data").run()
    visit(at, "pages/goals.py")
    next(b for b in at.button if b.label == "Add goal").click().run()
    goals = at.session_state["goals"]
    visit(at, "pages/what-if.py")
    at.slider(key="wi_like_rate_change").set_value(25.0).run()
    scenario, reach = shown_scenario(at), metric(at, "Target reached on")
    at.session_state["benchmark_fit"] = {"industry": "fashion"}
    visit(at, "pages/overview.py")
    kpis = [(m.label, m.value) for m in at.metric]
    saved = downloaded(at, downloads, "Save workspace")
    assert workspace.is_workspace("any.zip", saved)

    fresh = upload(app(), ("workspace_sample.brand.zip", saved))
    assert "Saved workspace" in texts(fresh)
    assert fresh.session_state["goals"] == goals
    assert fresh.session_state["benchmark_fit"] == {"industry": "fashion"}
    assert fresh.sidebar.selectbox(key="period").value == "All data"
    assert "demo account" not in " ".join(i.value for i in fresh.sidebar.info)
    visit(fresh, "pages/overview.py")
    assert [(m.label, m.value) for m in fresh.metric] == kpis
    visit(fresh, "pages/what-if.py")
    assert shown_scenario(fresh) == scenario and metric(fresh, "Target reached on") == reach


def test_exports_uploaded_with_a_workspace_merge_into_it(downloads):
    at = upload(
        app(), ("Overview.zip", (STUDIO / "Overview_2026-01-04_1767657600_sample.brand.zip").read_bytes())
    )
    saved = downloaded(at, downloads, "Save workspace")
    fresh = upload(app(), ("mine.zip", saved), ("Content.csv", (STUDIO / "Content.csv").read_bytes()))
    store = fresh.session_state["store"]
    assert len(store.table("daily", "sample.brand")) > 0 and len(store.table("videos", "sample.brand")) == 4
    shown = texts(fresh)
    assert "✓ mine.zip: Saved workspace" in shown and "✓ Content.csv: TikTok Studio Content" in shown


def test_a_damaged_workspace_gets_one_sentence_and_loads_nothing(downloads):
    at = app()
    visit(at, "pages/data.py")
    saved = downloaded(at, downloads, "Save workspace")
    at = upload(app(), ("workspace_lumen.skincare.zip", saved[: len(saved) // 2]))
    problems = [e.value for e in at.get("text") if "workspace" in e.value]
    assert (
        len(problems) == 1 and "damaged or incomplete" in problems[0] and "nothing was loaded" in problems[0]
    )
    assert "demo account" in " ".join(i.value for i in at.sidebar.info)  # still the demo, untouched


def test_a_mapping_chosen_once_reads_the_next_sheet_with_the_same_headers(downloads):
    tracker = (ROOT / "tests" / "fixtures" / "mapped" / "my_tracker.csv").read_bytes()
    at = upload(app(), ("my_tracker.csv", tracker))
    at.button(key="map_go_my_tracker.csv").click().run()
    assert not at.exception
    saved = downloaded(at, downloads, "Save workspace")
    fresh = upload(app(), ("ws.zip", saved), ("tracker_june.csv", tracker.replace(b"\n", b"\r\n")))
    june = [e.value for e in fresh.get("text") if "tracker_june.csv" in e.value]
    assert june and june[0].startswith("✓ tracker_june.csv")
    assert "Read with the columns you mapped for my_tracker.csv before" in read(texts(fresh))


def test_the_workspace_file_holds_every_member_and_the_session_s_state(downloads):
    at = visit(app(), "pages/what-if.py")
    saved = downloaded(at, downloads, "Save workspace")
    with zipfile.ZipFile(io.BytesIO(saved)) as zf:
        assert zf.namelist()[:3] == ["mimetype", "manifest.json", "state.json"]
    opened = workspace.read_workspace("w.zip", saved)
    assert opened.state.demo and opened.state.scenario is not None
    assert opened.state.scenario.account == "lumen.skincare"
