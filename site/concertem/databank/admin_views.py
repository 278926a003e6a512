"""The import flow in the Wagtail admin: upload, detection and dry-run report, mapping,
confirm, history, undo.

Files are taken synchronously, up to ``UPLOAD_MAX_BYTES``: the importer checks ~500k rows/s
and the store merges set-based in the database (``value_store``), so an admin-sized file
(100k rows) is in within about a second (benchmarks/bench_databank.py), well under a request
timeout, and the editor reads the report on the next screen rather than waiting on a
background job. Bigger files go through ``manage.py
indicators_import`` (same code, same report).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from concertem.databank.forms import MappingForm, UploadForm, mapping_initial
from concertem.databank.issue_texts import issue_text
from concertem.databank.models import Import
from concertem.databank.reports import report_dict, report_issues_csv
from concertem.databank.services import (
    UndoRefusedError,
    file_check,
    import_apply,
    import_record,
    import_undo,
    rows_compare,
)
from datasets.indicators.errors import IndicatorImportError
from datasets.indicators.importer import ImportReport
from datasets.indicators.mapping import ImportMapping, import_mapping_parse

PERMISSION = "databank.import_values"
HISTORY_SHOWN = 50


def _forbidden(request: HttpRequest) -> HttpResponse | None:
    # A plain 403 (Wagtail turns PermissionDenied into a redirect to the dashboard).
    if request.user.has_perm(PERMISSION):
        return None
    return HttpResponseForbidden(_("You may not import into the data bank."))


def _check(record: Import, mapping: ImportMapping, mapping_toml: str) -> None:
    """Check ``record``'s file (again) with ``mapping``; keep the report and the counts."""
    content = bytes(record.content or b"")
    try:
        report, rows = file_check(
            content=content,
            file_name=record.file_name,
            indicator_code=record.indicator.code,
            mapping=mapping,
        )
    except IndicatorImportError as error:
        assert isinstance(error.report, ImportReport)
        record.report = report_dict(error.report)
        record.state = Import.State.REFUSED
        record.added = record.replaced = record.unchanged = 0
    else:
        record.report = report_dict(report)
        record.state = Import.State.CHECKED
        record.added, record.replaced, record.unchanged = rows_compare(record.indicator, rows)
    record.mapping = {"toml": mapping_toml} if mapping_toml else {}
    record.save()


@require_http_methods(["GET", "POST"])
def databank_index(request: HttpRequest) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        indicator = form.cleaned_data["indicator"]
        try:
            report, rows = file_check(
                content=content, file_name=upload.name, indicator_code=indicator.code
            )
        except IndicatorImportError as error:
            report, rows = error.report, None
        record = import_record(
            indicator=indicator,
            content=content,
            file_name=upload.name,
            user=request.user,
            report=report,
            rows=rows,
        )
        if record.state == Import.State.REFUSED:
            # kept so that a corrected mapping can check the same file again
            Import.objects.filter(pk=record.pk).update(content=content)
        return redirect("databank_admin:import", import_id=record.pk)
    imports = Import.objects.select_related("indicator", "user", "undone_by").exclude(
        via="reference"
    )
    return TemplateResponse(
        request,
        "databank/admin/index.html",
        {"form": form, "imports": imports[:HISTORY_SHOWN]},
    )


def _issues(record: Import) -> list[dict]:
    return [
        {**issue, "explanation": issue_text(issue["code"])}
        for issue in record.report.get("issues", ())
    ]


@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    record = get_object_or_404(Import.objects.select_related("indicator", "user"), pk=import_id)
    columns = list(record.report.get("columns", {}).values()) + list(
        record.report.get("unmapped_columns", ())
    )
    editable = record.state in (Import.State.CHECKED, Import.State.REFUSED) and bool(record.content)
    if request.method == "POST":
        if not editable:
            return HttpResponse(_("This import can no longer be checked again."), status=409)
        form = MappingForm(request.POST, columns=columns)
        if form.is_valid():
            _check(record, form.mapping, form.toml())
            messages.info(request, _("File checked again with your mapping."))
            return redirect("databank_admin:import", import_id=record.pk)
    else:
        form = MappingForm(initial=mapping_initial(record.mapping.get("toml", "")), columns=columns)
    total = sum(record.report.get("issue_counts", {}).values())
    return TemplateResponse(
        request,
        "databank/admin/import.html",
        {
            "record": record,
            "report": record.report,
            "issues": _issues(record),
            "issue_total": total,
            "issues_hidden": total - len(record.report.get("issues", ())),
            "form": form,
            "editable": editable,
        },
    )


def import_problems_csv(request: HttpRequest, import_id: int) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    record = get_object_or_404(Import, pk=import_id)
    response = HttpResponse(report_issues_csv(record.report), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="import-{record.pk}-problems.csv"'
    return response


@require_POST
def import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    record = get_object_or_404(Import.objects.select_related("indicator"), pk=import_id)
    if record.state != Import.State.CHECKED or not record.content:
        messages.error(request, _("Only a checked file without problems can be confirmed."))
        return redirect("databank_admin:import", import_id=record.pk)
    toml_text = record.mapping.get("toml", "")
    mapping = import_mapping_parse(text=toml_text) if toml_text else ImportMapping()
    try:
        # Checked again now: the catalogue or the values may have changed since the dry run.
        _report, rows = file_check(
            content=bytes(record.content),
            file_name=record.file_name,
            indicator_code=record.indicator.code,
            mapping=mapping,
        )
    except IndicatorImportError:
        _check(record, mapping, toml_text)
        messages.error(request, _("The file no longer passes the checks; nothing was stored."))
        return redirect("databank_admin:import", import_id=record.pk)
    record = import_apply(record, rows)
    messages.success(
        request,
        _("Import #%(id)s stored: %(added)s added, %(replaced)s replaced, %(unchanged)s unchanged.")
        % {
            "id": record.pk,
            "added": record.added,
            "replaced": record.replaced,
            "unchanged": record.unchanged,
        },
    )
    return redirect("databank_admin:import", import_id=record.pk)


@require_POST
def import_undo_view(request: HttpRequest, import_id: int) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    record = get_object_or_404(Import, pk=import_id)
    try:
        import_undo(record, user=request.user)
    except UndoRefusedError as error:
        if error.later is not None:
            message = _(
                "This import cannot be undone before import #%(later)s, "
                "which changed the same values."
            ) % {"later": error.later.pk}
        else:
            message = _("This import cannot be undone.")
        messages.error(request, message)
        return redirect("databank_admin:import", import_id=record.pk)
    messages.success(
        request, _("Import #%(id)s undone: the values before it are back.") % {"id": record.pk}
    )
    return redirect("databank_admin:import", import_id=record.pk)
