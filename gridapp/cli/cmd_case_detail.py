"""One report at a time: ``reports add`` (file one, with photos) and ``cases show``.

``reports add`` files a report as the acting user (a grid manager files in their
own grids) and prints its case number; with ``--photo`` alone the position and
time come from the photo's EXIF (WGS84 GPS).  ``cases show`` prints one case:
its fields, history, deadline and attachments (``--json`` for scripts); the
reporter's name and phone are shown as the window shows them to that role.

Examples::

    gridapp reports add street.gpkg --lon 106.7215 --lat 26.5770 --crs gcj02 \\
        --category 占道经营 --text "早市摊贩占道" --as wgy01
    gridapp reports add street.gpkg --photo IMG_0012.jpg --category 暴露垃圾 --as wgy01
    gridapp cases show street.gpkg 2026112500003 --json
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gridapp.cli.cmd_users import add_login_args, logged_in
from gridapp.cli.common import emit
from gridapp.i18n import pick


def _login_args(p: argparse.ArgumentParser) -> None:
    add_login_args(p)
    p.add_argument("--user", dest="acting_user", metavar="USER", help="same as --as")


def extend(groups: dict[str, argparse._SubParsersAction]) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    p = groups["reports"].add_parser("add", help="file one report (上报一件事件)",
                                     description=__doc__, formatter_class=fmt)
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--lon", type=float, help="longitude (or easting)")
    p.add_argument("--lat", type=float, help="latitude (or northing)")
    p.add_argument("--crs", default="cgcs2000",
                   help="coordinates: cgcs2000 (default), wgs84, gcj02, bd09 or EPSG:nnnn")
    p.add_argument("--category", required=True,
                   help="category code (0401) or name as the window shows it (占道经营)")
    p.add_argument("--text", default="", help="description (问题描述)")
    p.add_argument("--address", help="address text")
    p.add_argument("--urgency", default="normal", help="normal|urgent or 一般|紧急")
    p.add_argument("--source", default="patrol",
                   help="patrol|resident|hotline|video or 网格员巡查|居民反映|12345热线|视频监控")
    p.add_argument("--reported-at", help="local date and time (default: now)")
    p.add_argument("--reporter-name")
    p.add_argument("--reporter-phone")
    p.add_argument("--external-id", help="the source's own id (编号)")
    p.add_argument("--photo", action="append", default=[], metavar="FILE",
                   help="photo to attach (repeatable); without --lon/--lat the first "
                        "photo's EXIF gives position and time")
    p.add_argument("--json", action="store_true")
    _login_args(p)
    p.set_defaults(handler=cmd_add)

    p = groups["cases"].add_parser("show", help="one case: detail, history, deadline, "
                                                "attachments (案件详情)")
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("case", help="case number (案件编号) or id")
    p.add_argument("--json", action="store_true")
    _login_args(p)
    p.set_defaults(handler=cmd_show)


def labelled(enum: Any, value: str, zh: str, en: str) -> str:
    """An enum's value from its value or its label in either language."""
    from gridapp.errors import ValidationError

    text = value.strip()
    for member in enum:
        if text.lower() in (member.value, member.zh.lower(), member.en.lower()):
            return str(member.value)
    choices = "、".join(f"{m.value}（{m.zh}）" for m in enum)
    raise ValidationError("未知的{what}“{v}”，可选：{c}", "Unknown {what_en} '{v}'; choose from: {c}",
                          what=zh, what_en=en, v=value, c=choices)


def case_id(session: Any, ref: str) -> int:
    """A case by number (13 digits) or id."""
    from gridapp.services.cases.query import case_ids_for_numbers

    ref = ref.strip()
    if ref.isdigit() and len(ref) < 10:
        return int(ref)
    return case_ids_for_numbers(session, [ref])[0]


def cmd_add(args: argparse.Namespace) -> int:
    from gridapp.cli.cmd_tasks import parse_local
    from gridapp.domain.enums import ReportSource, Urgency
    from gridapp.errors import ValidationError
    from gridapp.services.cases.drafts import ReportDraft
    from gridapp.services.cases.photos import draft_from_photo, read_photo
    from gridapp.services.cases.reports import file_report

    if (args.lon is None) != (args.lat is None):
        raise ValidationError("--lon 与 --lat 须同时给出", "Give both --lon and --lat")
    if args.lon is None and not args.photo:
        raise ValidationError("请用 --lon/--lat 或带位置的 --photo 指定位置",
                              "Give the position with --lon/--lat or a --photo with GPS")
    photos = [read_photo(f) for f in args.photo]
    fields: dict[str, Any] = {
        "description": args.text, "address": args.address,
        "urgency": labelled(Urgency, args.urgency, "紧急程度", "urgency"),
        "source": labelled(ReportSource, args.source, "来源", "source"),
        "reporter_name": args.reporter_name, "reporter_phone": args.reporter_phone,
        "external_id": args.external_id,
    }
    if args.lon is None:
        draft = draft_from_photo(photos[0], args.category, **fields)
        if args.reported_at:
            draft.reported_at = parse_local(args.reported_at)
    else:
        draft = ReportDraft(category=args.category, lon=args.lon, lat=args.lat, crs=args.crs,
                            reported_at=parse_local(args.reported_at), **fields)
    with logged_in(args) as session:
        filed = file_report(session, draft, photos=photos)
    p = filed.placement
    data = {"id": filed.report_id, "case_no": filed.case_no, "grid": p.grid_code,
            "lon": round(p.lon, 7), "lat": round(p.lat, 7),
            "attachments": filed.attachment_ids,
            "near_duplicates": [d.message for d in filed.duplicates]}
    for d in filed.duplicates:
        print("! " + d.message, file=sys.stderr)
    emit(args, data, [filed.case_no])
    return 0


def _case_json(case: dict[str, Any], timeline: list[dict[str, Any]],
               photos: list[dict[str, Any]], actions: list[Any],
               due_state: str | None) -> dict[str, Any]:
    geom = case.get("geom")
    out = {k: v for k, v in case.items() if k != "geom" and not isinstance(v, bytes | memoryview)}
    if geom is not None:
        out["lon"], out["lat"] = round(geom.x, 7), round(geom.y, 7)
    out["due_state"] = due_state
    out["history"] = timeline
    out["attachments"] = [{k: v for k, v in ph.items() if not isinstance(v, bytes | memoryview)}
                          for ph in photos]
    out["available_actions"] = [{"action": a.id.value, "label": a.id.label,
                                 "needs_note": a.needs_note} for a in actions]
    return out


def cmd_show(args: argparse.Namespace) -> int:
    from gridapp.domain.enums import CaseStatus
    from gridapp.domain.timeutil import format_local
    from gridapp.domain.workflow import CaseAction
    from gridapp.services.cases.photos import report_photos
    from gridapp.services.cases.reports import get_case
    from gridapp.services.cases.workflow import available_actions, case_timeline

    with logged_in(args, readonly=True) as session:
        rid = case_id(session, args.case)
        case = get_case(session, rid)
        timeline = case_timeline(session, rid)
        photos = report_photos(session, rid)
        actions = available_actions(session, rid)
    due = _due_state(case)
    data = _case_json(case, timeline, photos, actions, due)

    def text() -> None:
        def when(v: str | None) -> str:
            return format_local(v) if v else "-"

        status = CaseStatus(case["status"]).label
        print(f"{case['case_no']}  {status}  {case.get('category_name') or ''}"
              f"（{case.get('category_code') or ''}）")
        rows = ((pick("网格", "Grid"), f"{case.get('grid_code')} {case.get('grid_name') or ''}"),
                (pick("地址", "Address"), case.get("address") or "-"),
                (pick("描述", "Description"), case.get("description") or "-"),
                (pick("位置", "Position"), f"{data.get('lon')},{data.get('lat')}"),
                (pick("上报时间", "Reported"), when(case.get("reported_at"))),
                (pick("处置单位", "Handler"), case.get("department_name") or "-"),
                (pick("处置时限", "Deadline"), when(case.get("deadline"))
                 + (f" ({pick('逾期', 'OVERDUE')})" if due == "overdue" else "")),
                (pick("上报人", "Reporter"), " ".join(filter(None, (
                    case.get("reporter_name"), case.get("reporter_phone")))) or "-"))
        for k, v in rows:
            print(f"  {k}: {v}")
        print(pick("流转记录：", "History:"))
        for e in timeline:
            act = e["action"]
            try:
                act = CaseAction(act).label
            except ValueError:
                pass
            print(f"  {when(e['at'])} {act} {e.get('actor') or ''} {e.get('note') or ''}")
        print(pick("附件：{n} 个", "Attachments: {n}", n=len(photos)))
        for ph in photos:
            print(f"  #{ph.get('id')} {ph.get('filename') or ''}")
        if actions:
            print(pick("可执行操作：", "Actions you may take: ")
                  + "、".join(f"{a.id.label}({a.id.value})" for a in actions))

    emit(args, data, text)
    return 0


def _due_state(case: dict[str, Any]) -> str | None:
    from gridapp.services.cases.workflow import case_due_state

    state = case_due_state(case.get("deadline"), case["status"])
    return None if state is None else str(getattr(state, "value", state))
