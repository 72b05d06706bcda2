"""ARI: table arithmetic (勾稽关系). Identities are data: equations over report-schema keys."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from auditor import vocabulary
from auditor.engine import ReportContext, Rule
from auditor.findings import FORMAT_DOCUMENTS, Finding, LegalBasis, Severity, Status
from auditor.models import MISSING, TABLE3_COLUMNS, TABLE4_GROUPS, AnnualReport, Cell
from auditor.parse.labels import (
    TABLE3_NOT_PROCESSED,
    TABLE3_OTHER_2021,
    TABLE3_SUBTOTALS,
    TABLE3_UNAVAILABLE,
    TABLE3_WITHHELD,
)

FORMAT_NOTE = LegalBasis("表三表头“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”",
                         FORMAT_DOCUMENTS["2021"])
FORMAT_TOTALS = LegalBasis("表三、表四“总计”栏",
                           FORMAT_DOCUMENTS["2021"])


def cell_label(key: str, fmt: str | None = None) -> str:
    """A cell's label for sentences naming several cells (表三本年新收/自然人, 上年报告…)."""
    return vocabulary.cell_label(key, fmt, short=True)


def _column(c: str) -> str:
    return vocabulary.column_label("table3", c)


@dataclass(frozen=True)
class Identity:
    """``lhs == rhs``, each side a sum of dotted keys; ``{c}``/``{g}`` are filled per column or
    group. Written as text so the identities read like the format's own note."""

    equation: str

    def sides(self, **fill: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        lhs, rhs = self.equation.format(**fill).split("==")
        return _terms(lhs), _terms(rhs)


def _terms(side: str) -> list[tuple[int, str]]:
    out = []
    for sign, key in re.findall(r"([+-]?)\s*([\w.:]+)", side):
        out.append((-1 if sign == "-" else 1, key.strip()))
    return out


#: Combinations of candidate readings an identity is evaluated over, at most.
MAX_COMBINATIONS = 20000
#: Prefix of a key in the previous year's report (cross-year identities).
PREVIOUS = vocabulary.PREVIOUS


class CellSpace:
    """The cells an identity may name: ``table3.total.total`` in the report and
    ``prev:table3.carried_out.total`` in the previous year's report, with their readings."""

    def __init__(self, report: AnnualReport, previous: AnnualReport | None = None) -> None:
        self.report, self.previous = report, previous

    def _source(self, key: str) -> tuple[AnnualReport | None, str, str]:
        if key.startswith(PREVIOUS):
            return self.previous, key[len(PREVIOUS):], PREVIOUS
        return self.report, key, ""

    def cell(self, key: str) -> Cell:
        report, plain, _ = self._source(key)
        return report.cell(plain) if report is not None else MISSING

    def readings(self, key: str) -> tuple[str, tuple[str, ...], list[tuple]] | None:
        """(group id, cells, joint readings) of an unknown cell that has candidates: the
        report's joint readings of its row, else the cell's own options."""
        report, plain, prefix = self._source(key)
        if report is None:
            return None
        cset = report.candidate_set(plain)
        if cset is not None:
            return (f"{prefix}{id(cset)}", tuple(prefix + c for c in cset.cells),
                    list(cset.readings))
        options = report.cell(plain).options
        if options:
            return key, (key,), [(o,) for o in options]
        return None


@dataclass(frozen=True)
class Evaluation:
    """An identity evaluated over every reading of its cells.

    ``holds`` is True under every reading, False under every reading, and None when a term is
    unknown (``unknown``), the readings disagree (``holding`` lists the combinations under
    which it holds) or there were more than :data:`MAX_COMBINATIONS` (``bound``).
    ``options`` gives the values each cell with candidates takes; ``readings`` how many
    combinations there were (1 when every cell is known).
    """

    holds: bool | None
    lhs: float | None
    rhs: float | None
    values: dict[str, float | int | None]
    unknown: list[str]
    options: dict[str, list] = field(default_factory=dict)
    readings: int = 1
    holding: list[dict[str, float | int]] = field(default_factory=list)
    bound: bool = False

    @property
    def mixed(self) -> bool:
        return self.holds is None and not self.unknown and not self.bound


@dataclass
class Readings:
    """The cells ``keys`` over every combination of their candidate readings: ``values`` are
    the known ones (``None`` for a cell with candidates), ``unknown`` those with neither,
    ``options`` the values each candidate cell takes, ``total`` the number of combinations
    (``bound`` when it is over :data:`MAX_COMBINATIONS`)."""

    keys: list[str]
    values: dict[str, float | int | None]
    unknown: list[str]
    options: dict[str, list]
    total: int
    bound: bool
    groups: list[tuple[list[str], list[tuple]]]

    def combinations(self) -> Iterator[tuple[dict[str, float | int | None], dict[str, float | int]]]:
        """(every cell's value, the candidate cells' values) for each combination."""
        for combo in itertools.product(*(readings for _, readings in self.groups)):
            current = dict(self.values)
            chosen: dict[str, float | int] = {}
            for (cells, _), reading in zip(self.groups, combo, strict=True):
                current.update(zip(cells, reading, strict=True))
                chosen.update(zip(cells, reading, strict=True))
            yield current, chosen


def readings_of(space: CellSpace, keys: list[str]) -> Readings:
    keys = list(dict.fromkeys(keys))
    values: dict[str, float | int | None] = {}
    groups: dict[str, tuple[tuple[str, ...], list[tuple]]] = {}
    unknown = []
    for key in keys:
        value = space.cell(key).value
        values[key] = value
        if value is not None:
            continue
        found = space.readings(key)
        if found is None:
            unknown.append(key)
        else:
            groups.setdefault(found[0], (found[1], found[2]))
    # Each group reduced to the cells asked for: fewer distinct readings.
    needed = [k for k in keys if values[k] is None and k not in unknown]
    projected: list[tuple[list[str], list[tuple]]] = []
    for cells, readings in groups.values():
        index = [i for i, c in enumerate(cells) if c in needed]
        projected.append(([cells[i] for i in index],
                          sorted({tuple(r[i] for i in index) for r in readings}, key=str)))
    options = {cell: sorted({r[i] for r in readings if r[i] is not None}, key=float)
               for cells, readings in projected for i, cell in enumerate(cells)}
    total = 1
    for _, readings in projected:
        total *= len(readings)
    return Readings(keys, values, unknown, options, total, total > MAX_COMBINATIONS, projected)


def evaluate_terms(space: CellSpace, lhs_terms: list[tuple[int, str]],
                   rhs_terms: list[tuple[int, str]]) -> Evaluation:
    """``Σ lhs == Σ rhs`` over every combination of the candidate readings of its cells."""
    found = readings_of(space, [k for _, k in lhs_terms + rhs_terms])
    values, options, total = found.values, found.options, found.total
    if found.unknown:
        return Evaluation(None, None, None, values, found.unknown)
    if found.bound:
        return Evaluation(None, None, None, values, [], options, total, bound=True)
    holding: list[dict[str, float | int]] = []
    breaking = 0
    lhs = rhs = None
    for current, chosen in found.combinations():
        blank = [k for k in found.keys if current[k] is None]
        if blank:
            # A reading in which a needed cell is printed blank: the identity cannot be judged.
            return Evaluation(None, None, None, values, blank, options, total)
        lhs = sum(sign * current[k] for sign, k in lhs_terms)
        rhs = sum(sign * current[k] for sign, k in rhs_terms)
        if abs(lhs - rhs) < 1e-9:
            holding.append(chosen)
        else:
            breaking += 1
    single = total == 1
    if breaking == total:
        return Evaluation(False, lhs if single else None, rhs if single else None, values, [],
                          options, total)
    if len(holding) == total:
        return Evaluation(True, lhs if single else None, rhs if single else None, values, [],
                          options, total, holding)
    return Evaluation(None, None, None, values, [], options, total, holding)


def evaluate(report: AnnualReport, identity: Identity, previous: AnnualReport | None = None,
             **fill: str) -> Evaluation:
    lhs_terms, rhs_terms = identity.sides(**fill)
    return evaluate_terms(CellSpace(report, previous), lhs_terms, rhs_terms)


def show_options(evaluation: Evaluation) -> str:
    """"表二…可能为2/21/213" for each cell that has candidates."""
    return "；".join(f"{cell_label(k)}可能为{'/'.join(_show(v) for v in vs)}"
                    for k, vs in evaluation.options.items())


def show_reading(reading: dict[str, float | int]) -> str:
    return "、".join(f"{cell_label(k)}={_show(v)}" for k, v in reading.items())


def not_assessable_reason(evaluation: Evaluation) -> str:
    """Why an identity could not be judged, in the words of a finding."""
    if evaluation.bound:
        return (f"连写单元格的读法组合有{evaluation.readings}种，超过上限{MAX_COMBINATIONS}种，"
                "未逐一核对")
    if evaluation.mixed and evaluation.holding:
        return (f"连写单元格有{evaluation.readings}种读法组合，其中{len(evaluation.holding)}种成立"
                f"（如{show_reading(evaluation.holding[0])}），无法确定")
    return "空白或无法识别：" + "、".join(cell_label(k) for k in evaluation.unknown)


def broken_evidence(equation: str, result: Evaluation) -> dict:
    """Evidence of a broken identity: its terms, and the candidates when there were several."""
    evidence: dict = {"equation": equation, "lhs": result.lhs, "rhs": result.rhs,
                      "values": result.values}
    if result.readings > 1:
        evidence["candidates"] = result.options
        evidence["readings"] = result.readings
    return evidence


def _sum(keys: list[str], column: str = "{c}") -> str:
    return " + ".join(f"table3.{k}.{column}" for k in keys)


def result_rows(report: AnnualReport) -> list[str]:
    other = ["other"] if "other" in report.table3 else TABLE3_OTHER_2021
    return (["open", "partial"] + TABLE3_WITHHELD + TABLE3_UNAVAILABLE + TABLE3_NOT_PROCESSED
            + other)


class _IdentityRule(Rule):
    """Shared body: evaluate one identity per column/group/row and report each outcome."""

    def instances(self, report: AnnualReport) -> Iterator[tuple[Identity, dict[str, str],
                                                                 dict[str, str]]]:
        raise NotImplementedError

    def describe(self, fill: dict[str, str]) -> str:
        raise NotImplementedError

    def check(self, ctx: ReportContext) -> Iterator[Finding]:
        report = ctx.report
        state = report.table_state(self.table_name)
        if state in ("absent", "not_understood"):
            # One finding for the table, not one per identity (STR-01/STR-03 say what is missing).
            why = "未找到" if state == "absent" else "的数字未能对应到各行（如标签与数字分离），"
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE, f"{vocabulary.table_label(self.table_name)}{why}无法核对勾稽关系。",
                table=self.table_name, evidence={"table_status": state},
                discriminator="unknown-terms")
            return
        unassessable: list[str] = []
        for identity, fill, where in self.instances(report):
            result = evaluate(report, identity, **fill)
            if result.holds is None:
                unassessable.append(f"{self.describe(fill)}（{not_assessable_reason(result)}）")
            elif not result.holds:
                yield self.finding(
                    ctx, Status.VIOLATION, self.broken_message(fill, result),
                    evidence=broken_evidence(identity.equation.format(**fill), result), **where)
        if unassessable:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"{len(unassessable)}处勾稽关系含空白或无法确定的单元格，无法核对："
                + "；".join(unassessable[:6]) + ("…" if len(unassessable) > 6 else ""),
                evidence={"unassessable": unassessable}, discriminator="unknown-terms",
                table=self.table_name,
            )

    def broken_message(self, fill: dict[str, str], result: Evaluation) -> str:
        if result.readings > 1:
            return (f"{self.describe(fill)}不平：连写数字的全部{result.readings}种读法下均不成立"
                    f"（{show_options(result)}；{self.explain(result)}）。")
        return (f"{self.describe(fill)}不平：{_show(result.lhs)} ≠ {_show(result.rhs)}"
                f"（{self.explain(result)}）。")

    table_name = "table3"

    def explain(self, result: Evaluation) -> str:
        return "；".join(f"{cell_label(k)}={_show(v)}" for k, v in result.values.items()
                        if v is not None)


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Table3Balance(_IdentityRule):
    """表三每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度。

    为什么：国家格式在表三表头中印明了这一勾稽关系；某列不平，说明有申请被遗漏或被重复计算。

    依据：国办公开办函〔2021〕30号 年度报告格式，表三表头的勾稽关系说明。

    违规示例：表三“本年新收”21 + “上年结转”0，而“（七）总计”为18、“结转下年度继续办理”为0。

    合规示例：表三“本年新收”70 + “上年结转”0 = “（七）总计”69 + “结转下年度继续办理”1。
    """

    code = "ARI-01"
    name = "arithmetic.table3_balance"
    title = "表三勾稽（每列）"
    severity = Severity.HIGH
    legal_basis = FORMAT_NOTE
    identity = Identity("table3.new_received.{c} + table3.carried_in.{c} == "
                        "table3.total.{c} + table3.carried_out.{c}")

    def instances(self, report):
        for c in TABLE3_COLUMNS:
            yield self.identity, {"c": c}, {"table": "table3", "row": "total", "column": c}

    def describe(self, fill):
        return f"表三“{_column(fill['c'])}”列（新收+上年结转=总计+结转下年度）"


class Table3RowTotals(_IdentityRule):
    """表三每行：总计列 = 自然人 + 五类法人或其他组织之和。

    为什么：“总计”列按定义是各申请人列之和；两者不符，即为公开发布的计算错误。

    依据：国办公开办函〔2021〕30号 年度报告格式，表三“总计”栏。

    违规示例：表三“（一）予以公开”行：自然人27、社会公益组织2、其他1，总计31。

    合规示例：表三“（一）予以公开”行：自然人27、社会公益组织2、其他1，总计30。
    """

    code = "ARI-02"
    name = "arithmetic.table3_row_totals"
    title = "表三行合计"
    severity = Severity.HIGH
    legal_basis = FORMAT_TOTALS

    def instances(self, report):
        for row in report.table3:
            equation = (f"table3.{row}.total == " +
                        " + ".join(f"table3.{row}.{c}" for c in TABLE3_COLUMNS[:-1]))
            yield Identity(equation), {"r": row}, {"table": "table3", "row": row,
                                                   "column": "total"}

    def describe(self, fill):
        return f"表三“{vocabulary.row_label('table3', fill['r'])}”行合计"


class Table3ResultTotals(_IdentityRule):
    """表三每列：（七）总计 = 予以公开 + 部分公开 + 不予公开1–8 + 无法提供1–3 + 不予处理1–5 + 其他处理。

    为什么：“（七）总计”是各项办理结果之和；2019年版格式的表格只有一行“（六）其他处理”，2021年版格式
    的表格有三个分项行，勾稽关系按报告实际印出的行计算。

    依据：国办公开办函〔2021〕30号 年度报告格式，表三“（七）总计”。

    违规示例：表三“总计”列各项办理结果之和为81，但“（七）总计”为80。

    合规示例：22 + 20 + 5 + 31 + 1 + 2 = 81 = “（七）总计”。
    """

    code = "ARI-03"
    name = "arithmetic.table3_result_totals"
    title = "表三办理结果合计"
    severity = Severity.HIGH
    legal_basis = FORMAT_TOTALS

    def instances(self, report):
        rows = result_rows(report)
        for c in TABLE3_COLUMNS:
            yield (Identity(f"table3.total.{{c}} == {_sum(rows)}"), {"c": c},
                   {"table": "table3", "row": "total", "column": c})

    def describe(self, fill):
        return f"表三“{_column(fill['c'])}”列办理结果合计"

    def explain(self, result):
        if result.rhs is None:
            return "各项办理结果之和随读法而定"
        return f"各项办理结果之和为 {_show(result.rhs)}"


class Table4Totals(_IdentityRule):
    """表四每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。

    为什么：“行政复议”“行政诉讼（未经复议直接起诉）”“行政诉讼（复议后起诉）”各有自己的“总计”单元格，
    其数值必须等于本组四项结果之和。

    依据：国办公开办函〔2021〕30号 年度报告格式，表四“总计”栏。

    违规示例：表四“行政复议”：结果维持10、结果纠正1、其他结果0、尚未审结0，总计0。

    合规示例：表四“行政复议”：结果维持10、结果纠正1、其他结果0、尚未审结0，总计11。
    """

    code = "ARI-04"
    name = "arithmetic.table4_totals"
    title = "表四合计"
    severity = Severity.HIGH
    legal_basis = FORMAT_TOTALS
    table_name = "table4"
    identity = Identity("table4.{g}.total == table4.{g}.upheld + table4.{g}.corrected + "
                        "table4.{g}.other + table4.{g}.pending")

    def instances(self, report):
        for g in TABLE4_GROUPS:
            yield self.identity, {"g": g}, {"table": "table4", "row": g, "column": "total"}

    def describe(self, fill):
        return f"表四“{vocabulary.row_label('table4', fill['g'])}”总计"


class Table3Subtotals(_IdentityRule):
    """表三小计行（如“（三）不予公开 小计”）= 其各分项之和。

    为什么：部分机关在表三中增加了小计行；小计与其分项之和不符，即为公开发布的计算错误。没有小计行的
    报告不受本规则影响。

    依据：国办公开办函〔2021〕30号 年度报告格式（合计栏的含义）。

    违规示例：表三“（三）不予公开 小计”为5，而分项1–8之和为4。

    合规示例：表三“（三）不予公开 小计”为4，分项1–8之和为4。
    """

    code = "ARI-06"
    name = "arithmetic.table3_subtotals"
    title = "小计行"
    severity = Severity.MEDIUM
    legal_basis = FORMAT_TOTALS

    def instances(self, report):
        for subtotal, items in TABLE3_SUBTOTALS.items():
            if subtotal not in report.table3:
                continue
            for c in TABLE3_COLUMNS:
                yield (Identity(f"table3.{subtotal}.{{c}} == {_sum(items)}"),
                       {"c": c, "s": subtotal}, {"table": "table3", "row": subtotal, "column": c})

    def describe(self, fill):
        return (f"表三“{vocabulary.row_label('table3', fill['s'])}”"
                f"（{_column(fill['c'])}列）")


class NonNegativeIntegers(Rule):
    """表三、表四及表二第（一）项的件数是非负整数。

    为什么：申请、案件和文件的件数不可能为负数或小数；只有2019年版格式的“本年增/减”可以为负数，只有
    金额（万元）可以有小数。

    依据：国办公开办函〔2021〕30号 年度报告格式（各栏为件数）。

    违规示例：表三“（一）予以公开 / 总计”为“12.5”；表四“行政复议 / 总计”为“-1”。

    合规示例：每个件数均为0、1、2……
    """

    code = "ARI-05"
    name = "arithmetic.non_negative_integers"
    title = "非负整数"
    severity = Severity.HIGH
    legal_basis = FORMAT_TOTALS

    def check(self, ctx):
        for key, cell in ctx.report.iter_cells():
            value = cell.value
            if value is None:
                continue
            if key.startswith("table2.") and not key.startswith(("table2.rules.",
                                                                 "table2.normative.")):
                continue
            table, _, rest = key.partition(".")
            row, _, column = rest.rpartition(".")
            if isinstance(value, float) and not value.is_integer() or value < 0:
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"{vocabulary.cell_label(key, ctx.report.format)}应为非负整数，"
                    f"报告为 {cell.raw or value}。",
                    table=table, row=row, column=column, line=cell.line,
                    evidence={"key": key, "value": value, "raw": cell.raw},
                )


_NO_RULE_POWER = re.compile(r"(县|区|旗|乡|镇|街道|办事处)")
_RULE_POWER = re.compile(r"(省|自治区|直辖市|北京市|天津市|上海市|重庆市)人民政府$|国务院")
# 国务院部门 (交通运输部, 国家税务总局, 国家发展和改革委员会): no place name before the organ.
_GENERAL_OFFICE = re.compile(r"(?<=人民政府)(?:办公厅|办公室)$")
_CENTRAL = re.compile(r"^(?:国家|中国|中华人民共和国)?[\u4e00-\u9fff]{1,12}(?:部|总局|总署|委员会|署|银行)$")
_PLACE_CHARS = re.compile(r"省|市|县|区|州|盟|旗|乡|镇|街道")


class RuleMakingPower(Rule):
    """无规章制定权的机关，表二“规章”各栏应为 0 或“/”。

    为什么：只有国务院部门和省、自治区、直辖市、设区的市、自治州的人民政府可以制定规章（《立法法》第
    九十一条、第九十三条）。县、区、乡镇或地方政府部门填报“规章”件数的，是将文件（通常是规范性文件）
    填入了错误的行。仅凭名称无法判断某个“市”是否为设区的市，因此对市人民政府不作判断。人民政府办公厅
    （办公室）填报的是本级人民政府的规章，按该级人民政府判断。

    依据：《中华人民共和国立法法》（2023）第九十一条、第九十三条。

    违规示例：某县人民政府在表二“规章 / 本年制发件数”填报2。

    合规示例：某县人民政府表二“规章”各栏填报0 / 0 / 0（或“/”）。
    """

    code = "ARI-07"
    name = "arithmetic.rule_making_power"
    title = "规章制定权"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第九十一条、第九十三条", "中华人民共和国立法法")

    def check(self, ctx):
        report = ctx.report
        issuer = report.issuer or ""
        prefix_owner = issuer or (report.title or "")
        # A government's general office reports that government's 规章 (上海市人民政府办公厅).
        government = _GENERAL_OFFICE.sub("", prefix_owner)
        if not prefix_owner or _RULE_POWER.search(government):
            return
        if _CENTRAL.match(issuer) and not _PLACE_CHARS.search(issuer):
            return
        if government != prefix_owner and not _NO_RULE_POWER.search(government):
            return  # a city government's office: whether the city has the power is not known
        no_power = bool(_NO_RULE_POWER.search(prefix_owner)) or ctx.unit_type == "department"
        if not no_power:
            return
        for key, cell in report.table2.items():
            if key.startswith("rules.") and cell.value:
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"{issuer or '报告机关'}无规章制定权，但表二“规章”"
                    f"{vocabulary.column_label('table2', key.split('.')[1], report.format, row='rules')}为 "
                    f"{_show(cell.value)}，应为 0 或“/”（可能将规范性文件填入了规章栏）。",
                    table="table2", row="rules", column=key.split(".")[1], line=cell.line,
                    evidence={"issuer": issuer, "key": f"table2.{key}", "value": cell.value},
                )


class InForceLowerBound(Rule):
    """表二第（一）项：现行有效件数不少于本年制发件数 − 本年废止件数（规章、行政规范性文件）。

    为什么：现行有效 = 上年现行有效 + 本年制发 − 本年废止（即 XY-02 对照上年报告核对的勾稽关系），而
    上年的存量不可能为负数，因此仅凭制发和废止，现行有效件数不可能少于本年制发 − 本年废止：“本年制发
    7件，现行有效0件”意味着本年制发的文件全部在当年内失效，或者某一栏填错。有效期届满、清理和机构改
    革仍可能解释这种情况，因此只标为“需人工复核”，绝不判为违规。本规则不需要上年报告，因此在 XY-02
    无法核对时同样运行。

    说明：domain.md §6 没有针对单一年度的此项规则；这是 XY-02 的勾稽关系在上年现行有效 ≥ 0 时给出的
    下限，与 XY-02（仅在有上年报告时运行）分开，使用下一个未占用的 ARI 编号。只检查2021年版格式
    （2019年版格式的“本年新制作数量”“本年新公开数量”“对外公开总数量”各栏统计的是其他内容）。某行缺失
    或印为“/”的，交由 STR-03/STR-04 处理；数字连写的行，仅当全部读法下均低于该下限时才标出；有单元格
    无法识别的，为“无法评估”。

    依据：国办公开办函〔2021〕30号 年度报告格式（表二第二十条第（一）项各栏的含义）。

    违规示例：表二“行政规范性文件”：本年制发件数9、本年废止件数1、现行有效件数3（9 − 1 = 8 > 3）。

    合规示例：本年制发件数9、本年废止件数1、现行有效件数25；或本年制发件数2、本年废止件数6、现行有效
    件数0。
    """

    code = "ARI-10"
    name = "arithmetic.in_force_lower_bound"
    title = "现行有效件数下限"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("表二第二十条第（一）项", FORMAT_DOCUMENTS["2021"])

    def check(self, ctx):
        report = ctx.report
        if report.format != "2021":
            return
        space = CellSpace(report)
        for row in ("rules", "normative"):
            keys = [f"table2.{row}.{c}" for c in ("issued", "repealed", "in_force")]
            if report.row_state(f"table2.{row}") == "absent" or all(
                    report.cell(k).printed_blank for k in keys):
                continue
            label = vocabulary.row_label("table2", row, report.format, short=True)
            found = readings_of(space, keys)
            if found.unknown or found.bound:
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"表二“{label}”有单元格空白或无法识别，无法核对现行有效件数。",
                    table="table2", row=row, discriminator=row,
                    evidence={"cells": list(found.unknown)})
                continue
            combos = [current for current, _ in found.combinations()]
            if any(None in (c[k] for k in keys) for c in combos):
                continue  # a printed blank in some reading: STR-04's
            breaking = [c for c in combos if c[keys[2]] < c[keys[0]] - c[keys[1]]]
            if not breaking or len(breaking) < len(combos):
                continue
            values = {k.rsplit(".", 1)[1]: _show(combos[0][k]) for k in keys}
            if len(combos) > 1:
                what = f"在连写数字的全部{len(combos)}种读法下均"
            else:
                what = (f"为{values['in_force']}件，"
                        f"少于本年制发{values['issued']} − 本年废止{values['repealed']} = "
                        f"{_show(combos[0][keys[0]] - combos[0][keys[1]])}件，")
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"表二“{label}”现行有效件数{what}"
                f"{'少于本年制发件数 − 本年废止件数，' if len(combos) > 1 else ''}"
                "即使上年现行有效为0也不可能，需说明原因（如有效期届满失效、清理）或核实填报。",
                table="table2", row=row, column="in_force", discriminator=row,
                evidence={k.rsplit(".", 1)[1]: combos[0][k] for k in keys} if len(combos) == 1
                else {"candidates": found.options, "readings": len(combos)})


ARITHMETIC_RULES = [Table3Balance, Table3RowTotals, Table3ResultTotals, Table4Totals,
                    NonNegativeIntegers, Table3Subtotals, RuleMakingPower, InForceLowerBound]
