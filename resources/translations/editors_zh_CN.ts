<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>&amp;Categories and time limits…</source>
      <translation>事件分类与处置时限(&amp;C)…</translation>
    </message>
    <message>
      <source>&amp;Departments and liaisons…</source>
      <translation>职能部门与联络人(&amp;D)…</translation>
    </message>
    <message>
      <source>&amp;Reactivate a grid manager…</source>
      <translation>重新启用网格员(&amp;R)…</translation>
    </message>
    <message>
      <source>&amp;Task place and photos…</source>
      <translation>任务范围与照片(&amp;T)…</translation>
    </message>
    <message>
      <source>C&amp;lustering parameters per category…</source>
      <translation>分类聚类参数(&amp;L)…</translation>
    </message>
  </context>
  <context>
    <name>CategoryEditor</name>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>All classes</source>
      <translation>全部分类</translation>
    </message>
    <message>
      <source>Categories (events and components)</source>
      <translation>事件与部件分类</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>分类</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Components (部件)</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Default department</source>
      <translation>默认处置部门</translation>
    </message>
    <message>
      <source>Events (事件)</source>
      <translation>事件</translation>
    </message>
    <message>
      <source>In use</source>
      <translation>启用</translation>
    </message>
    <message>
      <source>In use (offered when filing)</source>
      <translation>启用（上报时可选）</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>显示</translation>
    </message>
    <message>
      <source>Time limit</source>
      <translation>处置时限</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>时限单位</translation>
    </message>
    <message>
      <source>e.g. 2 (a class has none)</source>
      <translation>如 2（大类不设时限）</translation>
    </message>
  </context>
  <context>
    <name>ClusterParamsEditor</name>
    <message>
      <source> (class)</source>
      <translation>（大类）</translation>
    </message>
    <message>
      <source> (default)</source>
      <translation>（默认）</translation>
    </message>
    <message>
      <source>A category without its own parameters uses its class's, else the default. Reports of one category closer than the distance and filed within the time window count as one place's problem.</source>
      <translation>未单独设置的分类沿用其大类的参数，大类也未设置则用默认值。同一分类的事件，相距小于空间距离且上报时间相差在时间窗以内，视为同一处的问题。</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>分类</translation>
    </message>
    <message>
      <source>Clustering parameters per category</source>
      <translation>分类聚类参数</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Distance (m)</source>
      <translation>空间距离（米）</translation>
    </message>
    <message>
      <source>Min. reports</source>
      <translation>最少事件数</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Own parameters for this category</source>
      <translation>为此分类单独设置参数</translation>
    </message>
    <message>
      <source>Parameters</source>
      <translation>参数</translation>
    </message>
    <message>
      <source>Time window (days)</source>
      <translation>时间窗（天）</translation>
    </message>
    <message>
      <source>auto</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>empty: chosen from the data</source>
      <translation>留空：按数据自动确定</translation>
    </message>
  </context>
  <context>
    <name>DepartmentEditor</name>
    <message>
      <source> (disabled)</source>
      <translation>（已停用）</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>Departments and liaisons</source>
      <translation>职能部门与联络人</translation>
    </message>
    <message>
      <source>In use</source>
      <translation>启用</translation>
    </message>
    <message>
      <source>In use (can be sent cases and summoned)</source>
      <translation>启用（可派遣案件、可吹哨召集）</translation>
    </message>
    <message>
      <source>Liaison</source>
      <translation>联络人</translation>
    </message>
    <message>
      <source>Liaison accounts in GridApp: {names}</source>
      <translation>本系统中的联络员账户：{names}</translation>
    </message>
    <message>
      <source>Liaison's phone</source>
      <translation>联络人电话</translation>
    </message>
    <message>
      <source>Mobile or 0851-85551234</source>
      <translation>手机号或 0851-85551234</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>No liaison account in GridApp for this department (add one under People › Users).</source>
      <translation>该部门在本系统中还没有联络员账户（可在“人员 › 用户管理”中添加）。</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Short name</source>
      <translation>简称</translation>
    </message>
  </context>
  <context>
    <name>EditorDialog</name>
    <message>
      <source>Nothing to save: the form is as stored.</source>
      <translation>没有需要保存的修改。</translation>
    </message>
    <message>
      <source>Redo</source>
      <translation>重做</translation>
    </message>
    <message>
      <source>Redo the change undone last (Ctrl+Y)</source>
      <translation>重做刚撤销的修改（Ctrl+Y）</translation>
    </message>
    <message>
      <source>Redone: {name}.</source>
      <translation>已重做：{name}。</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>Saved: {name}. Undo with Ctrl+Z.</source>
      <translation>已保存：{name}。可按 Ctrl+Z 撤销。</translation>
    </message>
    <message>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <source>Undo the last saved change (Ctrl+Z)</source>
      <translation>撤销最近一次保存的修改（Ctrl+Z）</translation>
    </message>
    <message>
      <source>Undone: {name}.</source>
      <translation>已撤销：{name}。</translation>
    </message>
  </context>
  <context>
    <name>EditorsFeature</name>
    <message>
      <source>&amp;Settings</source>
      <translation>设置(&amp;S)</translation>
    </message>
  </context>
  <context>
    <name>ManagerReactivateDialog</name>
    <message>
      <source>Employment</source>
      <translation>用工性质</translation>
    </message>
    <message>
      <source>Grid manager</source>
      <translation>网格员</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Only deactivated managers</source>
      <translation>只显示已停用的网格员</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Reactivate</source>
      <translation>重新启用</translation>
    </message>
    <message>
      <source>Reactivate a grid manager</source>
      <translation>重新启用网格员</translation>
    </message>
    <message>
      <source>Reactivating gives the manager back, not their grids or account: assign grids again and enable the account under People.</source>
      <translation>重新启用只恢复网格员本人，不恢复其网格和账户：请在“人员”菜单中重新分配网格、启用账户。</translation>
    </message>
    <message>
      <source>Staff no.</source>
      <translation>工号</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>active</source>
      <translation>在职</translation>
    </message>
    <message>
      <source>deactivated</source>
      <translation>已停用</translation>
    </message>
  </context>
  <context>
    <name>TaskPlaceEditor</name>
    <message>
      <source>Add corner</source>
      <translation>添加顶点</translation>
    </message>
    <message>
      <source>Add photo after…</source>
      <translation>添加处置后照片…</translation>
    </message>
    <message>
      <source>Add photo before…</source>
      <translation>添加处置前照片…</translation>
    </message>
    <message>
      <source>Choose a photo</source>
      <translation>选择照片</translation>
    </message>
    <message>
      <source>Corners (CGCS2000 longitude, latitude)</source>
      <translation>顶点（CGCS2000 经度、纬度）</translation>
    </message>
    <message>
      <source>Images (*.jpg *.jpeg *.png *.bmp *.webp)</source>
      <translation>图片 (*.jpg *.jpeg *.png *.bmp *.webp)</translation>
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
      <source>Photo added: {name}. Undo with Ctrl+Z.</source>
      <translation>已添加照片：{name}。可按 Ctrl+Z 撤销。</translation>
    </message>
    <message>
      <source>Photo removed: {name}. Undo with Ctrl+Z.</source>
      <translation>已移除照片：{name}。可按 Ctrl+Z 撤销。</translation>
    </message>
    <message>
      <source>Photos before and after the action</source>
      <translation>处置前后照片</translation>
    </message>
    <message>
      <source>Place</source>
      <translation>任务范围</translation>
    </message>
    <message>
      <source>Remove corner</source>
      <translation>删除顶点</translation>
    </message>
    <message>
      <source>Remove photo</source>
      <translation>移除照片</translation>
    </message>
    <message>
      <source>Save place</source>
      <translation>保存范围</translation>
    </message>
    <message>
      <source>Select a photo first.</source>
      <translation>请先选择一张照片。</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Task no.</source>
      <translation>任务编号</translation>
    </message>
    <message>
      <source>Task place and photos</source>
      <translation>任务范围与照片</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>标题</translation>
    </message>
  </context>
</TS>
