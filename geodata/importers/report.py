"""The row-by-row report of an import, as CSV for a spreadsheet (UTF-8 with BOM, so Excel
shows Vietnamese letters), with the original cells so a refused row can be fixed in place."""
import csv
import io

from django.utils.translation import gettext as _

from geodata.importers.plan import ImportPlan

STATUS_LABELS = {"new": _("new"), "updated": _("updated"), "unchanged": _("unchanged"),
                 "refused": _("refused")}


def report_csv(plan: ImportPlan, *, only_refused: bool = False) -> str:
    """The report as CSV text: row, status, what happened, then the file's own columns."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("row"), _("status"), _("name"), _("messages"), *plan.table.columns])
    for row in plan.rows:
        if only_refused and row.status != "refused":
            continue
        writer.writerow([row.number, str(STATUS_LABELS.get(row.status, row.status)), row.label,
                         "; ".join(row.messages),
                         *[row.source.get(c, "") for c in plan.table.columns]])
    return out.getvalue()
