"""Base data in the window (issue 18): buildings of a grid and their residents.

:mod:`.panel` is the 居民与楼栋 dock; :mod:`gridapp.qt.features.basedata` puts
it into the main window.  Everything is read through the services, which mask
residents' personal data per role and audit every full view.
"""
