"""The files of a ticket in the API: list, upload (multipart), download."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from sfa.core.http import file_download
from tickets import emails
from tickets.api import serializers as s


class TicketAttachmentsMixin:
    @extend_schema(methods=["GET"], request=None, responses=s.TicketAttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": s.AttachmentUpload},
        responses={201: s.TicketAttachmentSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        """The ticket's files (the request's and those of comments); POST adds a file to the
        ticket (not e-mailed; to send files to the customer, reply in the UI or by e-mail)."""
        ticket = self.get_object()
        if request.method == "GET":
            rows = ticket.attachments.all()
            return Response(s.TicketAttachmentSerializer(rows, many=True).data)
        if not request.user.has_perm("tickets.add_ticketcomment"):
            raise PermissionDenied("Adding files needs the right to reply to tickets.")
        args = self.validated_input(s.AttachmentUpload)
        attachment = emails.attachment_add(ticket=ticket, upload=args["file"], actor=request.user)
        return Response(s.TicketAttachmentSerializer(attachment).data, status=201)

    @extend_schema(
        request=None,
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>\d+)")
    def attachment(self, request, pk=None, attachment_pk=None):
        """Download one file."""
        ticket = self.get_object()
        attachment = get_object_or_404(ticket.attachments, pk=attachment_pk)
        return file_download(
            attachment.file, filename=attachment.filename, content_type=attachment.content_type
        )
