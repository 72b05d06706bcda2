"""XY: a report against the same body's report for the previous year."""

from __future__ import annotations

import re

from auditor import vocabulary
from auditor.engine import ReportContext, Rule
from auditor.findings import FORMAT_DOCUMENTS, LegalBasis, Severity, Status
from auditor.models import TABLE3_COLUMNS
from auditor.rules.arithmetic import (
    PREVIOUS,
    Identity,
    evaluate,
    not_assessable_reason,
    show_options,
)


def _consecutive(rule: Rule, ctx: ReportContext):
    """A not-assessable finding unless ``previous`` is the year before, else ``None``."""
    report, previous = ctx.report, ctx.previous
    if report.year is None or previous is None or previous.year is None:
        return rule.finding(ctx, Status.NOT_ASSESSABLE, "报告年度或上年报告年度未识别，无法做跨年度核对。",
                            discriminator="years")
    if previous.year != report.year - 1:
        return rule.finding(
            ctx, Status.NOT_ASSESSABLE,
            f"所给上年报告为{previous.year}年度，不是{report.year - 1}年度，无法做跨年度核对。",
            evidence={"year": report.year, "previous_year": previous.year}, discriminator="years")
    return None


class CarryOver(Rule):
    """本年“上年结转”= 上年“结转下年度继续办理”（表三每列）。

    为什么：本年结转进来的申请，按定义就是上年报告结转出去的申请；两者不等，说明两份报告中有一份有
    误。

    依据：国办公开办函〔2021〕30号 年度报告格式（表三“上年结转”“结转下年度继续办理”的定义）。

    违规示例：2024年报表三“上年结转”总计为0，而2023年报“结转下年度继续办理”总计为5。

    合规示例：2024年报“上年结转”34 = 2023年报“结转下年度继续办理”34。
    """

    code = "XY-01"
    name = "cross_year.carry_over"
    title = "上年结转衔接"
    severity = Severity.HIGH
    legal_basis = LegalBasis("表三“上年结转”“结转下年度继续办理”",
                             FORMAT_DOCUMENTS["2021"])
    subject = "report_pair"
    identity = Identity("table3.carried_in.{c} == prev:table3.carried_out.{c}")

    def check(self, ctx):
        problem = _consecutive(self, ctx)
        if problem:
            yield problem
            return
        unknown = []
        for c in TABLE3_COLUMNS:
            result = evaluate(ctx.report, self.identity, ctx.previous, c=c)
            now_key, before_key = f"table3.carried_in.{c}", f"{PREVIOUS}table3.carried_out.{c}"
            if result.holds is None:
                unknown.append(f"{vocabulary.column_label('table3', c)}（{not_assessable_reason(result)}）")
            elif not result.holds:
                now, before = result.values[now_key], result.values[before_key]
                if result.readings > 1:
                    message = (f"{ctx.report.year}年度表三“上年结转”（{vocabulary.column_label('table3', c)}）与"
                               f"{ctx.previous.year}年度报告“结转下年度继续办理”在连写数字的全部"
                               f"{result.readings}种读法下均不相等（{show_options(result)}）。")
                else:
                    message = (f"{ctx.report.year}年度表三“上年结转”（{vocabulary.column_label('table3', c)}）为{now}件，"
                               f"但{ctx.previous.year}年度报告“结转下年度继续办理”为{before}件。")
                yield self.finding(
                    ctx, Status.VIOLATION, message, table="table3", row="carried_in", column=c,
                    evidence={"carried_in": now, "previous_carried_out": before,
                              "previous_source": ctx.previous.source,
                              **_candidates(result)})
        if unknown:
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               f"上年结转/结转下年度有未知或无法确定的单元格（{'；'.join(unknown)}），无法核对。",
                               table="table3", discriminator="unknown", evidence={"columns": unknown})


def _candidates(result) -> dict:
    if result.readings <= 1:
        return {}
    return {"candidates": result.options, "readings": result.readings}


class InForceCarryOver(Rule):
    """现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发(Y) − 本年废止(Y)（规章、行政规范性文件）。

    为什么：现行有效文件的存量只因制发和废止而变化；但也存在其他原因（到期失效、清理、机构改革），因
    此不一致只要求作出说明，并不能证明有误。不跨越2020年至2021年的格式变更进行检查。

    依据：国办公开办函〔2021〕30号 年度报告格式（表二第二十条第（一）项）。

    违规示例：2023年报“现行有效件数”为470，而2022年的698 + 本年制发77 − 本年废止132 = 643。

    合规示例：2024年报“现行有效件数”440 = 2023年的407 + 58 − 25。
    """

    code = "XY-02"
    name = "cross_year.in_force_carry_over"
    title = "现行有效件数衔接"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("表二第二十条第（一）项",
                             FORMAT_DOCUMENTS["2021"])
    subject = "report_pair"
    identity = Identity("table2.{r}.in_force == prev:table2.{r}.in_force + table2.{r}.issued"
                        " - table2.{r}.repealed")

    def check(self, ctx):
        problem = _consecutive(self, ctx)
        if problem:
            yield problem
            return
        if ctx.report.format != "2021" or ctx.previous.format != "2021":
            return
        for row, label in (("rules", "规章"), ("normative", "行政规范性文件")):
            result = evaluate(ctx.report, self.identity, ctx.previous, r=row)
            values = {"in_force": result.values[f"table2.{row}.in_force"],
                      "previous_in_force": result.values[f"{PREVIOUS}table2.{row}.in_force"],
                      "issued": result.values[f"table2.{row}.issued"],
                      "repealed": result.values[f"table2.{row}.repealed"]}
            if result.holds is None:
                yield self.finding(ctx, Status.NOT_ASSESSABLE,
                                   f"{label}现行有效件数衔接无法核对（{not_assessable_reason(result)}）。",
                                   table="table2", row=row,
                                   evidence={**values, **_candidates(result)}, discriminator=row)
                continue
            if result.holds:
                continue
            if result.readings > 1:
                message = (f"{label}现行有效件数与上年现行有效 + 本年制发 − 本年废止在表二连写数字的全部"
                           f"{result.readings}种读法下均不相符（{show_options(result)}），需说明原因"
                           "（如清理、失效）。")
            else:
                expected = values["previous_in_force"] + values["issued"] - values["repealed"]
                message = (f"{label}现行有效件数{values['in_force']}件，与上年{values['previous_in_force']}"
                           f" + 本年制发{values['issued']} − 本年废止{values['repealed']}"
                           f" = {expected}件不符，需说明原因（如清理、失效）。")
            yield self.finding(ctx, Status.NEEDS_REVIEW, message, table="table2", row=row,
                               column="in_force", evidence={**values, **_candidates(result)},
                               discriminator=row)


def _shingles(text: str, n: int = 5) -> set[str]:
    text = re.sub(r"[\s\d]+", "", text)
    return {text[i:i + n] for i in range(max(0, len(text) - n + 1))}


def _length(text: str) -> int:
    return len(re.sub(r"[\s\d]+", "", text))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character 5-grams (digits removed: a changed year is no change)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


class CopiedNarrative(Rule):
    """年报正文（一、五、六部分）不得与上年雷同。

    为什么：2021年格式将“内容雷同、敷衍塞责”列为可被追究责任的问题；中国社会科学院的第三方评估曾发现
    有年报与上年重复率达90%。比较时忽略数字，因此仅改动年份和数字的，仍视为照抄。

    依据：国办公开办函〔2021〕30号 工作要求（四）明确责任；《中华人民共和国政府信息公开条例》第四十
    七条。

    违规示例：2024年报第五部分除年份外，与2023年报第五部分完全相同。

    合规示例：第五部分报告本年度存在的问题，以及上年问题的整改情况。
    """

    code = "XY-04"
    name = "cross_year.copied_narrative"
    title = "年报雷同（与上年）"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("工作要求（四）明确责任", "国办公开办函〔2021〕30号")
    subject = "report_pair"
    # Short formulaic parts (“本年度未收取信息处理费。”) are the same every year by nature.
    config_keys = {"threshold": 0.8, "strong_threshold": 0.9, "min_chars": 150}

    def check(self, ctx):
        problem = _consecutive(self, ctx)
        if problem:
            yield problem
            return
        for sid, name in (("1", "一、总体情况"), ("5", "五、存在的主要问题及改进情况"),
                          ("6", "六、其他需要报告的事项")):
            now = ctx.report.sections.get(sid)
            before = ctx.previous.sections.get(sid)
            if not (now and before and now.found and before.found):
                continue
            if min(_length(now.text), _length(before.text)) < self.options["min_chars"]:
                continue
            score = similarity(now.text, before.text)
            if score >= self.options["threshold"]:
                strong = score >= self.options["strong_threshold"]
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"“{name}”与{ctx.previous.year}年度报告相似度{score:.0%}"
                    f"{'，基本照搬上年' if strong else ''}。",
                    section=sid, evidence={"similarity": round(score, 3), "previous_source": ctx.previous.source},
                    discriminator=sid)


CROSS_YEAR_RULES = [CarryOver, InForceCarryOver, CopiedNarrative]
