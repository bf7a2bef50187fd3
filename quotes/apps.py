from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "quotes"
    verbose_name = "Quotes"

    def ready(self) -> None:
        from sfa.core.access import Role
        from sfa.core.numbering import register_prefix
        from sfa.core.roles import crud, grant

        register_prefix("quote", "Q")
        work = [
            *crud("quotes.quote", "view", "add", "change"),
            *crud("quotes.quoteline", "view", "add", "change", "delete"),
            *crud("quotes.termstemplate", "view"),
            *crud("quotes.approvalrule", "view"),
        ]
        for role in (Role.SALES_MANAGER, Role.SALES_REP):
            grant(role, *work)
        grant(Role.MARKETING_MANAGER, *crud("quotes.quote", "view"))
        grant(Role.BILLING_CLERK, *crud("quotes.quote", "view"))
        grant(
            Role.SALES_MANAGER,
            "quotes.approve_quote",
            "quotes.reassign_quote",
            *crud("quotes.termstemplate", "add", "change"),
            *crud("quotes.approvalrule", "add", "change"),
        )

        # E-mails, activities and documents about a quote: whoever sees the quote sees them.
        from quotes.models import Quote
        from quotes.selectors import quote_visible_to
        from sfa.customers.regarding import register_regarding

        register_regarding(
            Quote,
            visible_to=quote_visible_to,
            url=Quote.get_absolute_url,
            label=lambda quote: quote.display_number,
        )

        # The staff UI: demo data, menu, global search, the customer 360 tab.
        from quotes import views
        from quotes.demo import load_demo_quotes
        from sfa.core.demo import register_loader
        from sfa.core.navigation import MenuItem, register, register_search
        from sfa.customers.tabs import AccountTab, register_tab

        register_loader(60, "quotes", load_demo_quotes)
        register(MenuItem("Quotes", "quotes:list", "quotes.view_quote", order=27))
        register_search(views.quote_search_provider)
        register_tab(
            AccountTab(
                key="quotes",
                label="Quotes",
                template="quotes/account_tab.html",
                context=views.account_tab_context,
                order=130,
                permission="quotes.view_quote",
                count=views.account_tab_count,
            )
        )

        # The customer portal's "Quotes" section: its pages live in quotes.portal.
        from sfa.portal.sections import PortalSection, register_section

        register_section(
            PortalSection(
                key="quotes",
                label="Quotes",
                urls="quotes.portal.urls",
                order=20,
                home_template="quotes/portal/_home.html",
            )
        )

        # The opportunity page's "Quotes" panel and "New quote" button.
        from quotes import panels
        from sfa.core.panels import RecordPanel, register_panel

        for panel in (
            RecordPanel(
                key="quotes",
                label="Quotes",
                model="opportunities.Opportunity",
                template="quotes/panels/opportunity_quotes.html",
                context=panels.opportunity_quotes,
                order=100,
                permission="quotes.view_quote",
            ),
            RecordPanel(
                key="new-quote",
                label="New quote",
                model="opportunities.Opportunity",
                template="quotes/panels/opportunity_new_quote.html",
                context=panels.opportunity_new_quote,
                order=100,
                permission="quotes.add_quote",
                slot="actions",
            ),
        ):
            register_panel(panel)
