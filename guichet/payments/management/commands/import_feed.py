import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.core.actors import Actor, ActorKind
from guichet.payments import services
from guichet.payments.enums import FeedName


class Command(BaseCommand):
    help = (
        "Import a JSON Lines file of one feed (payments, sick_leaves, work_accidents, contracts): applied "
        "whole or refused whole, with a line-by-line error report (docs/feeds.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("feed", choices=FeedName.values)
        parser.add_argument("path", help="The file, or - for standard input.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, feed: str, path: str, json: bool = False, **options):
        if path == "-":
            stream, source = sys.stdin.buffer, "command:stdin"
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"No such file: {path}")
            stream, source = file.open("rb"), f"command:{file.name}"
        try:
            report = services.import_feed(
                feed=feed,
                stream=stream,
                source=source,
                actor=Actor(ActorKind.SYSTEM, "import_feed"),
            )
        finally:
            if path != "-":
                stream.close()
        if json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            self.stdout.write(
                f"{feed}: {report.lines} lines, {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.error_count} errors (batch {report.batch_id})."
            )
            for error in report.errors:
                self.stdout.write(f"  line {error.line}, {error.field}: {error.reason}")
        if not report.applied:
            raise CommandError(f"File refused: nothing was imported ({report.error_count} errors).")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
