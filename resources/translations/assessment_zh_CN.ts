<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>Assessment &amp;dashboard</source>
      <translation>考核看板(&amp;D)</translation>
    </message>
    <message>
      <source>Run &amp;supervision now</source>
      <translation>立即自动督办(&amp;S)</translation>
    </message>
  </context>
  <context>
    <name>AssessmentFeature</name>
    <message>
      <source>&amp;Assessment</source>
      <translation>考核督办(&amp;A)</translation>
    </message>
    <message>
      <source>Assessment</source>
      <translation>考核督办</translation>
    </message>
    <message>
      <source>No warning level</source>
      <translation>无预警等级</translation>
    </message>
  </context>
  <context>
    <name>CasesBehindDialog</name>
    <message>
      <source>Case no.</source>
      <translation>案件编号</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>结案时间</translation>
    </message>
    <message>
      <source>Deadline</source>
      <translation>处置期限</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>处置部门</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>{n} cases</source>
      <translation>共 {n} 件</translation>
    </message>
  </context>
  <context>
    <name>DashboardWidget</name>
    <message>
      <source>Assessment dashboard {p}</source>
      <translation>考核看板 {p}</translation>
    </message>
    <message>
      <source>By department</source>
      <translation>各职能部门</translation>
    </message>
    <message>
      <source>By:</source>
      <translation>考核对象：</translation>
    </message>
    <message>
      <source>Colour map by warning</source>
      <translation>地图按预警着色</translation>
    </message>
    <message>
      <source>Computing…</source>
      <translation>正在计算…</translation>
    </message>
    <message>
      <source>Export Excel</source>
      <translation>导出Excel</translation>
    </message>
    <message>
      <source>Export Excel…</source>
      <translation>导出Excel…</translation>
    </message>
    <message>
      <source>Figures</source>
      <translation>指标</translation>
    </message>
    <message>
      <source>Fill grids and outline communities on the map in the colour of their worst warning level in the period shown</source>
      <translation>按本期最差的预警等级为地图上的网格填色、为社区描边</translation>
    </message>
    <message>
      <source>Formula</source>
      <translation>公式</translation>
    </message>
    <message>
      <source>Formulas</source>
      <translation>指标公式</translation>
    </message>
    <message>
      <source>Indicator</source>
      <translation>指标</translation>
    </message>
    <message>
      <source>Meaning</source>
      <translation>说明</translation>
    </message>
    <message>
      <source>Month</source>
      <translation>月</translation>
    </message>
    <message>
      <source>Monthly report PDF</source>
      <translation>月度考核通报PDF</translation>
    </message>
    <message>
      <source>Monthly report PDF…</source>
      <translation>月度考核通报PDF…</translation>
    </message>
    <message>
      <source>No unit has stayed in red or yellow.</source>
      <translation>没有连续处于红色或黄色预警的单位。</translation>
    </message>
    <message>
      <source>Nothing to print yet: pick a period first</source>
      <translation>尚无可打印的内容：请先选择考核周期</translation>
    </message>
    <message>
      <source>Period:</source>
      <translation>考核周期：</translation>
    </message>
    <message>
      <source>Print / PDF</source>
      <translation>打印/导出PDF</translation>
    </message>
    <message>
      <source>Print / PDF…</source>
      <translation>打印/导出PDF…</translation>
    </message>
    <message>
      <source>Quarter</source>
      <translation>季度</translation>
    </message>
    <message>
      <source>Red / yellow</source>
      <translation>红线 / 黄线</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Saved {path}</source>
      <translation>已保存 {path}</translation>
    </message>
    <message>
      <source>Street total</source>
      <translation>合计（全街道）</translation>
    </message>
    <message>
      <source>Trend (street)</source>
      <translation>全街道趋势</translation>
    </message>
    <message>
      <source>Warnings</source>
      <translation>预警</translation>
    </message>
    <message>
      <source>Week</source>
      <translation>周</translation>
    </message>
    <message>
      <source>Write the dashboard as shown to an A4 landscape PDF</source>
      <translation>将看板按屏幕所见输出为A4横向PDF</translation>
    </message>
    <message>
      <source>Year</source>
      <translation>年</translation>
    </message>
  </context>
  <context>
    <name>HeatMapView</name>
    <message>
      <source>No open cases</source>
      <translation>没有未结案件</translation>
    </message>
    <message>
      <source>Open cases (heat map)</source>
      <translation>未结案件热力图</translation>
    </message>
    <message>
      <source>{n} open cases; darkest cell {peak}; cells of about {m} m</source>
      <translation>未结案件 {n} 件；最密的格 {peak} 件；每格约 {m} 米</translation>
    </message>
  </context>
  <context>
    <name>TodayPanel</name>
    <message>
      <source>Assessment</source>
      <translation>考核</translation>
    </message>
    <message>
      <source>This month ({month}): {figures}</source>
      <translation>本月（{month}）：{figures}</translation>
    </message>
    <message>
      <source>{month} warnings: {red} red, {yellow} yellow</source>
      <translation>{month} 连续预警：红色 {red} 项，黄色 {yellow} 项</translation>
    </message>
    <message>
      <source>{month}: no unit stayed in red or yellow</source>
      <translation>{month}：没有连续红黄预警的单位</translation>
    </message>
    <message>
      <source>{unit}: {indicator} {level} {n} periods running</source>
      <translation>{unit}：{indicator}连续{n}期{level}</translation>
    </message>
    <message>
      <source>… and {n} more</source>
      <translation>…… 另有 {n} 项</translation>
    </message>
  </context>
</TS>
