# The list's order index also holds the funnel's columns: the forecast's funnel of a period
# reads the index alone.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('leads', '0006_quick_find_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='lead',
            name='leads_lead_list',
        ),
        migrations.AddIndex(
            model_name='lead',
            index=models.Index(
                fields=['enquiry_date', 'id'],
                include=('channel', 'source', 'state'),
                name='leads_lead_list',
            ),
        ),
    ]
