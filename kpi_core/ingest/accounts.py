"""Whose data a sheet is, and when it was exported: handles typed and found in links, the
placeholder account for the user's own files that name none, the export date (hence the year
of yearless dates), and the account's time zone for scraped posting times.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pandas as pd

from kpi_core.ingest import dates
from kpi_core.ingest.formats import ARCHIVE_POSTS
from kpi_core.ingest.loading import CONTENT_EXPORT_TIME, LoadedSheet, column_index, header_index
from kpi_core.store import Store

DEFAULT_ACCOUNT = "my account"


def unnamed_note(rows: int | None = None, of: int | None = None) -> str:
    """The note on rows filed under DEFAULT_ACCOUNT: the whole file's (no `rows`), which moves to
    the user's handle once it is known (`_take_over_placeholder`), or `rows` of `of` that named no
    handle in a file whose other rows did (the file is filed under those: its rows stay)."""
    if rows is None or rows == of:
        return (
            f"No account handle in this file or upload: filed under “{DEFAULT_ACCOUNT}”. It moves to your "
            "handle once you give it (upload options, or --account) or upload a Studio Content export, "
            "whose video links name it"
        )
    return (
        f"No account handle in {rows:,} of its {of:,} rows: filed under “{DEFAULT_ACCOUNT}”, apart from the "
        "handles the other rows name (a handle given with the upload, or --account, files such rows under it)"
    )


# How far past another file's export date a Studio file without a date of its own may run (a tab
# downloaded later, a newer Followers export): its yearless days are read up to this much later.
# A file whose last day falls further on reads as the year before's (an older export), as before:
# a quarter keeps both readings for the gaps each is likely at.
BORROWED_REACH = timedelta(days=92)
_HANDLE = re.compile(r"[A-Za-z0-9._]{2,24}")


def check_handle(text: str) -> str:
    """A TikTok handle as a person types it ("@brand.name", " brand.name") -> "brand.name".

    For handles typed as options (the upload page, --account); handles inside files are data and
    are stored as they are. Raises ValueError with a sentence for anything TikTok would not allow.
    """
    handle = text.strip().removeprefix("@")
    if not _HANDLE.fullmatch(handle) or handle.endswith("."):
        shown = text.strip()[:40]
        raise ValueError(
            f"'{shown}' is not a TikTok handle: use 2 to 24 letters, digits, '_' or '.' "
            "(not ending in '.'), as in @brand.name"
        )
    return handle


def link_handle(value: str | None) -> str | None:
    """The handle in a video link ("https://www.tiktok.com/@brand/video/1" -> "brand"), or None."""
    if not value or "@" not in value:
        return None
    handle = value.split("@", 1)[1].split("/", 1)[0].split("?", 1)[0]
    return handle or None


def _handle_from_links(item: LoadedSheet) -> str | None:
    for column in item.fmt.columns:
        if column.target in ("url", "video_id") and column.parser in ("text", "video_link"):
            index = column_index(item.sheet, column)
            if index is None:
                continue
            for value in item.reader.first_values(f"c{index}"):
                handle = link_handle(value)
                if handle:
                    return handle
    return None


def _content_export_date(item: LoadedSheet, reference: date) -> date | None:
    """Studio Content repeats its export date ("Time", yearless) on every row. Its year is the
    first that is not before the newest video's posting day, which TikTok writes into the video
    id: a Content export from last year read this year keeps last year, and so do the Overview,
    Viewers and Followers files uploaded with it (they take this export date)."""
    if item.fmt.kind != "studio_content":
        return None
    index = header_index(item.sheet.header, CONTENT_EXPORT_TIME)
    if index is None:
        return None
    text = next((v for v in item.reader.first_values(f"c{index}", n=5) if v and v.strip()), None)
    if text is None:
        return None
    try:
        exported = dates.read_date(text, reference)
    except dates.DateProblem:
        return None
    newest = _newest_video_day(item)
    while newest is not None:
        try:
            earlier = exported.replace(year=exported.year - 1)
        except ValueError:  # February 29
            break
        if earlier < newest - timedelta(days=1):  # a day of time-zone slack
            break
        exported = earlier
    return exported


def _newest_video_day(item: LoadedSheet) -> date | None:
    """The newest posting day among the video ids of a Content export's links (None without)."""
    links_column = next((c for c in item.fmt.columns if c.target == "video_id"), None)
    index = column_index(item.sheet, links_column) if links_column else None
    if index is None:
        return None
    links = pd.Series(item.reader.first_values(f"c{index}", n=item.reader.row_count()), dtype="string")
    days = dates.video_id_days(links.str.extract(r"/video/(\d+)", expand=False))
    return None if days.isna().all() else days.max().date()


def _names_handles(item: LoadedSheet) -> bool:
    """Whether the sheet has a column of account handles (a scrape's author), row by row."""
    return any(c.target == "account" and column_index(item.sheet, c) is not None for c in item.fmt.columns)


def resolve_accounts_and_dates(
    store: Store, pending: list[LoadedSheet], account: str | None, export_date: date | None, today: date
) -> None:
    """Give each sheet an account and an export date, from the strongest clue available."""
    for item in pending:
        hinted = item.sheet.hints.get("account")
        item.account = account or (hinted if isinstance(hinted, str) else None) or _handle_from_links(item)
        hinted_date = item.sheet.hints.get("export_date")
        if export_date:
            item.export_date, item.basis = export_date, f"export date given ({export_date.isoformat()})"
        elif isinstance(hinted_date, date):
            item.export_date, item.basis = (
                hinted_date,
                f"export time in the ZIP name ({hinted_date.isoformat()})",
            )
        else:
            own = _content_export_date(item, today)
            if own:
                item.export_date, item.basis = (
                    own,
                    f"export date in the file's Time column ({own.isoformat()})",
                )
    _archive_export_date(pending)
    own_accounts = Counter(i.account for i in pending if i.account and i.fmt.own)
    if own_accounts and store.has_files_of(DEFAULT_ACCOUNT):
        _take_over_placeholder(store, pending, own_accounts.most_common(1)[0][0])
    # For files that name no account. Studio exports (and the data archive) are always the user's
    # own account: never file them under one known only from scrapers (`own_account`, not
    # `primary_account`).
    fallback_account = DEFAULT_ACCOUNT
    if own_accounts:
        fallback_account = own_accounts.most_common(1)[0][0]
    elif any(i.account is None for i in pending):
        fallback_account = store.own_account() or DEFAULT_ACCOUNT
    known_dates = [i.export_date for i in pending if i.export_date and i.fmt.kind != ARCHIVE_POSTS.kind]
    batch_date = max(known_dates) if known_dates else None
    for item in pending:
        # A file whose rows may name their handles (a scrape) gets the note only for rows that do
        # not (rows.describe); one without any gets it here.
        if item.account is None and fallback_account == DEFAULT_ACCOUNT and not _names_handles(item):
            item.result.notes.append(unnamed_note())
        item.account = item.account or fallback_account
        if item.export_date is None:
            # Another file's export date only helps files whose dates lack a year (Studio's).
            if batch_date and item.fmt.kind.startswith("studio_"):
                item.export_date, item.basis = (
                    batch_date,
                    f"export date of another file in this upload ({batch_date.isoformat()})",
                )
                # A tab downloaded later may run past it: up to a quarter, never past today, and
                # always to the day after it (a clock behind the export keeps the usual reading).
                item.runs_until = max(
                    batch_date + timedelta(days=1),
                    min(batch_date + BORROWED_REACH, today + timedelta(days=1)),
                )
            else:
                item.export_date = today
                item.basis = (
                    f"assumed exported today ({today.isoformat()}); give the export date "
                    "if the file is older, or the years may be wrong"
                )


def dated_members_first(pending: list[LoadedSheet]) -> list[LoadedSheet]:
    """`pending` with each ZIP's sheets that list days before its sheets that do not, the order
    otherwise kept (files uploaded on their own stay where they are): a Followers ZIP's history may
    be dated by its last day (`expressions`), and its gender and territories, which list no day,
    then take that date (`share_export_date`)."""
    groups = [_container(item) or f"#{position}" for position, item in enumerate(pending)]
    first_seen: dict[str, int] = {}
    for position, group in enumerate(groups):
        first_seen.setdefault(group, position)
    order = sorted(range(len(pending)), key=lambda p: (first_seen[groups[p]], not _lists_days(pending[p])))
    return [pending[p] for p in order]


def share_export_date(done: LoadedSheet, pending: list[LoadedSheet]) -> None:
    """When `done` borrowed another file's export date and its days ran past it, it was exported on
    its last day or later (`expressions`). The sheets of its ZIP that list no day were exported
    with it: they take that date too, not the other file's (a Followers ZIP's gender split was
    stored as seen on the Overview's day, so an older split dated between the two read as the newer).
    Not when the ZIP holds another sheet of `done`'s kind (two exports zipped together): which
    split goes with which history is then unknown, and each keeps the date it has."""
    container = _container(done)
    if done.runs_until is None or done.export_date is None or not container:
        return
    members = [item for item in pending if _container(item) == container and item is not done]
    if any(item.fmt.kind == done.fmt.kind for item in members):
        return
    for item in members:
        if (
            item.runs_until is not None
            and item.account == done.account
            and not _lists_days(item)
            and item.export_date is not None
            and item.export_date < done.export_date
        ):
            item.basis = (
                f"the last day of {done.sheet.name.rsplit('/', 1)[-1]} in the same ZIP "
                f"({done.export_date.isoformat()}), after the export date of another file in this upload "
                f"({item.export_date.isoformat()})"
            )
            item.export_date = done.export_date


def _container(item: LoadedSheet) -> str:
    """The ZIP a sheet came from ("" for a file uploaded on its own). Its members are named
    "zip/member" whatever folder they sit in (readers.archives), so two exports zipped together
    are one container."""
    return item.sheet.name.rpartition("/")[0]


def _lists_days(item: LoadedSheet) -> bool:
    return any(
        c.parser in ("day", "datetime") and column_index(item.sheet, c) is not None for c in item.fmt.columns
    )


def _archive_export_date(pending: list[LoadedSheet]) -> None:
    """The data archive carries no export date: it is at least as recent as its newest post. The
    archive files of one upload (the parts of a split archive, and older archives uploaded with
    them) are all taken as of the newest post among them, so that the same video in two of them
    keeps its larger, later count (the store's rule for ties) whatever the order of the parts."""
    archives = [i for i in pending if i.fmt.kind == ARCHIVE_POSTS.kind and i.export_date is None]
    newest = []
    for item in archives:
        column = next(c for c in item.fmt.columns if c.target == "posted_at")
        index = column_index(item.sheet, column)
        written = item.reader.newest_time(f"c{index}") if index is not None else None
        if written:
            newest.append(date.fromisoformat(written[:10]))
    if not newest:
        return
    for item in archives:
        item.export_date = max(newest)
        item.basis = (
            f"the newest post in this upload's archive files ({max(newest).isoformat()}): "
            "the archive carries no export date"
        )


def _take_over_placeholder(store: Store, pending: list[LoadedSheet], handle: str) -> None:
    """Move the rows filed under DEFAULT_ACCOUNT (own exports that named no handle) to `handle`,
    the account this upload's Studio files name, and say so on the first of them."""
    moved = store.rename_account(DEFAULT_ACCOUNT, handle)
    zone = store.time_zone(handle)
    if zone is not None:  # scraped rows that came with the placeholder move to the account's zone
        store.set_time_zone(handle, zone)
    first = next(i for i in pending if i.account == handle and i.fmt.own)
    first.result.took_over = DEFAULT_ACCOUNT
    first.result.notes.append(
        f"{moved:,} row(s) read earlier without a handle (filed under “{DEFAULT_ACCOUNT}”) "
        f"now belong to @{handle}, the account this file names"
    )


def local_posting_times(store: Store, stored: list[LoadedSheet], time_zone: str | None) -> None:
    """Show the scraped posting times of this upload's accounts in their zone: the one picked for
    this upload, else the one set for the account before. Moves their earlier rows too."""
    zones: dict[str | None, str | None] = {
        item.account: time_zone if time_zone not in (None, "UTC") else store.time_zone(item.account)
        for item in stored
        if item.account
    }
    for account, zone in zones.items():
        if account is not None and zone is not None:
            store.set_time_zone(account, zone)
    for item in stored:
        zone = zones.get(item.account)
        if zone in (None, "UTC"):
            item.result.notes.append(
                "Posting times are in UTC, as scrapers give them: pick the account's time zone "
                "on the Content page (or upload options, --time-zone) for local posting hours"
            )
        else:
            item.result.notes.append(f"Posting times moved from UTC to {zone}")
