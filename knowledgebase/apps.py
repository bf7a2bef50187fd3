from django.apps import AppConfig


class KnowledgebaseConfig(AppConfig):
    name = "knowledgebase"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from sfa.core.access import Role
        from sfa.core.roles import crud, grant

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

        from knowledgebase.demo import load_demo_knowledgebase
        from sfa.core.demo import register_loader

        register_loader(70, "knowledge base", load_demo_knowledgebase)

        from knowledgebase import views
        from sfa.core.navigation import MenuItem, register, register_search

        register(
            MenuItem("Knowledge base", "knowledgebase:list", "knowledgebase.view_article", order=70)
        )
        register_search(views.article_search_provider)

        # Suggestions and links for other apps' records (tickets), without importing them.
        from knowledgebase.knowledge import KnowledgeBaseProvider
        from sfa.core import knowledge

        knowledge.register(KnowledgeBaseProvider())
