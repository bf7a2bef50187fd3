from rest_framework.permissions import DjangoModelPermissions

from sfa.core.access import is_staff_user


class StaffModelPermissions(DjangoModelPermissions):
    """Model permissions per HTTP method, reads included; portal customers use the portal.

    A view may name the permissions of its extra actions in ``action_permissions``
    (``{"archive": ["customers.change_account"]}``); ``%(app_label)s`` and
    ``%(model_name)s`` are filled in from the view's model.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        if not request.user or not is_staff_user(request.user):
            return False
        if not _handles(view, request.method):
            return True  # the view answers 405: the method is wrong whoever asks
        action_perms = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if action_perms is None:
            return super().has_permission(request, view)
        model = self._queryset(view).model
        kwargs = {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
        return request.user.has_perms([perm % kwargs for perm in action_perms])


def _handles(view, method: str) -> bool:
    name = method.lower()
    return name in view.http_method_names and getattr(view, name, None) is not None
