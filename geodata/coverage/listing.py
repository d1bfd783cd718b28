"""The coverage list (/maps/coverage/list/): hamlets by commune, in Vietnamese order, with
their 3G/4G and broadband status, filtered by status, a keyset page at a time.

A page asks each commune (in order, from the cursor's on) for its first rows after the
cursor through the index of migration 0013 (commune, name under the ICU collation, id),
then keeps the first of them: no hamlet outside those is read, and no row is counted.
The status filter is the SQL form of HamletCoverage.mobile_covered and broadband_gap;
the rows shown get their status from HamletCoverage itself (and the model's EXISTS only
for them), so a row never reads differently from the map or the dashboard."""
from dataclasses import dataclass

from django.db import connection

from geodata.coverage.model import (
    MODEL_TECHNOLOGIES,
    HamletCoverage,
    model_max_reach,
    modelled_sql,
)
from geodata.models import AdminUnit, Availability
from geodata.tiles import cached_per_version
from qrmap.collation import VI_COLLATION, vietnamese_key

YES, NO, UNKNOWN = Availability.YES.value, Availability.NO.value, Availability.UNKNOWN.value
MOBILE_GAP = (f"(h.mobile_status = '{NO}' OR (h.mobile_status = '{UNKNOWN}' "
              f"AND NOT {modelled_sql('h')}))")
BROADBAND_GAP = f"h.broadband_status = '{NO}'"
# Status filters: the hamlets a planner looks for.
STATUS_SQL = {
    "mobile_gap": MOBILE_GAP,
    "broadband_gap": BROADBAND_GAP,
    "both_gaps": f"{MOBILE_GAP} AND {BROADBAND_GAP}",
    "covered": f"NOT {MOBILE_GAP} AND h.broadband_status = '{YES}'",
    "unknown": f"(h.mobile_status = '{UNKNOWN}' OR h.broadband_status = '{UNKNOWN}')",
}
NAME = f'h.name COLLATE "{VI_COLLATION}"'


@dataclass(frozen=True)
class ListKey:
    """Where a row sits in the list: its commune's place in the order, its name, its id."""

    rank: int
    name: str
    id: int


def commune_order() -> list[int]:
    """Today's communes' ids in Vietnamese order of their names, per data version."""
    def compute():
        units = AdminUnit.objects.current().communes().values_list("id", "name")
        return [pk for pk, name in sorted(units, key=lambda u: (vietnamese_key(u[1]), u[0]))]
    return cached_per_version("commune-order", compute)


def hamlet_list_key(hamlet_id: int, communes: list[int]) -> ListKey | None:
    """The key of a hamlet that a next or previous link names (None: no such hamlet
    in these communes)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT commune_id, name FROM geodata_hamlet WHERE id = %s",
                       [hamlet_id])
        row = cursor.fetchone()
    if row is None or row[0] not in communes:
        return None
    return ListKey(communes.index(row[0]), row[1], hamlet_id)


def hamlet_list_rows(*, communes: list[int], status: str = "", key: ListKey | None = None,
                     backwards: bool = False, limit: int) -> list[HamletCoverage]:
    """Up to `limit` hamlets of `communes` (ids in list order) matching `status`, after
    `key` (or before it, `backwards`), in list order."""
    compare, direction = ("<", "DESC") if backwards else (">", "ASC")
    key = key or ListKey(len(communes) if backwards else -1, "", 0)
    params = {"communes": communes, "rank": key.rank, "name": key.name, "id": key.id,
              "limit": limit, "model_techs": MODEL_TECHNOLOGIES,
              "max_reach": model_max_reach()}
    status_sql = STATUS_SQL.get(status, "TRUE")
    sql = f"""
        SELECT p.id, p.name, c.code, c.name, '', '', p.households, p.population,
               ST_X(p.location), ST_Y(p.location), p.mobile_status, p.broadband_status,
               {modelled_sql('p')}
        FROM (
            SELECT r.*, u.rank FROM unnest(%(communes)s::bigint[]) WITH ORDINALITY u(id, rank)
            CROSS JOIN LATERAL (
                SELECT h.* FROM geodata_hamlet h
                WHERE h.commune_id = u.id AND {status_sql}
                  AND (u.rank - 1 {compare} %(rank)s
                       OR (u.rank - 1 = %(rank)s AND ({NAME}, h.id) {compare} (%(name)s, %(id)s)))
                ORDER BY {NAME} {direction}, h.id {direction} LIMIT %(limit)s) r
            WHERE u.rank - 1 {compare}= %(rank)s
            ORDER BY u.rank {direction}, r.name COLLATE "{VI_COLLATION}" {direction},
                     r.id {direction}
            LIMIT %(limit)s) p
        JOIN geodata_adminunit c ON c.id = p.commune_id
        ORDER BY p.rank {direction}, p.name COLLATE "{VI_COLLATION}" {direction}, p.id {direction}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [HamletCoverage(*row) for row in cursor.fetchall()]
    return rows[::-1] if backwards else rows

