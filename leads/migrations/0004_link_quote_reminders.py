"""Quote reminders made before reminders could regard an enquiry get linked to it.

They were found by their subject, "Quote owed for ENQ-…"; from now on by the enquiry they
regard and the key "quote_due", so editing the date moves them instead of adding a second.
"""

from django.db import migrations

PREFIX = "Quote owed for "


def link(apps, schema_editor):
    reminder_model = apps.get_model("customers", "Reminder")
    lead_model = apps.get_model("leads", "Lead")
    content_type = apps.get_model("contenttypes", "ContentType")
    legacy = reminder_model.objects.filter(
        subject__startswith=PREFIX, regarding_type__isnull=True, key=""
    )
    if not legacy.exists():
        return
    lead_type, _ = content_type.objects.get_or_create(app_label="leads", model="lead")
    leads = dict(lead_model.objects.values_list("number", "pk"))
    linked = set()
    for reminder in legacy.order_by("is_done", "pk"):  # open ones win when there are twins
        lead_pk = leads.get(reminder.subject.removeprefix(PREFIX).strip())
        if lead_pk is None or lead_pk in linked:
            continue
        reminder.regarding_type_id, reminder.regarding_id = lead_type.pk, lead_pk
        reminder.key = "quote_due"
        reminder.save(update_fields=["regarding_type", "regarding_id", "key"])
        linked.add(lead_pk)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0004_regarding_records"),
        ("leads", "0003_default_conversion_mapping"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
