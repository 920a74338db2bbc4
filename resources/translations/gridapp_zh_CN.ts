<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Actions</name>
    <message>
        <source>&amp;New workspace…</source>
        <translation>新建工作空间(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Import layer…</source>
        <translation>导入图层(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Close workspace</source>
        <translation>关闭工作空间(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
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
        <source>&amp;Back</source>
        <translation>后退(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>前进(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Reload layers</source>
        <translation>重新加载图层(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Pan</source>
        <translation>平移(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Zoom to box</source>
        <translation>拉框放大(&amp;Z)</translation>
    </message>
    <message>
        <source>&amp;Identify</source>
        <translation>识别(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Select</source>
        <translation>选择(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Clear selection</source>
        <translation>清除选择(&amp;C)</translation>
    </message>
    <message>
        <source>Layer &amp;style…</source>
        <translation>图层样式(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Background tiles…</source>
        <translation>背景瓦片(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;No background</source>
        <translation>无背景(&amp;N)</translation>
    </message>
    <message>
        <source>中文</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
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
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Population</source>
        <translation>人口</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Valid to</source>
        <translation>失效日期</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>前一版本</translation>
    </message>
    <message>
        <source>District code</source>
        <translation>区县代码</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>办事处</translation>
    </message>
    <message>
        <source>Floors</source>
        <translation>层数</translation>
    </message>
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
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Reported at</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>处置时限</translation>
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
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>IdentifyPanel</name>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Nothing here</source>
        <translation>此处没有要素</translation>
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
    <name>LayerPanel</name>
    <message>
        <source>Move layer up</source>
        <translation>图层上移</translation>
    </message>
    <message>
        <source>Move layer down</source>
        <translation>图层下移</translation>
    </message>
    <message>
        <source>Style…</source>
        <translation>样式…</translation>
    </message>
    <message>
        <source>Zoom to layer</source>
        <translation>缩放到图层</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
</context>
<context>
    <name>LayerTreeModel</name>
    <message>
        <source>{n} features, opacity {o}%</source>
        <translation>{n} 个要素，不透明度 {o}%</translation>
    </message>
    <message>
        <source>{n} features with bad geometry</source>
        <translation>{n} 个要素几何有问题</translation>
    </message>
</context>
<context>
    <name>Layers</name>
    <message>
        <source>Street</source>
        <translation>街道</translation>
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
        <source>Buildings</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>巡查上报</translation>
    </message>
    <message>
        <source>Joint tasks</source>
        <translation>联合执法任务</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Demo users:</source>
        <translation>演示用户：</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>no geometry</source>
        <translation>无几何</translation>
    </message>
    <message>
        <source>empty geometry</source>
        <translation>空几何</translation>
    </message>
    <message>
        <source>wrong geometry type</source>
        <translation>几何类型不符</translation>
    </message>
    <message>
        <source>invalid geometry (drawn)</source>
        <translation>几何无效（仍绘制）</translation>
    </message>
    <message>
        <source>No workspace open. Use File › Open.</source>
        <translation>没有打开的工作空间。请使用“文件 › 打开”。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Layer</source>
        <translation>图层(&amp;L)</translation>
    </message>
    <message>
        <source>L&amp;anguage</source>
        <translation>语言(&amp;A)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Map tools</source>
        <translation>地图工具</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Identify</source>
        <translation>识别结果</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <source>GridApp</source>
        <translation>网格化管理系统</translation>
    </message>
    <message>
        <source>Not logged in. Use File › Open.</source>
        <translation>未登录。请使用“文件 › 打开”。</translation>
    </message>
    <message>
        <source>Cannot open workspace {path}: {error}</source>
        <translation>无法打开工作空间 {path}：{error}</translation>
    </message>
    <message>
        <source>Loading layers…</source>
        <translation>正在加载图层…</translation>
    </message>
    <message>
        <source>Loading layers</source>
        <translation>加载图层</translation>
    </message>
    <message>
        <source>Layer {layer}: {n} features with bad geometry: {list}</source>
        <translation>图层“{layer}”有 {n} 个要素几何有问题：{list}</translation>
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
        <source>The layers could not be loaded: {error}</source>
        <translation>图层加载失败：{error}</translation>
    </message>
    <message>
        <source>Open workspace</source>
        <translation>打开工作空间</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
        <source>Import layer</source>
        <translation>导入图层</translation>
    </message>
    <message>
        <source>Boundary files (*.gpkg *.shp *.geojson *.json *.kml *.csv *.xlsx)</source>
        <translation>边界文件 (*.gpkg *.shp *.geojson *.json *.kml *.csv *.xlsx)</translation>
    </message>
    <message>
        <source>Background tiles (MBTiles)</source>
        <translation>背景瓦片（MBTiles）</translation>
    </message>
    <message>
        <source>MBTiles (*.mbtiles)</source>
        <translation>MBTiles 文件 (*.mbtiles)</translation>
    </message>
    <message>
        <source>XYZ tile folder</source>
        <translation>XYZ 瓦片文件夹</translation>
    </message>
    <message>
        <source>Cannot use {path} as background: {error}</source>
        <translation>无法将 {path} 用作背景：{error}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>MapStatusBar</name>
    <message>
        <source>User: {name}</source>
        <translation>用户：{name}</translation>
    </message>
    <message>
        <source>Scale 1:{n}</source>
        <translation>比例尺 1:{n}</translation>
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
        <source>New workspace</source>
        <translation>新建工作空间</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Street name</source>
        <translation>街道名称</translation>
    </message>
    <message>
        <source>Office name</source>
        <translation>街道办事处名称</translation>
    </message>
    <message>
        <source>District code (6 digits)</source>
        <translation>区县代码（6位）</translation>
    </message>
    <message>
        <source>Street code (9 digits)</source>
        <translation>街道代码（9位）</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员用户名</translation>
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
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
</context>
<context>
    <name>StyleDialog</name>
    <message>
        <source>Style: {layer}</source>
        <translation>样式：{layer}</translation>
    </message>
    <message>
        <source>Single symbol</source>
        <translation>单一符号</translation>
    </message>
    <message>
        <source>Categorised by field</source>
        <translation>按字段分类</translation>
    </message>
    <message>
        <source>Graduated by number</source>
        <translation>按数值分级</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>边线</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Classes (quantiles)</source>
        <translation>分级数（分位数）</translation>
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
    <name>CaseDetailWidget</name>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>事件类别</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>处置单位</translation>
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
        <source>Source id</source>
        <translation>来源编号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>办理</translation>
    </message>
    <message>
        <source>Note or reason (required for some actions)</source>
        <translation>办理意见或理由（部分操作必填）</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>办理过程</translation>
    </message>
    <message>
        <source>No case selected</source>
        <translation>未选择案件</translation>
    </message>
    <message>
        <source>{action}: {old} → {new}</source>
        <translation>{action}：{old} → {new}</translation>
    </message>
    <message>
        <source>Case {no}</source>
        <translation>案件 {no}</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>Report filed</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Attached</source>
        <translation>并入案件</translation>
    </message>
    <message>
        <source>As proposed by the duty list</source>
        <translation>按职责清单建议</translation>
    </message>
    <message>
        <source>Proposed: {name}</source>
        <translation>建议：{name}</translation>
    </message>
    <message>
        <source>No action of yours is possible on this case now.</source>
        <translation>您当前不能对该案件进行任何操作。</translation>
    </message>
</context>
<context>
    <name>CaseListWidget</name>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
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
        <source>Overdue only</source>
        <translation>仅超期</translation>
    </message>
    <message>
        <source>My work</source>
        <translation>我的待办</translation>
    </message>
    <message>
        <source>Cases waiting for my action</source>
        <translation>等待我办理的案件</translation>
    </message>
    <message>
        <source>Search case no., description, address</source>
        <translation>搜索案件编号、描述、地址</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>{n} cases</source>
        <translation>共 {n} 件</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>Case no.</source>
        <extracomment>(key, English header) of the columns, in order.</extracomment>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>事件类别</translation>
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
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
</context>
<context>
    <name>PhotoDropImport</name>
    <message>
        <source>Drop photos here to report what they show.</source>
        <translation>将照片拖放到此处即可上报照片中的问题。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No image files among the dropped files.</source>
        <translation>拖入的文件中没有图片。</translation>
    </message>
    <message>
        <source>Reading {n} photos…</source>
        <translation>正在读取 {n} 张照片…</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>{a} photos with a position, {b} without, {c} refused.</source>
        <translation>{a} 张照片有位置，{b} 张没有位置，{c} 个文件无法读取。</translation>
    </message>
    <message>
        <source>Click the map to place the photos without a position.</source>
        <translation>请在地图上点击，为没有位置的照片指定位置。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>File a report</source>
        <extracomment>Input coordinate systems offered, as (service key, label) pairs.</extracomment>
        <translation>巡查上报</translation>
    </message>
    <message>
        <source>e.g. 106.7079, 26.5722 or 26°34'19"N 106°42'28"E or a phone map link</source>
        <translation>如 106.7079, 26.5722，或 26°34'19"N 106°42'28"E，或手机地图分享的位置</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Search by name, code or pinyin initials (e.g. zd)</source>
        <translation>按名称、编码或拼音首字母搜索（如 zd）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>事件类别</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Found at</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>File report</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Click the map or enter a position.</source>
        <translation>请在地图上点击或输入位置。</translation>
    </message>
    <message>
        <source>Choose a category.</source>
        <translation>请选择事件类别。</translation>
    </message>
    <message>
        <source>Ready to file.</source>
        <translation>可以上报。</translation>
    </message>
    <message>
        <source>GCJ-02 (AMap, Tencent)</source>
        <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
        <source>BD-09 (Baidu)</source>
        <translation>BD-09（百度）</translation>
    </message>
    <message>
        <source>Attach to the open case {no} instead of opening a new one</source>
        <translation>并入在办案件 {no}，不另立新案</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Images ({patterns})</source>
        <translation>图片 ({patterns})</translation>
    </message>
</context>
<context>
    <name>ReportImportDialog</name>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Position (text)</source>
        <translation>位置（文本）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>事件类别</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
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
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>上报人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Source id</source>
        <translation>来源编号</translation>
    </message>
    <message>
        <source>Import reports</source>
        <translation>导入上报记录</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Detect</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <source>Read columns</source>
        <translation>读取列</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>可导入</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>不能导入</translation>
    </message>
    <message>
        <source>Import the accepted rows, skip the rejected</source>
        <translation>导入可导入的行，跳过不能导入的行</translation>
    </message>
    <message>
        <source>Save rejected rows…</source>
        <translation>保存不能导入的行…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列对应</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>{n} rows, encoding {enc}.</source>
        <translation>共 {n} 行，编码 {enc}。</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
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
        <source>Accepted ({n})</source>
        <translation>可导入（{n}）</translation>
    </message>
    <message>
        <source>Rejected ({n})</source>
        <translation>不能导入（{n}）</translation>
    </message>
    <message>
        <source>Tables (*.csv *.xlsx)</source>
        <translation>表格 (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>Save rejected rows</source>
        <translation>保存不能导入的行</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>Unexpected error (please report it): {error}</source>
        <translation>意外错误（请报告）：{error}</translation>
    </message>
</context>
</TS>