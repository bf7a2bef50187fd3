"""What is measured: every endpoint with its user, kind and headers, and the ids and search
terms it needs, taken from the loaded data. Import only after ``django.setup()``.

Kinds decide the goals (``report.GOALS``): ``list`` (a page of a list), ``customer search``
(a list searched for a customer: the list goals and the search goal), ``detail`` and
``page`` (measured, no goal yet).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from rest_framework.authtoken.models import Token

from leads.models import Lead
from quotes.models import Quote
from sfa.core.models import User
from sfa.customers.models import Account, Contact
from tickets.models import Ticket

ADMIN = "admin"
REP = "rep1"  # a rep of the North branch, not its manager: sees his own customers
SEARCH = "customer search"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    user: str
    kind: str  # "list", "customer search", "detail", "page"
    api: bool
    headers: dict[str, str] = field(default_factory=dict)  # besides authentication


@dataclass(frozen=True)
class Samples:
    """Records and terms of the loaded data the endpoints ask for."""

    account: Account
    quote: Quote
    lead: Lead
    ticket: Ticket
    contact: Contact
    agent: str  # the support agent with the most open tickets

    @property
    def terms(self) -> dict[str, str]:
        """The five kinds of customer search term."""
        phone_digits = re.sub(r"\D", "", self.account.phone)
        return {
            "code prefix": self.account.code[:-1],
            "name part": self.account.name.split()[0].lower(),
            "contact e-mail part": self.contact.email.split("@")[0],
            "phone fragment": phone_digits[-6:],
            "city": self.account.city,
        }


def _first(queryset, fallback):
    return queryset.order_by("-id").first() or fallback.order_by("id").first()


def samples() -> Samples:
    """A customer in the middle of the data with a quote made for a deal, enquiries and
    tickets: its 360 page shows every tab with something in it."""
    candidates = Quote.objects.filter(
        Exists(Lead.objects.filter(account=OuterRef("account"))),
        Exists(Ticket.objects.filter(account=OuterRef("account"))),
        opportunity__isnull=False,
    ).order_by("id")
    quote = candidates[candidates.count() // 2 :].first() or Quote.objects.order_by("id").first()
    account = quote.account
    busiest = (
        Ticket.objects.filter(state__in=Ticket.OPEN_STATES, assignee__isnull=False)
        .values("assignee__username")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return Samples(
        account=account,
        quote=quote,
        lead=_first(Lead.objects.filter(account=account), Lead.objects),
        ticket=_first(Ticket.objects.filter(account=account), Ticket.objects),
        contact=account.contacts.order_by("id").first(),
        agent=busiest["assignee__username"] if busiest else "agent1",
    )


def _query(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}"


def api(name: str, path: str, kind: str = "list", user: str = ADMIN) -> Endpoint:
    return Endpoint(name, path, user, kind, True)


def ui(name: str, path: str, kind: str = "list", user: str = ADMIN, **headers) -> Endpoint:
    """A staff page; ``hx_target="…"`` asks for it as htmx does (its results block only)."""
    sent = {"HX-Request": "true", "HX-Target": headers["hx_target"]} if headers else {}
    return Endpoint(name, path, user, kind, False, sent)


def api_lists() -> list[Endpoint]:
    names = [
        ("accounts", "account-list"), ("contacts", "contact-list"), ("leads", "lead-list"),
        ("opportunities", "opportunity-list"), ("quotes", "quote-list"),
        ("tickets", "ticket-list"), ("kb/articles", "kb-article-list"),
    ]  # fmt: skip
    return [api(f"API {label} list", reverse(url)) for label, url in names]


def api_searches(s: Samples) -> list[Endpoint]:
    accounts = reverse("account-list")
    rows = [
        api(f"API accounts search: {kind} ({term})", _query(accounts, search=term), SEARCH)
        for kind, term in s.terms.items()
    ]
    name = s.contact.last_name
    contacts = _query(reverse("contact-list"), search=name)
    return [*rows, api(f"API contacts search ({name})", contacts)]


def staff_lists(s: Samples) -> list[Endpoint]:
    names = [
        ("customers", "customers:list"), ("enquiries", "leads:list"),
        ("opportunities", "opportunities:list"), ("quotes", "quotes:list"),
        ("tickets", "tickets:list"), ("knowledge base", "knowledgebase:list"),
    ]  # fmt: skip
    term = s.terms["name part"]
    as_you_type = _query(reverse("customers:list"), search=term)
    search_box = _query(reverse("global-search"), q=term)
    return [
        *(ui(f"UI {label} list", reverse(url)) for label, url in names),
        ui(f"UI customers search as you type ({term})", as_you_type, SEARCH,
           hx_target="account-results"),
        ui(f"UI global search box ({term})", search_box, "page", hx_target="search-results"),
    ]  # fmt: skip


def details(s: Samples) -> list[Endpoint]:
    records = [
        ("customer", "customers:detail", "account-detail", s.account.pk),
        ("enquiry", "leads:detail", "lead-detail", s.lead.pk),
        ("opportunity", "opportunities:detail", "opportunity-detail", s.quote.opportunity_id),
        ("quote", "quotes:detail", "quote-detail", s.quote.pk),
        ("ticket", "tickets:detail", "ticket-detail", s.ticket.pk),
    ]
    rows = []
    for label, page, detail, pk in records:
        title = "customer 360" if label == "customer" else label
        rows.append(ui(f"UI {title} page", reverse(page, args=[pk]), "detail"))
        rows.append(api(f"API {label} detail", reverse(detail, args=[pk]), "detail"))
    return rows


def pages(s: Samples) -> list[Endpoint]:
    return [
        ui("UI pipeline board", reverse("opportunities:board"), "page"),
        ui(f"UI my ticket queue ({s.agent})", reverse("tickets:queue"), "page", s.agent),
        ui("UI forecast", reverse("opportunities:forecast"), "page"),
    ]


def rep_rows(s: Samples) -> list[Endpoint]:
    city = s.terms["city"]
    by_city = _query(reverse("account-list"), search=city)
    return [
        api("API accounts list (rep)", reverse("account-list"), user=REP),
        api(f"API accounts search: city ({city}) (rep)", by_city, SEARCH, REP),
        api("API opportunities list (rep)", reverse("opportunity-list"), user=REP),
        ui("UI customers list (rep)", reverse("customers:list"), user=REP),
        ui("UI enquiries list (rep)", reverse("leads:list"), user=REP),
    ]


def all_endpoints(s: Samples) -> list[Endpoint]:
    return [*api_lists(), *api_searches(s), *staff_lists(s), *details(s), *pages(s), *rep_rows(s)]


# Authentication ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    token: str
    session: str


def credentials(username: str) -> Credentials:
    """An API token and a staff session (made by Django's own login) for the user."""
    from django.test import Client

    user = User.objects.get(username=username)
    token, _ = Token.objects.get_or_create(user=user)
    client = Client()
    client.force_login(user)
    return Credentials(token.key, client.cookies[settings.SESSION_COOKIE_NAME].value)


def auth_headers(endpoint: Endpoint, creds: Credentials) -> dict[str, str]:
    if endpoint.api:
        return {"Authorization": f"Token {creds.token}", **endpoint.headers}
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={creds.session}", **endpoint.headers}
