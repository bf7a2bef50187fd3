from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "Opportunities"

    def ready(self) -> None:
        from sfa.core.access import Role
        from sfa.core.roles import crud, grant

        work = [
            *crud("opportunities.opportunity", "view", "add", "change"),
            *crud("opportunities.opportunityline", "view", "add", "change", "delete"),
            *crud("opportunities.stagesetting", "view"),
            *crud("opportunities.lostreason", "view"),
            *crud("opportunities.quota", "view"),
        ]
        for role in (Role.SALES_MANAGER, Role.SALES_REP):
            grant(role, *work)
        grant(
            Role.MARKETING_MANAGER,
            *crud("opportunities.opportunity", "view"),
            *crud("opportunities.stagesetting", "view"),
        )
        grant(
            Role.SALES_MANAGER,
            *crud("opportunities.stagesetting", "change"),
            *crud("opportunities.lostreason", "add", "change"),
            *crud("opportunities.quota", "add", "change"),
        )

        from opportunities.demo import load_demo_opportunities, load_demo_quotas
        from sfa.core.demo import register_loader

        register_loader(50, "opportunities", load_demo_opportunities)
        register_loader(55, "quotas", load_demo_quotas)

        from opportunities import views
        from sfa.core.navigation import MenuItem, register
        from sfa.customers.tabs import AccountTab, register_tab

        register(
            MenuItem("Pipeline", "opportunities:board", "opportunities.view_opportunity", order=25)
        )

        # Activities, reminders and documents moved here from the converted enquiry.
        from opportunities.models import Opportunity
        from opportunities.selectors import opportunity_visible_to
        from sfa.customers.regarding import register_regarding

        register_regarding(
            Opportunity,
            visible_to=opportunity_visible_to,
            url=views.opportunity_url,
            label=views.opportunity_label,
        )

        register_tab(
            AccountTab(
                key="opportunities",
                label="Opportunities",
                template="opportunities/account_tab.html",
                context=views.account_tab_context,
                order=120,
                permission="opportunities.view_opportunity",
                count=views.account_tab_count,
            )
        )

        # The enquiry page's "Convert…" button: conversion is this app's page.
        from opportunities import panels
        from sfa.core.panels import RecordPanel, register_panel

        register_panel(
            RecordPanel(
                key="convert",
                label="Convert",
                model="leads.Lead",
                template="opportunities/panels/lead_convert.html",
                context=panels.lead_convert_action,
                order=100,
                permission="leads.convert_lead",
                slot="actions",
            )
        )
