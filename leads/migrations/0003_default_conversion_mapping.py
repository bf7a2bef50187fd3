"""The conversion mapping every installation starts with; administrators change it later."""

from django.db import migrations

DEFAULTS = [
    ("display_name", "account", "name"),
    ("email", "account", "email"),
    ("phone", "account", "phone"),
    ("street", "account", "street"),
    ("street2", "account", "street2"),
    ("postal_code", "account", "postal_code"),
    ("city", "account", "city"),
    ("area", "account", "area"),
    ("region", "account", "region"),
    ("country", "account", "country"),
    ("payment_terms", "account", "payment_terms"),
    ("first_name", "contact", "first_name"),
    ("last_name", "contact", "last_name"),
    ("email", "contact", "email"),
    ("phone", "contact", "phone"),
    ("quote_due_date", "opportunity", "expected_close_date"),
    ("currency", "opportunity", "currency"),
    ("remarks", "opportunity", "notes"),
]


def seed(apps, schema_editor):
    mapping = apps.get_model("leads", "ConversionMapping")
    for position, (source, target, field) in enumerate(DEFAULTS):
        mapping.objects.get_or_create(
            target=target,
            target_field=field,
            defaults={"source": source, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("leads", "0002_web_forms_assignment_conversion_mapping")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
