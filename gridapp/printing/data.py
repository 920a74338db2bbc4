"""What a poster or atlas shows: the data objects the services prepare.

:func:`gridapp.services.maps_out.print_data.load_print_data` reads them for a
role holding ``print.maps``; printing only draws them.
"""

from __future__ import annotations

from gridapp.services.maps_out.print_data import UNASSIGNED, ManagerEntry, PrintData

__all__ = ["UNASSIGNED", "ManagerEntry", "PrintData"]
