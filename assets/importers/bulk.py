"""Writing many assets fast: rows stream to PostgreSQL by COPY (geodata.importers.bulk), history
rows are copied from the written rows by one INSERT ... SELECT, and updates go through a
temporary table.

Django's bulk_create builds one huge INSERT per batch (~3 ms a row with history, mostly in
building the SQL text); bulk_update writes a CASE per row and column. COPY costs a few µs a
row, and the text lines are built here from plain values: no model instance per row, and the
columns every row shares (defaults, timestamps) are formatted once. Ids come from the table's
own sequence first. Everything runs inside the caller's transaction.
"""
from django.db import connection
from django.utils import timezone

from assets.models import Asset
from geodata.importers.bulk import copy_escaped, copy_lines, copy_text, rows_update
from geodata.sqlarrays import number_array

_HISTORY_EXTRA = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _ids(cursor, count: int) -> list[int]:
    # The sequence is named first: pg_get_serial_sequence() in the select list ran once a row,
    # a catalog lookup each (0.39 s of 100,000 ids, against 0.04 s).
    cursor.execute("SELECT pg_get_serial_sequence('assets_asset', 'id')")
    (sequence,) = cursor.fetchone()
    cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                   [sequence, count])
    return [pk for (pk,) in cursor.fetchall()]


def _history(cursor, *, ids: list[int], kind: str, now, user) -> None:
    """One history row ("+" created, "~" changed) per asset, copied from the stored row.
    The ids go as one array, not a semi-join: right after a big import the table's
    statistics still say "a few rows", and the planner then ran a nested loop over every
    staging row for every asset (220 s for a re-import of 100,000 rows)."""
    columns = [f.column for f in Asset._meta.concrete_fields]
    names = ", ".join(f'"{c}"' for c in columns)
    extra = ", ".join(_HISTORY_EXTRA)
    cursor.execute(
        f"INSERT INTO {Asset.history.model._meta.db_table} ({names}, {extra}) "
        f"SELECT {names}, %s, NULL, %s, %s FROM assets_asset WHERE id = ANY(%s::bigint[])",
        [now, kind, getattr(user, "pk", None), number_array(ids)])


def assets_copy(*, rows: list[dict], user=None) -> list[int]:
    """Insert new assets given as {attname: value} (code and commune_id filled; missing
    fields take the model's defaults; keys starting with "_" are the engine's notes) with
    their "+" history; returns their ids in order."""
    if not rows:
        return []
    now = timezone.now()
    fields = Asset._meta.concrete_fields
    varying = sorted({name for row in rows for name in row
                      if name != "id" and not name.startswith("_")})
    constant = {f.attname: f.get_default() for f in fields
                if f.attname not in varying and f.attname != "id"}
    constant.update(created_at=now, updated_at=now)
    defaults = [Asset._meta.get_field(name).get_default() for name in varying]
    columns = ["id", *varying, *constant]
    suffix = "\t" + "\t".join(copy_text(v) for v in constant.values()) + "\n"
    with connection.cursor() as cursor:
        ids = _ids(cursor, len(rows))
        copy_lines(cursor, Asset._meta.db_table,
              [Asset._meta.get_field(c).column for c in columns],
              (f"{pk}\t" + "\t".join([copy_escaped(v) if type(v) is str else copy_text(v)
                                      for v in map(row.get, varying, defaults)]) + suffix
               for pk, row in zip(ids, rows, strict=True)))
        _history(cursor, ids=ids, kind="+", now=now, user=user)
        _statistics_refresh(cursor, added=len(rows))
    return ids


def _statistics_refresh(cursor, *, added: int) -> None:
    """ANALYZE the asset table when this insert is a large part of it. The deferred foreign
    key checks at COMMIT (the search rows' asset_id) are planned from the table's statistics:
    after the first import into an empty registry they still said "empty", the check became a
    sequential scan per row, and 20,000 rows spent 3.8 s in them against 0.1 s once the table
    is analysed. ANALYZE runs inside the transaction and sees its rows; the id column alone, as
    the check's plan only needs the row count (the whole table's statistics took twice as
    long, and autovacuum refreshes them soon after)."""
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'assets_asset'::regclass")
    (known,) = cursor.fetchone()
    if added >= 1000 and added > known / 5:  # reltuples is -1 for a table never analysed
        cursor.execute("ANALYZE assets_asset (id)")


def assets_update(*, rows: list[dict], columns: list[str], user=None) -> None:
    """Set `columns` (attnames) of stored assets from rows {"id": ..., attname: value, ...},
    through a temporary table filled by COPY and one UPDATE ... FROM, then a "~" history
    row each."""
    if not rows:
        return
    now = timezone.now()
    columns = [c for c in columns if c not in ("id", "updated_at")] + ["updated_at"]
    for row in rows:
        row["updated_at"] = now
    with connection.cursor() as cursor:
        rows_update(cursor, model=Asset, rows=rows, columns=columns,
                    staging="asset_import_update")
        _history(cursor, ids=[row["id"] for row in rows], kind="~",
                 now=now, user=user)
        cursor.execute("DROP TABLE asset_import_update")
