<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>&amp;Check all grids</source>
      <translation>检查全部网格(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Draw grid</source>
      <translation>绘制网格(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Import boundaries…</source>
      <translation>导入边界(&amp;I)…</translation>
    </message>
    <message>
      <source>&amp;Merge selected grids</source>
      <translation>合并所选网格(&amp;M)</translation>
    </message>
    <message>
      <source>&amp;Redo grid edit</source>
      <translation>重做网格编辑(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Reshape grids</source>
      <translation>修整网格(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Split grid</source>
      <translation>分割网格(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Undo grid edit</source>
      <translation>撤销网格编辑(&amp;U)</translation>
    </message>
    <message>
      <source>De&amp;lete selected grids</source>
      <translation>删除所选网格(&amp;L)</translation>
    </message>
    <message>
      <source>Di&amp;vide a community into grids…</source>
      <translation>社区自动划分网格(&amp;V)…</translation>
    </message>
    <message>
      <source>Drag a vertex (shared boundaries move together), click an edge to add a vertex, right-click a vertex to remove it</source>
      <translation>拖动节点（共用边界一起移动），点击边添加节点，右键点击节点删除它</translation>
    </message>
    <message>
      <source>Draw a new grid: click its corners, click the first corner or right-click to finish</source>
      <translation>绘制新网格：依次点击各个角点，点击第一个角点或右键结束</translation>
    </message>
    <message>
      <source>Grid &amp;attributes…</source>
      <translation>网格属性(&amp;A)…</translation>
    </message>
    <message>
      <source>S&amp;napping</source>
      <translation>捕捉(&amp;N)</translation>
    </message>
    <message>
      <source>Show &amp;current grids</source>
      <translation>显示当前网格(&amp;C)</translation>
    </message>
    <message>
      <source>Show grids as of &amp;date…</source>
      <translation>显示某日的网格(&amp;D)…</translation>
    </message>
    <message>
      <source>Split a grid: draw a line across it, right-click to finish</source>
      <translation>分割网格：画一条穿过网格的线，右键结束</translation>
    </message>
  </context>
  <context>
    <name>AsOfDialog</name>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Show grids as of date</source>
      <translation>显示某日的网格</translation>
    </message>
    <message>
      <source>The grids in force at the end of that day (Beijing time) are drawn over the map. Use “Show current grids” to go back.</source>
      <translation>在地图上叠加显示当天结束时（北京时间）有效的网格。用“显示当前网格”返回。</translation>
    </message>
  </context>
  <context>
    <name>DivisionDialog</name>
    <message>
      <source>Accept and save</source>
      <translation>采纳并保存</translation>
    </message>
    <message>
      <source>Area (m²)</source>
      <translation>面积（平方米）</translation>
    </message>
    <message>
      <source>Buildings</source>
      <translation>楼栋数</translation>
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
      <source>Close</source>
      <translation>关闭</translation>
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
      <source>Divide a community into grids</source>
      <translation>社区自动划分网格</translation>
    </message>
    <message>
      <source>Divide community {name}</source>
      <translation>划分社区 {name}</translation>
    </message>
    <message>
      <source>Households</source>
      <translation>户数</translation>
    </message>
    <message>
      <source>Households per grid</source>
      <translation>每格户数</translation>
    </message>
    <message>
      <source>Number of grids</source>
      <translation>网格数量</translation>
    </message>
    <message>
      <source>Propose</source>
      <translation>生成方案</translation>
    </message>
    <message>
      <source>Reject</source>
      <translation>放弃</translation>
    </message>
    <message>
      <source>Saved {n} grids.</source>
      <translation>已保存 {n} 个网格。</translation>
    </message>
    <message>
      <source>Working…</source>
      <translation>正在计算…</translation>
    </message>
  </context>
  <context>
    <name>GridAttributeDialog</name>
    <message>
      <source>Basic grid</source>
      <translation>基础网格</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Code {code} is already used by another grid.</source>
      <translation>编码 {code} 已被其他网格使用。</translation>
    </message>
    <message>
      <source>Grid {code}</source>
      <translation>网格 {code}</translation>
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
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Population</source>
      <translation>人口</translation>
    </message>
    <message>
      <source>Special grid (school, hospital, market, park…)</source>
      <translation>专属网格（学校、医院、市场、园区…）</translation>
    </message>
  </context>
  <context>
    <name>GridEditOperations</name>
    <message>
      <source>Add vertex</source>
      <translation>添加节点</translation>
    </message>
    <message>
      <source>Delete grids {codes}</source>
      <translation>删除网格 {codes}</translation>
    </message>
    <message>
      <source>Edit grid {code}</source>
      <translation>编辑网格 {code}</translation>
    </message>
    <message>
      <source>Merge grids {codes}</source>
      <translation>合并网格 {codes}</translation>
    </message>
    <message>
      <source>Move vertex</source>
      <translation>移动节点</translation>
    </message>
    <message>
      <source>New grid</source>
      <translation>新网格</translation>
    </message>
    <message>
      <source>Remove vertex</source>
      <translation>删除节点</translation>
    </message>
    <message>
      <source>Select at least two neighbouring grids to merge.</source>
      <translation>请至少选择两个相邻网格进行合并。</translation>
    </message>
    <message>
      <source>Split grid {code}</source>
      <translation>分割网格 {code}</translation>
    </message>
    <message>
      <source>The drawn outline crosses itself.</source>
      <translation>所画的边界自相交。</translation>
    </message>
    <message>
      <source>The line does not cross a grid.</source>
      <translation>这条线没有穿过任何网格。</translation>
    </message>
  </context>
  <context>
    <name>GridEditor</name>
    <message>
      <source>Coverage problems</source>
      <translation>覆盖问题</translation>
    </message>
    <message>
      <source>Fix coverage automatically</source>
      <translation>自动修复覆盖问题</translation>
    </message>
    <message>
      <source>Not saved: the change would leave coverage problems.</source>
      <translation>未保存：此修改会留下覆盖问题。</translation>
    </message>
    <message>
      <source>Nothing could be fixed automatically.</source>
      <translation>没有可以自动修复的问题。</translation>
    </message>
    <message>
      <source>This change leaves {n} coverage problems:
{list}{more}

Save it anyway? The decision is recorded.</source>
      <translation>此修改会留下 {n} 个覆盖问题：
{list}{more}

仍然保存吗？此决定会被记录。</translation>
    </message>
  </context>
  <context>
    <name>GridImportWizard</name>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>1. File</source>
      <translation>1. 文件</translation>
    </message>
    <message>
      <source>2. Preview</source>
      <translation>2. 预览</translation>
    </message>
    <message>
      <source>As the CRS says (CGCS2000, WGS84…)</source>
      <translation>按坐标系（CGCS2000、WGS84…）</translation>
    </message>
    <message>
      <source>BD-09 (Baidu)</source>
      <translation>BD-09（百度）</translation>
    </message>
    <message>
      <source>Boundary files ({patterns})</source>
      <translation>边界文件（{patterns}）</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Code field</source>
      <translation>编码字段</translation>
    </message>
    <message>
      <source>Community boundaries</source>
      <translation>社区边界</translation>
    </message>
    <message>
      <source>Coordinate system</source>
      <translation>坐标系</translation>
    </message>
    <message>
      <source>Detect</source>
      <translation>自动识别</translation>
    </message>
    <message>
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>GCJ-02 (AMap, Tencent)</source>
      <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
      <source>Geometry</source>
      <translation>几何</translation>
    </message>
    <message>
      <source>Grids</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>Import as</source>
      <translation>导入为</translation>
    </message>
    <message>
      <source>Import boundaries</source>
      <translation>导入边界</translation>
    </message>
    <message>
      <source>Imported {n} features.</source>
      <translation>已导入 {n} 个要素。</translation>
    </message>
    <message>
      <source>Importing…</source>
      <translation>正在导入…</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Name field</source>
      <translation>名称字段</translation>
    </message>
    <message>
      <source>Nothing was imported: {error}</source>
      <translation>未导入任何要素：{error}</translation>
    </message>
    <message>
      <source>Offset coordinates</source>
      <translation>偏移坐标</translation>
    </message>
    <message>
      <source>Preview</source>
      <translation>预览</translation>
    </message>
    <message>
      <source>Problems</source>
      <translation>问题</translation>
    </message>
    <message>
      <source>Ready to import {n} features.</source>
      <translation>可以导入 {n} 个要素。</translation>
    </message>
    <message>
      <source>Text encoding</source>
      <translation>文字编码</translation>
    </message>
    <message>
      <source>The imported grids have {n} coverage problems; see the problems panel.</source>
      <translation>导入的网格有 {n} 个覆盖问题，请查看问题面板。</translation>
    </message>
    <message>
      <source>from the file, or e.g. EPSG:4524</source>
      <translation>取自文件，或如 EPSG:4524</translation>
    </message>
    <message>
      <source>{n} features · coordinates {crs} ({crs_how}) · encoding {enc} ({enc_how})</source>
      <translation>{n} 个要素 · 坐标系 {crs}（{crs_how}）· 编码 {enc}（{enc_how}）</translation>
    </message>
    <message>
      <source>{n} problems must be fixed in the file before importing; nothing will be imported.</source>
      <translation>有 {n} 个问题需先在文件中修正；不会导入任何要素。</translation>
    </message>
  </context>
  <context>
    <name>GridsFeature</name>
    <message>
      <source>&amp;Grids</source>
      <translation>网格(&amp;G)</translation>
    </message>
    <message>
      <source>Grid editing</source>
      <translation>网格编辑</translation>
    </message>
    <message>
      <source>Grid problems</source>
      <translation>网格问题</translation>
    </message>
    <message>
      <source>Grids as of {date} ({n} grids)</source>
      <translation>{date} 的网格（{n} 个）</translation>
    </message>
    <message>
      <source>Imported {n} features.</source>
      <translation>已导入 {n} 个要素。</translation>
    </message>
  </context>
  <context>
    <name>ProblemsModel</name>
    <message>
      <source>Details</source>
      <translation>说明</translation>
    </message>
    <message>
      <source>Edges do not match</source>
      <translation>边界不吻合</translation>
    </message>
    <message>
      <source>Gap</source>
      <translation>缝隙</translation>
    </message>
    <message>
      <source>Grids</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Invalid geometry</source>
      <translation>几何无效</translation>
    </message>
    <message>
      <source>Not a polygon</source>
      <translation>不是面</translation>
    </message>
    <message>
      <source>Outside its community</source>
      <translation>超出所属社区</translation>
    </message>
    <message>
      <source>Overlap</source>
      <translation>重叠</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>问题</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>大小</translation>
    </message>
    <message>
      <source>Sliver</source>
      <translation>碎片</translation>
    </message>
  </context>
  <context>
    <name>ProblemsPanel</name>
    <message>
      <source>Check all grids</source>
      <translation>检查全部网格</translation>
    </message>
    <message>
      <source>Checking grid coverage</source>
      <translation>正在检查网格覆盖</translation>
    </message>
    <message>
      <source>Fix automatically</source>
      <translation>自动修复</translation>
    </message>
    <message>
      <source>No coverage problems: the grids are a clean coverage.</source>
      <translation>没有覆盖问题：网格无缝无重叠。</translation>
    </message>
    <message>
      <source>No problems found around the last edit.</source>
      <translation>上次编辑附近没有发现问题。</translation>
    </message>
    <message>
      <source>Zoom to</source>
      <translation>缩放到</translation>
    </message>
    <message>
      <source>{n} coverage problems</source>
      <translation>{n} 个覆盖问题</translation>
    </message>
  </context>
  <context>
    <name>SplitDialog</name>
    <message>
      <source>Area (m²)</source>
      <translation>面积（平方米）</translation>
    </message>
    <message>
      <source>Buildings</source>
      <translation>楼栋数</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Households</source>
      <translation>户数</translation>
    </message>
    <message>
      <source>Households {hh} and population {pop} of the grid are {basis}. Check and change before saving.</source>
      <translation>网格的户数 {hh}、人口 {pop} {basis}。保存前请核对，可修改。</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Population</source>
      <translation>人口</translation>
    </message>
    <message>
      <source>Split grid</source>
      <translation>分割网格</translation>
    </message>
    <message>
      <source>Two pieces have the same code.</source>
      <translation>两块的编码相同。</translation>
    </message>
    <message>
      <source>shared by area (no building in the grid has households)</source>
      <translation>按面积比例分配（网格内楼栋均无户数）</translation>
    </message>
    <message>
      <source>shared by the households of the buildings in each piece</source>
      <translation>按各块内楼栋的户数分配</translation>
    </message>
  </context>
</TS>
