"""`manage.py indicators_import FILE --indicator CODE [--mapping M.toml] [--dry-run]`
and `manage.py indicators_import --undo ID`: the data bank's import from the command line.

Prints the same report as `concertem indicators import` (which delegates here when a site
database is configured). Exit status 1 when the file is refused; nothing is stored then.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.db.models import Q

from concertem.databank.models import Import, Indicator
from concertem.databank.reports import report_lines, report_problem_lines
from concertem.databank.services import UndoRefusedError, file_import, import_undo
from datasets.indicators.errors import IndicatorImportError, IndicatorMappingError
from datasets.indicators.importer import PROVINCE_CODE
from datasets.indicators.mapping import ImportMapping, import_mapping_parse


class Command(BaseCommand):
    help = "Import an indicator CSV into the data bank (or check it with --dry-run, or --undo)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--indicator", help="catalogue code of the indicator")
        parser.add_argument("--mapping", type=Path, help="mapping TOML for what detection misses")
        parser.add_argument("--dry-run", action="store_true", help="check and count, store nothing")
        parser.add_argument("--undo", type=int, metavar="ID", help="undo import number ID")
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument(
            "--province",
            default=PROVINCE_CODE,
            help="INE code of the data bank's province (entities of another are refused); "
            "'any' for no check",
        )

    def handle(self, *args, **options) -> None:
        try:
            self._handle(**options)
        except DatabaseError as error:
            # A database not created or not migrated yet: say so, not a traceback.
            raise CommandError(
                f"the data bank's database is not ready ({error}); run `manage.py migrate` "
                "first, or give --values-file to check against a values file"
            ) from error

    def _handle(self, **options) -> None:
        if options["undo"] is not None:
            self._undo(options["undo"])
            return
        path, code = options["file"], options["indicator"]
        if path is None or not code:
            raise CommandError("give FILE and --indicator CODE (or --undo ID)")
        # the catalogue code, or the publisher's own code the catalogue records (15.1.1)
        indicator = Indicator.objects.filter(Q(code=code) | Q(publisher_code=code)).first()
        if indicator is None:
            known = ", ".join(Indicator.objects.values_list("code", flat=True))
            raise CommandError(f"{code!r} is not in the data bank's catalogue; known: {known}")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        mapping_toml = ""
        mapping = ImportMapping()
        if options["mapping"]:
            try:
                mapping_toml = options["mapping"].read_text(encoding="utf-8")
                mapping = import_mapping_parse(text=mapping_toml, origin=str(options["mapping"]))
            except (OSError, IndicatorMappingError) as error:
                raise CommandError(str(error)) from error
        user = None
        if options["user"]:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=options["user"]).first()
        try:
            record, _report = file_import(
                content=content,
                file_name=str(path),
                indicator=indicator,
                mapping=mapping,
                mapping_toml=mapping_toml,
                user=user,
                dry_run=options["dry_run"],
                province_code=None if options["province"] == "any" else options["province"],
            )
        except IndicatorImportError as error:
            stored = error.record.report  # type: ignore[attr-defined]
            for line in report_lines(stored) + report_problem_lines(stored):
                self.stdout.write(line)
            raise SystemExit(1) from None
        for line in report_lines(record.report):
            self.stdout.write(line)
        summary = f"{record.added} added, {record.replaced} replaced, {record.unchanged} unchanged"
        if options["dry_run"]:
            self.stdout.write(f"dry run, nothing written: would have {summary}")
        else:
            self.stdout.write(f"stored in the data bank as import #{record.pk}: {summary}")

    def _undo(self, pk: int) -> None:
        record = Import.objects.filter(pk=pk).first()
        if record is None:
            raise CommandError(f"no import #{pk}")
        try:
            import_undo(record)
        except UndoRefusedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"import #{pk} undone: {record.added} value(s) removed, {record.replaced} restored"
        )
