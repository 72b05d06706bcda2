"""TXT: what the narrative says against what the tables say."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from auditor import vocabulary
from auditor.engine import ReportContext, Rule
from auditor.findings import LegalBasis, Severity, Status
from auditor.models import TABLE3_COLUMNS, AnnualReport, row_key_of
from auditor.narrative import (
    APPLICATIONS,
    RECEIVED_ALL_ANSWERED,
    RESULTS,
    Mention,
    flatten,
    mentions,
    partial_subject,
    sentences,
    table2_mentions,
)
from auditor.parse.labels import (
    TABLE3_NOT_PROCESSED,
    TABLE3_OTHER_2021,
    TABLE3_UNAVAILABLE,
    TABLE3_WITHHELD,
)
from auditor.rules.arithmetic import CellSpace, readings_of, show_reading

ART50 = LegalBasis("第五十条")
ACCURACY = LegalBasis("工作要求（四）明确责任：发布内容不准确不全面",
                      "国办公开办函〔2021〕30号")


def narrative(report: AnnualReport) -> str:
    """The prose of the report: every section's text (tables read as numbers elsewhere)."""
    return "\n".join(report.sections[s].text for s in ("1", "5", "6") if s in report.sections)


@dataclass
class TableSums:
    """Every value the sum of some table cells takes, one per combination of the candidate
    readings of run-together cells (``sums``: (the candidate cells' values, the sum))."""

    sums: list[tuple[dict, float]]
    unknown: list[str]
    bound: bool = False

    @property
    def values(self) -> set[float]:
        return {total for _, total in self.sums}


def table_sums(report: AnnualReport, keys: list[str]) -> TableSums:
    """The sum of ``keys`` under every reading of the table (see rules.arithmetic.Readings)."""
    found = readings_of(CellSpace(report), keys)
    if found.unknown:
        return TableSums([], found.unknown)
    if found.bound:
        return TableSums([], [], bound=True)
    sums = []
    for current, chosen in found.combinations():
        blank = [k for k in found.keys if current[k] is None]
        if blank:
            return TableSums([], blank)
        sums.append((chosen, sum(current[k] for k in found.keys)))
    return TableSums(sums, [])


def lower_bound(report: AnnualReport, keys: list[str]) -> float | None:
    """The least the sum of ``keys`` can be when some cells are printed blank: counts are
    never negative, and a blank 总计 of table 三 is at least the sum of the row's applicant
    cells. ``None`` when a cell was not read (a guess would not be a bound)."""
    total = 0.0
    for key in keys:
        cell = report.cell(key)
        if cell.value is not None:
            total += cell.value
            continue
        if cell.options:
            total += min(cell.options)
            continue
        state = report.row_state(row_key_of(key))
        if not cell.printed_blank or state not in ("present", "blank"):
            return None
        if key.startswith("table3.") and key.endswith(".total"):
            row = key[len("table3."):-len(".total")]
            parts = lower_bound(report, [f"table3.{row}.{c}" for c in TABLE3_COLUMNS[:-1]])
            if parts is None:
                return None
            total += parts
    return total


class _NarrativeRule(Rule):
    """Compare narrative mentions with table sums; subclasses list the comparisons.

    For each thing the narrative states ("收到申请81件") the table may be read in several ways
    (interpretations, and readings of run-together cells). The statement agrees when one
    interpretation holds under every reading; it is not assessable when it holds only under
    some readings, or a cell is blank or unreadable; it contradicts the table when it fails
    under every interpretation and reading — a violation, or 需人工复核 when the sentence speaks
    for only part of the body ("区政府办代表区政府受理…").
    """

    def comparisons(self, ctx: ReportContext
                    ) -> Iterator[tuple[str, list[Mention], list[tuple[str, list[str]]]]]:
        """(what, mentions, interpretations): each interpretation is (name, table keys)."""
        raise NotImplementedError

    def check(self, ctx):
        issuer = ctx.report.issuer
        for what, found, interpretations in self.comparisons(ctx):
            if not found:
                continue
            possible: dict[str, TableSums] = {}
            unknown = []
            bounds: dict[str, float] = {}
            for name, keys in interpretations:
                sums = table_sums(ctx.report, keys)
                if sums.unknown or sums.bound:
                    unknown.append(name)
                    least = lower_bound(ctx.report, keys) if sums.unknown else None
                    if least is not None:
                        bounds[name] = least
                else:
                    possible[name] = sums
            stated = sorted({m.value for m in found})
            if any(all(abs(total - m.value) < 1e-9 for _, total in sums.sums)
                   for m in found for sums in possible.values()):
                continue  # one interpretation agrees under every reading
            evidence = {"narrative": [{"value": m.value, "sentence": m.sentence,
                                       "subject": m.subject} for m in found],
                        "table": {name: sorted(s.values)[:10] for name, s in possible.items()},
                        # the cells compared, so a report can mark them on the table
                        "cells": list(dict.fromkeys(k for _, keys in interpretations
                                                    for k in keys))}
            some = [(m, name, chosen) for m in found for name, sums in possible.items()
                    for chosen, total in sums.sums if abs(total - m.value) < 1e-9]
            if some:
                m, name, chosen = some[0]
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"正文称{what}{m.value}件，只在表格连写数字的部分读法下与{name}相符"
                    f"（如{show_reading(chosen)}），无法确定。",
                    evidence={**evidence, "agreeing_reading": chosen},
                    discriminator=what, table=self.table_name)
                continue
            below = unknown and all(name in bounds and all(m.value < bounds[name] for m in found)
                                    for name in unknown)
            if below:
                # Blank cells, but the printed ones alone already exceed what the text says.
                evidence["table_at_least"] = bounds
                table_text = "；".join([f"{name}为{_fmt(s.values)}" for name, s in possible.items()]
                                      + [f"{name}至少为{_count(bounds[name])}（空白单元格按0计）"
                                         for name in unknown])
                yield self._contradiction(ctx, what, found, stated, table_text, evidence, issuer)
                continue
            if unknown or not possible:
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"正文称{what}{'、'.join(map(str, stated))}件，但表格相应单元格空白或无法识别，无法核对。",
                    evidence=evidence, discriminator=what, table=self.table_name)
                continue
            table_text = "；".join(f"{name}为{_fmt(s.values)}" for name, s in possible.items())
            yield self._contradiction(ctx, what, found, stated, table_text, evidence, issuer)

    def _contradiction(self, ctx, what, found, stated, table_text, evidence, issuer):
        """A violation, or 需人工复核 when every sentence speaks for part of the body only."""
        whole = [m for m in found if not partial_subject(m.subject, issuer) and not m.implied]
        if not whole and all(m.implied for m in found):
            return self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"正文称受理的申请“均已答复”，即{what}{'、'.join(map(str, stated))}件"
                f"（“{found[0].sentence[:60]}”），与表格（{table_text}）不符；"
                "该数字由正文推出而非明示，请人工核实。",
                evidence=evidence, discriminator=what, table=self.table_name)
        if whole:
            return self.finding(
                ctx, Status.VIOLATION,
                f"正文称{what}{'、'.join(map(str, stated))}件（“{whole[0].sentence[:60]}”），"
                f"与表格不符：{table_text}。",
                evidence=evidence, discriminator=what, table=self.table_name)
        return self.finding(
            ctx, Status.NEEDS_REVIEW,
            f"正文称“{found[0].subject}”{what}{'、'.join(map(str, stated))}件"
            f"（“{found[0].sentence[:60]}”），与表格（{table_text}）不符；"
            "该数字可能只是报告机关的一部分，请人工核实。",
            evidence=evidence, discriminator=what, table=self.table_name)

    table_name = "table3"


def _fmt(values: set) -> str:
    values = sorted(values)
    if len(values) == 1:
        v = values[0]
        return str(int(v)) if float(v).is_integer() else str(v)
    return "可能为" + "/".join(str(v) for v in values[:6])


class ApplicationTotals(_NarrativeRule):
    """正文所述申请数量（收到、上年结转、办结、结转下年度）与表三一致。

    为什么：读者会引用正文；“总体情况”所述申请数量与表三不一致，会使报告失去可信度。正文所说的“收
    到”，有的指本年新收的申请，有的指新收加上年结转的申请：两种理解均予接受，结论中注明比较的是哪些
    数字。

    申请以“件”计，部分机关以“条”或“宗”计（“受理政务信息公开的申请4条”）。“受理申请N件，均按期答复”同
    时表明N件已答复：N与表三收到的件数一致时，将其与“（七）总计”比较（对于把仍在办理期限内的申请计为
    按期答复的机关，与“（七）总计”+“结转下年度继续办理”比较）；不一致的仅标为“需人工复核”，因为该数
    字是隐含的，而非明确陈述。

    依据：《中华人民共和国政府信息公开条例》第五十条；国办公开办函〔2021〕30号（发布内容准确）。

    违规示例：“区政府办代表区政府受理政府信息公开申请17件”，而表三“本年新收”为95（需人工复核：主语只
    是机关的一部分）。“受理申请6条，均已按期答复”，表三“本年新收”为6，但“（七）总计”为0（需人工复
    核）。

    合规示例：“本年度全区共收到70件申请，办结69件，1件结转下年度”，表三相应为70 / 69 / 1。
    """

    code = "TXT-01"
    name = "consistency.application_totals"
    title = "申请总量一致"
    severity = Severity.HIGH
    legal_basis = ART50

    def comparisons(self, ctx):
        text = narrative(ctx.report)
        received = [("表三本年新收总计", ["table3.new_received.total"]),
                    ("本年新收+上年结转", ["table3.new_received.total", "table3.carried_in.total"])]
        yield ("收到申请", mentions(text, APPLICATIONS["received"]), received)
        # “受理申请4件，均按期答复” says 4 were answered. Read only when the received number
        # itself agrees with the table (a wrong one is reported above, once).
        agreeing = [m for m in mentions(text, RECEIVED_ALL_ANSWERED, implied=True)
                    if any(sums.sums and all(abs(total - m.value) < 1e-9 for _, total in sums.sums)
                           for sums in (table_sums(ctx.report, keys) for _, keys in received))]
        yield ("答复", agreeing, [
            ("表三（七）总计", ["table3.total.total"]),
            ("（七）总计+结转下年度", ["table3.total.total", "table3.carried_out.total"]),
        ])
        yield ("上年结转", mentions(text, APPLICATIONS["carried_in"], "申请|结转"),
               [("表三上年结转总计", ["table3.carried_in.total"])])
        yield ("办结", mentions(text, APPLICATIONS["concluded"], "申请"), [
            ("表三（七）总计", ["table3.total.total"]),
        ])
        yield ("结转下年度", mentions(text, APPLICATIONS["carried_out"]),
               [("表三结转下年度总计", ["table3.carried_out.total"])])


_NONE_RECEIVED = re.compile(r"(?:未收到|没有收到|未接到|无)(?:任何)?(?:政府信息公开|依申请公开)?申请"
                            r"|(?:收到|受理)[^。；，,\d]{0,12}申请(?:数量)?为?0件")


class NoApplicationsClaim(Rule):
    """正文“未收到政府信息公开申请”与表三一致。

    为什么：正文称未收到申请而表三有申请件数（或者相反），即自相矛盾；两者必有一处有误。

    依据：《中华人民共和国政府信息公开条例》第五十条第（二）项。

    违规示例：“2024年，我乡未收到政府信息公开申请。”而表三“本年新收 / 总计”为3。该句只代表机关的一部
    分（“乡政府办未收到…”）的，标为“需人工复核”。

    合规示例：同样的句子，表三全部为0。
    """

    code = "TXT-02"
    name = "consistency.no_applications_claim"
    title = "“未收到申请”表述"
    severity = Severity.HIGH
    legal_basis = LegalBasis("第五十条第（二）项")

    def check(self, ctx):
        report = ctx.report
        found = [(sentence, m) for sentence in sentences(narrative(report))
                 for m in [_NONE_RECEIVED.search(sentence)] if m]
        new = report.value("table3.new_received.total")
        if not found or new is None or new <= 0:
            return
        for sentence, claim in found:
            subject = re.split(r"[，,：:、]", sentence[:claim.start()])[-1]
            if not partial_subject(subject, report.issuer):
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"正文称“{claim.group(0)}”，但表三本年新收政府信息公开申请总计为{new}件。",
                    table="table3", row="new_received", column="total",
                    evidence={"sentence": sentence, "new_received_total": new})
                return
        sentence, claim = found[0]
        yield self.finding(
            ctx, Status.NEEDS_REVIEW,
            f"正文称“{sentence[:60]}”，而表三本年新收政府信息公开申请总计为{new}件；"
            "该表述可能只涉及报告机关的一部分，请人工核实。",
            table="table3", row="new_received", column="total", evidence={"sentence": sentence, "new_received_total": new})


_NO_CASES = re.compile(
    r"(?:未发生|未出现|没有发生|未收到|未有|无)(?P<body>[^。；，,、\d]{0,14}?(?:行政复议|行政诉讼)"
    r"(?:[、和及与]?(?:提起)?(?:行政复议|行政诉讼))?)"
    r"|(?P<zero>(?:行政复议|行政诉讼)(?:[、和及与](?:行政复议|行政诉讼))?)[^。；，,\d]{0,8}?"
    r"(?:0件|为零|均为0|为0)"
)
_ALL_UPHELD = re.compile(r"均获维持|全部维持|均被维持|均予维持|零败诉|无败诉|均胜诉")
_NO_LOSS = re.compile(r"零败诉|无败诉|均胜诉")
# A negation followed by one of these is about outcomes (“未发生…被行政复议纠错”), not about
# whether there were any reviews or suits at all.
_CORRECTION = re.compile(r"纠错|纠正|败诉|撤销|确认违法|被改变|改变原")
_KINDS = {"review": re.compile(r"复议(?!后)"),
          "litigation": re.compile(r"诉讼|起诉")}


def _groups(text: str) -> list[str]:
    """Table 四 groups a claim speaks of: 复议 -> review, 诉讼/起诉 -> both litigation groups."""
    out = []
    if _KINDS["review"].search(text):
        out.append("review")
    if _KINDS["litigation"].search(text):
        out += ["litigation_direct", "litigation_after_review"]
    return out


class ReviewLitigationClaims(Rule):
    """正文关于行政复议、行政诉讼的表述与表四一致。

    为什么：表四有案件而正文称“未发生行政复议、行政诉讼”，或有案件被纠正、尚未审结而正文称“均获维
    持”，即错误陈述了对本机关提起的复议、诉讼的结果。语句只就其所声称的内容进行比较：“未发生因依申请
    公开被行政复议纠错”表明没有决定被纠正（结果纠正），并非没有复议；“零败诉”只涉及诉讼。所涉表格单
    元格空白或无法识别的，该表述为“无法评估”。

    依据：《中华人民共和国政府信息公开条例》第五十条第（三）项。

    违规示例：“行政复议、行政诉讼均获维持”，而表四“行政复议 / 结果纠正”为1；“全年未发生行政复议纠
    错”，而表四“行政复议 / 结果纠正”为1。

    合规示例：“行政复议3件，维持1件，其他结果2件”，表四数字相同；“全年未发生被行政复议纠错的情况”，
    表四“行政复议 / 总计”为3件，“行政复议 / 结果纠正”为0。
    """

    code = "TXT-03"
    name = "consistency.review_litigation_claims"
    title = "复议诉讼表述"
    severity = Severity.HIGH
    legal_basis = LegalBasis("第五十条第（三）项")

    def check(self, ctx):
        report = ctx.report
        texts = [report.sections[s].text for s in ("1", "4", "5", "6") if s in report.sections]
        claims = [sentence for text in texts for sentence in sentences(text)]
        reported: set[str] = set()
        for sentence in claims:
            m = _NO_CASES.search(sentence)
            if not m:
                continue
            body = m.group("body") or m.group("zero")
            clause = re.split(r"[，,。；;]", sentence[m.start():])[0]
            groups = _groups(body)
            if _CORRECTION.search(clause):
                what, column = "corrected", "corrected"
                if "败诉" in clause and "纠错" not in clause and "纠正" not in clause:
                    groups = [g for g in groups if g != "review"] or groups
            else:
                what, column = "none", "total"
            if what in reported:
                continue
            finding = self._compare(ctx, m.group(0), sentence, groups, column, what)
            if finding is not None:
                reported.add(what)
                yield finding
        for sentence in claims:
            m = _ALL_UPHELD.search(sentence)
            if not m or "upheld" in reported:
                continue
            groups = _groups(sentence) or list(report.table4)
            if _NO_LOSS.search(m.group(0)):
                groups = [g for g in groups if g != "review"] or \
                    ["litigation_direct", "litigation_after_review"]
                finding = self._compare(ctx, m.group(0), sentence, groups, "corrected", "upheld")
            else:
                finding = self._compare(ctx, m.group(0), sentence, groups, "corrected", "upheld")
                if finding is None or finding.status == Status.NOT_ASSESSABLE:
                    pending = self._compare(ctx, m.group(0), sentence, groups, "pending",
                                            "upheld")
                    if pending is not None and (finding is None or
                                                pending.status == Status.VIOLATION):
                        finding = pending
            if finding is not None:
                reported.add("upheld")
                yield finding

    def _compare(self, ctx, claim: str, sentence: str, groups: list[str], column: str,
                 what: str):
        """A finding when table 四 contradicts the claim (some counted cell > 0), a
        not-assessable one when the cells it needs are unknown, else None."""
        report = ctx.report
        values = {g: report.value(f"table4.{g}.{column}") for g in groups}
        counted = {g: v for g, v in values.items() if v}
        evidence = {"sentence": sentence, column: values,
                    "cells": [f"table4.{g}.{column}" for g in groups]}
        if counted:
            parts = "、".join(f"{_group(g)}{_count(v)}件" for g, v in counted.items())
            if column == "total":
                text = f"表四记有案件：{parts}"
            else:
                what_cn = "结果纠正" if column == "corrected" else "尚未审结"
                text = f"表四{what_cn}共{_count(sum(counted.values()))}件（{parts}）"
            return self.finding(
                ctx, Status.VIOLATION, f"正文称“{claim}”，但{text}。",
                table="table4", evidence=evidence, discriminator=what)
        unknown = [g for g, v in values.items() if v is None]
        if unknown:
            return self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"正文称“{claim}”，但表四" + "、".join(_group(g) for g in unknown)
                + "的相应单元格空白或无法识别，无法核对。",
                table="table4", evidence=evidence, discriminator=what)
        return None


def _count(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _group(g: str) -> str:
    return vocabulary.row_label("table4", g, short=True)


class ResultCategories(_NarrativeRule):
    """正文所述各类办理结果件数（予以公开、部分公开、不予公开、无法提供、不予处理、其他处理）与表三总计列一致。

    为什么：正文对办理结果的概述必须与其所概述的表格一致（上海市2019年度年报称“无法提供265件”，而表
    格为337件）。

    依据：《中华人民共和国政府信息公开条例》第五十条第（二）项。

    违规示例：正文“无法提供265件”，而表三“总计”列“（四）无法提供”1–3项之和为337。

    合规示例：“予以公开及部分公开42件…不予公开5件”，表三相应为22 + 20和5。
    """

    code = "TXT-04"
    name = "consistency.result_categories"
    title = "办理结果分类数"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第五十条第（二）项")

    def comparisons(self, ctx):
        report = ctx.report
        text = narrative(report)
        other_rows = ["other"] if "other" in report.table3 else TABLE3_OTHER_2021
        groups = {
            "combined": ("予以公开及部分公开", ["open", "partial"]),
            "open": ("予以公开", ["open"]),
            "partial": ("部分公开", ["partial"]),
            "withheld": ("不予公开", TABLE3_WITHHELD),
            "unavailable": ("无法提供", TABLE3_UNAVAILABLE),
            "not_processed": ("不予处理", TABLE3_NOT_PROCESSED),
            "other": ("其他处理", other_rows),
        }
        for key, (label, rows) in groups.items():
            yield (label, mentions(text, RESULTS[key]),
                   [(f"表三{label}总计", [f"table3.{r}.total" for r in rows])])


class ProactiveCounts(_NarrativeRule):
    """正文所述规章、规范性文件的制发/废止/现行有效件数与表二一致。

    为什么：正文与表二报告的是同一批文件；数字不同说明其中之一有误。表格某行在发布文本中数字连写的，
    将正文数字与该行的每一种读法比较，因此认定的不一致仍是确定的。

    依据：《中华人民共和国政府信息公开条例》第五十条第（一）项。

    违规示例：“现行有效行政规范性文件393件”，而表二为470。

    合规示例：“本年度制发的规范性文件77件”，表二“本年制发件数”为77。
    """

    code = "TXT-05"
    name = "consistency.proactive_counts"
    title = "主动公开数字"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第五十条第（一）项")
    table_name = "table2"

    def comparisons(self, ctx):
        report = ctx.report
        names = {"issued": "本年制发", "repealed": "本年废止", "in_force": "现行有效",
                 "made": "本年新制作", "published": "本年新公开", "total": "对外公开总数"}
        for key, found in table2_mentions(narrative(report), report.format).items():
            if f"{key}" not in report.table2:
                continue
            row, col = key.split(".")
            label = f"{'规章' if row == 'rules' else '规范性文件'}{names.get(col, col)}"
            yield (label, found, [(f"表二{label}", [f"table2.{key}"])])


_NOTICE_COUNT = re.compile(r"(?:发出|出具|送达|开具|发送)[^。；]{0,10}?收费通知书?[^。；\d]{0,6}?(\d+)件"
                           r"|收费通知书?(?:共)?(\d+)件")
_NO_NOTICE = re.compile(r"(?:未|没有)(?:发出|出具|送达|开具|发送|发放)[^。；]{0,4}?收费通知|无收费通知|"
                        r"收费通知[^。；]{0,4}?(?:0件|为零)")


class FeeNotices(Rule):
    """表三“逾期未按收费通知要求缴纳费用”件数大于 0 时，第六部分应报告发出的收费通知。

    为什么：只有在发出收费通知之后，申请才可能因逾期未缴纳费用而不再处理，因此表三“（六）其他处理”第
    2项大于0，说明已发出收费通知；第六部分必须报告这些通知（件数和金额）。第六部分称未发出收费通知
    的，与表格相矛盾。第六部分只报告实际收取金额的，收费通知仍未报告：标为“需人工复核”，因为2021年版
    格式对第六部分的确切表述尚待核对（[R] 未经核实）。

    依据：国办函〔2020〕109号《政府信息公开信息处理费管理办法》；国办公开办函〔2021〕30号 第六部分
    （收费通知件数和总金额的要求出处未核实）。

    违规示例：表三“（六）其他处理”第2项总计为6，而第六部分称“本年度未发出收费通知”。

    合规示例：该项总计为6，第六部分称“共发出收费通知8件，金额4200元，实际收取3940元。”
    """

    code = "TXT-06"
    name = "consistency.fee_notices"
    title = "收费通知与表三一致"
    severity = Severity.HIGH
    legal_basis = LegalBasis("国办函〔2020〕109号；国办公开办函〔2021〕30号 第六部分",
                             "", verified=False)

    def check(self, ctx):
        report = ctx.report
        unpaid = report.value("table3.other.fee_unpaid.total")
        state = report.row_state("table3.other.fee_unpaid")
        if "other.fee_unpaid" not in report.table3 or state == "absent":
            return
        if unpaid is None:
            how = "总计为空白" if report.cell("table3.other.fee_unpaid.total").printed_blank \
                else "无法识别"
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               f"表三“逾期未按收费通知要求缴纳费用”一行{how}，无法核对收费通知。",
                               table="table3", row="other.fee_unpaid")
            return
        if unpaid <= 0:
            return
        six = report.sections.get("6")
        text = flatten(six.text) if six and six.found else ""
        evidence = {"fee_unpaid_total": unpaid, "section6": text[:200]}
        counts = [int(next(g for g in m.groups() if g)) for m in _NOTICE_COUNT.finditer(text)]
        if counts:
            if max(counts) < unpaid:
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"第六部分称发出收费通知{max(counts)}件，少于表三因逾期未缴费不再处理的{unpaid}件。",
                    section="6", evidence={**evidence, "notices": counts})
            return
        if _NO_NOTICE.search(text):
            yield self.finding(
                ctx, Status.VIOLATION,
                f"表三有{unpaid}件申请因逾期未按收费通知缴费而不再处理，但第六部分称未发出收费通知。",
                section="6", evidence=evidence)
            return
        yield self.finding(
            ctx, Status.NEEDS_REVIEW,
            f"表三有{unpaid}件申请因逾期未按收费通知缴费而不再处理（说明发出过收费通知），"
            "但第六部分未报告收费通知的件数和金额。",
            section="6", evidence=evidence)


TEXT_RULES = [ApplicationTotals, NoApplicationsClaim, ReviewLitigationClaims, ResultCategories,
              ProactiveCounts, FeeNotices]
