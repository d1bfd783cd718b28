"""How many names hold each word of the search vocabulary: name search gives the index only the
query's rarest word (assets.search), the trigram index being several times slower on the
trigrams of a common word than on a rare one's.

public.qrmap_search_words_count() counts again and adds any word missing, for a bulk load that
ran with triggers off (session_replication_role = replica) or after a large import.
"""
from django.db import migrations, models

COUNT = r"""
CREATE OR REPLACE FUNCTION public.qrmap_search_words_count() RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO assets_assetsearchword (word, names)
    SELECT word, count(DISTINCT asset_id)
    FROM assets_assetsearch, regexp_split_to_table(text, '\s+') AS word
    WHERE word <> '' GROUP BY word
    ON CONFLICT (word) DO UPDATE SET names = EXCLUDED.names;
    $$;
SELECT public.qrmap_search_words_count();
ANALYZE assets_assetsearchword;
"""
DROP_COUNT = "DROP FUNCTION IF EXISTS public.qrmap_search_words_count();"


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0010_search_at_national_scale'),
    ]

    operations = [
        migrations.AddField(
            model_name='assetsearchword',
            name='names',
            field=models.IntegerField(null=True),
        ),
        migrations.RunSQL(COUNT, DROP_COUNT),
    ]
