"""``FastSelectRenderer`` writes a ``<select>`` exactly as Django's templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from sfa.core.form_renderer import FastSelectRenderer
from sfa.core.models import Branch
from tests import factories

CHOICES = [
    ("", "— any —"),
    ("a", "Alpha & <Beta>"),
    ("Group 'one'", [("g1", "In a group"), ("g2", 'Quoted "two"')]),
    (3, "Three"),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(
        choices=CHOICES[1:], required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    flagged = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"disabled": True, "hidden": False})
    )
    branch = forms.ModelChoiceField(queryset=Branch.objects.order_by("name"), required=False)


def both(data):
    default = Sample(data, renderer=DjangoTemplates())
    fast = Sample(data, renderer=FastSelectRenderer())
    return default, fast


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [None, {"one": "g2", "several": ["a", "3"], "flagged": "a"}, {"one": "nonsense"}],
)
def test_a_select_is_the_markup_of_djangos_templates(data):
    factories.BranchFactory(code="K", name="Kiel & <Fjord>")
    default, fast = both(data)
    for name in ("one", "several", "flagged", "branch"):
        assert str(fast[name]) == str(default[name])


def test_a_select_with_its_own_option_template_is_rendered_by_its_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    def rendered(renderer) -> str:
        form = forms.Form(renderer=renderer)
        form.fields["pick"] = forms.ChoiceField(choices=[("x", "X")], widget=Custom)
        return str(form["pick"])

    assert rendered(FastSelectRenderer()) == rendered(DjangoTemplates())
    assert "<input" in rendered(FastSelectRenderer())
