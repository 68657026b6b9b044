"""How the pages write values for people: posting times, rates and the Styler of a video list."""

from datetime import datetime

import pandas as pd

from ui.format import NO_VALUE, handle, posted_text
from ui.tables import video_styler


def test_a_posting_time_shows_its_hour_only_when_the_export_gave_one():
    posted = datetime(2026, 6, 7, 15, 5)
    assert posted_text(posted, time_known=True) == "Sun 7 Jun 2026, 15:05"
    assert posted_text(posted.replace(hour=0, minute=0), time_known=False) == "Sun 7 Jun 2026"
    assert posted_text(pd.NaT, time_known=True) == NO_VALUE


def test_a_video_list_formats_each_row_by_what_its_export_knew():
    videos = pd.DataFrame(
        {
            "posted_at": pd.to_datetime(["2026-06-13 00:00", "2026-06-14 15:30", None]),
            "posted_time_known": [False, True, True],
            "like_rate": [0.0456, None, 0.07],
        }
    )
    shown = video_styler(videos).to_string(delimiter="|").splitlines()
    assert shown[1:] == [
        "0|Sat 13 Jun 2026|False|4.56%",
        "1|Sun 14 Jun 2026, 15:30|True|n/a",
        "2|n/a|True|7.00%",
    ]


def test_a_handle_gets_its_at_sign_but_the_placeholder_account_does_not():
    assert handle("brand.name") == "@brand.name"
    assert handle("my account") == "my account"  # files that named no handle: not a handle
