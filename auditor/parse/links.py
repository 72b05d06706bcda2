"""What a link on a government site is, by its text and URL: a 政府信息公开 column, an annual
report column, a document in a list, an attachment — or something the crawl leaves alone."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: Link texts of the 政府信息公开 area and its columns (design.md §2; 国办公开办函〔2019〕61号).
#: Link texts of the 政府信息公开 area and its columns (design.md §2; 国办公开办函〔2019〕61号),
#: and of the columns the inspection indicators judge for freshness (动态、要闻、通知公告、政策文件,
#: 人事、规划计划、财政信息: domain.md §3.4).
COLUMN_WORDS = re.compile(
    r"政府信息公开|信息公开|政务公开|法定主动公开|主动公开|政策文件|通知公告|公告公示|公示公告|年度报告|"
    r"年报|公开指南|公开制度|公开目录|规范性文件|政策解读|部门文件|政府文件|管委会文件|政府令|"
    r"工作动态|政务动态|部门动态|乡镇动态|要闻|新闻中心|新闻动态|人事信息|人事任免|规划计划|发展规划|"
    r"财政信息|财政预决算|预决算|统计信息|统计数据|机构职能|领导信息|重点领域|建议提案|依申请公开"
)
REPORT_COLUMN_WORDS = re.compile(r"年度报告|年报")
REPORT_TITLE = re.compile(r"(?:政府信息公开|政务公开|信息公开)[^，。]{0,8}?年度?报告|年度报告")
#: Titles about reports that are not a report: a notice asking for them, a review of them.
NOT_A_REPORT = re.compile(r"^关于|通知$|的函$|公告$|点评|评估结果|情况通报|编制工作")
AREA_URL = re.compile(r"/(?:zwgk|xxgk|zfxxgk|gkml|xxgkml|zfxxgkml|gk|openness|col/col\d+)(?:/|$)",
                      re.I)
DOCUMENT_URL = re.compile(
    r"/t\d{8}_\d+\.s?html?$|/art/\d{4}/\d{1,2}/\d{1,2}/|content_\d+|/post_\d+\.s?html?$|"
    r"/\d{6}/[\w-]+\.s?html?$|/\d{4}-\d{2}/\d{2}/|[?&](?:id|docid|articleId|infoid)=",
    re.I,
)
ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|txt|csv)$", re.I)
DATE_NEAR = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")


def is_attachment(url: str) -> bool:
    return bool(ATTACHMENT_EXT.search(urlsplit(url).path))


_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")


def is_column_link(text: str, url: str) -> bool:
    """A column of the disclosure area: a short keyword link, not a dated document."""
    text = re.sub(r"\s+", "", text)
    if not (0 < len(text) <= 20) or _YEAR.search(text) or looks_like_document(url):
        return False
    return bool(COLUMN_WORDS.search(text))


def is_report_column(text: str) -> bool:
    return bool(REPORT_COLUMN_WORDS.search(re.sub(r"\s+", "", text)))


def is_report_title(title: str) -> bool:
    """A 政府信息公开工作年度报告's own title: report words and a year, not a notice about one."""
    text = re.sub(r"\s+", "", title or "")
    return bool(REPORT_TITLE.search(text) and _YEAR_ANY.search(text)
                and not NOT_A_REPORT.search(text.split("_")[0]))


_YEAR_ANY = re.compile(r"(?:19|20)\d{2}")


def looks_like_document(url: str) -> bool:
    return bool(DOCUMENT_URL.search(url))


def date_in(text: str) -> str | None:
    m = DATE_NEAR.search(text or "")
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def allowed(url: str, domains: list[str]) -> bool:
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


def site_of(url: str) -> str:
    """The registrable part of a URL's host: ``dingxi.gov.cn`` for ``zwgk.dingxi.gov.cn``
    (three labels under ``gov.cn``/``org.cn``…), ``example.com`` for ``www.example.com``; an IP
    address or ``localhost`` as it is."""
    host = host_of(url)
    if not host or host.replace(".", "").isdigit() or "." not in host:
        return host
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in ("gov", "org", "com", "net", "edu", "ac") \
        and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])
