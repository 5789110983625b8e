"""Documents: an attestation de droits against a minimal ReportLab page made in the same run."""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from guichet.core import pdf
from guichet.core.actors import Actor, ActorKind
from guichet.documents import pdfs, selectors, services
from guichet.identity.models import Account

WARM_UP = 10
SENTENCE = "Attestation de droits à l'assurance maladie."


TARGET = 2.0  # issue 9: "an attestation in at most twice the time of a minimal ReportLab page"
BASELINE, BARE, PDF_ALONE, SERVICE = (
    "minimal ReportLab page, core.pdf letterhead (baseline)",
    "bare ReportLab canvas page, same embedded font",
    "attestation de droits: the PDF alone",
    "attestation de droits: the whole service",
)


@dataclass
class DocumentFigure:
    label: str
    median_ms: float
    p90_ms: float
    ratio: float  # the median, over the rounds, of this one's time over the baseline's
    ratio_bare: float  # the same over the bare canvas page's time
    cpu_ms: float  # the median CPU time of this process (time.process_time)
    cpu_ratio: float  # the median, over the rounds, of its CPU time over the baseline's

    @property
    def meets_target(self) -> bool:
        return self.ratio <= TARGET and self.cpu_ratio <= TARGET


def bare_page() -> bytes:
    """The least ReportLab makes: one A4 page, one sentence in our embedded font."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setFont(pdf.REGULAR, 12)
    canvas.drawString(72, 720, SENTENCE)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def minimal_page(member) -> Callable[[], bytes]:
    """The least core.pdf makes: the fund's and the member's letterhead, a title, one sentence."""

    def make() -> bytes:
        document = pdf.member_document(
            title=SENTENCE, member=member, issued_on=timezone.localdate()
        )
        document.paragraph(SENTENCE)
        return document.finish()

    return make


def measure(*, account: Account, rounds: int) -> list[DocumentFigure]:
    """Each variant once per round, `rounds` times; ratios are medians of paired rounds."""
    member = account.insured_person
    actor = Actor(ActorKind.SYSTEM, "bench", "")
    issued = services.issue_entitlement_certificate(
        member=member, beneficiary_id=None, actor=actor
    ).document
    covered = selectors.coverage_of(holder=member, day=timezone.localdate())
    variants: dict[str, Callable[[], object]] = {
        BASELINE: minimal_page(member),
        BARE: pdf.serialized(bare_page),
        PDF_ALONE: lambda: pdfs.entitlement_certificate(
            member=member, covered=covered, issued=issued
        ),
        SERVICE: lambda: services.issue_entitlement_certificate(
            member=member, beneficiary_id=None, actor=actor
        ),
    }
    pdf._register_fonts()
    for make in variants.values():
        for _ in range(WARM_UP):
            make()
    # Wall-clock time is what a member waits for; CPU time is what a machine shared with other
    # processes still measures faithfully (their load lengthens the first, not the second).
    timings: dict[str, list[float]] = {label: [] for label in variants}
    cpu: dict[str, list[float]] = {label: [] for label in variants}
    gc.collect()
    for _ in range(rounds):
        for label, make in variants.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            make()
            cpu[label].append(time.process_time() - started_cpu)
            timings[label].append(time.perf_counter() - started)
    figures = []
    for label, times in timings.items():
        figures.append(
            DocumentFigure(
                label,
                statistics.median(times) * 1000,
                statistics.quantiles(times, n=10)[-1] * 1000,
                _median_ratio(times, timings[BASELINE]),
                _median_ratio(times, timings[BARE]),
                statistics.median(cpu[label]) * 1000,
                _median_ratio(cpu[label], cpu[BASELINE]),
            )
        )
    return figures


def _median_ratio(times: list[float], baseline: list[float]) -> float:
    """The median over the rounds of time / the baseline's time in the same round."""
    return statistics.median(t / b for t, b in zip(times, baseline, strict=True))
