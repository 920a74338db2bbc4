"""The grid editor (issue 4): map tools, problems panel, forms and dialogs.

:class:`~gridapp.qt.grids.editor.GridEditor` owns the undo stack and turns
tool results (metric geometry on the map) into saved grid versions through
:mod:`gridapp.services.grids.edit`; the widgets and tools here only talk to it.
:mod:`gridapp.qt.features.grids` plugs them into the main window.
"""
