"""Print posters and atlases from a workspace (the Qt-free facade the CLI calls).

Both need a session whose role holds ``print.maps``; the check comes first,
so a refused user writes nothing.  Nothing here imports Qt at module level: :mod:`gridapp.printing` (QtGui) is
imported inside the functions, so ``import gridapp.services`` stays Qt-free.

Examples
--------
>>> from gridapp.services.people.auth import login                         # doctest: +SKIP
>>> from gridapp.storage import open_store                        # doctest: +SKIP
>>> with open_store("street.gpkg", readonly=True) as store:          # doctest: +SKIP
...     session = login(store, "lingdao", password)
...     result = print_poster(session, "out.pdf", PosterOptions(community="青云社区",
...                                                                paper="A0"))
>>> print("\\n".join(result.report.lines()))                          # doctest: +SKIP
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gridapp.errors import ValidationError
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.session import Session

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
    report: object = None  # gridapp.printing.PrintReport
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


def _paper(template, paper: str | None, orientation: str | None):  # type: ignore[no-untyped-def]
    from gridapp.printing.template import Paper

    return Paper.of(paper or str(template.page.get("paper", "A4")),
                    orientation or str(template.page.get("orientation", "portrait")))


def print_poster(session: Session, out: str | Path,
                 options: PosterOptions | None = None) -> PrintResult:
    """Write the notice-board poster of a community (or the street) to *out*.

    Raises :class:`~gridapp.errors.PermissionDenied` (writing nothing) unless
    the session's role holds ``print.maps``.
    """
    session.require("print.maps")
    store = session.store
    from gridapp.printing.data import load_print_data
    from gridapp.printing.layout import make_poster_spec
    from gridapp.printing.output import write_image, write_pdf
    from gridapp.printing.report import PrintReport
    from gridapp.printing.template import load_template

    options = options or PosterOptions()
    t0 = time.perf_counter()
    fmt = output_format(out, options.fmt)
    _check_dpi(options.dpi)
    template = load_template(options.template, "poster")
    paper = _paper(template, options.paper, options.orientation)
    report = PrintReport()
    data = load_print_data(store, community=options.community, street=options.street,
                           report=report, context=True)
    spec = make_poster_spec(data, template, paper, options.dpi, report, options.today)
    if fmt == "pdf":
        path = write_pdf(out, [spec], title=f"{data.place}网格分布图")
    else:
        path = write_image(out, spec, fmt)
    return PrintResult(Path(path), 1, report, time.perf_counter() - t0, paper.name,
                       paper.orientation, data.place, report.lines())


def print_atlas(session: Session, out: str | Path, options: PosterOptions | None = None, *,
                progress: Progress = no_progress,
                cancel: CancelToken = NEVER_CANCELLED) -> PrintResult:
    """Write one PDF page per grid of a community (or the street) to *out*.

    Long work: *progress* gets ``(done, total, message)`` per page and
    *cancel* is checked between pages (the partial file is removed).  Needs
    ``print.maps`` (:class:`~gridapp.errors.PermissionDenied` otherwise).
    """
    session.require("print.maps")
    store = session.store
    from gridapp.printing.data import load_print_data
    from gridapp.printing.layout import make_atlas_specs
    from gridapp.printing.output import write_pdf
    from gridapp.printing.report import PrintReport
    from gridapp.printing.template import load_template

    options = options or PosterOptions()
    t0 = time.perf_counter()
    if output_format(out, options.fmt) != "pdf":
        raise ValidationError("图册只能输出为 PDF", "An atlas is written as PDF only")
    _check_dpi(options.dpi)
    template = load_template(options.template, "atlas")
    paper = _paper(template, options.paper, options.orientation)
    report = PrintReport()
    data = load_print_data(store, community=options.community, street=options.street,
                           report=report, context=True)
    specs = make_atlas_specs(data, template, paper, options.dpi, report, options.today)
    path = write_pdf(out, specs, title=f"{data.place}网格图册", progress=progress,
                     cancel=cancel)
    return PrintResult(Path(path), len(specs), report, time.perf_counter() - t0, paper.name,
                       paper.orientation, data.place, report.lines())
