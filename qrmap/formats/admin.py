"""Admin list columns that show figures as the rest of the site does."""
from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma


def admin_figure(field: str, label):
    """An admin list column showing the integer `field` with the language's thousands
    separator (the admin, like the rest of the site, does not group by default)."""

    @admin.display(description=label, ordering=field)
    def column(*args):
        # Called with the row, or with (admin, row) when set as an attribute of the
        # ModelAdmin (so that `fields` and `readonly_fields` can name it).
        value = getattr(args[-1], field)
        return "—" if value is None else intcomma(value)

    column.__name__ = f"{field}_figure"
    return column
