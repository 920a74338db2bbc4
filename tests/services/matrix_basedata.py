"""Permission-matrix rows of base data, residents and patrols (issue 18)."""

from __future__ import annotations

from tests.services.matrix_base import _READ, Needs

REQUIRES: dict[str, Needs] = {
    "patrols.tracks.record_track": "patrol.record",
    "patrols.track_import.import_tracks": "patrol.import",
    "patrols.coverage.grid_coverage": _READ,
    "basedata.residents.add_resident": "resident.edit",
    "basedata.residents.update_resident": "resident.edit",
    "basedata.residents.erase_resident": "resident.erase",
    "basedata.residents.list_residents": _READ,
    "basedata.residents.find_by_id_number": _READ,
    "basedata.residents.grid_population": _READ,
    "basedata.households.add_household": "building.edit",
    "basedata.resident_import.preview_resident_import": "resident.edit",
    "basedata.resident_import.import_residents": "resident.edit",
    "basedata.links.relink_base_data": "building.edit",
    "basedata.links.relink_after_grid_change": "grid.edit",
    "basedata.building_import.preview_base_import": "building.edit",
    "basedata.building_import.import_base_data": "building.edit",
    "basedata.links.grid_on": _READ,
    "basedata.buildings.current_grid_choices": _READ,
    "basedata.buildings.resident_categories": _READ,
    "basedata.buildings.grid_buildings": _READ,
    "basedata.resident_export.resident_export_frame": "export.data",
    "basedata.resident_export.export_residents": "export.data",
    "basedata.building_edit.add_building": "building.edit",
    "basedata.building_edit.update_building": "building.edit",
    "basedata.building_edit.delete_building": "building.edit",
    "basedata.building_edit.building_grid_on": _READ,
    "basedata.categories.list_categories": _READ,
    "basedata.categories.add_category": "category.edit",
    "basedata.categories.update_category": "category.edit",
}
