# unit.predecessors listed the successors: the M2M now names its two through fields.
# No SQL: the through table is unchanged.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geodata', '0002_coordinate_ranges'),
    ]

    operations = [
        migrations.AlterField(
            model_name='adminunit',
            name='predecessors',
            field=models.ManyToManyField(
                blank=True, related_name='successors', through='geodata.UnitSuccession',
                through_fields=('successor', 'predecessor'), to='geodata.adminunit'),
        ),
    ]
