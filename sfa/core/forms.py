"""Helpers shared by every app's staff forms."""

from django import forms
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (``cleaned_data[name]`` is a list, maybe empty); the service
    that stores them checks their type and size."""

    MAX_FILES = 10

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > self.MAX_FILES:
            raise forms.ValidationError(f"At most {self.MAX_FILES} files at once.")
        single = super().clean
        return [single(item, initial) for item in files if item]
