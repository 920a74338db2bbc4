"""Report and case widgets the main window hosts (docks and dialogs).

* :class:`~gridapp.qt.reports.report_dialog.ReportDialog` files one report;
* :class:`~gridapp.qt.reports.case_list_widget.CaseListWidget` lists cases
  over a lazily fetching model;
* :class:`~gridapp.qt.reports.case_detail_widget.CaseDetailWidget` shows one
  case and performs workflow actions;
* :class:`~gridapp.qt.reports.photo_drop_import.PhotoDropImport` turns dropped
  photos into draft reports;
* :class:`~gridapp.qt.reports.report_import_dialog.ReportImportDialog` imports
  CSV/XLSX reports.
"""
