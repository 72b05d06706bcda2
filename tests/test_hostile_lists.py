"""What list pages and list APIs send that their readers did not expect. Timestamps become days
in China (TRS, UCAP, gkmlpt) and garbage in their place is no date; a list that breaks its
reader is an unread list (SCAN-01 at its URL), never an exception that loses the crawl."""

from __future__ import annotations

import json

import pytest

from auditor.parse.page import read_page
from auditor.spiders.adapters import read_list
from auditor.timefmt import day_of_timestamp


@pytest.mark.parametrize("value, day", [
    (1741582560, "2025-03-10"),          # seconds
    ("1741582560", "2025-03-10"),
    (1741582560000, "2025-03-10"),       # milliseconds
    (1735660800, "2025-01-01"),          # 2024-12-31T16:00Z is already 1 January in China
])
def test_timestamps_are_days_in_china(value, day):
    assert day_of_timestamp(value) == day


@pytest.mark.parametrize("value", [
    "99999999999999999999", 10**30, -5, 0, float("nan"), float("inf"), "abc", None, True, [1],
])
def test_absurd_timestamps_are_no_date(value):
    assert day_of_timestamp(value) is None


def test_gkmlpt_answer_with_absurd_timestamps_is_read_without_dates():
    answer = {"articles": [
        {"id": 1, "title": "关于印发某某办法的通知", "url": "http://www.a.gov.cn/gkmlpt/content/1/1/post_1.html",
         "date": "99999999999999999999", "display_publish_time": 10**30},
        {"id": 2, "title": "某某公告", "url": "http://www.a.gov.cn/gkmlpt/content/1/2/post_2.html",
         "date": 1741582560, "display_publish_time": 1741582560}],
        "classify": {"post_count": 2}, "total": 2}
    page = read_page(json.dumps(answer, ensure_ascii=False).encode(),
                     "http://www.a.gov.cn/gkmlpt/api/all/123?page=1&sid=456")
    reading = read_list(page)
    dates = {item.url.rsplit("/", 1)[-1]: item.list_date for item in reading.items}
    assert dates == {"post_1.html": None, "post_2.html": "2025-03-10"}


def test_a_list_that_breaks_its_reader_is_unread_not_lost(monkeypatch):
    from auditor.spiders.adapters import gkmlpt

    def broken(self, page, cue):
        raise KeyError("articles")  # what an answer of a shape nobody wrote a reader for does

    monkeypatch.setattr(gkmlpt.GkmlptAdapter, "read", broken)
    page = read_page(b'{"articles": "not a list"}',
                     "http://www.a.gov.cn/gkmlpt/api/all/123?page=1&sid=456")
    reading = read_list(page)
    assert reading.state == "unread" and reading.adapter == "gkmlpt"
    assert "列表无法解析" in reading.unfollowed and "KeyError" in reading.unfollowed
