<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>&amp;Duty list (who handles what, where)…</source>
      <translation>职责清单（何事何地由谁处置）(&amp;D)…</translation>
    </message>
    <message>
      <source>Draw a duty &amp;area</source>
      <translation>绘制职责区域(&amp;A)</translation>
    </message>
    <message>
      <source>Outline a duty area (main road, compound, market …) on the map: click its corners, click the first corner or right-click to finish, Esc cancels, Backspace drops the last corner</source>
      <translation>在地图上勾绘职责区域（主干道、居民小区、市场等）：依次单击各角点，单击第一个角点或右键结束，Esc 取消，Backspace 删除上一个角点</translation>
    </message>
  </context>
  <context>
    <name>DutyAreaForm</name>
    <message>
      <source>Kind</source>
      <translation>区域类型</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>New duty area</source>
      <translation>新建职责区域</translation>
    </message>
    <message>
      <source>optional, e.g. 中山路</source>
      <translation>可不填，例如 中山路</translation>
    </message>
  </context>
  <context>
    <name>DutyAreas</name>
    <message>
      <source>Duty area saved: {name}. Undo: Tools › Undo duty area.</source>
      <translation>已保存职责区域：{name}。撤销：工具 › 撤销职责区域。</translation>
    </message>
    <message>
      <source>Undo duty area</source>
      <translation>撤销职责区域</translation>
    </message>
  </context>
  <context>
    <name>DutyListEditor</name>
    <message>
      <source>(none: the district decides)</source>
      <translation>（不指定：由区政府决定）</translation>
    </message>
    <message>
      <source>Add as a new line</source>
      <translation>作为新条目添加</translation>
    </message>
    <message>
      <source>Add duty areas (main roads, compounds, markets …) from a GeoPackage, Shapefile, GeoJSON or KML file; the kind comes from its kind field, else from Where</source>
      <translation>从 GeoPackage、Shapefile、GeoJSON 或 KML 文件添加职责区域（主干道、居民小区、市场等）；区域类型取自文件的 kind/类型 字段，否则取“适用区域”中所选</translation>
    </message>
    <message>
      <source>Add the form's values as a new line of the duty list</source>
      <translation>把表单中的内容作为职责清单的新条目添加</translation>
    </message>
    <message>
      <source>Added: {name}. Undo with Ctrl+Z.</source>
      <translation>已添加：{name}。可按 Ctrl+Z 撤销。</translation>
    </message>
    <message>
      <source>As its class.</source>
      <translation>沿用所属大类的设定。</translation>
    </message>
    <message>
      <source>Assists</source>
      <translation>协办</translation>
    </message>
    <message>
      <source>Built-in value for its class.</source>
      <translation>所属大类的内置默认值。</translation>
    </message>
    <message>
      <source>Built-in value for this category.</source>
      <translation>本分类的内置默认值。</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>事件分类</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>处置部门</translation>
    </message>
    <message>
      <source>Duty list: who handles what, where</source>
      <translation>职责清单：何事、何地、由谁处置</translation>
    </message>
    <message>
      <source>Duty-list line</source>
      <translation>职责清单条目</translation>
    </message>
    <message>
      <source>Filter by category code or name</source>
      <translation>按分类代码或名称筛选</translation>
    </message>
    <message>
      <source>General default.</source>
      <translation>通用默认值。</translation>
    </message>
    <message>
      <source>Handling</source>
      <translation>处置方式</translation>
    </message>
    <message>
      <source>Import areas…</source>
      <translation>导入区域图层…</translation>
    </message>
    <message>
      <source>Imported {n} areas (now: {counts}). Undo with Ctrl+Z.</source>
      <translation>已导入 {n} 个区域（现有：{counts}）。可按 Ctrl+Z 撤销。</translation>
    </message>
    <message>
      <source>Lead</source>
      <translation>牵头</translation>
    </message>
    <message>
      <source>Near duplicates of this category</source>
      <translation>该分类的疑似重复判定</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Radius (m)</source>
      <translation>范围（米）</translation>
    </message>
    <message>
      <source>Remove line</source>
      <translation>删除条目</translation>
    </message>
    <message>
      <source>Removed: {name}. Undo with Ctrl+Z.</source>
      <translation>已删除：{name}。可按 Ctrl+Z 撤销。</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>Save radius and window</source>
      <translation>保存范围与时间窗</translation>
    </message>
    <message>
      <source>Saved: {name}. Undo with Ctrl+Z.</source>
      <translation>已保存：{name}。可按 Ctrl+Z 撤销。</translation>
    </message>
    <message>
      <source>Set for this category.</source>
      <translation>本分类单独设定。</translation>
    </message>
    <message>
      <source>Vector files (*.gpkg *.shp *.geojson *.json *.kml *.kmz)</source>
      <translation>矢量文件 (*.gpkg *.shp *.geojson *.json *.kml *.kmz)</translation>
    </message>
    <message>
      <source>Where</source>
      <translation>适用区域</translation>
    </message>
    <message>
      <source>Within (days)</source>
      <translation>时间窗（天）</translation>
    </message>
    <message>
      <source>{n} duty areas</source>
      <translation>{n} 个职责区域</translation>
    </message>
  </context>
</TS>
