from django.db import migrations

STAGES = [
    ("prospecting", "Prospecting", 10, 30),
    ("qualification", "Qualification", 25, 21),
    ("proposal", "Proposal", 50, 21),
    ("negotiation", "Negotiation", 75, 14),
    ("won", "Won", 100, 0),
    ("lost", "Lost", 0, 0),
]
REASONS = ["Price too high", "Lost to a competitor", "No budget", "No decision",
           "Product does not fit", "Timing"]


def seed(apps, schema_editor):
    StageSetting = apps.get_model("opportunities", "StageSetting")
    LostReason = apps.get_model("opportunities", "LostReason")
    for position, (stage, label, probability, idle) in enumerate(STAGES):
        StageSetting.objects.get_or_create(stage=stage, defaults={
            "label": label, "default_probability": probability, "idle_days": idle,
            "position": position})
    for name in REASONS:
        LostReason.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
