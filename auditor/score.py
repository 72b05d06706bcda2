"""The 检查指标 score of one run: the 政府网站与政务新媒体检查指标 (国办秘函〔2019〕19号) as an
inspector files it — the 单项否决 items hit or not, the 扣分 items with every deduction traced
to the finding it comes from, and the 政府信息公开 专栏 and 网站规范 items — from the run's stored
findings. Pure: findings and the run's facts in, a :class:`Scorecard` out.

Nothing is silently a pass: an item the tool cannot check (安全、泄密, 站点可用性 over a week of
monitoring, 服务实用) is 需人工核查; one whose rule could not see enough is 无法评估; one whose rule
did not run (deselected, or the run was audited before the rule existed) is 未运行; a waived
finding keeps its item 已豁免, with the reason. The overall result is 不合格 when a 单项否决 item is
hit or the score falls below the pass mark, and otherwise never more than “未发现不合格项”, with
what is left to check by hand.

The deduction amounts are configuration (``[score]`` in auditor.toml; defaults in
``auditor/default_config.toml``): the original amounts of the indicators are unverified (出处未核实).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auditor.vocabulary import RUN_STATUS_LABELS

from .findings import site_path

INDICATORS = "政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）"

RESULT_PASS = "合格"
RESULT_FAIL = "不合格"
RESULT_NA = "无法评估"
RESULT_REVIEW = "需人工复核"
RESULT_MANUAL = "需人工核查"
RESULT_WAIVED = "已豁免"
RESULT_NOT_RUN = "未运行"

DEFAULT_SCORE: dict[str, Any] = {
    "full_marks": 100, "pass_mark": 60,
    "deductions": {"home_link": 1.0, "other_link": 0.1, "stale_column": 1.0,
                   "blank_column": 1.0, "disclosure_item": 0.0, "norms_item": 0.0},
    "caps": {"link": 0, "column_update": 0, "blank_column": 0},
}


@dataclass(frozen=True)
class Item:
    """One row of the 检查指标 layout: which rules feed it and how it is scored."""

    kind: str  # "veto" (单项否决), "deduct" (扣分), "check" (专栏 / 规范: result, configurable points)
    group: str  # 一级指标
    name: str  # 二级指标
    criterion: str  # what the indicator says / what is checked
    rules: tuple[str, ...] = ()
    #: Which findings of the rules count: "veto" (the 单项否决 findings), "column" (the
    #: per-column ones), "all".
    select: str = "all"
    #: The deduction key in [score.deductions] and the cap key in [score.caps].
    points: str = ""
    cap: str = ""
    #: Why the tool does not check it (a manual item).
    manual: str = ""


LAYOUT: tuple[Item, ...] = (
    Item("veto", "单项否决指标", "安全、泄密事故等严重问题",
         "严重表述错误；泄露国家秘密；发布或链接反动、暴力、色情等内容；安全攻击未及时处置造成严重安全事故；"
         "弄虚作假（如伪造发稿日期）；网站建设管理不当引发严重负面舆情。",
         manual="内容与安全事项需人工核查（发稿日期问题见 TIME-06、WEB-04）"),
    Item("veto", "单项否决指标", "站点无法访问",
         "监测1周，每天间隔性访问20次以上，超过（含）15秒网站仍打不开的次数累计占比超过（含）5%。",
         manual="需连续监测1周，单次抓取不能判断"),
    Item("veto", "单项否决指标", "首页不更新",
         "监测2周，首页无信息更新；首页仅为导航入口的，所有二级页面无信息更新。", ("WEB-05",),
         select="veto"),
    Item("veto", "单项否决指标", "栏目不更新",
         "动态、要闻类栏目2周内、通知公告和政策文件类栏目6个月内累计超过（含）5个未更新；应更新但长期未更新的"
         "栏目超过（含）10个；空白栏目超过（含）5个。", ("WEB-06", "WEB-07", "WEB-08"),
         select="veto"),
    Item("veto", "单项否决指标", "互动回应差",
         "未提供网上有效咨询建言渠道；监测时间点前1年内政务咨询类栏目存在超过3个月未回应有效留言的现象。",
         ("WEB-16",), select="veto"),
    Item("veto", "单项否决指标", "服务不实用",
         "未提供办事服务；办事指南重点要素缺失等。", manual="办事服务需人工核查"),
    Item("deduct", "网站可用性", "首页可用性", "监测1周内首页打不开的次数占比。",
         manual="需连续监测，单次抓取不能判断"),
    Item("deduct", "网站可用性", "链接可用性",
         "首页及其他页面不能正常访问的链接（含附件）：首页每个、其他页面每个分别扣分。", ("WEB-10",),
         points="link", cap="link"),
    Item("deduct", "信息更新情况", "栏目更新",
         "动态要闻类2周、通知公告和政策文件类6个月、其他应更新栏目按更新周期未更新的栏目，每个扣分。",
         ("WEB-06", "WEB-07"), select="column", points="stale_column", cap="column_update"),
    Item("deduct", "信息更新情况", "空白栏目", "栏目页无任何信息的栏目，每个扣分。", ("WEB-08",),
         select="column", points="blank_column", cap="blank_column"),
    Item("deduct", "互动回应情况", "政务咨询、调查征集、互动访谈",
         "留言办理、征集与访谈的数量和质量。", manual="除单项否决所列情形外需人工核查"),
    Item("deduct", "服务实用情况", "办事指南、附件下载、在线系统", "办事指南要素、表格下载与在线办理。",
         manual="办事服务需人工核查"),
    Item("check", "政府信息公开专栏", "政府信息公开指南", "条例第十二条：内容完整，及时更新。",
         ("WEB-11",), points="disclosure_item"),
    Item("check", "政府信息公开专栏", "政府信息公开目录",
         "条例第十二条：索引、名称、内容概述、生成日期。", ("WEB-12",), points="disclosure_item"),
    Item("check", "政府信息公开专栏", "法定主动公开内容", "条例第二十条：应设置的栏目。", ("WEB-15",),
         points="disclosure_item"),
    Item("check", "政府信息公开专栏", "依申请公开渠道", "条例第二十七至二十九条：申请渠道。",
         ("WEB-14",), points="disclosure_item"),
    Item("check", "政府信息公开专栏", "政府信息公开工作年度报告", "条例第四十九条：按时向社会公布。",
         ("WEB-13",), points="disclosure_item"),
    Item("check", "网站规范", "域名", "政府网站发展指引：.gov.cn 域名。", ("WEB-03",),
         points="norms_item"),
    Item("check", "网站规范", "网站标识码与页脚标识",
         "政府网站发展指引：网站标识码，ICP备案号、公安机关备案号。", ("WEB-02", "WEB-17"),
         points="norms_item"),
    Item("check", "网站规范", "网页标签", "政府网站发展指引：网页标签。", ("WEB-01", "WEB-04"),
         points="norms_item"),
)

STATUS_CN = {"violation": "违规", "needs_review": "需人工复核", "not_assessable": "无法评估"}


@dataclass
class Deduction:
    """One finding on a score line, with the points it costs (0 when it costs none)."""

    rule: str
    status: str
    message: str
    url: str | None
    points: float = 0.0
    waived: str | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "status": self.status, "message": self.message,
                "url": self.url, "points": round(self.points, 2), "waived": self.waived,
                "note": self.note}


@dataclass
class Line:
    item: Item
    result: str
    points: float = 0.0
    capped: bool = False
    findings: list[Deduction] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.item.kind, "group": self.item.group, "item": self.item.name,
                "criterion": self.item.criterion, "rules": list(self.item.rules),
                "result": self.result, "points": round(self.points, 2), "capped": self.capped,
                "note": self.note, "findings": [f.to_dict() for f in self.findings]}


@dataclass
class Scorecard:
    site: str
    run_id: int
    start_url: str
    run_status: str
    as_of: str | None
    lines: list[Line]
    full_marks: float
    pass_mark: float
    deducted: float
    verdict: str
    verdict_text: str
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(self.full_marks - self.deducted, 2)

    def of(self, kind: str) -> list[Line]:
        return [line for line in self.lines if line.item.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        return {"indicators": INDICATORS, "site": self.site, "run_id": self.run_id,
                "start_url": self.start_url, "run_status": self.run_status,
                "as_of": self.as_of, "full_marks": self.full_marks, "pass_mark": self.pass_mark,
                "deducted": round(self.deducted, 2), "score": self.score,
                "verdict": self.verdict, "verdict_text": self.verdict_text, "notes": self.notes,
                "veto": [line.to_dict() for line in self.of("veto")],
                "deductions": [line.to_dict() for line in self.of("deduct")],
                "checks": [line.to_dict() for line in self.of("check")]}


def score_settings(config_score: dict[str, Any] | None) -> dict[str, Any]:
    """The [score] table over the defaults (deductions and caps merged key by key)."""
    raw = dict(config_score or {})
    return {
        "full_marks": float(raw.get("full_marks", DEFAULT_SCORE["full_marks"])),
        "pass_mark": float(raw.get("pass_mark", DEFAULT_SCORE["pass_mark"])),
        "deductions": {**DEFAULT_SCORE["deductions"], **(raw.get("deductions") or {})},
        "caps": {**DEFAULT_SCORE["caps"], **(raw.get("caps") or {})},
    }


def _is_veto(finding: dict[str, Any]) -> bool:
    evidence = finding.get("evidence") or {}
    return (isinstance(evidence, dict) and evidence.get("indicator") == "veto") or \
        finding.get("discriminator") == "veto"


def _selected(item: Item, finding: dict[str, Any]) -> bool:
    if finding["rule"] not in item.rules:
        return False
    if item.select == "veto":
        return finding["rule"] in ("WEB-05", "WEB-16") or _is_veto(finding)
    if item.select == "column":
        return not _is_veto(finding)
    return True


def _home_link(finding: dict[str, Any], start_url: str) -> bool:
    evidence = finding.get("evidence") or {}
    linked_from = evidence.get("linked_from") if isinstance(evidence, dict) else None
    if not linked_from:
        return False
    home = {site_path(start_url), "/", "/index.html", "/index.htm", "/index.shtml"}
    return site_path(linked_from) in home


def _points(item: Item, finding: dict[str, Any], settings: dict[str, Any],
            start_url: str) -> tuple[float, str]:
    if finding["status"] != "violation" or not item.points:
        return 0.0, ""
    amounts = settings["deductions"]
    if item.points == "link":
        if _home_link(finding, start_url):
            return float(amounts["home_link"]), "首页链接"
        return float(amounts["other_link"]), "其他页面链接"
    return float(amounts.get(item.points, 0.0)), ""


def _judge(item: Item, findings: list[dict[str, Any]], rules_run: set[str] | None,
           settings: dict[str, Any], start_url: str) -> Line:
    if item.manual:
        return Line(item, RESULT_MANUAL, note=item.manual)
    ran = [r for r in item.rules if rules_run is None or r in rules_run]
    if not ran:
        return Line(item, RESULT_NOT_RUN, note="相关规则未运行（未选用，或本次运行审计时尚无此规则："
                    "可重新审计该次运行）")
    mine = [f for f in findings if _selected(item, f)]
    deductions, total = [], 0.0
    for f in mine:
        points, note = (0.0, "") if f.get("waived") else _points(item, f, settings, start_url)
        deductions.append(Deduction(f["rule"], f["status"], f.get("message", ""),
                                    (f.get("location") or {}).get("url"), points,
                                    f.get("waived"), note))
        total += points
    cap = float(settings["caps"].get(item.cap, 0) or 0) if item.cap else 0.0
    capped = bool(cap) and total > cap
    total = min(total, cap) if capped else total
    active = [f for f in mine if not f.get("waived")]
    statuses = {f["status"] for f in active}
    if "violation" in statuses:
        result = RESULT_FAIL
    elif "not_assessable" in statuses:
        result = RESULT_NA
    elif "needs_review" in statuses:
        result = RESULT_REVIEW
    elif mine:
        result = RESULT_WAIVED
    else:
        result = RESULT_PASS
    notes = []
    if len(ran) < len(item.rules):
        notes.append(f"未运行：{'、'.join(r for r in item.rules if r not in ran)}")
    if result == RESULT_FAIL and "not_assessable" in statuses:
        notes.append("另有部分内容无法评估")
    if capped:
        notes.append(f"扣分达到上限{cap:g}分")
    if item.select == "veto" and result == RESULT_PASS:
        counted = [(r, sum(1 for f in findings if f["rule"] == r and f["status"] == "violation"
                          and not f.get("waived") and not _is_veto(f))) for r in item.rules]
        counted = [(r, n) for r, n in counted if n]
        if counted:
            notes.append("未达到单项否决的数量：" + "、".join(f"{r} {n}个" for r, n in counted)
                         + "（见扣分指标）")
    return Line(item, result, total, capped, deductions, "；".join(notes))


def build_scorecard(findings: list[dict[str, Any]], *, site: str, run_id: int, start_url: str,
                    run_status: str, stats: dict[str, Any] | None = None,
                    config_score: dict[str, Any] | None = None) -> Scorecard:
    """The scorecard of one run from its findings (dicts as the store yields them) and its
    stats (``as_of``, ``rules_run``)."""
    stats = stats or {}
    settings = score_settings(config_score)
    rules_run = set(stats["rules_run"]) if isinstance(stats.get("rules_run"), list) else None
    notes = []
    if run_status == "failed":
        lines = [Line(item, RESULT_MANUAL if item.manual else RESULT_NA,
                      note=item.manual or "本次抓取未能访问站点，未作检查") for item in LAYOUT]
        return Scorecard(site, run_id, start_url, run_status, stats.get("as_of"), lines,
                         settings["full_marks"], settings["pass_mark"], 0.0, "not_checked",
                         "抓取失败，未能访问站点，未作检查", ["本次抓取未能访问站点：各项均未检查，不能视为合格。"])
    if rules_run is None:
        notes.append("本次运行未记录所运行的规则（在本功能之前审计）：各项记为未运行，请重新审计该次运行。")
        rules_run = set()
    lines = [_judge(item, findings, rules_run, settings, start_url) for item in LAYOUT]
    deducted = sum(line.points for line in lines)
    score = settings["full_marks"] - deducted
    vetoes = [line for line in lines if line.item.kind == "veto" and line.result == RESULT_FAIL]
    open_items = [line for line in lines if line.result in (RESULT_NA, RESULT_MANUAL,
                                                             RESULT_NOT_RUN)]
    if run_status != "finished":
        notes.append(f"抓取未正常结束（{RUN_STATUS_LABELS.get(run_status, run_status)}），"
                     "结果只覆盖已抓取的页面。")
    if vetoes or score < settings["pass_mark"]:
        why = [f"单项否决：{'、'.join(line.item.name for line in vetoes)}"] if vetoes else []
        if score < settings["pass_mark"]:
            why.append(f"得分{score:g}低于{settings['pass_mark']:g}分")
        verdict, text = "fail", f"不合格（{'；'.join(why)}）"
    else:
        manual = sum(1 for line in open_items if line.result == RESULT_MANUAL)
        unknown = sum(1 for line in open_items if line.result != RESULT_MANUAL)
        verdict = "no_fail_found"
        text = (f"未发现不合格项（另有{manual}项需人工核查" + (f"、{unknown}项无法评估或未运行" if unknown
                                                       else "") + "，不能据此认定合格）")
    gaps = [f for f in findings if f["rule"] == "SCAN-01" and f["status"] == "not_assessable"
            and not f.get("waived")]
    if gaps:
        notes.append(f"抓取覆盖不完整：{len(gaps)}项无法评估（SCAN-01，如：{gaps[0].get('message', '')[:60]}），"
                     "相关内容未检查。")
    notes.append("扣分标准出处未核实（国办秘函〔2019〕19号扣分细则原文未取得）：扣分值为配置值，见配置文件的"
                 "评分设置。")
    return Scorecard(site, run_id, start_url, run_status, stats.get("as_of"), lines,
                     settings["full_marks"], settings["pass_mark"], deducted, verdict, text, notes)


def scorecard_of_run(store, run_id: int, *, config_score: dict[str, Any] | None = None
                     ) -> Scorecard:
    """The scorecard of a stored run (its findings and stats, read from the store)."""
    from .runstatus import effective

    run = store.run(run_id)
    if run is None:
        raise KeyError(f"no run {run_id}")
    run = effective(store, run)
    return build_scorecard(list(store.findings(run_id)), site=run.site, run_id=run.id,
                           start_url=run.start_url, run_status=run.status, stats=run.stats,
                           config_score=config_score)


def scorecard_of_report(report, *, config_score: dict[str, Any] | None = None) -> Scorecard:
    """The scorecard of a :class:`~auditor.history.SiteReport`'s run: its own findings (new,
    still open, waived, not assessable), not those only the previous run had."""
    run = report.run
    findings = [t.finding for t in report.findings if t.run_id == run.id]
    return build_scorecard(findings, site=report.site_id, run_id=run.id,
                           start_url=run.start_url, run_status=run.status,
                           stats=run.stats, config_score=config_score)
