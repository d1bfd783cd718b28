"""The unaccent extension, so that a search for "dong tam thanh" finds "Động Tam Thanh"."""
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assets", "0003_staff_roles")]

    operations = [UnaccentExtension()]
