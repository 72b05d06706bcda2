"""Numbers the narrative states, with the sentence that states them.

Pure text functions shared by the parser (to settle ambiguous table 二 cells) and the
text-vs-table rules (TXT-*). Sentences are read with line breaks and spaces removed, so PDF
text wrapped mid-sentence ("答\\n复 3050 件") reads as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_NUMBER = re.compile(r"[〇零一二两三四五六七八九十百千万]+")


def cn_to_int(text: str) -> int | None:
    """"十二" -> 12, "一百零五" -> 105, "二〇二四" -> 2024; ``None`` if not a numeral."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section, digit = 0, 0
            else:
                section += (digit or 1) * unit
                digit = 0
    return total + section + digit


def flatten(text: str) -> str:
    """Remove line breaks and spaces; write Chinese numerals before 件 as digits."""
    flat = re.sub(r"\s+", "", text)
    return _CN_NUMBER.sub(
        lambda m: str(cn_to_int(m.group(0))) if _is_count(flat, m) else m.group(0), flat
    )


def _is_count(text: str, m: re.Match[str]) -> bool:
    after = text[m.end():m.end() + 1]
    return after in ("件", "个", "条", "部", "宗") and cn_to_int(m.group(0)) is not None


@dataclass(frozen=True, slots=True)
class Mention:
    """A number the narrative states, its sentence, and the clause's words before the verb
    that states it (its subject: "区政府办代表区政府" in "…，区政府办代表区政府受理…申请17件")."""

    value: int
    sentence: str
    subject: str = ""
    #: The number is not stated but follows from the sentence (“受理申请4件，均已答复”: 4 answered).
    implied: bool = False


def sentences(text: str) -> list[str]:
    return list(_sentences(text))


@lru_cache(maxsize=16)
def _sentences(text: str) -> tuple[str, ...]:
    """The flattened text's sentences (cached: every mention pattern reads the same text)."""
    return tuple(s for s in _SENTENCE_END.split(flatten(text)) if s)


_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")


def mentions(text: str, pattern: re.Pattern[str], must_contain: str = "", *,
             implied: bool = False) -> list[Mention]:
    """Every number the pattern captures, with its sentence; ``must_contain`` filters sentences;
    ``implied`` marks numbers the sentence implies rather than states."""
    out = []
    for sentence in _sentences(text):
        if must_contain and not re.search(must_contain, sentence):
            continue
        for m in pattern.finditer(sentence):
            value = next((g for g in m.groups() if g is not None), None)
            if value is not None:
                subject = re.split(r"[，,：:、]", sentence[:m.start()])[-1]
                out.append(Mention(int(value), sentence[:160], subject, implied))
    return out


_TIME_WORDS = re.compile(r"(?:19|20)\d{2}年度?|\d{1,2}月(?:\d{1,2}日)?|本年度|本年|全年|今年|年内|当年|"
                         r"截至|截止|期间|以来|其间|年度|共计|共|累计|合计|总计|依法|各类|依申请|其中")
_WHOLE_BODY = re.compile(r"^(?:(?:我|本|全)(?:局|委|办|厅|区|市|县|镇|乡|街道|州|省|旗|单位|机关|部门|"
                         r"中心|署|公司|院|会|政府|系统)|各级|本机关|本部门)")
_ORGAN_WORD = re.compile(r"(?:政府|办公室|办公厅|政府办|局|委|厅|中心|部门|单位|公司|街道|乡|镇|所|队|站|"
                         r"院|办|处|科)")


def partial_subject(subject: str, issuer: str | None = None) -> bool:
    """Whether the clause names only part of the reporting body ("区政府办代表区政府",
    "其中区教育局", "各乡镇") rather than the body itself ("我局", "全区", "本机关", none at all;
    "其中" alone introduces a breakdown of the body's own total). A number stated for part of
    the body need not equal the body's table."""
    text = _TIME_WORDS.sub("", re.sub(r"\s+", "", subject)).strip("，,、；;。（）()")
    if not text:
        return False
    if "代表" in text or "下属" in text or "所属" in text:
        return True
    if _WHOLE_BODY.match(text):
        return False
    if issuer and (text in issuer or issuer in text):
        return False
    return bool(_ORGAN_WORD.search(text))


_GAP = r"[^。；;，,\d]"

# Applications are counted in 件, and by some bodies in 条 or 宗 (“受理…申请4条”).
_APPLICATION_UNIT = r"(?:件|条|宗)"

# Table 三 totals as narratives state them.
APPLICATIONS = {
    "received": re.compile(
        rf"(?:收到|受理|接收|新收)(?:了)?{_GAP}{{0,30}}?申请(?:共计|共|合计|总计|数量为?)?(\d+)"
        rf"{_APPLICATION_UNIT}"
        rf"|(?:收到|受理|接收|新收){_GAP}{{0,6}}?(\d+){_APPLICATION_UNIT}{_GAP}{{0,12}}?申请"
    ),
    "carried_in": re.compile(rf"上一?年度?结转{_GAP}{{0,10}}?(\d+)件"),
    "concluded": re.compile(
        rf"(?:办结|答复|作出答复|办理完毕)(?:了)?{_GAP}{{0,12}}?(\d+)件|(?:共|累计)办理(\d+)件"
    ),
    "carried_out": re.compile(
        rf"(\d+)件{_GAP}{{0,8}}?(?:结转下|结转至|顺延到下|顺延至下|转入下|结转到下)"
        rf"|(?:结转下一?年度?|结转至\d{{4}}年度?|顺延到下一?年度?|结转到下一?年度?|转入下一?年度?)"
        rf"(?:继续办理)?{_GAP}{{0,6}}?(\d+)件"
    ),
}

#: “受理申请N件，均已按期答复”: a received count followed by the claim that all were answered,
#: which implies N answered (办结). Not “均已受理” or “均在法定期限内” alone.
RECEIVED_ALL_ANSWERED = re.compile(
    rf"(?:{APPLICATIONS['received'].pattern})[,，]?(?:并|且)?(?:均|全部|都)"
    r"(?:已|已经|按期|按时|依法|及时|予以|在法定(?:期限|时限)内|办理)*"
    r"(?:答复|办结|办理完毕|处理完毕)")

# Table 三 result groups (TXT-04); "combined" is 予以公开及部分公开.
RESULTS = {
    "combined": re.compile(r"予以公开(?:及|和|与|、)部分公开(?:的)?(?:共|合计)?(\d+)件"),
    "open": re.compile(r"(?<!及)(?<!和)予以公开(?:的)?(?:共)?(\d+)件"),
    "partial": re.compile(r"(?<!予以公开及)(?<!予以公开和)(?<!予以公开与)(?<!予以公开、)"
                          r"部分公开(?:的)?(?:共)?(\d+)件"),
    "withheld": re.compile(r"不予公开(?:的)?(?:共)?(\d+)件"),
    "unavailable": re.compile(r"无法提供(?:的)?(?:共)?(\d+)件"),
    "not_processed": re.compile(r"不予处理(?:的)?(?:共)?(\d+)件"),
    "other": re.compile(r"其他处理(?:的)?(?:共)?(\d+)件"),
}

_T2_VERBS_2021 = {
    "issued": r"(?:制发|印发|出台|制定|新制定|发布)",
    "repealed": r"(?:废止|宣布失效)",
    "in_force": r"(?:现行有效)",
}
_T2_VERBS_2019 = {
    "made": r"(?:新制作|制作|制发|印发)",
    "published": r"(?:新公开)",
    "total": r"(?:对外公开总|累计公开)",
}
_T2_SUBJECTS = {"rules": r"规章", "normative": r"规范性文件"}
_T2_GAP = r"(?:(?!现行有效|废止|失效|制发|印发)[^。；;，,\d])"


def table2_mentions(text: str, fmt: str | None) -> dict[str, list[Mention]]:
    """Counts of 规章/规范性文件 the narrative states, by table 二 key."""
    verbs = _T2_VERBS_2019 if fmt == "2019" else _T2_VERBS_2021
    out: dict[str, list[Mention]] = {}
    for row, subject in _T2_SUBJECTS.items():
        if not any(subject in sentence for sentence in _sentences(text)):
            continue
        for col, verb in verbs.items():
            pattern = re.compile(rf"{verb}(?:了|的)?{_T2_GAP}{{0,10}}?{subject}(\d+)(?:件|部|个)")
            found = mentions(text, pattern)
            if found:
                out[f"{row}.{col}"] = found
    return out


@dataclass(frozen=True, slots=True)
class Share:
    """“不予公开35件，占4.35%”: a count the narrative states with the percentage it is said to
    be of something; ``printed`` is the percentage as printed (its decimals are its precision),
    ``label`` the clause's words before the count, ``earlier`` the counts the same sentence
    states before it (a percentage may be of one of them: “办结81件，其中…42件，占51.85%”)."""

    count: int
    printed: str
    label: str
    sentence: str
    earlier: tuple[int, ...] = ()

    @property
    def percent(self) -> float:
        return float(self.printed)

    @property
    def decimals(self) -> int:
        return len(self.printed.partition(".")[2])


# “N件，占X%”, “N件，占比X%”, “N件，约占总数的X%”: a share of a total the sentence does not
# name, or names only as the whole (总数/总量/全部申请). “占不予公开的X%” names a part: not read.
_SHARE = re.compile(
    r"(\d+)件[,，、]?(?:约)?占(?:比|比例)?(?:为|达|约)?"
    r"(?:(?:全部|所有|全年)?(?:申请|办结|受理|办理|答复)?(?:总数|总量|总件数|件数|数量)的)?约?"
    r"(\d+(?:\.\d+)?)%")


def shares(text: str) -> list[Share]:
    """Every “N件，占X%” of the text, in order."""
    out = []
    for sentence in _sentences(text):
        for m in _SHARE.finditer(sentence):
            label = re.split(r"[，,：:、(（]", sentence[:m.start()])[-1]
            earlier = tuple(int(n) for n in re.findall(r"(\d+)件", sentence[:m.start()]))
            out.append(Share(int(m.group(1)), m.group(2), label, sentence[:160], earlier))
    return out
