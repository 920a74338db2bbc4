<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>Find &amp;clusters…</source>
      <translation>聚类研判(&amp;C)…</translation>
    </message>
    <message>
      <source>Joint-enforcement &amp;proposals</source>
      <translation>联合执法建议(&amp;P)</translation>
    </message>
    <message>
      <source>Print task &amp;order…</source>
      <translation>打印联合执法任务单(&amp;O)…</translation>
    </message>
    <message>
      <source>Task &amp;board</source>
      <translation>任务看板(&amp;B)</translation>
    </message>
  </context>
  <context>
    <name>ClusterPanel</name>
    <message>
      <source> days</source>
      <translation> 天</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelled.</source>
      <translation>已取消。</translation>
    </message>
    <message>
      <source>Categories</source>
      <translation>事件类别</translation>
    </message>
    <message>
      <source>Distance</source>
      <translation>空间距离</translation>
    </message>
    <message>
      <source>Find clusters</source>
      <translation>查找聚类</translation>
    </message>
    <message>
      <source>Finding clusters…</source>
      <translation>正在聚类…</translation>
    </message>
    <message>
      <source>None checked: all categories</source>
      <translation>不勾选即为全部类别</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>时段</translation>
    </message>
    <message>
      <source>Save as proposals</source>
      <translation>保存为研判建议</translation>
    </message>
    <message>
      <source>Time window</source>
      <translation>时间窗</translation>
    </message>
    <message>
      <source>{n} clusters in {m} reports.</source>
      <translation>在 {m} 件事件中发现 {n} 个聚类。</translation>
    </message>
    <message>
      <source>{n} proposals saved.</source>
      <translation>已保存 {n} 条研判建议。</translation>
    </message>
  </context>
  <context>
    <name>EvaluationDialog</name>
    <message>
      <source>Comment</source>
      <translation>评价意见</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>Effective</source>
      <translation>履职有效</translation>
    </message>
    <message>
      <source>Evaluate departments</source>
      <translation>评价各部门</translation>
    </message>
  </context>
  <context>
    <name>ProposalList</name>
    <message>
      <source>Accept…</source>
      <translation>采纳…</translation>
    </message>
    <message>
      <source>Dismiss proposal</source>
      <translation>驳回研判建议</translation>
    </message>
    <message>
      <source>Dismiss…</source>
      <translation>驳回…</translation>
    </message>
    <message>
      <source>Joint task {id} created.</source>
      <translation>已创建联合执法任务 {id}。</translation>
    </message>
    <message>
      <source>Merge</source>
      <translation>合并</translation>
    </message>
    <message>
      <source>Merged into proposal {id}.</source>
      <translation>已合并为建议 {id}。</translation>
    </message>
    <message>
      <source>Reason (kept on record):</source>
      <translation>驳回原因（将留档）：</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Split</source>
      <translation>拆分</translation>
    </message>
    <message>
      <source>Split into proposals {ids}.</source>
      <translation>已拆分为建议 {ids}。</translation>
    </message>
    <message>
      <source>{n} proposals dismissed.</source>
      <translation>已驳回 {n} 条建议。</translation>
    </message>
  </context>
  <context>
    <name>RecordActionDialog</name>
    <message>
      <source>Record joint action</source>
      <translation>记录联合处置</translation>
    </message>
    <message>
      <source>What was done</source>
      <translation>处置情况</translation>
    </message>
  </context>
  <context>
    <name>TaskBoard</name>
    <message>
      <source>Action: {s}</source>
      <translation>处置：{s}</translation>
    </message>
    <message>
      <source>All states</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <source>Check in</source>
      <translation>报到</translation>
    </message>
    <message>
      <source>Check in (报到)</source>
      <translation>报到</translation>
    </message>
    <message>
      <source>Checked in: {s}</source>
      <translation>已报到：{s}</translation>
    </message>
    <message>
      <source>Department action</source>
      <translation>本部门处置</translation>
    </message>
    <message>
      <source>Department action…</source>
      <translation>填报本部门处置…</translation>
    </message>
    <message>
      <source>Department:</source>
      <translation>部门：</translation>
    </message>
    <message>
      <source>Departments did not check in</source>
      <translation>部门未按要求报到</translation>
    </message>
    <message>
      <source>Done: {a} cases advanced, {u} unchanged, {r} refused; {x} departments absent.</source>
      <translation>已办结：{a} 件案件已推进，{u} 件未变，{r} 件被拒；{x} 个部门未报到。</translation>
    </message>
    <message>
      <source>Escalate (督办)…</source>
      <translation>提请督办…</translation>
    </message>
    <message>
      <source>Escalate to the district government</source>
      <translation>提请区政府督办</translation>
    </message>
    <message>
      <source>Escalation notice {no}.</source>
      <translation>已生成督办单 {no}。</translation>
    </message>
    <message>
      <source>Evaluate…</source>
      <translation>评价…</translation>
    </message>
    <message>
      <source>Finish</source>
      <translation>办结</translation>
    </message>
    <message>
      <source>Not checked in: {names}</source>
      <translation>未报到：{names}</translation>
    </message>
    <message>
      <source>PDF (*.pdf)</source>
      <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
      <source>Print escalation notice…</source>
      <translation>打印督办单…</translation>
    </message>
    <message>
      <source>Print task order…</source>
      <translation>打印任务单…</translation>
    </message>
    <message>
      <source>Reason:</source>
      <translation>督办事由：</translation>
    </message>
    <message>
      <source>Record joint action…</source>
      <translation>记录联合处置…</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Save PDF</source>
      <translation>保存 PDF</translation>
    </message>
    <message>
      <source>Summon (吹哨)</source>
      <translation>吹哨</translation>
    </message>
    <message>
      <source>Summoned {n} departments.</source>
      <translation>已向 {n} 个单位吹哨。</translation>
    </message>
    <message>
      <source>What the department did:</source>
      <translation>本部门处置情况：</translation>
    </message>
    <message>
      <source>Written {path}</source>
      <translation>已输出 {path}</translation>
    </message>
    <message>
      <source>{no} {title} — {state}; action {action}, deadline {deadline}; {n} cases.</source>
      <translation>{no} {title} — {state}；执法时间 {action}，办结期限 {deadline}；{n} 件案件。</translation>
    </message>
  </context>
  <context>
    <name>TaskForm</name>
    <message>
      <source> min</source>
      <translation> 分钟</translation>
    </message>
    <message>
      <source>Action time</source>
      <translation>执法时间</translation>
    </message>
    <message>
      <source>Check-in limit</source>
      <translation>报到时限</translation>
    </message>
    <message>
      <source>Cluster hull, {a:,.0f} m² (editable on the task later)</source>
      <translation>聚类范围，{a:,.0f} 平方米（任务中可再修改）</translation>
    </message>
    <message>
      <source>Deadline</source>
      <translation>办结期限</translation>
    </message>
    <message>
      <source>Departments summoned</source>
      <translation>召集部门</translation>
    </message>
    <message>
      <source>Lead unit</source>
      <translation>牵头单位</translation>
    </message>
    <message>
      <source>Member cases ({n})</source>
      <translation>涉及案件（{n} 件）</translation>
    </message>
    <message>
      <source>New joint task</source>
      <translation>新建联合执法任务</translation>
    </message>
    <message>
      <source>Place</source>
      <translation>任务范围</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>任务名称</translation>
    </message>
  </context>
  <context>
    <name>TaskModels</name>
    <message>
      <source>Absent</source>
      <translation>未报到</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>处置</translation>
    </message>
    <message>
      <source>Cases</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>Categories</source>
      <translation>主要类别</translation>
    </message>
    <message>
      <source>Check-in</source>
      <translation>报到情况</translation>
    </message>
    <message>
      <source>Checked in</source>
      <translation>已报到</translation>
    </message>
    <message>
      <source>Contact</source>
      <translation>联系人</translation>
    </message>
    <message>
      <source>Deadline</source>
      <translation>办结期限</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>Departments</source>
      <translation>涉及部门</translation>
    </message>
    <message>
      <source>Effective</source>
      <translation>履职有效</translation>
    </message>
    <message>
      <source>Grids</source>
      <translation>网格数</translation>
    </message>
    <message>
      <source>Lead</source>
      <translation>牵头单位</translation>
    </message>
    <message>
      <source>Member</source>
      <translation>参与部门</translation>
    </message>
    <message>
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>时段</translation>
    </message>
    <message>
      <source>Reasons</source>
      <translation>理由</translation>
    </message>
    <message>
      <source>Recurring</source>
      <translation>复发</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>事件数</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>得分</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Task No.</source>
      <translation>任务编号</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>标题</translation>
    </message>
  </context>
  <context>
    <name>TasksFeature</name>
    <message>
      <source>&amp;Joint enforcement</source>
      <translation>联合执法(&amp;J)</translation>
    </message>
    <message>
      <source>Clusters</source>
      <translation>聚类研判</translation>
    </message>
    <message>
      <source>Proposals</source>
      <translation>联合执法建议</translation>
    </message>
    <message>
      <source>Task board</source>
      <translation>任务看板</translation>
    </message>
  </context>
</TS>
