"""Demo knowledge base: a small category tree, 30 published articles (a few internal), a
couple waiting for review or still in draft. Idempotent: articles are found by slug."""

from knowledgebase import services
from knowledgebase.models import Article, Category
from sfa.core.demo import DemoContext

CATEGORIES = [
    # slug, name, parent slug, position
    ("getting-started", "Getting started", None, 1),
    ("accounts-and-access", "Accounts and access", "getting-started", 1),
    ("machines", "Machines", None, 2),
    ("lathes", "Lathes", "machines", 1),
    ("milling", "Milling machines", "machines", 2),
    ("orders-and-billing", "Orders and billing", None, 3),
    ("support-internal", "Support desk (internal)", None, 9),
]

# title, category slug, tags, visibility
TOPICS = [
    ("Resetting your portal password", "accounts-and-access", "portal, password", "public"),
    ("Adding a colleague to the customer portal", "accounts-and-access", "portal, users", "public"),
    ("Two-step sign-in for the portal", "accounts-and-access", "portal, security", "public"),
    ("First steps after delivery of your machine", "getting-started", "installation", "public"),
    ("Where to find your serial number", "getting-started", "serial number", "public"),
    ("Opening a support ticket", "getting-started", "tickets, portal", "public"),
    ("Lathe spindle runs hot", "lathes", "spindle, temperature, lathe", "public"),
    ("Lathe vibration at high speed", "lathes", "vibration, lathe", "public"),
    ("Changing the chuck jaws safely", "lathes", "chuck, safety, lathe", "public"),
    ("Recommended cutting oils", "lathes", "oil, maintenance", "public"),
    ("Daily lubrication checklist", "lathes", "oil, maintenance, checklist", "public"),
    ("Tailstock alignment", "lathes", "alignment, lathe", "public"),
    ("Milling machine spindle noise", "milling", "spindle, noise, milling", "public"),
    ("Coolant concentration and pH", "milling", "coolant, maintenance", "public"),
    ("Replacing the way wipers", "milling", "maintenance, wipers", "public"),
    ("Calibrating the tool length probe", "milling", "probe, calibration", "public"),
    ("Emergency stop does not release", "milling", "safety, emergency stop", "public"),
    ("Error E-104: axis following error", "milling", "error codes, axis", "public"),
    ("Error E-211: lubrication pressure low", "milling", "error codes, oil", "public"),
    ("Reading your invoice", "orders-and-billing", "invoice", "public"),
    (
        "Payment terms and early-payment discount",
        "orders-and-billing",
        "invoice, payment",
        "public",
    ),
    ("Ordering spare parts", "orders-and-billing", "spare parts, orders", "public"),
    ("Returning a defective part", "orders-and-billing", "returns, spare parts", "public"),
    ("Accepting a quote online", "orders-and-billing", "quotes, portal", "public"),
    ("Loyalty points explained", "orders-and-billing", "loyalty", "public"),
    ("Warranty terms for new machines", "orders-and-billing", "warranty", "public"),
    ("Escalating a ticket to second level", "support-internal", "tickets, escalation", "internal"),
    ("Goodwill credit limits for agents", "support-internal", "credit, goodwill", "internal"),
    ("Remote diagnosis via service modem", "support-internal", "remote, diagnosis", "internal"),
    (
        "Known issue: firmware 4.2 spindle warnings",
        "support-internal",
        "firmware, spindle",
        "internal",
    ),
]
WAITING = [
    ("Upgrading to firmware 4.3", "machines", "firmware", "public", "in_review"),
    ("Draft: winter shutdown checklist", "machines", "maintenance, checklist", "public", "draft"),
]


def _body(title: str, tags: str, ctx: DemoContext) -> str:
    steps = ctx.rng.sample(
        [
            "Switch the machine off at the main switch and wait for the spindle to stop.",
            "Check the oil level in the sight glass; top up with the recommended oil.",
            "Clean the area with a lint-free cloth; never use compressed air on the ways.",
            "Note the error code and the serial number before you call us.",
            "Compare the reading with the value in the table below.",
            "Restart the machine and run the warm-up programme for ten minutes.",
        ],
        3,
    )
    listed = "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))
    return (
        f"## Overview\n\nThis article explains **{title.lower()}**. Keywords: {tags}.\n\n"
        f"## Steps\n\n{listed}\n\n"
        "| Setting | Value |\n|---|---:|\n| Oil temperature | 40 °C |\n| Pressure | 6 bar |\n\n"
        "Still stuck? [Open a ticket](/portal/) and quote the article title.\n"
    )


def _categories() -> dict[str, Category]:
    found: dict[str, Category] = {}
    for slug, name, parent, position in CATEGORIES:
        found[slug], _ = Category.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "parent": found.get(parent), "position": position},
        )
    return found


def _article(ctx, categories, title, category, tags, visibility, author) -> Article | None:
    if Article.objects.filter(title=title).exists():
        return None
    return services.article_create(
        actor=author,
        data={
            "title": title,
            "summary": f"{title}: what to check and what to do.",
            "body": _body(title, tags, ctx),
            "category": categories[category],
            "visibility": visibility,
        },
        tags=tags,
    )


def load_demo_knowledgebase(ctx: DemoContext) -> None:
    categories = _categories()
    agents = [ctx.users["agent1"], ctx.users["agent2"]]
    manager = ctx.users["supportmanager"]
    for index, (title, category, tags, visibility) in enumerate(TOPICS):
        article = _article(ctx, categories, title, category, tags, visibility, agents[index % 2])
        if article is None:
            continue
        services.article_submit(article=article, actor=article.author)
        services.article_publish(article=article, actor=manager)
    for title, category, tags, visibility, state in WAITING:
        article = _article(ctx, categories, title, category, tags, visibility, agents[0])
        if article is not None and state == "in_review":
            services.article_submit(article=article, actor=article.author)
