"""Two sessions of the app in one server process (as on a host): each uploads its own data, maps
its own sheet and sets its own goal, and neither sees the other's accounts, rows, KPIs, mapping
choices or goals. (tests/e2e/ has the browser version of the account check.)"""

from __future__ import annotations

import pickle
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import unescaped
from ui.session import DEMO_RESULTS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TRACKER = FIXTURES / "mapped" / "my_tracker.csv"


def session() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, files: list[tuple[str, bytes]], account: str, export_date: str) -> None:
    go(at, "pages/data.py")
    at.text_input(key="upload_account").set_value(account)
    at.checkbox(key="upload_has_date").check()
    at.date_input(key="upload_export_date").set_value(export_date)
    at.run()
    at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in files])
    at.run()  # the page reads the files as soon as they are dropped
    assert not at.exception, [e.value for e in at.exception]


def shown(at: AppTest) -> str:
    """Every text the session's page shows, tables included, as read (Markdown escapes undone:
    "@second\\.brand" is @second.brand on screen)."""
    parts = [
        unescaped(e.value)
        for kind in ("markdown", "caption", "text", "info", "subheader", "title")
        for e in getattr(at, kind)
    ]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(s.value) for s in at.selectbox] + [str(m.value) for m in at.metric]
    return "\n".join(parts)


def likes_card(at: AppTest) -> str:
    at.session_state["period"] = "All data"  # the sidebar's period picker
    go(at, "pages/overview.py")
    return next(m.value for m in at.metric if m.label == "Likes")


def test_two_sessions_never_see_each_others_data_mappings_or_goals():
    first, second = session(), session()
    content = (FIXTURES / "studio" / "Content.csv").read_bytes()
    upload(
        first,
        [
            ("Overview.csv", (FIXTURES / "studio" / "Overview.csv").read_bytes()),
            ("Content.csv", content),
            ("my_tracker.csv", TRACKER.read_bytes()),
        ],
        "first.brand",
        "2026-01-06",
    )
    upload(
        second,
        [
            ("Overview_greek.csv", (FIXTURES / "studio" / "Overview_greek.csv").read_bytes()),
            ("Content.csv", content.replace(b"@sample.brand", b"@second.brand")),
            ("my_tracker.csv", TRACKER.read_bytes()),
        ],
        "second.brand",
        "2026-03-02",
    )

    # Mapping choices: the first visitor maps likes onto another column; the second keeps the guess.
    first.selectbox(key="map_my_tracker.csv_likes").set_value("Plays").run()
    second.run()
    assert first.selectbox(key="map_my_tracker.csv_likes").value == "Plays"
    assert second.selectbox(key="map_my_tracker.csv_likes").value == "Hearts"

    # Goals: the first visitor adds one; the second has none.
    go(first, "pages/goals.py")
    first.number_input(key="new_goal_target").set_value(4321.0)
    next(b for b in first.button if b.label == "Add goal").click().run()
    assert [g["target"] for g in first.session_state["goals"]] == [4321.0]
    go(second, "pages/goals.py")
    assert "4,321" not in shown(second)
    assert second.session_state["goals"] == [] if "goals" in second.session_state else True

    # Accounts, rows and KPIs: each store holds its own, and each page shows only its own.
    stores = first.session_state["store"], second.session_state["store"]
    assert stores[0] is not stores[1]
    assert stores[0].accounts() == ["first.brand"]
    assert stores[1].accounts() == ["second.brand"]
    assert set(stores[0].table("files")["name"]) == {"Overview.csv", "Content.csv"}
    assert set(stores[1].table("files")["name"]) == {"Overview_greek.csv", "Content.csv"}
    # All data, provisional days aside: 154 - 24 and 280 - 130 likes (tests/fixtures/README.md).
    assert (likes_card(first), likes_card(second)) == ("130", "150")
    for at, theirs in (
        (first, ("second.brand", "Overview_greek")),
        (second, ("first.brand", "sample.brand", "4,321")),
    ):
        for page in ("pages/overview.py", "pages/data.py", "pages/goals.py"):
            go(at, page)
            assert not any(t in shown(at) for t in theirs), (page, theirs)
    # Nothing computed from either upload went to the shelf the demo's visitors share.
    for shelf in DEMO_RESULTS.values():
        for key, value in shelf.items():
            held = pickle.dumps((key, value))
            assert b"first.brand" not in held and b"second.brand" not in held
