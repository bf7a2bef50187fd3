from django import forms

from sfa.catalog.models import Product


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "code",
            "name",
            "description",
            "category",
            "unit",
            "unit_price",
            "currency",
            "tax_rate",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PriceCheckForm(forms.Form):
    account = forms.ModelChoiceField(queryset=None, required=False, label="Customer")
    quantity = forms.DecimalField(min_value=0, required=False, initial=1)

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts.filter(status="active")
