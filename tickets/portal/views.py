"""The customer's tickets in the portal: list, open a ticket, read the public conversation,
reply, close a resolved ticket, reopen, rate.

Every read starts from ``tickets.selectors.ticket_visible_to_contact(contact)``: the account's
tickets for the contact who manages the account's portal, else the contact's own; anything else
is 404. The conversation is ``public_comments``: internal notes never reach this page. What the
customer may do and where a message goes is decided in ``tickets.portal_services``.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from sfa.core import knowledge
from sfa.core.exceptions import DomainError
from sfa.core.forms import MultipleFileField, apply_domain_error
from sfa.core.http import file_download
from sfa.portal.access import portal_login_required
from tickets import portal_services, selectors, services
from tickets.models import Ticket

SUGGESTIONS = 5
PORTAL_PRIORITIES = [
    (Ticket.Priority.LOW, "Low: a question, no hurry"),
    (Ticket.Priority.NORMAL, "Normal"),
    (Ticket.Priority.HIGH, "High: our work is affected"),
]


class NewTicketForm(forms.Form):
    subject = forms.CharField(max_length=250)
    description = forms.CharField(
        label="What happened?", max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    priority = forms.ChoiceField(choices=PORTAL_PRIORITIES, initial=Ticket.Priority.NORMAL)
    files = MultipleFileField(label="Files (screenshots, logs)")


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your message", max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = MultipleFileField(label="Files")


def _ticket(request, pk: int) -> Ticket:
    tickets = selectors.ticket_visible_to_contact(request.portal_contact)
    return get_object_or_404(tickets.select_related("contact"), pk=pk)


def _detail(request, ticket: Ticket, *, form=None, status: int = 200):
    options = portal_services.ticket_portal_options(ticket=ticket, contact=request.portal_contact)
    context = {
        "ticket": ticket,
        "options": options,
        "comments": selectors.public_comments(ticket)
        .prefetch_related("attachments")
        .order_by("created_at", "pk"),
        "request_files": selectors.public_attachments(ticket).filter(comment__isnull=True),
        "form": form or ReplyForm(),
        "rating": getattr(ticket, "rating", None),
        "articles": knowledge.linked(ticket, public_only=True),
    }
    return render(request, "tickets/portal/detail.html", context, status=status)


@portal_login_required
@require_GET
def ticket_list(request):
    contact = request.portal_contact
    tickets = selectors.ticket_visible_to_contact(contact).select_related("contact")
    context = {"tickets": tickets, "sees_account": contact.is_portal_manager}
    return render(request, "tickets/portal/list.html", context)


@portal_login_required
def ticket_create(request):
    form = NewTicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploads = data.pop("files")
        try:
            ticket = portal_services.ticket_portal_create(
                contact=request.portal_contact, actor=request.user, data=data, uploads=uploads
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"Thank you. Your ticket number is {ticket.number}.")
            return redirect("portal:ticket", pk=ticket.pk)
    status = 400 if form.is_bound else 200
    return render(request, "tickets/portal/new.html", {"form": form}, status=status)


@portal_login_required
@require_GET
def ticket_suggest(request):
    """While a customer types a new ticket's subject: public knowledge-base articles that may
    answer it (a partial). Internal articles never: ``public_only``."""
    text = (request.GET.get("q") or request.GET.get("subject") or "").strip()[:200]
    suggestions = knowledge.suggest(text, public_only=True, limit=SUGGESTIONS)
    return render(request, "tickets/portal/_suggestions.html", {"suggestions": suggestions})


@portal_login_required
@require_GET
def ticket_detail(request, pk: int):
    return _detail(request, _ticket(request, pk))


@portal_login_required
@require_POST
def ticket_reply(request, pk: int):
    ticket = _ticket(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, ticket, form=form, status=400)
    try:
        reply = portal_services.ticket_portal_reply(
            ticket=ticket,
            contact=request.portal_contact,
            actor=request.user,
            body=form.cleaned_data["body"],
            uploads=form.cleaned_data["files"],
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _detail(request, ticket, form=form, status=error.status)
    if reply.follow_up_of is not None:
        messages.success(
            request,
            f"{ticket.number} was closed, so we opened {reply.ticket.number} for your message.",
        )
    else:
        messages.success(request, "Your message is added; we will answer soon.")
    return redirect("portal:ticket", pk=reply.ticket.pk)


def _move(request, pk: int, service, done: str):
    ticket = _ticket(request, pk)
    try:
        service(ticket=ticket, actor=request.user)
    except DomainError as error:
        messages.error(request, error.detail)
        ticket = _ticket(request, pk)
        return _detail(request, ticket, status=error.status)
    messages.success(request, done)
    return redirect("portal:ticket", pk=ticket.pk)


@portal_login_required
@require_POST
def ticket_close(request, pk: int):
    return _move(
        request, pk, portal_services.ticket_portal_close, "The ticket is closed. Thank you."
    )


@portal_login_required
@require_POST
def ticket_reopen(request, pk: int):
    return _move(request, pk, portal_services.ticket_portal_reopen, "The ticket is open again.")


@portal_login_required
@require_POST
def ticket_rate(request, pk: int):
    ticket = _ticket(request, pk)
    try:
        services.ticket_rate(
            ticket=ticket,
            score=request.POST.get("score"),
            comment=request.POST.get("comment", ""),
            channel="portal",
        )
    except DomainError as error:
        messages.error(request, "Choose 1 to 5 stars." if error.fields else error.detail)
        return _detail(request, ticket, status=error.status)
    messages.success(request, "Thank you for your rating!")
    return redirect("portal:ticket", pk=ticket.pk)


@portal_login_required
@require_GET
def ticket_file(request, pk: int, attachment_pk: int):
    """A file of the customer's ticket; files of internal notes do not exist here."""
    ticket = _ticket(request, pk)
    attachment = get_object_or_404(selectors.public_attachments(ticket), pk=attachment_pk)
    return file_download(
        attachment.file, filename=attachment.filename, content_type=attachment.content_type
    )
