"""The knowledge base's contributions to the base: roles, demo data, menu and search, and the
article provider other apps' records (tickets) use. ``KnowledgebaseConfig.ready()`` calls
:func:`connect`."""

from sfa.core import knowledge
from sfa.core.access import Role
from sfa.core.demo import register_loader
from sfa.core.navigation import MenuItem, register, register_search
from sfa.core.roles import crud, grant


def grant_roles() -> None:
    """Every staff role reads articles; support agents write them, managers publish them."""
    read = [
        *crud("knowledgebase.article", "view"),
        *crud("knowledgebase.category", "view"),
        *crud("knowledgebase.articlerevision", "view"),
        *crud("knowledgebase.articleattachment", "view"),
    ]
    write = [
        *crud("knowledgebase.article", "add", "change"),
        *crud("knowledgebase.tag", "view", "add"),
        *crud("knowledgebase.articleattachment", "add", "change", "delete"),
    ]
    for role in Role:
        if role not in (Role.CUSTOMER, Role.ADMINISTRATOR):
            grant(role, *read)
    grant(Role.SUPPORT_AGENT, *write)
    grant(
        Role.SUPPORT_MANAGER,
        *write,
        *crud("knowledgebase.category", "add", "change"),
        "knowledgebase.publish_article",
        "knowledgebase.archive_article",
    )


def register_demo() -> None:
    """The demo articles."""
    from knowledgebase.demo import load_demo_knowledgebase

    register_loader(70, "knowledge base", load_demo_knowledgebase)


def register_navigation() -> None:
    """The "Knowledge base" menu entry and the article search."""
    from knowledgebase import views

    register(
        MenuItem("Knowledge base", "knowledgebase:list", "knowledgebase.view_article", order=70)
    )
    register_search(views.article_search_provider)


def register_knowledge_provider() -> None:
    """Suggestions and links for other apps' records (tickets), without importing them."""
    from knowledgebase.knowledge import KnowledgeBaseProvider

    knowledge.register(KnowledgeBaseProvider())


def connect() -> None:
    """Everything above, in this order (called from the AppConfig's ``ready()``)."""
    grant_roles()
    register_demo()
    register_navigation()
    register_knowledge_provider()
