from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "sfa.customers"
    label = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from sfa.core.access import Role
        from sfa.core.numbering import register_prefix
        from sfa.core.roles import crud, grant

        register_prefix("contract", "CT")

        reference = [
            "customertype",
            "customergroup",
            "industry",
            "paymentterm",
            "customfielddefinition",
        ]
        every_staff = [p for m in reference for p in crud(f"customers.{m}", "view")]
        records = ["contact", "shiptoaddress", "reminder", "activity", "document", "contract"]
        full = crud("customers.account", "view", "add", "change") + [
            p for m in records for p in crud(f"customers.{m}", "view", "add", "change")
        ]
        view_all = crud("customers.account", "view") + [
            p for m in records for p in crud(f"customers.{m}", "view")
        ]
        extras = [
            "customers.archive_account",
            "customers.export_account",
            "customers.import_account",
        ]
        saved = crud("customers.savedfilter", "view", "add", "change", "delete")
        requests = crud("customers.deletionrequest", "view", "add")
        for role in (Role.SALES_MANAGER, Role.SALES_REP):
            grant(role, *every_staff, *full, *extras, *saved, *requests)
        grant(
            Role.SALES_MANAGER,
            "customers.approve_account_deletion",
            *crud("customers.customfielddefinition", "add", "change"),
        )
        grant(
            Role.MARKETING_MANAGER,
            *every_staff,
            *view_all,
            *saved,
            "customers.export_account",
            "customers.import_account",
            *crud("customers.contact", "add", "change"),
            *crud("customers.activity", "add"),
        )
        grant(
            Role.BILLING_CLERK,
            *every_staff,
            *view_all,
            *saved,
            "customers.export_account",
            *crud("customers.account", "change"),
            *crud("customers.activity", "add"),
            *crud("customers.reminder", "add", "change"),
        )
        for role in (Role.SUPPORT_MANAGER, Role.SUPPORT_AGENT):
            grant(
                role,
                *every_staff,
                *view_all,
                *saved,
                *crud("customers.activity", "add"),
                *crud("customers.reminder", "add", "change"),
            )
        grant(Role.SUPPORT_MANAGER, *crud("customers.contact", "add", "change"))

        from sfa.core.navigation import MenuItem, register, register_search
        from sfa.customers import views
        from sfa.customers.builtin_tabs import register_builtin_tabs

        register_builtin_tabs()
        from sfa.customers.resources import register_customer_importers

        register_customer_importers()
        register(MenuItem("Home", "home", order=0))
        register(MenuItem("Customers", "customers:list", "customers.view_account", order=10))
        register(MenuItem("Reminders", "customers:reminders", "customers.view_reminder", order=90))
        register(
            MenuItem(
                "Deletion requests",
                "customers:deletion-requests",
                "customers.approve_account_deletion",
                order=95,
            )
        )
        register_search(views.account_search_provider)
        register_search(views.contact_search_provider)

        from sfa.core.demo import register_loader
        from sfa.customers.demo import load_demo_customers

        register_loader(10, "customers", load_demo_customers)
