"""Find the six mandatory parts (一…六) of a report, tolerating variant headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Numeral, a separator, a short run without digits or sentence punctuation, then the keyword:
# "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "五、存在问题及改进情况", "四、…行政法复议".
_GAP = r"[^\n、。，,;；:：\d|]{0,%d}?"
SECTION_PATTERNS: dict[str, re.Pattern[str]] = {
    sid: re.compile(rf"{numeral}\s*[、.]\s*{_GAP % gap}(?:{keywords})")
    for sid, numeral, gap, keywords in (
        ("1", "一", 10, "总体情况|概述|基本情况|总体"),
        ("2", "二", 12, "主动公开"),
        ("3", "三", 12, "收到和处理|依申请"),
        ("4", "四", 22, "复议|诉讼"),
        ("5", "五", 22, "问题|改进"),
        ("6", "六", 12, "其他|其它"),
    )
}


# A heading printed without its separator ("。一总体情况2020年，…"): accepted only with the
# format's own title right after the numeral, at a line or sentence start or right after the
# numbers of the table before it (crawler text: "…行政事业性收费8286三收到和处理…", "…00元三…").
_BARE = {"1": ("一", "总体情况|基本情况"), "2": ("二", "主动公开政府信息"),
         "3": ("三", "收到和处理政府信息公开申请"), "4": ("四", "政府信息公开行政复议|因政府信息公开"),
         "5": ("五", "存在的主要问题|政府信息公开工作存在"), "6": ("六", "其他需要报告")}
for _sid, (_numeral, _title) in _BARE.items():
    SECTION_PATTERNS[_sid] = re.compile(
        rf"{SECTION_PATTERNS[_sid].pattern}|(?:^|(?<=[\s。；;\d元])){_numeral}(?:{_title})", re.M)


@dataclass(frozen=True, slots=True)
class Heading:
    sid: str
    start: int
    end: int
    text: str


def find_headings(text: str) -> dict[str, Heading]:
    """Headings in order: each is searched after the previous one that was found."""
    found: dict[str, Heading] = {}
    pos = 0
    for sid, pattern in SECTION_PATTERNS.items():
        m = pattern.search(text, pos)
        if m is None:
            continue
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        heading = text[m.start():min(line_end, m.end() + 20)].strip()
        found[sid] = Heading(sid, m.start(), m.end(), heading)
        pos = m.end()
    return found


def section_spans(text: str, headings: dict[str, Heading]) -> dict[str, tuple[int, int]]:
    """Each found section's text span: from its heading to the next found heading."""
    ordered = sorted(headings.values(), key=lambda h: h.start)
    spans = {}
    for i, h in enumerate(ordered):
        end = ordered[i + 1].start if i + 1 < len(ordered) else len(text)
        spans[h.sid] = (h.start, end)
    return spans
