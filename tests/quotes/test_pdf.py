"""Quote PDFs: what the printed text holds, page breaks, the draft mark, the stored version,
the API endpoint and the staff download, query counts.

The PDF is read back with poppler's ``pdftotext``; pages are separated by form feeds."""

import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quotes import services
from quotes.models import Quote
from quotes.pdf import money_text, quote_pdf_bytes, render_quote_pdf, store_pdf

TODAY = timezone.localdate()
TABLE_HEADER = ("Description", "Quantity", "Unit price", "Amount EUR")
MIXED_LINES = [
    {"description": "Pump P-200", "quantity": "3", "unit_price": "99.99",
     "discount_percent": "10", "tax_rate": "19"},
    {"kind": "section", "description": "Consumables"},
    {"description": "Filter cartridge", "quantity": "7", "unit_price": "12.35", "tax_rate": "7"},
    {"kind": "text", "description": "Delivered in two parts."},
]  # fmt: skip


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "quote.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["/usr/bin/pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def pages_of(text: str) -> list[str]:
    """One string per page (pdftotext ends every page with a form feed)."""
    return text.split("\f")[:-1]


def numbered_lines(count: int) -> list[dict]:
    return [
        {"description": f"Article {n:03d}", "quantity": "2", "unit_price": "10", "tax_rate": "19"}
        for n in range(1, count + 1)
    ]


def draft(owner, account, lines=MIXED_LINES, **data) -> Quote:
    return services.quote_create(
        actor=owner, data={"account": account, "issue_date": TODAY, **data}, lines=lines
    )


@pytest.fixture
def mixed_quote(rep1, account):
    return draft(
        rep1,
        account,
        document_discount_percent=Decimal("5"),
        shipping=Decimal("25.00"),
        shipping_tax_rate=Decimal("19"),
        adjustment=Decimal("-0.50"),
    )


@pytest.fixture
def sent_quote(rep1, account, django_capture_on_commit_callbacks):
    """Sent, its PDF stored by the task that runs after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.quote_mark_sent(quote=draft(rep1, account), actor=rep1)


@pytest.mark.django_db
def test_the_pdf_names_the_quote_number_and_the_customer(mixed_quote, account, tmp_path):
    text = pdf_text(render_quote_pdf(mixed_quote), tmp_path)
    assert mixed_quote.number in text
    assert account.name in text
    assert account.code in text


@pytest.mark.django_db
def test_the_pdf_lists_every_line(mixed_quote, tmp_path):
    text = pdf_text(render_quote_pdf(mixed_quote), tmp_path)
    for line in mixed_quote.lines.all():
        assert line.description in text
    assert "269.97" in text  # 3 × 99.99 − 10 %
    assert "86.45" in text  # 7 × 12.35


@pytest.mark.django_db
def test_the_pdf_totals_are_the_quotes_computed_totals(mixed_quote, tmp_path):
    text = pdf_text(render_quote_pdf(mixed_quote), tmp_path)
    assert mixed_quote.total == Decimal("422.33")  # hand-computed in test_quotes
    for amount in (
        mixed_quote.subtotal,
        -mixed_quote.discount_total,
        mixed_quote.shipping,
        mixed_quote.tax_total,
        mixed_quote.adjustment,
        mixed_quote.total,
    ):
        assert money_text(amount) in text
    for entry in mixed_quote.tax_summary:  # 7 % on 82.13 and 19 % on 281.47
        assert money_text(entry["base"]) in text
        assert money_text(entry["tax"]) in text
    assert "Total EUR" in text


@pytest.mark.django_db
def test_the_letterhead_comes_from_the_company_settings(settings, mixed_quote, tmp_path):
    settings.SFA_COMPANY_NAME = "Nordwind Maschinen AG"
    settings.SFA_COMPANY_ADDRESS = "Kaistraße 7\n24103 Kiel"
    settings.SFA_COMPANY_VAT_ID = "DE999888777"
    settings.SFA_COMPANY_FOOTER = "IBAN DE02 1001 0010 0123 4567 89"
    text = pdf_text(render_quote_pdf(mixed_quote), tmp_path)
    for expected in ("Nordwind Maschinen AG", "Kaistraße 7", "DE999888777", "IBAN DE02"):
        assert expected in text


@pytest.mark.django_db
def test_a_missing_logo_file_still_renders(settings, mixed_quote):
    settings.SFA_COMPANY_LOGO = "/nonexistent/logo.png"
    assert render_quote_pdf(mixed_quote).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_120_line_quote_spans_pages_with_the_table_header_on_each(rep1, account, tmp_path):
    quote = draft(rep1, account, lines=numbered_lines(120))
    pages = pages_of(pdf_text(render_quote_pdf(quote), tmp_path))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert all(label in page for label in TABLE_HEADER), f"no table header on page {number}"
        assert f"Page {number} of {len(pages)}" in page
    for n in range(1, 121):  # every line once, none split across two pages
        assert sum(f"Article {n:03d}" in page for page in pages) == 1


@pytest.mark.django_db
def test_a_draft_carries_the_draft_mark(mixed_quote, tmp_path):
    assert "DRAFT" in pdf_text(quote_pdf_bytes(mixed_quote), tmp_path)


@pytest.mark.django_db
def test_a_sent_version_has_no_draft_mark(sent_quote, tmp_path):
    assert "DRAFT" not in pdf_text(quote_pdf_bytes(sent_quote), tmp_path)


@pytest.mark.django_db
def test_sending_stores_the_pdf_of_the_version(sent_quote):
    sent_quote.refresh_from_db()
    name = sent_quote.pdf.name  # the storage adds a suffix when the name is taken
    assert name.startswith(f"quotes/{TODAY:%Y}/{sent_quote.number}")
    assert name.endswith(".pdf")
    assert quote_pdf_bytes(sent_quote).startswith(b"%PDF")


@pytest.mark.django_db
def test_the_stored_pdf_never_changes_when_template_or_data_change(
    settings, sent_quote, account, rep1, tmp_path
):
    sent_quote.refresh_from_db()
    stored = quote_pdf_bytes(sent_quote)
    templates = tmp_path / "templates" / "quotes" / "pdf"
    templates.mkdir(parents=True)
    (templates / "quote.html").write_text("<p>A NEW LAYOUT {{ quote.number }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    account.name = "Renamed Customer Ltd"
    account.save()
    Quote.objects.filter(pk=sent_quote.pk).update(title="Changed", bill_to="Elsewhere")
    assert "A NEW LAYOUT" in pdf_text(render_quote_pdf(draft(rep1, account)), tmp_path)

    quote = Quote.objects.get(pk=sent_quote.pk)
    store_pdf(quote)  # sending again would not render it again either
    assert quote_pdf_bytes(quote) == stored
    assert quote_pdf_bytes(Quote.objects.get(pk=sent_quote.pk)) == stored


@pytest.mark.django_db
def test_storing_from_a_stale_copy_keeps_the_stored_pdf(sent_quote):
    stale = Quote.objects.get(pk=sent_quote.pk)
    stale.pdf = ""  # as loaded before the version was stored
    stored = quote_pdf_bytes(Quote.objects.get(pk=sent_quote.pk))
    store_pdf(stale)
    quote = Quote.objects.get(pk=sent_quote.pk)
    assert stale.pdf.name == quote.pdf.name
    assert quote_pdf_bytes(quote) == stored


@pytest.mark.django_db
def test_a_sent_version_without_a_stored_file_is_stored_on_first_download(sent_quote, tmp_path):
    Quote.objects.filter(pk=sent_quote.pk).update(pdf="")  # sent before PDFs were kept
    first = quote_pdf_bytes(Quote.objects.get(pk=sent_quote.pk))
    quote = Quote.objects.get(pk=sent_quote.pk)
    assert quote.pdf
    assert quote_pdf_bytes(quote) == first
    assert "DRAFT" not in pdf_text(first, tmp_path)


@pytest.mark.django_db
def test_a_lost_stored_file_is_rendered_and_stored_again(sent_quote):
    quote = Quote.objects.get(pk=sent_quote.pk)
    quote.pdf.storage.delete(quote.pdf.name)
    assert quote_pdf_bytes(quote).startswith(b"%PDF")
    assert Quote.objects.get(pk=sent_quote.pk).pdf.storage.exists(quote.pdf.name)


@pytest.mark.django_db
def test_the_api_answers_the_pdf_to_the_owner(api_for, rep1, sent_quote):
    response = api_for(rep1).get(f"/api/v1/quotes/{sent_quote.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{sent_quote.number}.pdf"'
    assert response.content == quote_pdf_bytes(Quote.objects.get(pk=sent_quote.pk))


@pytest.mark.django_db
def test_the_api_pdf_accepts_an_accept_header_for_pdf(api_for, rep1, mixed_quote):
    response = api_for(rep1).get(
        f"/api/v1/quotes/{mixed_quote.pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_api_pdf_of_another_reps_quote_is_404(api_for, rep2, mixed_quote):
    response = api_for(rep2).get(f"/api/v1/quotes/{mixed_quote.pk}/pdf/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_the_schema_documents_the_pdf_endpoint(api_for, rep1):
    schema = api_for(rep1).get("/api/schema/?format=json").json()
    content = schema["paths"]["/api/v1/quotes/{id}/pdf/"]["get"]["responses"]["200"]["content"]
    assert content == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


@pytest.mark.django_db
def test_the_staff_download_answers_the_pdf_to_the_owner(client_for, rep1, mixed_quote):
    response = client_for(rep1).get(reverse("quotes:pdf", args=[mixed_quote.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{mixed_quote.number}.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_staff_download_of_another_reps_quote_is_404(client_for, rep2, mixed_quote):
    response = client_for(rep2).get(reverse("quotes:pdf", args=[mixed_quote.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_rendering_needs_the_same_queries_for_5_and_50_lines(rep1, account):
    counts = []
    for size in (5, 50):
        quote = Quote.objects.get(pk=draft(rep1, account, lines=numbered_lines(size)).pk)
        with CaptureQueriesContext(connection) as queries:
            render_quote_pdf(quote)
        counts.append(len(queries))
    assert counts[0] == counts[1]
