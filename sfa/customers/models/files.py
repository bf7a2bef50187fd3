"""Where customer files are stored: private storage and upload paths."""

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.utils import timezone


def private_storage():
    return storages["private"]


def document_upload_to(instance, filename: str) -> str:
    """``documents/<customer>/…``, or ``documents/<app>.<model>/<id>/…`` without a customer."""
    today = timezone.localdate()
    folder = instance.account_id
    if folder is None:
        kind = ContentType.objects.get_for_id(instance.regarding_type_id)
        folder = f"{kind.app_label}.{kind.model}/{instance.regarding_id}"
    return f"documents/{folder}/{today:%Y/%m}/{Path(filename).name}"


def contract_upload_to(instance, filename: str) -> str:
    return f"contracts/{instance.account_id}/{Path(filename).name}"
