"""Writing the pages the services prepared: posters, atlases, task orders, 督办单.

The services check the role and read the data
(:func:`gridapp.services.maps_out.printing.poster_job`,
:func:`~gridapp.services.maps_out.printing.atlas_job`,
:func:`gridapp.services.joint.task_print.task_order_print`,
:func:`~gridapp.services.joint.task_print.escalation_print`); the CLI and the
window hand the result to a writer here.  The writers check the output file
before drawing, so a refused file is never half written.

Examples
--------
>>> job = poster_job(session, PosterOptions(community="青云社区"))  # doctest: +SKIP
>>> result = write_poster(job, "poster.pdf")                       # doctest: +SKIP
"""

from __future__ import annotations

import time
from pathlib import Path

from gridapp.errors import ValidationError
from gridapp.printing.layout import PageSpec, make_atlas_specs, make_poster_spec
from gridapp.printing.output import pdf_target, write_image, write_pdf
from gridapp.printing.report import PrintReport
from gridapp.printing.task_order_pdf import write_escalation_pdf, write_task_order_pdf
from gridapp.printing.template import Paper, Template, load_template
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services.joint.task_print import EscalationPrint, TaskOrderPrint
from gridapp.services.maps_out.printing import PrintJob, PrintResult, output_format


def _paper(template: Template, paper: str | None, orientation: str | None) -> Paper:
    return Paper.of(paper or str(template.page.get("paper", "A4")),
                    orientation or str(template.page.get("orientation", "portrait")))


def poster_spec(job: PrintJob, *, template: str | Path | None = None,
                paper: str | None = None, orientation: str | None = None,
                dpi: float | None = None,
                extent: tuple[float, float, float, float] | None = None,
                scale: float | None = None) -> PageSpec:
    """The poster page of *job*; the keywords override the job's options.

    *extent* (metric CRS) and *scale* (denominator) fix the map frame
    instead of fitting the place.
    """
    opts = job.options
    tpl = load_template(template if template is not None else opts.template, "poster")
    page = _paper(tpl, paper or opts.paper, orientation or opts.orientation)
    report = PrintReport(list(job.report.notes))
    spec = make_poster_spec(job.data, tpl, page, dpi or opts.dpi, report, opts.today)
    spec.extent = extent
    spec.scale = scale
    return spec


def write_poster(job: PrintJob, out: str | Path, *, fmt: str | None = None,
                 template: str | Path | None = None, paper: str | None = None,
                 orientation: str | None = None, dpi: float | None = None,
                 extent: tuple[float, float, float, float] | None = None,
                 scale: float | None = None, progress: Progress = no_progress,
                 cancel: CancelToken = NEVER_CANCELLED) -> PrintResult:
    """Write the poster of *job* to *out* (PDF, PNG or JPEG); returns a ``PrintResult``.

    The format is *fmt*, else the job's, else the file suffix; the other
    keywords are as :func:`poster_spec`.
    """
    t0 = time.perf_counter()
    kind = output_format(out, fmt or job.options.fmt)
    progress(0, 3, "")
    spec = poster_spec(job, template=template, paper=paper, orientation=orientation, dpi=dpi,
                       extent=extent, scale=scale)
    cancel.check()
    progress(1, 3, "")
    if kind == "pdf":
        path = write_pdf(out, [spec], title=f"{job.data.place}网格分布图", cancel=cancel)
    else:
        path = write_image(out, spec, kind)
    progress(3, 3, "")
    return PrintResult(Path(path), 1, spec.report, job.seconds + time.perf_counter() - t0,
                       spec.paper.name, spec.paper.orientation, job.data.place,
                       spec.report.lines())


def write_atlas(job: PrintJob, out: str | Path, *, progress: Progress = no_progress,
                cancel: CancelToken = NEVER_CANCELLED) -> PrintResult:
    """Write one PDF page per grid of *job* to *out*; returns a ``PrintResult``.

    Long work: *progress* gets ``(done, total, message)`` per page and
    *cancel* is checked between pages (the partial file is removed).
    """
    t0 = time.perf_counter()
    if output_format(out, job.options.fmt) != "pdf":
        raise ValidationError("图册只能输出为 PDF", "An atlas is written as PDF only")
    opts = job.options
    template = load_template(opts.template, "atlas")
    paper = _paper(template, opts.paper, opts.orientation)
    report = PrintReport(list(job.report.notes))
    specs = make_atlas_specs(job.data, template, paper, opts.dpi, report, opts.today)
    path = write_pdf(out, specs, title=f"{job.data.place}网格图册", progress=progress,
                     cancel=cancel)
    return PrintResult(Path(path), len(specs), report, job.seconds + time.perf_counter() - t0,
                       paper.name, paper.orientation, job.data.place, report.lines())


def write_task_order(job: TaskOrderPrint, out: str | Path) -> Path:
    """Write the one-page 联合执法任务单 of *job* as an A4 PDF at *out*; returns the path."""
    return write_task_order_pdf(pdf_target(out), job.order, job.context)


def write_escalation(job: EscalationPrint, out: str | Path) -> Path:
    """Write the 督办单 of *job* as an A4 PDF at *out*; returns the path."""
    return write_escalation_pdf(pdf_target(out), job.notice, job.order, job.context)


__all__ = ["pdf_target", "poster_spec", "write_atlas", "write_escalation", "write_poster",
           "write_task_order"]
