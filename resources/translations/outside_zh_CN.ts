<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>Edits made &amp;outside GridApp…</source>
      <translation>GridApp 之外的修改(&amp;O)…</translation>
    </message>
  </context>
  <context>
    <name>OutsideEditsDialog</name>
    <message>
      <source>&amp;Accept into history</source>
      <translation>接受并写入历史(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Revert</source>
      <translation>撤销(&amp;R)</translation>
    </message>
    <message>
      <source>Edits made outside GridApp</source>
      <translation>GridApp 之外的修改</translation>
    </message>
    <message>
      <source>{n} edits were made outside GridApp (QGIS, sqlite3…). Accept them into history and the audit log, or revert them. With no row selected, the buttons act on all of them.</source>
      <translation>有 {n} 处修改是在 GridApp 之外做的（QGIS、sqlite3 等）。可接受（写入历史和审计日志）或撤销。未选中任何行时，按钮作用于全部修改。</translation>
    </message>
  </context>
  <context>
    <name>OutsideEditsFeature</name>
    <message>
      <source>{n} edits made outside GridApp (QGIS, sqlite3…): an administrator should review them</source>
      <translation>有 {n} 处修改是在 GridApp 之外做的（QGIS、sqlite3 等）：请管理员审核</translation>
    </message>
    <message>
      <source>{n} edits made outside GridApp (QGIS, sqlite3…): review them to accept or revert</source>
      <translation>有 {n} 处修改是在 GridApp 之外做的（QGIS、sqlite3 等）：请审核，接受或撤销</translation>
    </message>
    <message>
      <source>⚠ {n} edits outside GridApp</source>
      <translation>⚠ {n} 处外部修改</translation>
    </message>
  </context>
  <context>
    <name>OutsideEditsModel</name>
    <message>
      <source>Before → after</source>
      <translation>修改前 → 修改后</translation>
    </message>
    <message>
      <source>Change</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Record</source>
      <translation>记录</translation>
    </message>
    <message>
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <source>Table</source>
      <translation>表</translation>
    </message>
    <message>
      <source>When</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>deleted</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>inserted</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>updated</source>
      <translation>修改</translation>
    </message>
  </context>
</TS>
