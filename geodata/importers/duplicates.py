"""Duplicates: the same record twice in a file, or a file row that is a stored record.

Rows that carry an identifier (external id, an asset's code) are matched by it; rows without
one by the same (folded) name within a few metres, the way a clerk would spot them.
"""
import math
from collections import defaultdict

from django.utils.translation import gettext as _

from geodata.importers.layers import Layer
from geodata.importers.text import fold

NEW, UPDATED, UNCHANGED, REFUSED = "new", "updated", "unchanged", "refused"


def _near(a, b, metres: float) -> bool:
    dy = (a[1] - b[1]) * 111_320
    dx = (a[0] - b[0]) * 111_320 * math.cos(math.radians(a[1]))
    return dx * dx + dy * dy <= metres * metres


def duplicates_in_file(layer: Layer, rows: list[list]) -> None:
    keys, names = {}, defaultdict(list)
    for row in rows:
        if row.status == REFUSED:
            continue
        row_keys = layer.row_keys(row.fields)
        for key in row_keys:
            if key in keys:
                row.refuse(_("duplicate %(what)s “%(value)s” (row %(row)d)")
                           % {"what": key[0], "value": key[1], "row": keys[key]})
                break
            keys[key] = row.number
        if row.status == REFUSED or row_keys:
            continue
        location = layer.row_location(row.fields)
        name, xy = fold(row.label), (location.x, location.y)
        twin = next((n for n, other in names[name] if _near(xy, other, layer.duplicate_metres)),
                    None)
        if twin:
            row.refuse(_("duplicate of row %d (same name, same place)") % twin)
        else:
            names[name].append((row.number, xy))


def match_stored(layer: Layer, rows: list[list]) -> None:
    good = [row for row in rows if row.status != REFUSED]
    found = layer.existing_find([row.fields for row in good])
    fresh = []
    changes_note = _("changes: %s")  # translated once, not per row of a re-import
    for index, row in enumerate(good):
        instance = found.get(index)
        if isinstance(instance, Exception):
            row.refuse(instance)
            continue
        if instance is None:
            fresh.append(row)
            continue
        row.instance = instance
        changes = layer.row_changes(instance, row.fields)
        row.status = UPDATED if changes else UNCHANGED
        if changes:
            row.messages.append(changes_note % ", ".join(changes))
    duplicates_stored(layer, fresh)


def duplicates_stored(layer: Layer, rows: list[list]) -> None:
    """A new row with the name of a stored record a few metres away is that record again:
    unchanged when every given field agrees (a file imported twice), else refused."""
    if not rows:
        return
    points = [layer.row_location(row.fields) for row in rows]
    stored = defaultdict(list)
    for name, x, y, instance in layer.existing_close(points, layer.duplicate_metres):
        stored[name].append(((x, y), instance))
    if not stored:
        return  # nothing stored near any row: no name to fold (100,000 new rows: 1 s)
    for row, point in zip(rows, points, strict=False):
        for xy, instance in stored.get(fold(row.label), ()):
            if _near((point.x, point.y), xy, layer.duplicate_metres):
                if layer.row_changes(instance, row.fields):
                    row.refuse(_("already in the database: %s") % instance)
                else:
                    row.status, row.instance = UNCHANGED, instance
                break
