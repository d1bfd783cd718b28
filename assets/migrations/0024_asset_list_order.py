"""The public assets list pages by keyset in Vietnamese order (assets.public.maps): this
index holds the active assets in that order (name under the ICU collation, then code), so a
page after any key reads its rows from the index instead of sorting every asset."""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0023_photo_jobs_captions'),
        ('geodata', '0012_vn2000_tm3_spatial_ref_sys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='asset',
            index=models.Index(django.db.models.functions.comparison.Collate('name_vi', 'vi-x-icu'), models.F('code'), condition=models.Q(('status', 'active')), name='asset_list_order'),
        ),
    ]
