"""Helpers shared by every app's staff forms."""

from django.contrib.auth import get_user_model

from sfa.core.exceptions import DomainError


def staff_users():
    """Active users who work here (not portal customers): owners, assignees, colleagues."""
    return get_user_model().objects.filter(is_active=True, contact__isnull=True)


def apply_domain_error(form, error: DomainError) -> None:
    """Put a service's field errors on the form, the rest at its top."""
    placed = False
    for name, problems in (error.fields or {}).items():
        if isinstance(problems, list):
            problems = {name: problems}
        # Nested errors (``custom_fields: {key: [...]}``) go on the key's own field when the
        # form holds that group's fields (the Special tab), else at the top, key in front.
        own_group = getattr(form, "error_group", None) == name
        for key, messages_ in problems.items():
            target = key if key in form.fields and (own_group or key == name) else None
            prefix = "" if target or key == name else f"{key}: "
            for message in messages_:
                form.add_error(target, prefix + message)
                placed = True
    if not placed:
        form.add_error(None, error.detail)
