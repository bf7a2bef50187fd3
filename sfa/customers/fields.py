"""API fields that scope what a request may point at: other apps' serializers use them too.

An id the user may not see is "does not exist" for them (400 on that field), never a leak.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sfa.core.forms import staff_users
from sfa.customers.selectors import account_visible_to, contact_visible_to


def request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(OpenApiTypes.INT)
class VisibleAccountField(serializers.PrimaryKeyRelatedField):
    """An ``account`` id the requesting user may see; others do not exist for them."""

    def get_queryset(self):
        return account_visible_to(request_user(self.parent) or self.context.get("user"))


@extend_schema_field(OpenApiTypes.INT)
class VisibleContactField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return contact_visible_to(request_user(self.parent))


@extend_schema_field(OpenApiTypes.INT)
class StaffUserField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return staff_users()


class NameRelatedField(serializers.SlugRelatedField):
    """A record by its name; a name with a NUL character (PostgreSQL refuses those) is unknown."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)
