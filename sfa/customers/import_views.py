"""Staff UI of the import: upload → dry-run preview with per-row errors → commit."""

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.shortcuts import redirect, render

from sfa.core.importing import (
    IMPORTERS,
    ImportFileError,
    importers_for,
    read_dataset,
    run_import,
)
from sfa.customers.forms import ImportForm

SESSION_KEY = "sfa-import"


def _stash(request, kind: str, upload) -> str:
    token = uuid.uuid4().hex
    suffix = Path(upload.name).suffix.lower()
    name = storages["private"].save(
        f"imports/{request.user.pk}/{token}{suffix}", ContentFile(upload.read())
    )
    request.session[SESSION_KEY] = {"token": token, "kind": kind, "path": name, "name": upload.name}
    return token


def _stashed(request):
    stash = request.session.get(SESSION_KEY)
    if not stash or stash.get("token") != request.POST.get("token"):
        return None
    storage = storages["private"]
    if not storage.exists(stash["path"]):
        return None
    with storage.open(stash["path"], "rb") as handle:
        return stash, handle.read()


def _forget(request, stash) -> None:
    storages["private"].delete(stash["path"])
    request.session.pop(SESSION_KEY, None)


@login_required
def import_upload(request):
    kinds = importers_for(request.user)
    if not kinds:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["kind"].choices = kinds
    if request.method == "POST" and "token" in request.POST:
        return _commit(request)
    if request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        try:
            dataset = read_dataset(upload.name, upload.read())
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            upload.seek(0)
            token = _stash(request, kind, upload)
            result = run_import(kind=kind, dataset=dataset, actor=request.user, commit=False)
            return render(
                request,
                "customers/import_preview.html",
                {
                    "result": result,
                    "token": token,
                    "file_name": upload.name,
                    "label": IMPORTERS[kind].label,
                },
            )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "customers/import_form.html", {"form": form}, status=status)


def _commit(request):
    stashed = _stashed(request)
    if stashed is None:
        messages.error(request, "The upload has expired; please upload the file again.")
        return redirect("customers:import")
    stash, data = stashed
    if stash["kind"] not in dict(importers_for(request.user)):
        raise PermissionDenied
    dataset = read_dataset(stash["name"], data)
    result = run_import(kind=stash["kind"], dataset=dataset, actor=request.user, commit=True)
    if not result.committed:
        messages.error(request, "Nothing was imported: some rows have errors (see below).")
        return render(
            request,
            "customers/import_preview.html",
            {
                "result": result,
                "token": stash["token"],
                "file_name": stash["name"],
                "label": IMPORTERS[stash["kind"]].label,
            },
            status=400,
        )
    _forget(request, stash)
    counts = result.counts
    messages.success(request, f"Imported: {counts['create']} created, {counts['update']} updated.")
    return redirect("catalog:list" if stash["kind"] == "products" else "customers:list")
