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
