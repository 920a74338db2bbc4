"""Printing: notice-board posters and grid atlases (QtGui only, no widgets).

* :mod:`.template` reads layout templates (``maps/*.toml``), Qt-free;
* :mod:`.data` reads what a page shows from a workspace, Qt-free;
* :func:`.layout.render_page` draws one page on any QPainter (PDF, image,
  the GUI preview);
* :mod:`.output` writes PDF, PNG and JPEG.

The Qt-free facade the CLI calls is :mod:`gridapp.services.maps_out.printing`.
"""

from __future__ import annotations

from gridapp.printing.report import PrintNote, PrintReport
from gridapp.printing.template import (
           PAPER_MM,
           Paper,
           Template,
           TemplateError,
           load_template,
)

__all__ = ["PAPER_MM", "Paper", "PrintNote", "PrintReport", "Template", "TemplateError",
           "load_template"]
