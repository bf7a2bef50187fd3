from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = "Enquiries and leads"

    def ready(self) -> None:
        from sfa.core.access import Role
        from sfa.core.numbering import register_prefix
        from sfa.core.roles import crud, grant

        register_prefix("enquiry", "ENQ")
        work = [
            *crud("leads.lead", "view", "add", "change"),
            *crud("leads.leadline", "view", "add", "change", "delete"),
        ]
        for role in (Role.SALES_MANAGER, Role.MARKETING_MANAGER, Role.SALES_REP):
            grant(role, *work)
        grant(Role.SALES_MANAGER, "leads.convert_lead", "leads.reassign_lead")
        grant(Role.MARKETING_MANAGER, "leads.reassign_lead")
        grant(Role.SALES_REP, "leads.convert_lead")

        from leads.demo import load_demo_leads
        from sfa.core.demo import register_loader

        register_loader(40, "enquiries", load_demo_leads)

        from leads import views
        from sfa.core.navigation import MenuItem, register, register_search
        from sfa.customers.tabs import AccountTab, register_tab

        register(MenuItem("Enquiries", "leads:list", "leads.view_lead", order=20))
        register_search(views.lead_search_provider)
        register_tab(
            AccountTab(
                key="enquiries",
                label="Enquiries",
                template="leads/account_tab.html",
                context=views.account_tab_context,
                order=110,
                permission="leads.view_lead",
                count=views.account_tab_count,
            )
        )
