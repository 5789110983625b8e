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


@dataclass
class DocumentFigure:
    label: str
    median_ms: float
    p90_ms: float
    ratio: float  # the median, over the rounds, of this one's time over the baseline's
    ratio_bare: float  # the same over the bare canvas page's time


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
        "minimal ReportLab page, core.pdf letterhead (baseline)": minimal_page(member),
        "bare ReportLab canvas page, same embedded font": pdf.serialized(bare_page),
        "attestation de droits: the PDF alone": lambda: pdfs.entitlement_certificate(
            member=member, covered=covered, issued=issued
        ),
        "attestation de droits: the whole service": lambda: services.issue_entitlement_certificate(
            member=member, beneficiary_id=None, actor=actor
        ),
    }
    pdf._register_fonts()
    for make in variants.values():
        for _ in range(WARM_UP):
            make()
    timings: dict[str, list[float]] = {label: [] for label in variants}
    gc.collect()
    for _ in range(rounds):
        for label, make in variants.items():
            started = time.perf_counter()
            make()
            timings[label].append(time.perf_counter() - started)
    baseline, bare = (timings[label] for label in list(variants)[:2])
    figures = []
    for label, times in timings.items():
        ratios = [t / b for t, b in zip(times, baseline, strict=True)]
        ratios_bare = [t / b for t, b in zip(times, bare, strict=True)]
        figures.append(
            DocumentFigure(
                label,
                statistics.median(times) * 1000,
                statistics.quantiles(times, n=10)[-1] * 1000,
                statistics.median(ratios),
                statistics.median(ratios_bare),
            )
        )
    return figures
