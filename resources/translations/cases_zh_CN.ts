<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>&amp;File a report on the map</source>
      <translation>地图上报(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Import reports (CSV/XLSX)…</source>
      <translation>导入上报 (CSV/XLSX)(&amp;I)…</translation>
    </message>
    <message>
      <source>&amp;My work</source>
      <translation>我的待办(&amp;M)</translation>
    </message>
    <message>
      <source>Click the map where the problem is to file a report</source>
      <translation>在地图上点击问题所在位置，填写上报</translation>
    </message>
    <message>
      <source>Import &amp;holiday schedule (节假日安排)…</source>
      <translation>导入节假日安排(&amp;H)…</translation>
    </message>
    <message>
      <source>Re&amp;fresh cases</source>
      <translation>刷新案件(&amp;F)</translation>
    </message>
    <message>
      <source>Reports by &amp;category</source>
      <translation>上报按类别着色(&amp;C)</translation>
    </message>
    <message>
      <source>Reports by &amp;status</source>
      <translation>上报按状态着色(&amp;S)</translation>
    </message>
    <message>
      <source>Supervision &amp;notice (督办单)…</source>
      <translation>督办单(&amp;N)…</translation>
    </message>
  </context>
  <context>
    <name>CasesFeature</name>
    <message>
      <source>&amp;Cases</source>
      <translation>案件(&amp;C)</translation>
    </message>
    <message>
      <source>Case detail</source>
      <translation>案件详情</translation>
    </message>
    <message>
      <source>Cases</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>Cases ({o} overdue, {s} due soon)</source>
      <translation>案件（已超期 {o}，即将到期 {s}）</translation>
    </message>
    <message>
      <source>Cases for the office's own team</source>
      <translation>街道自办的案件</translation>
    </message>
    <message>
      <source>Cases reported done in my grids, to verify on site</source>
      <translation>本人网格内已反馈、待现场核查的案件</translation>
    </message>
    <message>
      <source>Cases sent to my department, to handle</source>
      <translation>派遣给本部门、待处置的案件</translation>
    </message>
    <message>
      <source>Cases to register, dispatch or close</source>
      <translation>待立案、待派遣、待结案的案件</translation>
    </message>
    <message>
      <source>Click the map where {name} was taken ({n} left).</source>
      <translation>请在地图上点击照片 {name} 的拍摄位置（还有 {n} 张）。</translation>
    </message>
    <message>
      <source>File a report</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>Open a workspace to see its cases.</source>
      <translation>打开工作空间后在此查看案件。</translation>
    </message>
    <message>
      <source>Open cases past their deadline, and due within a day</source>
      <translation>超过处置时限的未结案件，以及即将到期的案件</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <source>Overdue open cases</source>
      <translation>已超期的未结案件</translation>
    </message>
    <message>
      <source>Overdue: {o} · due soon: {s}</source>
      <translation>已超期 {o} · 即将到期 {s}</translation>
    </message>
    <message>
      <source>Place photos</source>
      <translation>放置照片</translation>
    </message>
    <message>
      <source>Report {no} filed.</source>
      <translation>已上报，案件编号 {no}。</translation>
    </message>
  </context>
  <context>
    <name>RoutedCaseDetail</name>
    <message>
      <source>Candidates:</source>
      <translation>候选：</translation>
    </message>
    <message>
      <source>Proposed: {name}</source>
      <translation>建议：{name}</translation>
    </message>
  </context>
  <context>
    <name>SupervisionNoticeDialog</name>
    <message>
      <source>PDF (*.pdf)</source>
      <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
      <source>Save as PDF…</source>
      <translation>保存为 PDF…</translation>
    </message>
    <message>
      <source>Save supervision notice</source>
      <translation>保存督办单</translation>
    </message>
    <message>
      <source>Saved {path}</source>
      <translation>已保存 {path}</translation>
    </message>
    <message>
      <source>Supervision notice {no}</source>
      <translation>督办单 {no}</translation>
    </message>
    <message>
      <source>The case was escalated to {to}. Print or save this notice and send it with the case file.</source>
      <translation>案件已上报{to}。请打印或保存本督办单，随案卷一并报送。</translation>
    </message>
  </context>
</TS>
