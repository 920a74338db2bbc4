<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>CaseDetailWidget</name>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Actions</source>
      <translation>办理</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>As proposed by the duty list</source>
      <translation>按职责清单建议</translation>
    </message>
    <message>
      <source>Attached</source>
      <translation>并入案件</translation>
    </message>
    <message>
      <source>By</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>Case {no}</source>
      <translation>案件 {no}</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>事件类别</translation>
    </message>
    <message>
      <source>Deadline</source>
      <translation>处置时限</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <source>Due soon</source>
      <translation>即将到期</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Handler</source>
      <translation>处置单位</translation>
    </message>
    <message>
      <source>No action of yours is possible on this case now.</source>
      <translation>您当前不能对该案件进行任何操作。</translation>
    </message>
    <message>
      <source>No case selected</source>
      <translation>未选择案件</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>意见</translation>
    </message>
    <message>
      <source>Note or reason (required for some actions)</source>
      <translation>办理意见或理由（部分操作必填）</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>已超期</translation>
    </message>
    <message>
      <source>Photos</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>Position</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Proposed: {name}</source>
      <translation>建议：{name}</translation>
    </message>
    <message>
      <source>Report filed</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>Source id</source>
      <translation>来源编号</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Timeline</source>
      <translation>办理过程</translation>
    </message>
    <message>
      <source>Urgency</source>
      <translation>紧急程度</translation>
    </message>
    <message>
      <source>{action}: {old} → {new}</source>
      <translation>{action}：{old} → {new}</translation>
    </message>
  </context>
  <context>
    <name>CaseListWidget</name>
    <message>
      <source>All categories</source>
      <translation>全部类别</translation>
    </message>
    <message>
      <source>All grids</source>
      <translation>全部网格</translation>
    </message>
    <message>
      <source>All handlers</source>
      <translation>全部处置单位</translation>
    </message>
    <message>
      <source>All statuses</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <source>Cases waiting for my action</source>
      <translation>等待我办理的案件</translation>
    </message>
    <message>
      <source>From</source>
      <translation>从</translation>
    </message>
    <message>
      <source>Map: reports of the last {n} days (since {date})</source>
      <translation>地图：近 {n} 天的上报（{date} 起）</translation>
    </message>
    <message>
      <source>My work</source>
      <translation>我的待办</translation>
    </message>
    <message>
      <source>Overdue only</source>
      <translation>仅超期</translation>
    </message>
    <message>
      <source>Search case no., description, address</source>
      <translation>搜索案件编号、描述、地址</translation>
    </message>
    <message>
      <source>Show every report on the map</source>
      <translation>在地图上显示全部上报</translation>
    </message>
    <message>
      <source>The map draws the recent reports by default; the list below shows every case its filters match.</source>
      <translation>地图默认只显示近期上报；下方列表显示符合筛选条件的全部案件。</translation>
    </message>
    <message>
      <source>any</source>
      <translation>不限</translation>
    </message>
    <message>
      <source>to</source>
      <translation>至</translation>
    </message>
    <message>
      <source>{n} cases</source>
      <translation>共 {n} 件</translation>
    </message>
  </context>
  <context>
    <name>CaseTableModel</name>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Case no.</source>
      <translation>案件编号</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>事件类别</translation>
    </message>
    <message>
      <source>Deadline</source>
      <translation>处置时限</translation>
    </message>
    <message>
      <source>Due soon</source>
      <translation>即将到期</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Handler</source>
      <translation>处置单位</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>已超期</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
  </context>
  <context>
    <name>DuplicateCandidatesView</name>
    <message>
      <source>&lt;b&gt;{no}&lt;/b&gt; · {status} · about {d} m · {age} · match {score}%&lt;br&gt;{desc}</source>
      <translation>&lt;b&gt;{no}&lt;/b&gt; · {status} · 相距约{d}米 · {age} · 相似度 {score}%&lt;br&gt;{desc}</translation>
    </message>
    <message>
      <source>File this report as part of case {no} instead of a new case</source>
      <translation>把本次上报并入案件 {no}，不另立新案</translation>
    </message>
    <message>
      <source>Merge into this case</source>
      <translation>并入此案件</translation>
    </message>
    <message>
      <source>No photo</source>
      <translation>无照片</translation>
    </message>
    <message>
      <source>This report</source>
      <translation>本次上报</translation>
    </message>
    <message>
      <source>{d} days earlier</source>
      <translation>早 {d} 天</translation>
    </message>
    <message>
      <source>{h} h earlier</source>
      <translation>早 {h} 小时</translation>
    </message>
    <message>
      <source>{n} open case(s) of this category nearby may be the same problem. Compare the photos; merge with one click, or file it as a new case.</source>
      <translation>附近有 {n} 件同类在办案件可能是同一问题。请对照照片：一键并入，或仍作为新案件上报。</translation>
    </message>
  </context>
  <context>
    <name>PhotoDropImport</name>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelled.</source>
      <translation>已取消。</translation>
    </message>
    <message>
      <source>Click the map to place the photos without a position.</source>
      <translation>请在地图上点击，为没有位置的照片指定位置。</translation>
    </message>
    <message>
      <source>Drop photos here to report what they show.</source>
      <translation>将照片拖放到此处即可上报照片中的问题。</translation>
    </message>
    <message>
      <source>No image files among the dropped files.</source>
      <translation>拖入的文件中没有图片。</translation>
    </message>
    <message>
      <source>Reading {name}…</source>
      <translation>正在读取 {name}…</translation>
    </message>
    <message>
      <source>Reading {n} photos…</source>
      <translation>正在读取 {n} 张照片…</translation>
    </message>
    <message>
      <source>{a} photos with a position, {b} without, {c} refused.</source>
      <translation>{a} 张照片有位置，{b} 张没有位置，{c} 个文件无法读取。</translation>
    </message>
  </context>
  <context>
    <name>ReportDialog</name>
    <message>
      <source>Add photos</source>
      <translation>添加照片</translation>
    </message>
    <message>
      <source>Add photos…</source>
      <translation>添加照片…</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>BD-09 (Baidu)</source>
      <translation>BD-09（百度）</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>事件类别</translation>
    </message>
    <message>
      <source>Choose a category.</source>
      <translation>请选择事件类别。</translation>
    </message>
    <message>
      <source>Click the map or enter a position.</source>
      <translation>请在地图上点击或输入位置。</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <source>File a report</source>
      <translation>巡查上报</translation>
    </message>
    <message>
      <source>File report</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>Found at</source>
      <translation>发现时间</translation>
    </message>
    <message>
      <source>GCJ-02 (AMap, Tencent)</source>
      <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Images ({patterns})</source>
      <translation>图片 ({patterns})</translation>
    </message>
    <message>
      <source>Photos</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>Position</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Ready to file.</source>
      <translation>可以上报。</translation>
    </message>
    <message>
      <source>Search by name, code or pinyin initials (e.g. zd)</source>
      <translation>按名称、编码或拼音首字母搜索（如 zd）</translation>
    </message>
    <message>
      <source>Urgency</source>
      <translation>紧急程度</translation>
    </message>
    <message>
      <source>e.g. 106.7079, 26.5722 or 26°34'19"N 106°42'28"E or a phone map link</source>
      <translation>如 106.7079, 26.5722，或 26°34'19"N 106°42'28"E，或手机地图分享的位置</translation>
    </message>
  </context>
  <context>
    <name>ReportImportDialog</name>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>Accepted</source>
      <translation>可导入</translation>
    </message>
    <message>
      <source>Accepted ({n})</source>
      <translation>可导入（{n}）</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>CSV (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
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
      <source>Category</source>
      <translation>事件类别</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Columns</source>
      <translation>列对应</translation>
    </message>
    <message>
      <source>Coordinates</source>
      <translation>坐标系</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <source>Detect</source>
      <translation>自动识别</translation>
    </message>
    <message>
      <source>Encoding</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>Import reports</source>
      <translation>导入上报记录</translation>
    </message>
    <message>
      <source>Import the accepted rows, skip the rejected</source>
      <translation>导入可导入的行，跳过不能导入的行</translation>
    </message>
    <message>
      <source>Latitude</source>
      <translation>纬度</translation>
    </message>
    <message>
      <source>Longitude</source>
      <translation>经度</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Position</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Position (text)</source>
      <translation>位置（文本）</translation>
    </message>
    <message>
      <source>Preview</source>
      <translation>预览</translation>
    </message>
    <message>
      <source>Read columns</source>
      <translation>读取列</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Rejected</source>
      <translation>不能导入</translation>
    </message>
    <message>
      <source>Rejected ({n})</source>
      <translation>不能导入（{n}）</translation>
    </message>
    <message>
      <source>Reported at</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>Reporter</source>
      <translation>上报人</translation>
    </message>
    <message>
      <source>Row</source>
      <translation>行号</translation>
    </message>
    <message>
      <source>Save rejected rows</source>
      <translation>保存不能导入的行</translation>
    </message>
    <message>
      <source>Save rejected rows…</source>
      <translation>保存不能导入的行…</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Source id</source>
      <translation>来源编号</translation>
    </message>
    <message>
      <source>Tables (*.csv *.xlsx)</source>
      <translation>表格 (*.csv *.xlsx)</translation>
    </message>
    <message>
      <source>Urgency</source>
      <translation>紧急程度</translation>
    </message>
    <message>
      <source>Values</source>
      <translation>内容</translation>
    </message>
    <message>
      <source>Warnings</source>
      <translation>提示</translation>
    </message>
    <message>
      <source>Working…</source>
      <translation>正在处理…</translation>
    </message>
    <message>
      <source>{a} rows accepted, {r} rejected.</source>
      <translation>{a} 行可导入，{r} 行不能导入。</translation>
    </message>
    <message>
      <source>{n} reports imported, {s} rows skipped.</source>
      <translation>已导入 {n} 条上报，跳过 {s} 行。</translation>
    </message>
    <message>
      <source>{n} rows, encoding {enc}.</source>
      <translation>共 {n} 行，编码 {enc}。</translation>
    </message>
  </context>
</TS>
