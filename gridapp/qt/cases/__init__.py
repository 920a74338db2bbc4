"""The case workflow in the main window (installed by ``gridapp.qt.features.cases``).

* :class:`~.pick_tool.PositionPickTool`: click the map to file a report, or to
  place a photo that has no GPS position;
* :mod:`.report_layer`: reload the report layer after a change, style it by
  status or by category;
* :class:`~.photo_drop_filter.CanvasPhotoDrop`: photos dropped on the canvas;
* :class:`~.notice_dialog.SupervisionNoticeDialog`: the 督办单 of an
  escalated case, saved as PDF;
* :class:`~.feature.CasesFeature`: the docks and wiring, with its parts as
  mixins: :mod:`.feature_actions` (actions, menu, 督办单),
  :mod:`.feature_filing` (report form, imports, photos),
  :mod:`.feature_map_link` (list ↔ map) and :mod:`.feature_refresh`
  (counts, the report layer's worker, styles).
"""
