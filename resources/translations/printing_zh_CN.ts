<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>&amp;Print preview…</source>
      <translation>打印预览(&amp;P)…</translation>
    </message>
    <message>
      <source>Export &amp;web map…</source>
      <translation>导出网页地图(&amp;W)…</translation>
    </message>
    <message>
      <source>Grid &amp;atlas…</source>
      <translation>网格图册(&amp;A)…</translation>
    </message>
  </context>
  <context>
    <name>AtlasDialog</name>
    <message>
      <source>As in the template</source>
      <translation>按模板</translation>
    </message>
    <message>
      <source>Atlas PDF</source>
      <translation>图册 PDF</translation>
    </message>
    <message>
      <source>Atlas of</source>
      <translation>图册范围</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Cancelled; the partial file was removed</source>
      <translation>已取消，未完成的文件已删除</translation>
    </message>
    <message>
      <source>Grid atlas</source>
      <translation>网格图册</translation>
    </message>
    <message>
      <source>Landscape</source>
      <translation>横向</translation>
    </message>
    <message>
      <source>Orientation</source>
      <translation>方向</translation>
    </message>
    <message>
      <source>Output PDF</source>
      <translation>输出 PDF</translation>
    </message>
    <message>
      <source>PDF (*.pdf)</source>
      <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
      <source>Paper</source>
      <translation>纸张</translation>
    </message>
    <message>
      <source>Portrait</source>
      <translation>纵向</translation>
    </message>
    <message>
      <source>Print report</source>
      <translation>出图报告</translation>
    </message>
    <message>
      <source>Template</source>
      <translation>模板</translation>
    </message>
    <message>
      <source>The atlas could not be written: {error}</source>
      <translation>图册未能生成：{error}</translation>
    </message>
    <message>
      <source>Whole street</source>
      <translation>整个街道</translation>
    </message>
    <message>
      <source>Write atlas</source>
      <translation>生成图册</translation>
    </message>
    <message>
      <source>Written {n} pages to {path} in {s:.1f} s</source>
      <translation>已写入 {n} 页到 {path}，用时 {s:.1f} 秒</translation>
    </message>
  </context>
  <context>
    <name>JobFooter</name>
    <message>
      <source>Writing {name}…</source>
      <translation>正在写入 {name}…</translation>
    </message>
  </context>
  <context>
    <name>PrintPreviewDialog</name>
    <message>
      <source>Cannot preview: {error}</source>
      <translation>无法预览：{error}</translation>
    </message>
    <message>
      <source>Current map view</source>
      <translation>当前地图视图</translation>
    </message>
    <message>
      <source>DPI</source>
      <translation>分辨率 (DPI)</translation>
    </message>
    <message>
      <source>Export cancelled</source>
      <translation>导出已取消</translation>
    </message>
    <message>
      <source>Export failed: {error}</source>
      <translation>导出失败：{error}</translation>
    </message>
    <message>
      <source>Export poster</source>
      <translation>导出公示图</translation>
    </message>
    <message>
      <source>Fixed</source>
      <translation>固定</translation>
    </message>
    <message>
      <source>Format</source>
      <translation>格式</translation>
    </message>
    <message>
      <source>JPEG image (*.jpg *.jpeg)</source>
      <translation>JPEG 图片 (*.jpg *.jpeg)</translation>
    </message>
    <message>
      <source>Landscape</source>
      <translation>横向</translation>
    </message>
    <message>
      <source>Layout</source>
      <translation>版面</translation>
    </message>
    <message>
      <source>Layout templates (*.toml)</source>
      <translation>版面模板 (*.toml)</translation>
    </message>
    <message>
      <source>Map extent</source>
      <translation>地图范围</translation>
    </message>
    <message>
      <source>Open layout template</source>
      <translation>打开版面模板</translation>
    </message>
    <message>
      <source>Open template file…</source>
      <translation>打开模板文件…</translation>
    </message>
    <message>
      <source>Orientation</source>
      <translation>方向</translation>
    </message>
    <message>
      <source>PDF (*.pdf)</source>
      <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
      <source>PNG image (*.png)</source>
      <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
      <source>Paper</source>
      <translation>纸张</translation>
    </message>
    <message>
      <source>Portrait</source>
      <translation>纵向</translation>
    </message>
    <message>
      <source>Poster for</source>
      <translation>公示图范围</translation>
    </message>
    <message>
      <source>Print / Export…</source>
      <translation>打印 / 导出…</translation>
    </message>
    <message>
      <source>Print preview — notice-board poster</source>
      <translation>打印预览 — 网格公示图</translation>
    </message>
    <message>
      <source>Print report</source>
      <translation>出图报告</translation>
    </message>
    <message>
      <source>Scale</source>
      <translation>比例尺</translation>
    </message>
    <message>
      <source>Template</source>
      <translation>模板</translation>
    </message>
    <message>
      <source>The poster's community or street</source>
      <translation>公示图所属社区或街道</translation>
    </message>
    <message>
      <source>Updating preview…</source>
      <translation>正在更新预览…</translation>
    </message>
    <message>
      <source>Whole street</source>
      <translation>整个街道</translation>
    </message>
    <message>
      <source>Written {path} in {s:.1f} s</source>
      <translation>已写入 {path}，用时 {s:.1f} 秒</translation>
    </message>
    <message>
      <source>map scale 1:{n:,.0f}</source>
      <translation>地图比例尺 1:{n:,.0f}</translation>
    </message>
    <message>
      <source>{paper} {w:.0f} × {h:.0f} mm · {pw} × {ph} px at {dpi:.0f} dpi</source>
      <translation>{paper} {w:.0f} × {h:.0f} 毫米 · {pw} × {ph} 像素（{dpi:.0f} dpi）</translation>
    </message>
  </context>
  <context>
    <name>WebMapDialog</name>
    <message>
      <source> days</source>
      <translation> 天</translation>
    </message>
    <message>
      <source>Area</source>
      <translation>范围</translation>
    </message>
    <message>
      <source>Base map tile URL (optional)</source>
      <translation>底图瓦片地址（可选）</translation>
    </message>
    <message>
      <source>Base map: {url}</source>
      <translation>底图：{url}</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>Export web map</source>
      <translation>导出网页地图</translation>
    </message>
    <message>
      <source>HTML file</source>
      <translation>HTML 文件</translation>
    </message>
    <message>
      <source>Heat map</source>
      <translation>热力图</translation>
    </message>
    <message>
      <source>Open the map when written</source>
      <translation>导出后打开地图</translation>
    </message>
    <message>
      <source>Reports of the last</source>
      <translation>事件时间范围：最近</translation>
    </message>
    <message>
      <source>Show the heat map of reports</source>
      <translation>显示事件热力图</translation>
    </message>
    <message>
      <source>The file works without internet. A tile URL adds an online base map, which then needs internet.</source>
      <translation>导出的文件无需联网即可使用。填写瓦片地址会加入在线底图，此时需要联网。</translation>
    </message>
    <message>
      <source>The web map could not be written: {error}</source>
      <translation>网页地图未能生成：{error}</translation>
    </message>
    <message>
      <source>Web map</source>
      <translation>网页地图</translation>
    </message>
    <message>
      <source>Web page (*.html)</source>
      <translation>网页 (*.html)</translation>
    </message>
    <message>
      <source>Whole street</source>
      <translation>整个街道</translation>
    </message>
    <message>
      <source>Written {path} ({kb:,.0f} KB): {g} grids, {r} reports, {t} tasks</source>
      <translation>已写入 {path}（{kb:,.0f} KB）：{g} 个网格，{r} 条事件，{t} 项任务</translation>
    </message>
  </context>
</TS>
