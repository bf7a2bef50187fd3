"""Feed raw e-mail (an .eml file or standard input) to the inbound handler, as the ESP's
webhook would: for trying the support mailbox locally, importing a mailbox, or piping from an
MTA (``| manage.py receive_email -``)."""

import sys
from pathlib import Path

from anymail.inbound import AnymailInboundMessage
from django.core.management.base import BaseCommand, CommandError

from tickets.inbound import receive


class Command(BaseCommand):
    help = "Receive e-mail messages (.eml files or - for standard input) as support mail."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Paths of .eml files, or - for stdin.")

    def handle(self, *args, **options):
        for path in options["files"]:
            try:
                raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            record = receive(AnymailInboundMessage.parse_raw_mime_bytes(raw), esp="command")
            ticket = f" → {record.ticket.number}" if record.ticket_id else ""
            self.stdout.write(f"{path}: {record.get_outcome_display()}{ticket}")
