"""Load the bundled Lạng Sơn geography into AdminUnit and UnitSuccession.

Units are matched by (level, code, valid_to), the key the database keeps unique, and updated
in place: assets, hamlets and staff scopes point at them, so a reload must never delete and
recreate a unit. A fingerprint of the files and of this loader makes a reload with nothing
changed cost one query.
"""
from dataclasses import dataclass

from django.db import connection, transaction

from geodata import reference
from geodata.models import AdminUnit, DataLoad, UnitSuccession

# Bump when the loader writes different rows from the same files.
LOADER_VERSION = "geodata-3"
DATASET = "geodata"

UNIT_FIELDS = ["name", "short_name", "unit_type", "parent", "boundary", "label_point",
               "admin_center", "population", "area_km2", "valid_from", "valid_to", "source"]


@dataclass
class LoadResult:
    loaded: bool  # False: the same files were already loaded, nothing was written
    counts: dict
    fingerprint: str


def geodata_loaded_counts() -> dict:
    """Units per kind as they are in the database now."""
    units = AdminUnit.objects
    return {
        "province": units.filter(level=AdminUnit.Level.PROVINCE).count(),
        "districts": units.districts().count(),
        "communes_2025": units.communes().filter(valid_to__isnull=True).count(),
        "communes_pre2025": units.communes().filter(valid_to=reference.LAST_OLD_DAY).count(),
        "successions": UnitSuccession.objects.count(),
    }


def geodata_load(*, force: bool = False) -> LoadResult:
    """Load (or update in place) the province, districts, communes and the merger lineage."""
    fingerprint = reference.files_fingerprint(version=LOADER_VERSION)
    if not force:
        done = (DataLoad.objects.filter(name=DATASET, fingerprint=fingerprint)
                .values_list("counts", flat=True).first())
        if done is not None:
            return LoadResult(loaded=False, counts=done, fingerprint=fingerprint)
    # Read and repair every file before the transaction opens: a broken file fails here,
    # with the database untouched.
    province = reference.province_read()
    districts = reference.districts_read()
    communes = reference.communes_read()
    old_communes = reference.old_communes_read()
    with transaction.atomic():
        units = _units_upsert([province], parents={})
        parents = {province.code: units[province.code]}
        districts_by_code = _units_upsert(districts, parents=parents)
        new_by_code = _units_upsert(communes, parents=parents)
        old_by_code = _units_upsert(old_communes, parents=districts_by_code)
        _successions_sync(communes, new_by_code=new_by_code, old_by_code=old_by_code)
        _areas_fill()
        counts = geodata_loaded_counts()
        DataLoad.objects.update_or_create(
            name=DATASET, defaults={"fingerprint": fingerprint, "counts": counts}
        )
    return LoadResult(loaded=True, counts=counts, fingerprint=fingerprint)


def _units_upsert(records, *, parents: dict) -> dict[str, AdminUnit]:
    """Create or update one level's units; returns them by code."""
    level, valid_to = records[0].level, records[0].valid_to
    # filter(valid_to=None) is IS NULL: the units still in force.
    existing = dict(
        AdminUnit.objects.filter(level=level, valid_to=valid_to).values_list("code", "pk")
    )
    to_create, to_update = [], []
    for record in records:
        if record.parent_code is not None and record.parent_code not in parents:
            raise ValueError(f"{record.code} {record.name}: unknown parent {record.parent_code}")
        unit = AdminUnit(
            pk=existing.get(record.code), level=level, code=record.code,
            parent=parents.get(record.parent_code),
            **{name: getattr(record, name) for name in UNIT_FIELDS if name != "parent"},
        )
        (to_update if unit.pk else to_create).append(unit)
    AdminUnit.objects.bulk_create(to_create)
    AdminUnit.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=100)
    return {unit.code: unit for unit in to_create + to_update}


def _successions_sync(communes, *, new_by_code, old_by_code) -> None:
    """Make the UnitSuccession edges equal to the merged_from lists of the 2025 communes."""
    wanted = {}
    for record in communes:
        for old_code, kind in record.merged_from:
            if old_code not in old_by_code:
                raise ValueError(f"{record.code} {record.name}: merged from unknown {old_code}")
            key = (old_by_code[old_code].pk, new_by_code[record.code].pk)
            wanted[key] = kind
    successor_ids = [unit.pk for unit in new_by_code.values()]
    have = {
        (edge.predecessor_id, edge.successor_id): edge
        for edge in UnitSuccession.objects.filter(successor_id__in=successor_ids)
    }
    stale = [edge.pk for key, edge in have.items() if key not in wanted]
    UnitSuccession.objects.filter(pk__in=stale).delete()
    changed = [edge for key, edge in have.items() if key in wanted and edge.kind != wanted[key]]
    for edge in changed:
        edge.kind = wanted[(edge.predecessor_id, edge.successor_id)]
    UnitSuccession.objects.bulk_update(changed, ["kind"])
    UnitSuccession.objects.bulk_create([
        UnitSuccession(predecessor_id=old_id, successor_id=new_id, kind=kind,
                       effective_on=reference.REFORM_DAY)
        for (old_id, new_id), kind in wanted.items() if (old_id, new_id) not in have
    ])


def _areas_fill() -> None:
    """Units whose published area is missing get the area of their polygon (on the
    ellipsoid), so that densities can be computed for every unit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE geodata_adminunit SET area_km2 = round("
            "(ST_Area(boundary::geography) / 1e6)::numeric, 2) "
            "WHERE area_km2 IS NULL AND boundary IS NOT NULL"
        )
