"""Forms of the support desk's staff UI: a new ticket, the reply box, the triage panel
(priority, team, assignee, category, tags) and the note of a state change (the list's filters
are ``tickets.filters``)."""

from django import forms

from sfa.catalog.selectors import product_visible_to
from sfa.core.forms import MultipleFileField, staff_users
from sfa.core.models import Team
from sfa.customers.selectors import account_visible_to, contact_visible_to
from tickets.models import Ticket, TicketCategory


class TicketForm(forms.ModelForm):
    """A new ticket; ``account`` is set by the customer picker."""

    class Meta:
        model = Ticket
        fields = [
            "account", "contact", "subject", "description", "channel", "category", "product",
            "priority", "kind", "team", "assignee", "tags",
        ]  # fmt: skip
        widgets = {
            "account": forms.HiddenInput,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = account_visible_to(user)
        self.fields["contact"].queryset = contact_visible_to(user).filter(is_active=True)
        self.fields["category"].queryset = TicketCategory.objects.filter(is_active=True)
        self.fields["product"].queryset = product_visible_to(user).filter(is_active=True)
        self.fields["assignee"].queryset = staff_users()
        self.fields["subject"].widget.attrs["autofocus"] = True
        if not user.has_perm("tickets.assign_ticket"):
            # Agents may take a ticket themselves; handing it to others is the manager's.
            self.fields["assignee"].queryset = staff_users().filter(pk=user.pk)

    def validate_unique(self):
        """Numbers are the service's business."""

    def _post_clean(self):
        """The service validates the ticket as a whole (and names the fields)."""


class TriageForm(forms.ModelForm):
    """What an agent changes while working a ticket."""

    class Meta:
        model = Ticket
        fields = ["priority", "team", "assignee", "category", "tags"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, auto_id="triage-%s", **kwargs)
        self.fields["category"].queryset = TicketCategory.objects.filter(is_active=True)
        self.fields["assignee"].queryset = staff_users()
        if not user.has_perm("tickets.assign_ticket"):
            current = self.instance.assignee_id
            self.fields["assignee"].queryset = staff_users().filter(pk__in=[user.pk, current])
            self.fields["team"].disabled = True

    def _post_clean(self):
        """The service validates."""


class ReplyForm(forms.Form):
    PUBLIC, INTERNAL = "public", "internal"

    body = forms.CharField(
        label="Message", max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    visibility = forms.ChoiceField(
        choices=[
            (PUBLIC, "Public reply (sent to the customer)"),
            (INTERNAL, "Internal note (never shown to the customer)"),
        ],
        initial=PUBLIC,
        widget=forms.RadioSelect,
        label="Kind",
    )
    files = MultipleFileField(
        label="Files", help_text="Sent with a public reply; kept with a note."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="reply-%s", **kwargs)


class NoteForm(forms.Form):
    note = forms.CharField(max_length=2000, required=False)


class CannedResponseForm(forms.Form):
    """A canned response; who shares it (``sharing``) only for support managers."""

    PERSONAL, EVERYONE = "personal", "everyone"

    title = forms.CharField(max_length=120)
    body = forms.CharField(
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Merge fields such as {{ contact.first_name }} are filled in when inserted.",
    )
    sharing = forms.ChoiceField(label="Who uses it", required=False)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args, may_share: bool, **kwargs):
        super().__init__(*args, auto_id="canned-%s", **kwargs)
        if may_share:
            teams = [(f"team:{team.pk}", f"Team {team.name}") for team in Team.objects.all()]
            self.fields["sharing"].choices = [
                (self.PERSONAL, "Only me"),
                (self.EVERYONE, "Everyone"),
                *teams,
            ]
        else:
            del self.fields["sharing"]

    @classmethod
    def initial_for(cls, response) -> dict:
        if response.owner_id:
            sharing = cls.PERSONAL
        else:
            sharing = f"team:{response.team_id}" if response.team_id else cls.EVERYONE
        return {
            "title": response.title,
            "body": response.body,
            "is_active": response.is_active,
            "sharing": sharing,
        }

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("title", "body", "is_active")}
        sharing = self.cleaned_data.get("sharing") or self.PERSONAL
        data["personal"] = sharing == self.PERSONAL
        if sharing.startswith("team:"):
            data["team"] = Team.objects.filter(pk=sharing.removeprefix("team:")).first()
        elif "sharing" in self.fields:
            data["team"] = None
        return data
