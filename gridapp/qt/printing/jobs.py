"""The print jobs the printing dialogs run on workers (no widgets here).

A :class:`PosterRequest` is snapshotted on the GUI thread (including the
current map extent, if chosen) and then used off it: to render the preview
image (:func:`render_preview`, the same :func:`~gridapp.printing.layout.render_page`
the PDF writer calls, on a scaled painter) and to write the file
(:func:`export_poster`, over the one poster writer
:func:`gridapp.printing.jobs.write_poster`).  The data always comes from the
service :func:`gridapp.services.maps_out.printing.poster_job`, which checks
``print.maps``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage, QPainter

from gridapp.printing.jobs import poster_spec, write_poster
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.maps_out.printing import PosterOptions, PrintJob, poster_job

PAPERS = ("A4", "A3", "A2", "A1", "A0")
ORIENTATIONS = ("portrait", "landscape")
FORMATS = ("pdf", "png", "jpeg")
SUFFIX = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}


@dataclass(frozen=True)
class TemplateEntry:
    """A layout template file offered in the dialogs."""

    path: Path
    name: str
    kind: str


def list_templates(kind: str, folder: Path | None = None) -> list[TemplateEntry]:
    """The templates of *kind* (``poster`` or ``atlas``) in ``maps/``, default first."""
    from gridapp.printing.template import MAPS_DIR

    folder = folder or MAPS_DIR
    out = []
    for path in sorted(folder.glob("*.toml")):
        try:
            meta = tomllib.loads(path.read_text(encoding="utf-8")).get("meta", {})
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        k = str(meta.get("kind", "poster"))
        if k == kind:
            out.append(TemplateEntry(path, str(meta.get("name") or path.stem), k))
    out.sort(key=lambda e: e.path.stem != kind)
    return out


@dataclass(frozen=True)
class PosterRequest:
    """Everything the poster dialog chose (plain values, safe to hand to a thread).

    community : code of the community, or None for the whole street
    extent : map extent in the workspace's metric CRS, or None (fit the place)
    scale : fixed scale denominator, or None (a round scale that fits)
    """

    template: Path | None = None
    community: str | None = None
    paper: str = "A1"
    orientation: str = "landscape"
    fmt: str = "pdf"
    dpi: float = 300.0
    extent: tuple[float, float, float, float] | None = None
    scale: float | None = None

    def data_key(self) -> tuple[str | None]:
        return (self.community,)


@dataclass
class LoadedData:
    """The poster job of one place, as the service prepared it (cached per place)."""

    job: PrintJob

    @property
    def data(self) -> Any:  # gridapp.services.maps_out.print_data.PrintData
        return self.job.data

    @property
    def notes(self) -> list:
        return self.job.report.notes


def _options(request: PosterRequest) -> PosterOptions:
    return PosterOptions(community=request.community, street=request.community is None,
                         paper=request.paper, orientation=request.orientation,
                         fmt=request.fmt, dpi=request.dpi, template=request.template)


def load_data(session: Any, request: PosterRequest) -> LoadedData:
    """The poster's data (a community, or the street), asked of the service."""
    return LoadedData(poster_job(session, _options(request)))


def make_spec(loaded: LoadedData, request: PosterRequest) -> Any:
    """The poster's :class:`~gridapp.printing.layout.PageSpec` for *request*."""
    return poster_spec(loaded.job, template=request.template, paper=request.paper,
                       orientation=request.orientation, dpi=request.dpi,
                       extent=request.extent, scale=request.scale)


def preview_size(spec: Any, long_side: int) -> tuple[int, int]:
    """Pixel size of the preview of *spec*: the page fitted in *long_side* (never larger)."""
    w, h = spec.size_px
    k = min(1.0, long_side / max(w, h))
    return max(1, round(w * k)), max(1, round(h * k))


@dataclass
class PreviewResult:
    """A rendered preview: the request it shows, the image and the print report."""

    request: PosterRequest
    image: QImage
    report: Any  # gridapp.printing.PrintReport
    page: Any = None  # RenderedPage (page pixels)
    scale: float = 1.0  # preview pixels per page pixel


def render_preview(spec: Any, long_side: int) -> tuple[QImage, Any, float]:
    """Draw *spec* into an image of at most *long_side* pixels.

    The painter is scaled by ``preview / page`` pixels, so the page is laid
    out exactly as at ``spec.dpi`` (same fonts, label choices and fits).
    """
    from gridapp.printing.layout import render_page

    w, h = spec.size_px
    pw, ph = preview_size(spec, long_side)
    image = QImage(pw, ph, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    try:
        painter.scale(pw / w, ph / h)
        page = render_page(painter, spec)
    finally:
        painter.end()
    return image, page, pw / w


def export_poster(session: Any, request: PosterRequest, out: str | Path, *,
                  progress: Progress = no_progress,
                  cancel: CancelToken = NEVER_CANCELLED) -> Any:
    """Write the poster of *request* to *out*; returns a ``PrintResult``.

    The service refuses (raising ``PermissionDenied``, writing nothing) unless
    the session holds ``print.maps``; :func:`gridapp.printing.jobs.write_poster`
    writes the file.
    """
    job = load_data(session, request).job
    cancel.check()
    return write_poster(job, out, fmt=request.fmt, template=request.template,
                        paper=request.paper, orientation=request.orientation,
                        dpi=request.dpi, extent=request.extent, scale=request.scale,
                        progress=progress, cancel=cancel)


def with_suffix(path: str | Path, fmt: str) -> Path:
    """*path* with the suffix of *fmt* unless it already has a matching one."""
    p = Path(path)
    ok = {"pdf": (".pdf",), "png": (".png",), "jpeg": (".jpg", ".jpeg")}[fmt]
    return p if p.suffix.lower() in ok else p.with_suffix(SUFFIX[fmt])


__all__ = ["FORMATS", "ORIENTATIONS", "PAPERS", "LoadedData", "PosterRequest", "PreviewResult",
           "TemplateEntry", "export_poster", "list_templates", "load_data", "make_spec",
           "preview_size", "render_preview", "with_suffix"]
