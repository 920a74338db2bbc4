"""The print report, as :mod:`gridapp.services.maps_out.print_report` defines it.

The services start it while reading a page's data; the layout adds to it.
"""

from __future__ import annotations

from gridapp.services.maps_out.print_report import LEVELS, PrintNote, PrintReport

__all__ = ["LEVELS", "PrintNote", "PrintReport"]
