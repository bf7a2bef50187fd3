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
        # Marketing runs the web forms; sales managers decide who gets which leads.
        web_forms = [
            *crud("leads.webform", "view", "add", "change", "delete"),
            *crud("leads.webformfield", "view", "add", "change", "delete"),
            *crud("leads.webformsubmission", "view"),
        ]
        grant(Role.MARKETING_MANAGER, *web_forms)
        grant(Role.SALES_MANAGER, *crud("leads.webform", "view"))
        grant(Role.SALES_MANAGER, *crud("leads.assignmentrule", "view", "add", "change", "delete"))
        grant(Role.MARKETING_MANAGER, *crud("leads.assignmentrule", "view"))
        grant(Role.SALES_REP, "leads.convert_lead")

        from leads.demo import load_demo_leads, load_demo_web_forms
        from sfa.core.demo import register_loader

        register_loader(40, "enquiries", load_demo_leads)
        register_loader(41, "web forms", load_demo_web_forms)

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

        # Activities, reminders and documents of an enquiry, also a prospect's (no customer).
        from leads.models import Lead
        from leads.selectors import lead_visible_to
        from sfa.customers.regarding import register_regarding

        register_regarding(
            Lead,
            visible_to=lead_visible_to,
            accepts=views.lead_takes_records,
            url=views.lead_url,
            label=views.lead_label,
        )
