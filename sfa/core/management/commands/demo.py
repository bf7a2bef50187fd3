from django.core.management.base import BaseCommand

from sfa.core.demo import DEMO_PASSWORD, DEMO_USERS, run_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again adds nothing twice)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, quiet=False, **options):
        def log(message: str) -> None:
            if not quiet:
                self.stdout.write(message)

        run_demo(log=log)
        if not quiet:
            logins = ", ".join([u[0] for u in DEMO_USERS] + ["customer1 (portal)"])
            self.stdout.write(
                self.style.SUCCESS(f"Demo ready. Logins: {logins}; password {DEMO_PASSWORD}")
            )
