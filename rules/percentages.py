"""ARI-09: the percentages the narrative states for application outcomes, recomputed."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from auditor.engine import ReportContext, Rule
from auditor.findings import LegalBasis, Severity, Status
from auditor.narrative import APPLICATIONS, Share, mentions, shares
from auditor.rules.text_vs_table import table_sums

ACCURACY = LegalBasis("工作要求（四）明确责任：发布内容不准确不全面", "国办公开办函〔2021〕30号")

#: The totals a share of applications is taken of, as table 三 gives them.
DENOMINATORS: list[tuple[str, list[str]]] = [
    ("表三（七）总计", ["table3.total.total"]),
    ("表三本年新收总计", ["table3.new_received.total"]),
    ("本年新收+上年结转", ["table3.new_received.total", "table3.carried_in.total"]),
]

# A count of applications by outcome or by applicant (the clause's words before the count).
_APPLICATION_COUNT = re.compile(
    r"予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|同意公开|区分处理|不掌握|不存在|"
    r"非本机关|另行制作|补正|信访|重复申请|出版物|申请|自然人|法人|企业|科研机构|社会公益|"
    r"法律服务|其他组织")
# Shares of something else: cases of table 四, proactively published documents.
_OTHER_COUNT = re.compile(r"复议|诉讼|主动公开|文件|政策|解读|信息\d")


def is_application_share(share: Share) -> bool:
    """Whether the count is one of applications (an outcome, an applicant type)."""
    return bool(_APPLICATION_COUNT.search(share.label)) and not _OTHER_COUNT.search(share.label)


def agrees(count: int, total: float, share: Share) -> str | None:
    """"rounded" when ``count / total`` printed to the share's decimals is the share,
    "truncated" when only cutting off (not rounding) the digits gives it, else ``None``."""
    if total <= 0 or count > total:
        return None
    exact = 100 * count / total
    unit = 10 ** -share.decimals
    if abs(exact - share.percent) <= unit / 2 + 1e-9:
        return "rounded"
    if math.isclose(math.floor(exact / unit + 1e-9) * unit, share.percent, abs_tol=1e-9):
        return "truncated"
    return None


@dataclass
class Reading:
    """How one stated share compares with every total it may be of."""

    share: Share
    rounded: list[tuple[str, float]]
    truncated: list[tuple[str, float]]

    def expected(self, total: float) -> str:
        return f"{100 * self.share.count / total:.{max(self.share.decimals, 1)}f}%"


class NarrativePercentages(Rule):
    """正文所述办理结果、申请人类型的百分比（“不予公开35件，占4.35%”）与件数和总数相符。

    为什么：印在件数旁的占比是读者可以复算的算术；占比错误（或改了件数而未改占比）会使报告失去可信
    度。占比所依据的总数并未印出，因此逐一尝试它可能依据的每个总数：表三“（七）总计”、“本年新收”、
    “本年新收 + 上年结转”，正文自身陈述的总数（收到、办结），以及同一句中该占比之前陈述的件数（“办结
    81件，其中…42件，占51.85%”）。其中任一总数按印出的小数位数四舍五入后得出该占比的，即为相符。只读
    取申请的占比（办理结果或申请人类型词语之后的“N件，占X%”）；增长率（同比、较去年）、公开率以及占
    某一部分的比例（“占不予公开的”）不作比较。

    与任何总数都不相符的占比，只有在报告的其他占比与上述某一总数相符（此时总数已经确定）时才判为违
    规；否则标为“需人工复核”。只有截去尾数才能得出的占比（4.348% 印为 4.34%）标为“需人工复核”：这是
    常见做法，但并非四舍五入。表格总数空白或无法识别、且正文未陈述任何总数的，各占比为“无法评估”。

    依据：国办公开办函〔2021〕30号 工作要求（四）明确责任（发布内容不准确）；domain.md §6 ARI-09
    （±0.1 个百分点复核）。

    违规示例：表三“（七）总计”为480；“予以公开及部分公开150件，占32.5%；不予公开20件，占4.2%”
    （150/480 = 31.3%；20/480 = 4.17% 印证了该总数）——32.5% 有误。

    合规示例：表三“（七）总计”为64；“予以公开27件，占42.19%；无法提供30件，占46.9%”。
    """

    code = "ARI-09"
    name = "arithmetic.narrative_percentages"
    title = "叙述百分比复核"
    severity = Severity.LOW
    legal_basis = ACCURACY

    def check(self, ctx: ReportContext):
        report = ctx.report
        text = "\n".join(report.sections[s].text for s in ("1", "3", "5", "6")
                         if s in report.sections and report.sections[s].found)
        found = [s for s in shares(text) if is_application_share(s)]
        if not found:
            return
        totals: list[tuple[str, float]] = []
        unread = []
        for name, keys in DENOMINATORS:
            sums = table_sums(report, keys)
            if sums.unknown or sums.bound:
                unread.append(name)
            totals += [(name, value) for value in sorted(sums.values)]
        for what, key in (("正文所述收到申请数", "received"), ("正文所述办结数", "concluded")):
            totals += [(what, float(m.value)) for m in mentions(text, APPLICATIONS[key])]
        if not totals:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"正文有{len(found)}处百分比，但{'、'.join(unread)}空白或无法识别，无法复核。",
                table="table3", evidence={"shares": [_show(s) for s in found]},
                discriminator="no-total")
            return
        readings = []
        for share in found:
            candidates = totals + [("同句所述件数", float(n)) for n in share.earlier]
            rounded = [(n, t) for n, t in candidates if agrees(share.count, t, share) == "rounded"]
            truncated = [(n, t) for n, t in candidates
                         if agrees(share.count, t, share) == "truncated"]
            readings.append(Reading(share, rounded, truncated))
        # The table total the report's agreeing shares are of: then the total of a wrong one
        # is known (the one most of them fit).
        votes = Counter((n, t) for r in readings for n, t in dict.fromkeys(r.rounded)
                        if n in dict(DENOMINATORS))
        confirmed = votes.most_common(1)[0][0] if votes else None
        for reading in readings:
            if reading.rounded:
                continue
            yield self._finding(ctx, reading, totals, confirmed, unread)

    def _finding(self, ctx, reading: Reading, totals, confirmed: tuple[str, float] | None,
                 unread: list[str]):
        share = reading.share
        stated = f"{share.label}{share.count}件，占{share.printed}%"
        evidence = {"sentence": share.sentence, "count": share.count,
                    "percent": share.printed, "cells": ["table3.total.total",
                                                         "table3.new_received.total",
                                                         "table3.carried_in.total"]}
        if reading.truncated:
            name, total = reading.truncated[0]
            return self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"正文称“{stated}”：按{name}{_count(total)}件计为{100 * share.count / total:.4f}%，"
                f"四舍五入应为{reading.expected(total)}，所印数字系截尾而非四舍五入，请核实。",
                table="table3", evidence={**evidence, "total": total, "total_name": name},
                discriminator=stated)
        if confirmed:
            name, total = confirmed
            return self.finding(
                ctx, Status.VIOLATION,
                f"正文称“{stated}”，但按{name}{_count(total)}件（正文其他百分比即按此计算）"
                f"应为{reading.expected(total)}。",
                table="table3", evidence={**evidence, "total": total, "total_name": name},
                discriminator=stated)
        if unread:
            return self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"正文称“{stated}”，与已知总数均不相符，但{'、'.join(unread)}空白或无法识别，无法复核。",
                table="table3", evidence={**evidence, "totals": [t for _, t in totals]},
                discriminator=stated)
        tried = "、".join(f"{name}{_count(t)}件" for name, t in totals[:4])
        return self.finding(
            ctx, Status.NEEDS_REVIEW,
            f"正文称“{stated}”，与可能的总数（{tried}）均不相符，请核实该百分比。",
            table="table3", evidence={**evidence, "totals": [t for _, t in totals]},
            discriminator=stated)


def _count(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _show(share: Share) -> str:
    return f"{share.label}{share.count}件，占{share.printed}%"


PERCENTAGE_RULES = [NarrativePercentages]
