"""The 检查指标 scorecard (:mod:`auditor.score`) as text for people (``auditor score``) or JSON.

The text follows the layout inspectors file: 单项否决指标 with 合格/不合格 per item, 扣分指标 with
the points and every deduction traced to its finding, then the 政府信息公开专栏 and 网站规范
items; items the tool cannot check, could not assess or did not run say so.
"""

from __future__ import annotations

import json

from auditor.score import INDICATORS, Line, Scorecard

_MARK = {"violation": "✗", "needs_review": "?", "not_assessable": "…"}
_STATUS = {"violation": "违规", "needs_review": "需人工复核", "not_assessable": "无法评估"}
_NUMBERS = "一二三四"


def _points(value: float) -> str:
    return f"{value:g}"


def _findings(line: Line, with_points: bool) -> list[str]:
    out = []
    for f in line.findings:
        mark = "豁" if f.waived else _MARK.get(f.status, "·")
        cost = f"−{_points(f.points)} " if with_points and f.points else ""
        status = f"已豁免（{f.waived}）" if f.waived else _STATUS.get(f.status, f.status)
        note = f"（{f.note}）" if f.note else ""
        out.append(f"      {mark} {cost}{f.rule} {status}{note}：{f.message}")
        if f.url:
            out.append(f"          {f.url}")
    return out


def render_score_human(card: Scorecard) -> str:
    lines = [f"政府网站检查指标评分 — {INDICATORS}",
             f"检查站点  {card.start_url}    （运行编号 {card.run_id}，站点 {card.site}）",
             f"检查基准日  {card.as_of or '（未记录）'}",
             f"结论  {card.verdict_text}"]
    if card.verdict != "not_checked":
        lines.append(f"得分  {_points(card.full_marks)} − {_points(round(card.deducted, 2))} = "
                     f"{_points(card.score)}（满分{_points(card.full_marks)}，低于"
                     f"{_points(card.pass_mark)}分不合格）")
    sections = (("veto", "单项否决指标（任一项不合格即不合格）"),
                ("deduct", "扣分指标"),
                ("check", "政府信息公开专栏与网站规范（条例第十二条、第二十条、第四十九条；政府网站发展指引）"))
    for n, (kind, title) in enumerate(sections):
        lines += ["", f"{_NUMBERS[n]}、{title}"]
        for i, line in enumerate(card.of(kind), start=1):
            item = line.item
            name = item.name if kind == "veto" else f"{item.group}／{item.name}"
            cost = ""
            if kind != "veto" and line.result not in ("需人工核查", "未运行"):
                cost = f"  扣{_points(round(line.points, 2))}分"
            lines.append(f"  {i}. {name}：{line.result}{cost}"
                         + (f"（{', '.join(item.rules)}）" if item.rules else ""))
            lines.append(f"      指标：{item.criterion}")
            if line.note:
                lines.append(f"      说明：{line.note}")
            lines += _findings(line, with_points=kind != "veto")
    lines += ["", "说明："] + [f"  {note}" for note in card.notes]
    lines.append("  “需人工核查”为本工具不检查的项目；“无法评估”为未能看到足够内容的项目；两者都不视为合格。")
    return "\n".join(lines) + "\n"


def render_score_json(card: Scorecard) -> str:
    return json.dumps(card.to_dict(), ensure_ascii=False, indent=2) + "\n"
