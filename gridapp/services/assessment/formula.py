"""Indicator formulas as data: a tiny arithmetic language over measure names.

A formula is ``+ - * /``, parentheses, numbers and the names of the measures
counted per case (:data:`MEASURES`).  It is parsed with :mod:`ast` and only
those nodes are accepted, so a formula typed by an administrator can never run
code.  Division by zero gives "no value" (NaN), not an error: a period with no
due cases has no closing rate.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

import numpy as np

from gridapp.errors import ValidationError

# measure → (中文, English)
MEASURES: dict[str, tuple[str, str]] = {
    "filed": ("上报数", "reports filed"),
    "registered": ("立案数", "registered"),
    "due": ("应结案数", "due"),
    "deferred": ("缓办数", "deferred"),
    "closed": ("结案数", "closed"),
    "closed_on_time": ("按期结案数", "closed on time"),
    "urgent_due": ("紧急应结案数", "urgent due"),
    "urgent_deferred": ("紧急缓办数", "urgent deferred"),
    "urgent_closed": ("紧急结案数", "urgent closed"),
    "urgent_closed_on_time": ("紧急按期结案数", "urgent closed on time"),
    "rework": ("返工数", "rework"),
    "overdue_now": ("超期数", "overdue"),
    "handled": ("已计时结案数", "closed with handling time"),
    "handling_mean": ("平均处置工作时", "mean handling office hours"),
    "handling_p90": ("处置工作时P90", "p90 handling office hours"),
    "responded": ("按时响应数", "responded in time"),
    "callbacks": ("回访数", "callbacks"),
    "satisfied": ("满意数", "satisfied"),
    "basic": ("基本满意数", "basically satisfied"),
    "dissatisfied": ("不满意数", "dissatisfied"),
    "resolved": ("已解决数", "resolved"),
    "checkins": ("被吹哨次数", "summons"),
    "checkins_on_time": ("按时报到数", "check-ins on time"),
    "tasks_evaluated": ("已评价任务数", "tasks evaluated"),
    "tasks_effective": ("评价有效数", "evaluated effective"),
}

# Measures that are per-case flags (summed per unit; each has a drill-down list).
CASE_FLAGS = [m for m in MEASURES if m not in {
    "handling_mean", "handling_p90", "checkins", "checkins_on_time",
    "tasks_evaluated", "tasks_effective"}]

_BINOPS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply}


def _bad(formula: str, why_zh: str, why_en: str) -> ValidationError:
    return ValidationError(
        "公式“{formula}”无效：{why_zh}", "Formula '{formula}' is not valid: {why_en}",
        formula=formula, why_zh=why_zh, why_en=why_en)


def parse(formula: str) -> ast.Expression:
    """Parse and check *formula*; raise :class:`ValidationError` if it is not one."""
    text = (formula or "").strip()
    if not text:
        raise _bad(formula, "公式为空", "it is empty")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise _bad(formula, "语法错误（只能使用 + - * / 、括号、数字和指标名）",
                   "syntax error (use + - * /, parentheses, numbers and measure names)"
                   ) from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in MEASURES:
                raise _bad(formula, f"未知的计数项“{node.id}”",
                           f"unknown measure '{node.id}'")
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise _bad(formula, "只能使用数字常量", "only numeric constants")
        elif isinstance(node, ast.BinOp):
            if not isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
                raise _bad(formula, "只能使用 + - * /", "only + - * / are allowed")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise _bad(formula, "只能使用 + - * /", "only + - * / are allowed")
        elif not isinstance(node, ast.Expression | ast.operator | ast.unaryop | ast.Load):
            raise _bad(formula, "只能使用 + - * / 、括号、数字和指标名",
                       "only + - * /, parentheses, numbers and measure names")
    return tree


def names(formula: str) -> list[str]:
    """The measures *formula* uses, in order of first use."""
    seen: list[str] = []
    for node in ast.walk(parse(formula)):
        if isinstance(node, ast.Name) and node.id not in seen:
            seen.append(node.id)
    return seen


def evaluate(formula: str, values: Mapping[str, Any]) -> Any:
    """Evaluate *formula* on scalars or numpy/pandas columns of *values*.

    Examples
    --------
    >>> evaluate("closed / (due - deferred)", {"closed": 3, "due": 5, "deferred": 1})
    0.75
    >>> import math; math.isnan(evaluate("closed / due", {"closed": 0, "due": 0}))
    True
    """
    tree = parse(formula)

    def run(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return run(node.body)
        if isinstance(node, ast.Name):
            return np.asarray(values[node.id], dtype=float)
        if isinstance(node, ast.Constant):
            return np.asarray(float(node.value))
        if isinstance(node, ast.UnaryOp):
            inner = run(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        assert isinstance(node, ast.BinOp)
        left, right = run(node.left), run(node.right)
        if isinstance(node.op, ast.Div):
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(right == 0, np.nan, left / np.where(right == 0, 1, right))
        return _BINOPS[type(node.op)](left, right)

    out = run(tree)
    return float(out) if np.ndim(out) == 0 else out
