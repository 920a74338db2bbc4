"""Chinese for the district-server connection (issue 16).

``python -m gridapp.qt.catalogue`` builds ``resources/translations/server_zh_CN``
from this module (see :mod:`gridapp.qt.catalogue`).
"""

from __future__ import annotations

ZH: dict[str, dict[str, str]] = {
    "Actions": {
        "Connect to &server…": "连接服务器(&S)…",
        "Open a street on the district's PostgreSQL server": "打开区级 PostgreSQL 服务器上的街道数据",
    },
    "Server": {
        "The connection to the server was lost (a restart?) and GridApp reconnected. "
        "Check that your last change was saved.":
            "与服务器的连接曾中断（服务器重启？），已自动重新连接。请确认最后一次修改已保存。",
    },
    "ServerConnectDialog": {
        "Connect to the district server": "连接区级服务器",
        "Remembered": "已保存的连接",
        "Service name": "服务名",
        "Server": "服务器地址",
        "Port": "端口",
        "Database": "数据库",
        "Login": "登录名",
        "Street code": "街道代码",
        "Password": "密码",
        "Use a libpq service name (pg_service.conf)": "使用 libpq 服务名（pg_service.conf）",
        "Forget": "删除",
        "Remove this connection and its remembered password": "删除这个连接及其保存的密码",
        "e.g. 10.1.2.3 or db.district.gov.cn": "例如 10.1.2.3 或 db.district.gov.cn",
        "9 digits, e.g. 520102003": "9 位数字，例如 520102003",
        "empty: from pgpass or the service file": "留空：从 pgpass 或服务文件读取",
        "Remember the password": "记住密码",
        "Test connection": "测试连接",
        "Log in to the server and look for the street; nothing is opened or saved":
            "登录服务器并查找该街道；不打开也不保存任何内容",
        "Connect": "连接",
        "Cancel": "取消",
        "(new connection)": "（新连接）",
        "A remembered password goes to the system keyring, never to GridApp's settings.":
            "记住的密码保存在系统钥匙串中，不会写入 GridApp 的设置。",
        "A remembered password goes to the pgpass file {path} (readable by you only), "
        "never to GridApp's settings.":
            "记住的密码保存在 pgpass 文件 {path} 中（仅本人可读），不会写入 GridApp 的设置。",
        "Forgotten: {name}": "已删除：{name}",
        "Connecting to {name}…": "正在连接 {name}…",
        "Connected: {street} ({code}), {n} grids, schema version {v}.":
            "连接成功：{street}（{code}），现行网格 {n} 个，数据结构版本 {v}。",
        "The password could not be remembered: {error}": "无法保存密码：{error}",
    },
}
