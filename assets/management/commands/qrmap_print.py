"""Print plaques into one PDF: `manage.py qrmap_print --output JOB.pdf --commune 06280`.

The same service as the print centre: only verified, active assets get a plaque (the others
are listed as skipped), every QR in the PDF is decoded before the file is written, and the
plaques are recorded as printed with the batch.
"""
import shutil

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assets.errors import DomainError
from assets.models import Asset
from assets.plaques.layout import TEMPLATES
from assets.printing import PAPERS, PrintJobError, print_batch_create, print_batch_run


class Command(BaseCommand):
    help = "Print QR plaques of verified assets into one PDF with crop marks and a cover page."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the PDF file to write")
        parser.add_argument("--commune", default="", help="GSO code of a 2025 commune or ward")
        parser.add_argument("--kind", default="", choices=["", *Asset.Kind.values])
        parser.add_argument("--category", default="", choices=["", *Asset.Category.values])
        parser.add_argument("--status", default="active", choices=["", *Asset.Status.values])
        parser.add_argument("--codes", default="", help="asset codes, comma separated")
        parser.add_argument("--template", default="auto", choices=["auto", *TEMPLATES])
        parser.add_argument("--paper", default="A4", choices=PAPERS)
        parser.add_argument("--copies", type=int, default=1, help="plaques per asset")
        parser.add_argument("--width-mm", type=int, default=0)
        parser.add_argument("--height-mm", type=int, default=0)
        parser.add_argument("--scan-distance", type=float, default=0,
                            help="metres from which the plaque must scan")
        parser.add_argument("--user", default="", help="print as this staff user (scope)")

    def handle(self, *args, **opts):
        user = self._user(opts["user"])
        codes = [c for c in opts["codes"].replace(" ", ",").split(",") if c]
        try:
            batch = print_batch_create(
                user=user, template=opts["template"], paper=opts["paper"],
                copies=opts["copies"], width_mm=opts["width_mm"], height_mm=opts["height_mm"],
                scan_distance_m=opts["scan_distance"], commune=opts["commune"],
                kind=opts["kind"], category=opts["category"], status=opts["status"],
                codes=codes,
            )
            for label, reason in batch.skipped:
                self.stderr.write(f"skipped: {label}: {reason}")
            print_batch_run(batch=batch, progress=self._bar)
        except (PrintJobError, DomainError) as error:
            raise CommandError(str(error)) from error
        with batch.file.open("rb") as source, open(opts["output"], "wb") as target:
            shutil.copyfileobj(source, target)  # a job's PDF can be tens of megabytes
        self.stdout.write(f"{opts['output']}: batch {batch.pk}, {batch.plaques.count()} "
                          f"plaques, {len(batch.skipped)} skipped, every QR decoded")

    def _user(self, username):
        users = get_user_model().objects
        if username:
            user = users.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {username!r}.")
            return user
        # From the shell the operator is the province office: a superuser account.
        user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("No superuser: create one (createsuperuser) or pass --user.")
        return user

    def _bar(self, stage, done, total):
        width = 30
        filled = int(width * done / max(total, 1))
        label = {"draw": "drawing ", "verify": "decoding"}[stage]
        self.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                          ending="\n" if done == total else "")
        self.stderr.flush()
