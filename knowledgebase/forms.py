from django import forms

from knowledgebase.models import Article, Category


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200)
    category = forms.ModelChoiceField(Category.objects.all(), required=False)
    tags = forms.CharField(max_length=600, required=False, help_text="Separate tags with commas.")
    visibility = forms.ChoiceField(
        choices=Article.Visibility.choices,
        initial=Article.Visibility.INTERNAL,
        help_text="Public articles appear in the public knowledge base once published.",
    )
    summary = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18, "class": "mono"}),
        help_text="Markdown: # headings, lists, `code`, tables, [links](https://…), ![images](https://…).",
    )

    @classmethod
    def initial_for(cls, article: Article) -> dict:
        return {
            "title": article.title,
            "category": article.category_id,
            "tags": ", ".join(t.name for t in article.tags.all()),
            "visibility": article.visibility,
            "summary": article.summary,
            "body": article.body,
        }

    def service_args(self) -> tuple[dict, str]:
        data = dict(self.cleaned_data)
        tags = data.pop("tags")
        return data, tags


class AttachmentForm(forms.Form):
    file = forms.FileField()
    title = forms.CharField(max_length=200, required=False)


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda v: v == "yes"
    )
