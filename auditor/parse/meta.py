"""Title, issuer, report year and publication date of a report."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

_TITLE = re.compile(
    r"([\u4e00-\u9fff()·]{2,40}?)\s*((?:19|20)\d{2})\s*年\s*度?\s*"
    r"((?:政府信息公开|政务公开|信息公开)[\u4e00-\u9fff]{0,6}?年度报告)"
)
# "2019年上海市人民政府办公厅政府信息公开工作年度报告": the year first, then the issuing organ.
_TITLE_YEAR_FIRST = re.compile(
    r"((?:19|20)\d{2})\s*年\s*度?\s*([\u4e00-\u9fff()·]{1,40}?(?:人民政府|办公厅|办公室|委员会|"
    r"管委会|局|厅|署|委|办|中心|街道办事处|办事处))\s*"
    r"((?:政府信息公开|政务公开|信息公开)[\u4e00-\u9fff]{0,6}?年度报告)"
)
_ORGAN = re.compile(
    r"(人民政府|政府|办公厅|办公室|委员会|管委会|管理委员会|局|厅|署|委|办|院|中心|街道办事处|"
    r"办事处|街道|乡|镇|公司|所|队|站|会)$"
)
_CONTACT = re.compile(r"请与\s*([\u4e00-\u9fff()]{2,40}?)\s*联系")
_COMPILED_BY = re.compile(r"本报告由\s*([\u4e00-\u9fff()]{2,40}?)\s*(?:根据|依据|按照|编制)")
_LABELLED = {
    "title": re.compile(r"^[ \t]*(?:标题|文章标题|ArticleTitle)[ \t]*:[ \t]*(\S.*?)[ \t]*$", re.M),
    "issuer": re.compile(r"^[ \t]*(?:发布机构|发文机关|发布单位)[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*$", re.M),
    "published": re.compile(
        r"(?:发布时间|发布日期|公开日期|发文日期|PubDate|时间)\s*:\s*"
        r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
    ),
}
_PERIOD = re.compile(
    r"统计(?:期限|时限|时间|区间)[^。\n]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
)
_DATE_LINE = re.compile(r"^[(]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)]?$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def find_title(text: str) -> tuple[str | None, str | None, int | None]:
    """(title, the name before the year, year) from the labelled title or the first title line."""
    labelled = _LABELLED["title"].search(text[:3000])
    lines = [ln.strip(" #*\t") for ln in text[:6000].split("\n") if ln.strip()]
    candidates = [labelled.group(1)] if labelled else []
    for i, line in enumerate(lines[:60]):
        candidates.append(line)
        if i + 1 < len(lines) and len(line) <= 30:
            candidates.append(line + lines[i + 1])  # a title broken over two lines
    for n, candidate in enumerate(candidates):
        compact = "".join(candidate.split())
        if "报告" not in compact:
            continue
        m = _TITLE.search(compact)
        if m and len(candidate) <= 120:
            title = m.group(0)
            if n == 0 and labelled and title == compact:
                # the page's own title, as the page prints it ("…管理局 2022年度…")
                title = " ".join(candidate.split())
            return title, m.group(1), int(m.group(2))
        m = _TITLE_YEAR_FIRST.search(compact)
        if m and len(candidate) <= 120:
            return m.group(0), m.group(2), int(m.group(1))
    return None, None, None


_SIGNATURE = re.compile(r"^[\u4e00-\u9fff()]{2,30}(人民政府|办公室|办公厅|委员会|管委会|局|街道办事处|"
                        r"办事处)$")


def _signature(text: str) -> str | None:
    """The issuing body signed at the end of the report (落款), before an optional date line."""
    lines = ["".join(ln.split()).strip("#*") for ln in text.split("\n") if ln.strip()]
    tail = lines[-20:]
    for i in range(len(tail) - 1, -1, -1):
        if not _SIGNATURE.match(tail[i]):
            continue
        # Signed, then dated — or the very last line of the text.
        if i == len(tail) - 1 or _DATE_LINE.match(tail[i + 1]):
            return tail[i]
    return None


def find_issuer(text: str, title_prefix: str | None) -> str | None:
    if title_prefix and _ORGAN.search(title_prefix):
        return title_prefix
    signed = _signature(text)
    if signed:
        return signed
    labelled = _LABELLED["issuer"].search(text[:3000])
    if labelled and labelled.group(1).strip():
        return labelled.group(1).strip()
    for pattern in (_CONTACT, _COMPILED_BY):
        m = pattern.search(text)
        if m and _ORGAN.search(m.group(1)):
            return m.group(1)
    return title_prefix


def find_year(text: str, title_year: int | None, first_section: str) -> int | None:
    if title_year:
        return title_year
    m = _PERIOD.search(text)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in _YEAR.findall(first_section or text[:5000]))
    return years.most_common(1)[0][0] if years else None


def find_published(text: str) -> str | None:
    """The date the page says it was published: a labelled date near the top, or a lone date
    line (the 落款) at the very start or end of the report."""
    m = _LABELLED["published"].search(text[:3000])
    if m:
        return _iso(*m.groups())
    lines = [ln.strip(" #*\t") for ln in text.split("\n") if ln.strip()]
    for line in lines[:8] + lines[-8:]:
        m = _DATE_LINE.match(line)
        if m:
            return _iso(*m.groups())
    return None


_PAGE_FACTS = {
    "url": re.compile(r"(?:原文链接|原文地址|URL|Url)\s*:\s*(https?://\S+)"),
    # An empty field ("来源： 时间：2022-01-07") must not yield the next field's label.
    "source": re.compile(r"(?:来源|信息来源|文章来源)\s*:\s*([\u4e00-\u9fff()]{2,40}+)(?!\s*:)"),
    "publisher": re.compile(r"(?:发布机构|发文机关|发布单位)[ \t]*:[ \t]*([\u4e00-\u9fff()]{2,40}+)"
                            r"(?![ \t]*:)"),
    "pubdate": re.compile(r"(?:发布时间|发布日期|PubDate)\s*:\s*((?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]"
                          r"\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"),
}


def page_facts(text: str) -> dict[str, str]:
    """What the page header says about the page (crawler text and page chrome)."""
    head = text[:3000]
    facts = {}
    for key, pattern in _PAGE_FACTS.items():
        m = pattern.search(head)
        if m:
            facts[key] = m.group(1).strip()
    return facts
