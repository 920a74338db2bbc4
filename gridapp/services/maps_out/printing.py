"""What posters and atlases print, read for a role holding ``print.maps``.

:func:`poster_job` and :func:`atlas_job` check the role first (a refused user
gets nothing read, nothing written), check the options and read the data;
:mod:`gridapp.printing.jobs` draws the pages from the job.  Nothing here
draws or imports Qt.

Examples
--------
>>> from gridapp.printing.jobs import write_poster                 # doctest: +SKIP
>>> job = poster_job(session, PosterOptions(community="青云社区", paper="A0"))  # doctest: +SKIP
>>> result = write_poster(job, "out.pdf")                           # doctest: +SKIP
>>> print("\\n".join(result.notes))                                  # doctest: +SKIP
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gridapp.errors import ValidationError
from gridapp.services.maps_out.print_data import PrintData, load_print_data
from gridapp.services.maps_out.print_report import PrintReport
from gridapp.services.session import Session
from gridapp.storage.queries import maps as map_rows

FORMATS = ("pdf", "png", "jpeg")


@dataclass
class PosterOptions:
    """What to print and how.

    community : code or name, or None (the street, or the only community)
    street : print the whole street even if it has one community
    paper, orientation : A4–A0, portrait/landscape (None: the template's)
    fmt : pdf, png or jpeg (None: from the output file's suffix)
    dpi : resolution of images (PDF is vector; it sets symbol rasters only)
    template : path of a ``maps/*.toml`` file (None: the default)
    """

    community: str | None = None
    street: bool = False
    paper: str | None = None
    orientation: str | None = None
    fmt: str | None = None
    dpi: float = 300.0
    template: str | Path | None = None
    today: date | None = None


@dataclass
class PrintResult:
    """What was written, how many pages, the print report and the time taken."""

    path: Path
    pages: int
    report: PrintReport | None = None
    seconds: float = 0.0
    paper: str = ""
    orientation: str = ""
    place: str = ""
    notes: list[str] = field(default_factory=list)


def output_format(path: str | Path, fmt: str | None) -> str:
    """``pdf``, ``png`` or ``jpeg`` from *fmt* or the file suffix."""
    value = (fmt or Path(path).suffix.lstrip(".") or "pdf").lower()
    value = "jpeg" if value == "jpg" else value
    if value not in FORMATS:
        raise ValidationError("不支持的输出格式：{f}（可用 pdf、png、jpeg）",
                              "Unsupported output format {f} (use pdf, png or jpeg)", f=value)
    return value


def _check_dpi(dpi: float) -> None:
    if not 30 <= dpi <= 1200:
        raise ValidationError("DPI 应在 30–1200 之间：{d}", "DPI must be 30–1200: {d}", d=dpi)


@dataclass
class PrintJob:
    """A poster or atlas ready to draw: what was asked, the data and the notes so far.

    kind : ``poster`` or ``atlas``
    seconds : time spent reading (the writer adds its own)
    """

    kind: str
    options: PosterOptions
    data: PrintData
    report: PrintReport
    seconds: float = 0.0


def _job(session: Session, kind: str, options: PosterOptions | None) -> PrintJob:
    session.require("print.maps")
    options = options or PosterOptions()
    t0 = time.perf_counter()
    if options.fmt is not None:
        output_format("", options.fmt)
    if kind == "atlas" and options.fmt is not None and output_format("", options.fmt) != "pdf":
        raise ValidationError("图册只能输出为 PDF", "An atlas is written as PDF only")
    _check_dpi(options.dpi)
    report = PrintReport()
    data = load_print_data(session, community=options.community, street=options.street,
                           report=report, context=True)
    return PrintJob(kind, options, data, report, time.perf_counter() - t0)


def poster_job(session: Session, options: PosterOptions | None = None) -> PrintJob:
    """The notice-board poster of a community (or the street), for
    :func:`gridapp.printing.jobs.write_poster`.

    Raises :class:`~gridapp.errors.PermissionDenied` (reading nothing) unless
    the session's role holds ``print.maps``; :class:`~gridapp.errors.ValidationError`
    for a bad format or DPI; :class:`~gridapp.errors.NotFoundError` for an
    unknown community or a workspace without grids.
    """
    return _job(session, "poster", options)


def atlas_job(session: Session, options: PosterOptions | None = None) -> PrintJob:
    """One page per grid of a community (or the street), for
    :func:`gridapp.printing.jobs.write_atlas`; checked as :func:`poster_job`."""
    return _job(session, "atlas", options)


def communities(session: Session) -> Any:
    """Every community (code, name, boundary in EPSG:4490), by code: the places a
    poster, an atlas or a web map can show (public, as on the notice board)."""
    session.require("workspace.read")
    return map_rows.communities(session.store)


def default_folder(session: Session) -> Path:
    """The folder of the open workspace, where output files are offered first."""
    session.require("workspace.read")
    return Path(getattr(session.store, "path", ".")).parent
