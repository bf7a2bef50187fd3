"""Customer documents through the API: multipart upload, download, refused files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sfa.customers.models import Document
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(client, account, name: str, content: bytes, **extra):
    return client.post(
        "/api/v1/documents/",
        {"account": account.pk, "file": SimpleUploadedFile(name, content), **extra},
        format="multipart",
    )


def download(client, document_id: int):
    return client.get(f"/api/v1/documents/{document_id}/download/")


def body_of(response) -> bytes:
    content = b"".join(response.streaming_content)
    response.close()
    return content


def stored_files(settings) -> set:
    root = settings.PRIVATE_MEDIA_ROOT / "documents"
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.fixture
def no_new_files(settings):
    """Asserts, after the test, that no file was left in the private storage."""
    before = stored_files(settings)
    yield
    assert stored_files(settings) == before


@pytest.fixture
def uploaded(api_for, rep1, account):
    response = upload(api_for(rep1), account, "offer.pdf", PDF, title="Offer 2026")
    assert response.status_code == 201, response.json()
    return response.json()


def test_upload_records_name_type_and_size(uploaded, account, rep1):
    assert uploaded["account"] == account.pk
    assert uploaded["title"] == "Offer 2026"
    assert uploaded["original_name"] == "offer.pdf"
    assert uploaded["content_type"] == "application/pdf"
    assert uploaded["size"] == len(PDF)
    assert uploaded["uploaded_by"] == rep1.pk
    assert uploaded["download_url"] == f"/api/v1/documents/{uploaded['id']}/download/"
    assert "file" not in uploaded


def test_upload_without_title_takes_the_file_name(api_for, rep1, account):
    response = upload(api_for(rep1), account, "notes.txt", b"call them back")
    assert response.status_code == 201
    assert response.json()["title"] == "notes.txt"
    assert response.json()["content_type"] == "text/plain"


def test_download_returns_the_bytes_as_attachment(api_for, rep1, uploaded):
    response = download(api_for(rep1), uploaded["id"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="offer.pdf"' in response["Content-Disposition"]
    assert body_of(response) == PDF


def test_manager_can_download_a_reps_document(api_for, sales_manager, uploaded):
    response = download(api_for(sales_manager), uploaded["id"])
    assert response.status_code == 200
    assert body_of(response) == PDF


def test_another_reps_document_download_is_404(api_for, rep2, uploaded):
    response = download(api_for(rep2), uploaded["id"])
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_reps_document_is_not_listed(api_for, rep2, uploaded):
    response = api_for(rep2).get("/api/v1/documents/")
    assert response.json()["count"] == 0


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "script.sh", "noextension"])
def test_disallowed_extension_is_refused(api_for, rep1, account, no_new_files, name):
    response = upload(api_for(rep1), account, name, b"harmless text")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]
    assert not Document.objects.exists()


def test_extension_check_ignores_case(api_for, rep1, account):
    response = upload(api_for(rep1), account, "SCAN.PDF", PDF)
    assert response.status_code == 201
    assert response.json()["content_type"] == "application/pdf"


def test_empty_file_is_refused(api_for, rep1, account, no_new_files):
    response = upload(api_for(rep1), account, "empty.pdf", b"")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]
    assert not Document.objects.exists()


def test_oversized_file_is_refused(api_for, rep1, account, settings, no_new_files):
    settings.SFA_DOCUMENT_MAX_BYTES = 16
    response = upload(api_for(rep1), account, "big.pdf", PDF)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]
    assert not Document.objects.exists()


def test_file_of_exactly_the_limit_is_accepted(api_for, rep1, account, settings):
    settings.SFA_DOCUMENT_MAX_BYTES = len(PDF)
    assert upload(api_for(rep1), account, "limit.pdf", PDF).status_code == 201


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, b"\x7fELF\x02\x01\x01", b"#!/bin/sh\nrm -rf /"],
    ids=["windows-exe", "elf", "script"],
)
def test_executable_renamed_to_pdf_is_refused(api_for, rep1, account, no_new_files, content):
    response = upload(api_for(rep1), account, "invoice.pdf", content)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]
    assert not Document.objects.exists()


def test_upload_without_file_is_refused(api_for, rep1, account):
    response = api_for(rep1).post(
        "/api/v1/documents/", {"account": account.pk, "title": "x"}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()["fields"]


def test_upload_for_an_invisible_account_is_refused(api_for, rep1, rep2, no_new_files):
    south = factories.AccountFactory(owner=rep2)
    response = upload(api_for(rep1), south, "offer.pdf", PDF)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["account"]
    assert not Document.objects.exists()


def test_path_in_the_file_name_is_dropped(api_for, rep1, account, settings):
    response = upload(api_for(rep1), account, "../../etc/offer.pdf", PDF)
    assert response.status_code == 201
    assert response.json()["original_name"] == "offer.pdf"
    assert all(settings.PRIVATE_MEDIA_ROOT in path.parents for path in stored_files(settings))


def test_very_long_file_name_is_refused_not_a_server_error(api_for, rep1, account, no_new_files):
    response = upload(api_for(rep1), account, "ä" * 200 + ".pdf", PDF)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]


def test_documents_cannot_be_deleted(api_for, sales_manager, uploaded):
    response = api_for(sales_manager).delete(f"/api/v1/documents/{uploaded['id']}/")
    assert response.status_code == 405
    assert Document.objects.filter(pk=uploaded["id"]).exists()
