"""Chinese for the 外勤服务 switch and dialog, and how they reach their catalogue.

``python -m gridapp.qt.field.translations_zh`` extracts the strings of this
package and of ``gridapp/qt/features/field_service.py`` with ``lupdate``,
fills them from :data:`ZH` and writes ``resources/translations/field_zh_CN.ts``
and ``.qm`` (the window loads every ``*_zh_CN.qm``).  Exits 1 when a string
has no Chinese.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gridapp.qt.catalogue import build, report

ZH: dict[str, dict[str, str]] = {
    "Actions": {
        "&Field service for phones…": "外勤服务（手机）(&F)…",
    },
    "FieldServiceFeature": {
        "Field service running at {url}": "外勤服务已启动：{url}",
    },
    "FieldServiceDialog": {
        "Field service for phones": "外勤服务（手机）",
        "Phones on the office network may connect (LAN)": "允许办公室网络中的手机连接（局域网）",
        "Port": "端口",
        "Address": "地址",
        "Certificate fingerprint": "证书指纹（SHA-256）",
        "Stop the field service": "停止外勤服务",
        "Start the field service": "启动外勤服务",
        "(not running)": "（未启动）",
        "Scan the QR code with the phone, then compare the fingerprint before trusting the "
        "certificate.": "用手机扫描二维码打开页面；信任证书前，请先核对证书指纹。",
    },
}


def main() -> int:
    here = Path(__file__).resolve().parent
    sources = sorted(here.glob("*.py")) + [here.parent / "features" / "field_service.py"]
    return report(build("field", sources, ZH))


if __name__ == "__main__":
    sys.exit(main())
