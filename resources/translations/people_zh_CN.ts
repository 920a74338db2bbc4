<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>&amp;Assign selected grids to manager…</source>
      <translation>将所选网格分配给网格员(&amp;A)…</translation>
    </message>
    <message>
      <source>&amp;Colour grids by manager</source>
      <translation>按网格员着色(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Hand over all grids of a manager…</source>
      <translation>移交网格员的全部网格(&amp;H)…</translation>
    </message>
    <message>
      <source>&amp;Import grid managers…</source>
      <translation>导入网格员(&amp;I)…</translation>
    </message>
    <message>
      <source>&amp;New grid manager…</source>
      <translation>新增网格员(&amp;N)…</translation>
    </message>
    <message>
      <source>&amp;Users…</source>
      <translation>用户管理(&amp;U)…</translation>
    </message>
    <message>
      <source>Audit &amp;log…</source>
      <translation>审计日志(&amp;L)…</translation>
    </message>
    <message>
      <source>Change my &amp;password…</source>
      <translation>修改我的密码(&amp;P)…</translation>
    </message>
    <message>
      <source>Grid &amp;managers</source>
      <translation>网格员(&amp;M)</translation>
    </message>
  </context>
  <context>
    <name>AssignDialog</name>
    <message>
      <source>Assign grids to a manager</source>
      <translation>分配网格</translation>
    </message>
    <message>
      <source>Backup</source>
      <translation>协助</translation>
    </message>
    <message>
      <source>Manager</source>
      <translation>网格员</translation>
    </message>
    <message>
      <source>Primary</source>
      <translation>主责</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>Select a manager.</source>
      <translation>请选择网格员。</translation>
    </message>
    <message>
      <source>{n} grids: {grids}</source>
      <translation>{n} 个网格：{grids}</translation>
    </message>
  </context>
  <context>
    <name>AssignmentHistoryDialog</name>
    <message>
      <source>Assignment history</source>
      <translation>网格分配历史</translation>
    </message>
    <message>
      <source>From</source>
      <translation>起始日期</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>To</source>
      <translation>截止日期</translation>
    </message>
    <message>
      <source>{name}: {n} assignments, {current} current († retired grid version)</source>
      <translation>{name}：共 {n} 条分配记录，现行 {current} 条（† 表示已停用的网格版本）</translation>
    </message>
  </context>
  <context>
    <name>AssignmentWarningsPanel</name>
    <message>
      <source>Check again</source>
      <translation>重新检查</translation>
    </message>
    <message>
      <source>No assignment problems.</source>
      <translation>网格员分配没有问题。</translation>
    </message>
    <message>
      <source>{n} assignment problems</source>
      <translation>{n} 个分配问题</translation>
    </message>
  </context>
  <context>
    <name>AuditViewer</name>
    <message>
      <source>(the newest {limit}; narrow the filters)</source>
      <translation>（仅显示最新 {limit} 条，请缩小筛选范围）</translation>
    </message>
    <message>
      <source>All tables</source>
      <translation>所有数据表</translation>
    </message>
    <message>
      <source>Audit log</source>
      <translation>审计日志</translation>
    </message>
    <message>
      <source>Everyone</source>
      <translation>所有人</translation>
    </message>
    <message>
      <source>From</source>
      <translation>起始日期</translation>
    </message>
    <message>
      <source>Person</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>Row id</source>
      <translation>记录编号</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>查询</translation>
    </message>
    <message>
      <source>Table</source>
      <translation>数据表</translation>
    </message>
    <message>
      <source>The audit chain is broken at {n} places:</source>
      <translation>审计日志哈希链有 {n} 处断裂：</translation>
    </message>
    <message>
      <source>The audit chain is intact.</source>
      <translation>审计日志哈希链完整，未被篡改。</translation>
    </message>
    <message>
      <source>The row id must be a number.</source>
      <translation>记录编号必须是数字。</translation>
    </message>
    <message>
      <source>To</source>
      <translation>截止日期</translation>
    </message>
    <message>
      <source>Verify chain</source>
      <translation>校验哈希链</translation>
    </message>
    <message>
      <source>{n} entries</source>
      <translation>{n} 条记录</translation>
    </message>
  </context>
  <context>
    <name>ChangePasswordDialog</name>
    <message>
      <source>Change password</source>
      <translation>修改密码</translation>
    </message>
    <message>
      <source>Current password</source>
      <translation>当前密码</translation>
    </message>
    <message>
      <source>New password</source>
      <translation>新密码</translation>
    </message>
    <message>
      <source>Repeat new password</source>
      <translation>再次输入新密码</translation>
    </message>
    <message>
      <source>The two new passwords differ.</source>
      <translation>两次输入的新密码不一致。</translation>
    </message>
  </context>
  <context>
    <name>ManagerForm</name>
    <message>
      <source>11-digit mobile or 0851-85551234</source>
      <translation>11位手机号或 0851-85551234</translation>
    </message>
    <message>
      <source>Edit grid manager</source>
      <translation>编辑网格员</translation>
    </message>
    <message>
      <source>Employment</source>
      <translation>用工性质</translation>
    </message>
    <message>
      <source>Full-time</source>
      <translation>专职</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>New grid manager</source>
      <translation>新增网格员</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Part-time</source>
      <translation>兼职</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Photo</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>Staff no.</source>
      <translation>工号</translation>
    </message>
  </context>
  <context>
    <name>ManagerImportDialog</name>
    <message>
      <source>Check</source>
      <translation>检查结果</translation>
    </message>
    <message>
      <source>Choose an Excel (.xlsx) or CSV file with the columns 姓名, 电话, 工号 and optionally 用工性质, 备注.</source>
      <translation>请选择 Excel（.xlsx）或 CSV 文件，须有“姓名”“电话”“工号”列，可选“用工性质”“备注”列。</translation>
    </message>
    <message>
      <source>Choose file…</source>
      <translation>选择文件…</translation>
    </message>
    <message>
      <source>Employment</source>
      <translation>用工性质</translation>
    </message>
    <message>
      <source>Fix the rejected rows in the file and choose it again: the import writes all rows or none.</source>
      <translation>请在文件中修正被拒绝的行后重新选择：导入要么全部写入，要么一行也不写。</translation>
    </message>
    <message>
      <source>Import all</source>
      <translation>全部导入</translation>
    </message>
    <message>
      <source>Import grid managers</source>
      <translation>导入网格员</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Nothing is written until you press “Import all”.</source>
      <translation>按“全部导入”之前不会写入任何数据。</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>通过</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <source>Staff no.</source>
      <translation>工号</translation>
    </message>
    <message>
      <source>Tables (*.xlsx *.csv)</source>
      <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
      <source>The file has no rows.</source>
      <translation>文件中没有数据行。</translation>
    </message>
    <message>
      <source>{ok} rows accepted, {bad} rejected.</source>
      <translation>{ok} 行可导入，{bad} 行被拒绝。</translation>
    </message>
  </context>
  <context>
    <name>ManagerListWidget</name>
    <message>
      <source>Active</source>
      <translation>在岗</translation>
    </message>
    <message>
      <source>Add…</source>
      <translation>新增…</translation>
    </message>
    <message>
      <source>All</source>
      <translation>全部</translation>
    </message>
    <message>
      <source>Assign selected grids</source>
      <translation>分配所选网格</translation>
    </message>
    <message>
      <source>Deactivate…</source>
      <translation>停用…</translation>
    </message>
    <message>
      <source>Drag a manager onto a grid on the map to make them its primary manager.</source>
      <translation>把网格员拖到地图上的网格，即设为该网格的主责网格员。</translation>
    </message>
    <message>
      <source>Edit…</source>
      <translation>编辑…</translation>
    </message>
    <message>
      <source>Hand over all grids…</source>
      <translation>移交全部网格…</translation>
    </message>
    <message>
      <source>History…</source>
      <translation>分配历史…</translation>
    </message>
    <message>
      <source>Import…</source>
      <translation>导入…</translation>
    </message>
    <message>
      <source>Inactive</source>
      <translation>已停用</translation>
    </message>
    <message>
      <source>Search name, phone, staff no.</source>
      <translation>搜索姓名、电话、工号</translation>
    </message>
    <message>
      <source>Select a manager first.</source>
      <translation>请先选择网格员。</translation>
    </message>
    <message>
      <source>{shown} of {total} managers</source>
      <translation>显示 {shown} / 共 {total} 名网格员</translation>
    </message>
  </context>
  <context>
    <name>People</name>
    <message>
      <source>&amp;People</source>
      <translation>人员(&amp;P)</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>在岗</translation>
    </message>
    <message>
      <source>Assignment warnings</source>
      <translation>分配提醒</translation>
    </message>
    <message>
      <source>Bound to</source>
      <translation>绑定</translation>
    </message>
    <message>
      <source>Changes</source>
      <translation>变更内容</translation>
    </message>
    <message>
      <source>Deactivate grid manager</source>
      <translation>停用网格员</translation>
    </message>
    <message>
      <source>Deactivate {name}? Their current grids become unassigned and their account is disabled; their history is kept. To hand their grids to someone else first, use “Hand over all grids…”.</source>
      <translation>停用{name}？其当前负责的网格将没有网格员，其账户将被停用，历史记录保留。如需先把网格交给其他人，请使用“移交全部网格…”。</translation>
    </message>
    <message>
      <source>Disabled</source>
      <translation>已停用</translation>
    </message>
    <message>
      <source>Display name</source>
      <translation>显示名称</translation>
    </message>
    <message>
      <source>Employment</source>
      <translation>用工性质</translation>
    </message>
    <message>
      <source>Full-time</source>
      <translation>专职</translation>
    </message>
    <message>
      <source>Grid managers</source>
      <translation>网格员</translation>
    </message>
    <message>
      <source>GridApp</source>
      <translation>网格化管理</translation>
    </message>
    <message>
      <source>Grids</source>
      <translation>网格数</translation>
    </message>
    <message>
      <source>Households</source>
      <translation>户数</translation>
    </message>
    <message>
      <source>Inactive</source>
      <translation>已停用</translation>
    </message>
    <message>
      <source>Last login</source>
      <translation>最近登录</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>已锁定</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>No primary manager</source>
      <translation>无主责网格员</translation>
    </message>
    <message>
      <source>No.</source>
      <translation>序号</translation>
    </message>
    <message>
      <source>Part-time</source>
      <translation>兼职</translation>
    </message>
    <message>
      <source>Person</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <source>Select grids on the map or in the attribute table first.</source>
      <translation>请先在地图或属性表中选择网格。</translation>
    </message>
    <message>
      <source>Select the leaving manager in the manager list first.</source>
      <translation>请先在网格员列表中选择要交接的网格员。</translation>
    </message>
    <message>
      <source>Staff no.</source>
      <translation>工号</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Table</source>
      <translation>数据表</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>用户名</translation>
    </message>
    <message>
      <source>{name} is now the primary manager of grid {grid}</source>
      <translation>{name} 现为网格 {grid} 的主责网格员</translation>
    </message>
  </context>
  <context>
    <name>PhotoPicker</name>
    <message>
      <source>Choose photo</source>
      <translation>选择照片</translation>
    </message>
    <message>
      <source>Choose photo…</source>
      <translation>选择照片…</translation>
    </message>
    <message>
      <source>Images (*.jpg *.jpeg *.png *.bmp *.gif *.webp)</source>
      <translation>图片 (*.jpg *.jpeg *.png *.bmp *.gif *.webp)</translation>
    </message>
    <message>
      <source>No photo</source>
      <translation>无照片</translation>
    </message>
    <message>
      <source>Not an image</source>
      <translation>不是图片</translation>
    </message>
    <message>
      <source>The file is not a readable image.</source>
      <translation>该文件不是可识别的图片。</translation>
    </message>
  </context>
  <context>
    <name>ReassignDialog</name>
    <message>
      <source>Deactivate {name} (leaving)</source>
      <translation>同时停用{name}（离岗）</translation>
    </message>
    <message>
      <source>Hand over all grids</source>
      <translation>移交全部网格</translation>
    </message>
    <message>
      <source>Hand over to</source>
      <translation>移交给</translation>
    </message>
    <message>
      <source>Select a manager.</source>
      <translation>请选择网格员。</translation>
    </message>
    <message>
      <source>{name} is responsible for {n} grids: {codes}</source>
      <translation>{name} 负责 {n} 个网格：{codes}</translation>
    </message>
  </context>
  <context>
    <name>UserForm</name>
    <message>
      <source>Department</source>
      <translation>所属部门</translation>
    </message>
    <message>
      <source>Display name</source>
      <translation>显示名称</translation>
    </message>
    <message>
      <source>Grid manager</source>
      <translation>网格员</translation>
    </message>
    <message>
      <source>New user</source>
      <translation>新增用户</translation>
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
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>The two passwords differ.</source>
      <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>用户名</translation>
    </message>
  </context>
  <context>
    <name>UsersDialog</name>
    <message>
      <source>Add…</source>
      <translation>新增…</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Disable</source>
      <translation>停用</translation>
    </message>
    <message>
      <source>Done: {user}</source>
      <translation>已完成：{user}</translation>
    </message>
    <message>
      <source>Enable</source>
      <translation>启用</translation>
    </message>
    <message>
      <source>New password for {user}:</source>
      <translation>{user} 的新密码：</translation>
    </message>
    <message>
      <source>Reset password</source>
      <translation>重置密码</translation>
    </message>
    <message>
      <source>Reset password…</source>
      <translation>重置密码…</translation>
    </message>
    <message>
      <source>Unlock</source>
      <translation>解除锁定</translation>
    </message>
    <message>
      <source>Users</source>
      <translation>用户管理</translation>
    </message>
  </context>
</TS>
