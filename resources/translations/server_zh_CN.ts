<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>Connect to &amp;server…</source>
      <translation>连接服务器(&amp;S)…</translation>
    </message>
    <message>
      <source>Open a street on the district's PostgreSQL server</source>
      <translation>打开区级 PostgreSQL 服务器上的街道数据</translation>
    </message>
  </context>
  <context>
    <name>Server</name>
    <message>
      <source>The connection to the server was lost (a restart?) and GridApp reconnected. Check that your last change was saved.</source>
      <translation>与服务器的连接曾中断（服务器重启？），已自动重新连接。请确认最后一次修改已保存。</translation>
    </message>
  </context>
  <context>
    <name>ServerConnectDialog</name>
    <message>
      <source>(new connection)</source>
      <translation>（新连接）</translation>
    </message>
    <message>
      <source>9 digits, e.g. 520102003</source>
      <translation>9 位数字，例如 520102003</translation>
    </message>
    <message>
      <source>A remembered password goes to the pgpass file {path} (readable by you only), never to GridApp's settings.</source>
      <translation>记住的密码保存在 pgpass 文件 {path} 中（仅本人可读），不会写入 GridApp 的设置。</translation>
    </message>
    <message>
      <source>A remembered password goes to the system keyring, never to GridApp's settings.</source>
      <translation>记住的密码保存在系统钥匙串中，不会写入 GridApp 的设置。</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Connect</source>
      <translation>连接</translation>
    </message>
    <message>
      <source>Connect to the district server</source>
      <translation>连接区级服务器</translation>
    </message>
    <message>
      <source>Connected: {street} ({code}), {n} grids, schema version {v}.</source>
      <translation>连接成功：{street}（{code}），现行网格 {n} 个，数据结构版本 {v}。</translation>
    </message>
    <message>
      <source>Connecting to {name}…</source>
      <translation>正在连接 {name}…</translation>
    </message>
    <message>
      <source>Database</source>
      <translation>数据库</translation>
    </message>
    <message>
      <source>Forget</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Forgotten: {name}</source>
      <translation>已删除：{name}</translation>
    </message>
    <message>
      <source>Log in to the server and look for the street; nothing is opened or saved</source>
      <translation>登录服务器并查找该街道；不打开也不保存任何内容</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>登录名</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>Port</source>
      <translation>端口</translation>
    </message>
    <message>
      <source>Remember the password</source>
      <translation>记住密码</translation>
    </message>
    <message>
      <source>Remembered</source>
      <translation>已保存的连接</translation>
    </message>
    <message>
      <source>Remove this connection and its remembered password</source>
      <translation>删除这个连接及其保存的密码</translation>
    </message>
    <message>
      <source>Server</source>
      <translation>服务器地址</translation>
    </message>
    <message>
      <source>Service name</source>
      <translation>服务名</translation>
    </message>
    <message>
      <source>Street code</source>
      <translation>街道代码</translation>
    </message>
    <message>
      <source>Test connection</source>
      <translation>测试连接</translation>
    </message>
    <message>
      <source>The password could not be remembered: {error}</source>
      <translation>无法保存密码：{error}</translation>
    </message>
    <message>
      <source>Use a libpq service name (pg_service.conf)</source>
      <translation>使用 libpq 服务名（pg_service.conf）</translation>
    </message>
    <message>
      <source>e.g. 10.1.2.3 or db.district.gov.cn</source>
      <translation>例如 10.1.2.3 或 db.district.gov.cn</translation>
    </message>
    <message>
      <source>empty: from pgpass or the service file</source>
      <translation>留空：从 pgpass 或服务文件读取</translation>
    </message>
  </context>
</TS>
