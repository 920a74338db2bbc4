"""Permission-matrix rows of the services the command line added (issue 19)."""

from __future__ import annotations

from tests.services.matrix_base import Needs

REQUIRES: dict[str, Needs] = {
    "backup.backup_workspace": "workspace.backup",
    "backup.list_backups": "workspace.backup",
    "backup.restore_workspace": "workspace.backup",
    "cases.export.case_export_frame": "export.data",
    "cases.export.export_cases": "export.data",
}
