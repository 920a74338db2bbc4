<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>BaseData</name>
    <message>
      <source>Age</source>
      <translation>年龄</translation>
    </message>
    <message>
      <source>All categories</source>
      <translation>全部类别</translation>
    </message>
    <message>
      <source>Building</source>
      <translation>楼栋</translation>
    </message>
    <message>
      <source>Building saved: {name}. Undo with Ctrl+Z.</source>
      <translation>楼栋已保存：{name}。可按 Ctrl+Z 撤销。</translation>
    </message>
    <message>
      <source>Categories</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>人员类别</translation>
    </message>
    <message>
      <source>Click the corners on the map; click the first corner or right-click to finish, Esc cancels</source>
      <translation>在地图上依次点击楼栋各角点；点回第一个角点或单击右键结束，Esc 取消</translation>
    </message>
    <message>
      <source>Door</source>
      <translation>门牌</translation>
    </message>
    <message>
      <source>Draw building</source>
      <translation>绘制楼栋</translation>
    </message>
    <message>
      <source>Edit buildings…</source>
      <translation>编辑楼栋…</translation>
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
      <source>ID number</source>
      <translation>身份证号码</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Names, ID numbers and phone numbers are masked for your role; notes are not shown.</source>
      <translation>按您的角色，姓名、身份证号码和电话已脱敏，备注不显示。</translation>
    </message>
    <message>
      <source>No residents listed in this building.</source>
      <translation>该楼栋尚未登记居民。</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>联系电话</translation>
    </message>
    <message>
      <source>Population</source>
      <translation>人数</translation>
    </message>
    <message>
      <source>Reading the grid's buildings…</source>
      <translation>正在读取该网格的楼栋…</translation>
    </message>
    <message>
      <source>Resident categories…</source>
      <translation>居民类别…</translation>
    </message>
    <message>
      <source>Residents and buildings</source>
      <translation>居民与楼栋</translation>
    </message>
    <message>
      <source>Shown in full: this view is recorded in the audit log.</source>
      <translation>完整显示：本次查看已记入审计日志。</translation>
    </message>
    <message>
      <source>{buildings} buildings, {households} households, {people} residents listed</source>
      <translation>楼栋 {buildings} 栋，{households} 户，登记居民 {people} 人</translation>
    </message>
  </context>
  <context>
    <name>BuildingEditor</name>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Building</source>
      <translation>楼栋</translation>
    </message>
    <message>
      <source>Buildings</source>
      <translation>楼栋属性</translation>
    </message>
    <message>
      <source>Floors</source>
      <translation>层数</translation>
    </message>
    <message>
      <source>Households</source>
      <translation>户数</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
  </context>
  <context>
    <name>BuildingFormDialog</name>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Floors</source>
      <translation>层数</translation>
    </message>
    <message>
      <source>Households</source>
      <translation>户数</translation>
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
      <source>New building</source>
      <translation>新建楼栋</translation>
    </message>
    <message>
      <source>e.g. residential, shop, school</source>
      <translation>例如：住宅、商铺、学校</translation>
    </message>
  </context>
  <context>
    <name>ResidentCategoryEditor</name>
    <message>
      <source>Add category</source>
      <translation>添加类别</translation>
    </message>
    <message>
      <source>Added: {name}. Undo retires it.</source>
      <translation>已添加：{name}。撤销将停用该类别。</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>代码</translation>
    </message>
    <message>
      <source>In use</source>
      <translation>启用</translation>
    </message>
    <message>
      <source>In use (offered for new entries)</source>
      <translation>启用（登记新居民时可选）</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Name, e.g. 退役军人</source>
      <translation>名称，例如 退役军人</translation>
    </message>
    <message>
      <source>New code, e.g. veteran</source>
      <translation>新代码，例如 veteran</translation>
    </message>
    <message>
      <source>Resident categories</source>
      <translation>居民类别</translation>
    </message>
    <message>
      <source>Residents</source>
      <translation>居民数</translation>
    </message>
  </context>
</TS>
