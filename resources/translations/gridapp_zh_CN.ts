<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>&amp;About GridApp</source>
      <translation>关于 GridApp(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Back</source>
      <translation>后退(&amp;B)</translation>
    </message>
    <message>
      <source>&amp;Background tiles…</source>
      <translation>背景瓦片(&amp;B)…</translation>
    </message>
    <message>
      <source>&amp;Clear selection</source>
      <translation>清除选择(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Close workspace</source>
      <translation>关闭工作空间(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Find…</source>
      <translation>查找(&amp;F)…</translation>
    </message>
    <message>
      <source>&amp;Forward</source>
      <translation>前进(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Identify</source>
      <translation>识别(&amp;I)</translation>
    </message>
    <message>
      <source>&amp;Import layer…</source>
      <translation>导入图层(&amp;I)…</translation>
    </message>
    <message>
      <source>&amp;Keyboard shortcuts</source>
      <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
      <source>&amp;New workspace…</source>
      <translation>新建工作空间(&amp;N)…</translation>
    </message>
    <message>
      <source>&amp;No background</source>
      <translation>无背景(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Open…</source>
      <translation>打开(&amp;O)…</translation>
    </message>
    <message>
      <source>&amp;Pan</source>
      <translation>平移(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Reload layers</source>
      <translation>重新加载图层(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Select</source>
      <translation>选择(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Zoom to box</source>
      <translation>拉框放大(&amp;Z)</translation>
    </message>
    <message>
      <source>English</source>
      <translation>English</translation>
    </message>
    <message>
      <source>Layer &amp;style…</source>
      <translation>图层样式(&amp;S)…</translation>
    </message>
    <message>
      <source>Zoom &amp;in</source>
      <translation>放大(&amp;I)</translation>
    </message>
    <message>
      <source>Zoom &amp;out</source>
      <translation>缩小(&amp;O)</translation>
    </message>
    <message>
      <source>Zoom to &amp;full extent</source>
      <translation>全图显示(&amp;F)</translation>
    </message>
    <message>
      <source>Zoom to &amp;layer</source>
      <translation>缩放到图层(&amp;L)</translation>
    </message>
    <message>
      <source>Zoom to &amp;selection</source>
      <translation>缩放到所选(&amp;S)</translation>
    </message>
    <message>
      <source>中文</source>
      <translation>中文</translation>
    </message>
  </context>
  <context>
    <name>AttributeTable</name>
    <message>
      <source>Filter: text in any field</source>
      <translation>筛选：任意字段包含的文字</translation>
    </message>
    <message>
      <source>{shown} of {total} features, {sel} selected</source>
      <translation>显示 {shown} / 共 {total} 个要素，已选 {sel} 个</translation>
    </message>
  </context>
  <context>
    <name>Fields</name>
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
      <translation>类别</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Deadline</source>
      <translation>处置时限</translation>
    </message>
    <message>
      <source>District code</source>
      <translation>区县代码</translation>
    </message>
    <message>
      <source>Floors</source>
      <translation>层数</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Households</source>
      <translation>户数</translation>
    </message>
    <message>
      <source>ID</source>
      <translation>ID</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Office</source>
      <translation>办事处</translation>
    </message>
    <message>
      <source>Population</source>
      <translation>人口</translation>
    </message>
    <message>
      <source>Previous version</source>
      <translation>前一版本</translation>
    </message>
    <message>
      <source>Reported at</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Street</source>
      <translation>街道</translation>
    </message>
    <message>
      <source>Task no.</source>
      <translation>任务编号</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>标题</translation>
    </message>
    <message>
      <source>Urgency</source>
      <translation>紧急程度</translation>
    </message>
    <message>
      <source>Valid from</source>
      <translation>生效日期</translation>
    </message>
    <message>
      <source>Valid to</source>
      <translation>失效日期</translation>
    </message>
  </context>
  <context>
    <name>HelpDialogs</name>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>About GridApp</source>
      <translation>关于 GridApp</translation>
    </message>
    <message>
      <source>Cancel the gesture; again: back to Pan</source>
      <translation>取消当前操作；再按一次：回到平移工具</translation>
    </message>
    <message>
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <source>GridApp {version}: grids, patrols, cases and joint enforcement for street offices.</source>
      <translation>GridApp {version}：街道网格化管理——网格、巡查、案件与联合执法。</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>键盘快捷键</translation>
    </message>
    <message>
      <source>Keys</source>
      <translation>按键</translation>
    </message>
    <message>
      <source>The user guide is README.md and the docs folder beside the program.</source>
      <translation>使用说明见程序目录中的 README.md 和 docs 文件夹。</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPanel</name>
    <message>
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>Nothing here</source>
      <translation>此处没有要素</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>值</translation>
    </message>
  </context>
  <context>
    <name>ImportPreviewDialog</name>
    <message>
      <source>Import layer: {name}</source>
      <translation>导入图层：{name}</translation>
    </message>
    <message>
      <source>Importing is not available in this version.</source>
      <translation>此版本尚不能导入。</translation>
    </message>
    <message>
      <source>{n} features; coordinates {crs} ({crs_how}); encoding {enc}; fields: {fields}.
Importing into the workspace is done by the grid import wizard.</source>
      <translation>{n} 个要素；坐标系 {crs}（{crs_how}）；编码 {enc}；字段：{fields}。
写入工作空间请使用网格导入向导。</translation>
    </message>
  </context>
  <context>
    <name>JobProgress</name>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
  </context>
  <context>
    <name>LayerPanel</name>
    <message>
      <source>Move layer down</source>
      <translation>图层下移</translation>
    </message>
    <message>
      <source>Move layer up</source>
      <translation>图层上移</translation>
    </message>
    <message>
      <source>Opacity</source>
      <translation>不透明度</translation>
    </message>
    <message>
      <source>Style…</source>
      <translation>样式…</translation>
    </message>
    <message>
      <source>Zoom to layer</source>
      <translation>缩放到图层</translation>
    </message>
  </context>
  <context>
    <name>LayerTreeModel</name>
    <message>
      <source>{n} features with bad geometry</source>
      <translation>{n} 个要素几何有问题</translation>
    </message>
    <message>
      <source>{n} features, opacity {o}%</source>
      <translation>{n} 个要素，不透明度 {o}%</translation>
    </message>
  </context>
  <context>
    <name>Layers</name>
    <message>
      <source>Buildings</source>
      <translation>楼栋</translation>
    </message>
    <message>
      <source>Cluster areas</source>
      <translation>聚类范围</translation>
    </message>
    <message>
      <source>Communities</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Grids</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Joint tasks</source>
      <translation>联合执法任务</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>巡查上报</translation>
    </message>
    <message>
      <source>Reports per grid</source>
      <translation>上报数（按网格）</translation>
    </message>
    <message>
      <source>Street</source>
      <translation>街道</translation>
    </message>
  </context>
  <context>
    <name>LegendPanel</name>
    <message>
      <source>Legend</source>
      <translation>图例</translation>
    </message>
    <message>
      <source>No layer on the map is coloured by category.</source>
      <translation>地图上没有按类别着色的图层。</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <source>Demo users:</source>
      <translation>演示用户：</translation>
    </message>
    <message>
      <source>Log in</source>
      <translation>登录</translation>
    </message>
    <message>
      <source>Logging in…</source>
      <translation>正在登录…</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>用户名</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Layer</source>
      <translation>图层(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Tools</source>
      <translation>工具(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>Aggregate reports</source>
      <translation>聚合显示</translation>
    </message>
    <message>
      <source>Attribute table</source>
      <translation>属性表</translation>
    </message>
    <message>
      <source>Background tiles (MBTiles)</source>
      <translation>背景瓦片（MBTiles）</translation>
    </message>
    <message>
      <source>Boundary files (*.gpkg *.shp *.geojson *.json *.kml *.csv *.xlsx)</source>
      <translation>边界文件 (*.gpkg *.shp *.geojson *.json *.kml *.csv *.xlsx)</translation>
    </message>
    <message>
      <source>Cannot open workspace {path}: {error}</source>
      <translation>无法打开工作空间 {path}：{error}</translation>
    </message>
    <message>
      <source>Cannot use {path} as background: {error}</source>
      <translation>无法将 {path} 用作背景：{error}</translation>
    </message>
    <message>
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
      <source>GridApp</source>
      <translation>网格化管理系统</translation>
    </message>
    <message>
      <source>Identify</source>
      <translation>识别结果</translation>
    </message>
    <message>
      <source>Import layer</source>
      <translation>导入图层</translation>
    </message>
    <message>
      <source>L&amp;anguage</source>
      <translation>语言(&amp;A)</translation>
    </message>
    <message>
      <source>Layer {layer}: {n} features with bad geometry: {list}</source>
      <translation>图层“{layer}”有 {n} 个要素几何有问题：{list}</translation>
    </message>
    <message>
      <source>Layers</source>
      <translation>图层</translation>
    </message>
    <message>
      <source>Loaded in {s:.2f} s</source>
      <translation>加载用时 {s:.2f} 秒</translation>
    </message>
    <message>
      <source>Loading buildings and reports</source>
      <translation>加载楼栋和巡查上报</translation>
    </message>
    <message>
      <source>Loading layers</source>
      <translation>加载图层</translation>
    </message>
    <message>
      <source>Loading layers…</source>
      <translation>正在加载图层…</translation>
    </message>
    <message>
      <source>Logging in…</source>
      <translation>正在登录…</translation>
    </message>
    <message>
      <source>MBTiles (*.mbtiles)</source>
      <translation>MBTiles 文件 (*.mbtiles)</translation>
    </message>
    <message>
      <source>Map tools</source>
      <translation>地图工具</translation>
    </message>
    <message>
      <source>Messages</source>
      <translation>消息</translation>
    </message>
    <message>
      <source>No workspace open. Use File › Open.</source>
      <translation>没有打开的工作空间。请使用“文件 › 打开”。</translation>
    </message>
    <message>
      <source>Not logged in. Use File › Open.</source>
      <translation>未登录。请使用“文件 › 打开”。</translation>
    </message>
    <message>
      <source>Open &amp;recent</source>
      <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
      <source>Open workspace</source>
      <translation>打开工作空间</translation>
    </message>
    <message>
      <source>Opening {path}…</source>
      <translation>正在打开 {path}…</translation>
    </message>
    <message>
      <source>The layers could not be loaded: {error}</source>
      <translation>图层加载失败：{error}</translation>
    </message>
    <message>
      <source>XYZ tile folder</source>
      <translation>XYZ 瓦片文件夹</translation>
    </message>
    <message>
      <source>Zoomed out, draw the reports as counts per grid; zoomed in, one by one.</source>
      <translation>缩小时按网格汇总显示上报数量，放大后逐条显示。</translation>
    </message>
    <message>
      <source>empty geometry</source>
      <translation>空几何</translation>
    </message>
    <message>
      <source>invalid geometry (drawn)</source>
      <translation>几何无效（仍绘制）</translation>
    </message>
    <message>
      <source>no geometry</source>
      <translation>无几何</translation>
    </message>
    <message>
      <source>wrong geometry type</source>
      <translation>几何类型不符</translation>
    </message>
  </context>
  <context>
    <name>MapStatusBar</name>
    <message>
      <source>Scale 1:{n}</source>
      <translation>比例尺 1:{n}</translation>
    </message>
    <message>
      <source>Tool: {name}</source>
      <translation>工具：{name}</translation>
    </message>
    <message>
      <source>User: {name}</source>
      <translation>用户：{name}</translation>
    </message>
  </context>
  <context>
    <name>MessagePanel</name>
    <message>
      <source>Unexpected error (please report it): {error}</source>
      <translation>意外错误（请报告）：{error}</translation>
    </message>
  </context>
  <context>
    <name>NewWorkspaceDialog</name>
    <message>
      <source>Administrator</source>
      <translation>管理员用户名</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>District code (6 digits)</source>
      <translation>区县代码（6位）</translation>
    </message>
    <message>
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
      <source>New workspace</source>
      <translation>新建工作空间</translation>
    </message>
    <message>
      <source>Office name</source>
      <translation>街道办事处名称</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>Repeat password</source>
      <translation>再次输入密码</translation>
    </message>
    <message>
      <source>Street code (9 digits)</source>
      <translation>街道代码（9位）</translation>
    </message>
    <message>
      <source>Street name</source>
      <translation>街道名称</translation>
    </message>
  </context>
  <context>
    <name>SearchBox</name>
    <message>
      <source>Building</source>
      <translation>楼栋</translation>
    </message>
    <message>
      <source>Case</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Find a grid, community, place, building or case number and zoom to it</source>
      <translation>查找网格、社区、场所、楼栋或案件编号并定位到地图</translation>
    </message>
    <message>
      <source>Find grid, community, place, case no. (Ctrl+F)</source>
      <translation>搜索网格、社区、场所、案件编号（Ctrl+F）</translation>
    </message>
    <message>
      <source>Found: {kind} {label}</source>
      <translation>已定位：{kind} {label}</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Nothing found for “{text}”</source>
      <translation>没有找到“{text}”</translation>
    </message>
    <message>
      <source>Place</source>
      <translation>场所</translation>
    </message>
  </context>
  <context>
    <name>StyleDialog</name>
    <message>
      <source>Categorised by field</source>
      <translation>按字段分类</translation>
    </message>
    <message>
      <source>Classes (quantiles)</source>
      <translation>分级数（分位数）</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>Fill</source>
      <translation>填充</translation>
    </message>
    <message>
      <source>Graduated by number</source>
      <translation>按数值分级</translation>
    </message>
    <message>
      <source>Outline</source>
      <translation>边线</translation>
    </message>
    <message>
      <source>Single symbol</source>
      <translation>单一符号</translation>
    </message>
    <message>
      <source>Style: {layer}</source>
      <translation>样式：{layer}</translation>
    </message>
    <message>
      <source>The layer has no numeric field.</source>
      <translation>该图层没有数值字段。</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
  </context>
  <context>
    <name>TodayPanel</name>
    <message>
      <source>All assignment warnings</source>
      <translation>全部分配提醒</translation>
    </message>
    <message>
      <source>Coverage problems: check all grids</source>
      <translation>覆盖问题：检查全部网格</translation>
    </message>
    <message>
      <source>Done by departments, for me to verify</source>
      <translation>部门已处置、待我核查</translation>
    </message>
    <message>
      <source>Due within a day</source>
      <translation>一天内到期</translation>
    </message>
    <message>
      <source>Escalated (督办)</source>
      <translation>督办中</translation>
    </message>
    <message>
      <source>Grids without a primary manager</source>
      <translation>无主责网格员的网格</translation>
    </message>
    <message>
      <source>Joint tasks we are summoned to</source>
      <translation>本部门被吹哨的联合执法任务</translation>
    </message>
    <message>
      <source>Joint-enforcement proposals</source>
      <translation>联合执法研判建议</translation>
    </message>
    <message>
      <source>My department's cases to handle</source>
      <translation>本部门待处置案件</translation>
    </message>
    <message>
      <source>Open a workspace to see today's work.</source>
      <translation>打开工作空间后显示今日待办。</translation>
    </message>
    <message>
      <source>Open cases</source>
      <translation>未结案件</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>已超期</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>To dispatch</source>
      <translation>待派遣</translation>
    </message>
    <message>
      <source>To register</source>
      <translation>待立案</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>今日待办</translation>
    </message>
    <message>
      <source>Today, {date}: {role}</source>
      <translation>今日待办 {date}（{role}）</translation>
    </message>
    <message>
      <source>Verified, to close</source>
      <translation>已核查、待结案</translation>
    </message>
    <message>
      <source>Waiting for my action</source>
      <translation>待我处理</translation>
    </message>
  </context>
</TS>
