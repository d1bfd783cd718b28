"""A national-size throwaway database for benchmarks: the real Lạng Sơn communes filled with
1,000,000 assets, 100,000 hamlets and 10,000 cell sites, every row flagged synthetic.

    with national_database() as national:
        ...  # the ORM and the shared cache point at it until the block ends

The database (NAME, on the project's server) is created, migrated and filled in SQL: points
drawn in the commune polygons by ST_GeneratePoints, the other columns copied in by COPY,
the secondary indexes built after the load. It is kept between runs: when it already holds
the asked counts from this generator version, entering the block costs one `migrate`.
BENCH_NATIONAL_SCALE=0.01 scales every count (a dry run in seconds).
"""
import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.management import call_command
from django.db import DatabaseError, connections, transaction

from bench import _national_rows as rows

# Another name lets a benchmark that migrates the data its own way keep a database of its own.
NAME = os.environ.get("BENCH_NATIONAL_DB", "qrmap_bench_national")
GENERATOR_VERSION = "national-2"
MARKER = "bench_national"  # the DataLoad row that says what this database holds
SEED = 13
SOURCE = "synthetic national benchmark (qrmap)"


@dataclass
class National:
    """What a benchmark gets inside national_database()."""

    name: str
    counts: dict
    database_url: str  # for a server process started inside the block
    built_seconds: float | None  # None: reused as it was

    def context(self) -> dict:
        """What a benchmark's table says of the data it ran on."""
        built = (f", built in {self.built_seconds:.0f} s" if self.built_seconds
                 else ", reused (already built)")
        return {"assets": self.counts["assets"], "hamlets": self.counts["hamlets"],
                "cell_sites": self.counts["sites"], "national_database": self.name + built}


def scale() -> float:
    return float(os.environ.get("BENCH_NATIONAL_SCALE", "1"))


@contextlib.contextmanager
def national_database(*, assets: int = 1_000_000, hamlets: int = 100_000,
                      sites: int = 10_000):
    """Point Django at the national database (built or rebuilt when it does not hold these
    counts, scaled by BENCH_NATIONAL_SCALE) and yield a National."""
    factor = scale()
    counts = {"assets": max(1, round(assets * factor)), "hamlets": max(1, round(hamlets * factor)),
              "sites": max(1, round(sites * factor))}
    built = None
    with _build_lock():  # two benchmarks started together must not both drop and rebuild it
        if not _holds(counts):
            started = time.monotonic()
            _build(counts)
            built = time.monotonic() - started
    with _pointed_at(NAME):
        call_command("migrate", verbosity=0, interactive=False)  # new migrations since
        yield National(name=NAME, counts=counts, database_url=_url(NAME), built_seconds=built)


@contextlib.contextmanager
def _build_lock():
    with open(os.path.join(tempfile.gettempdir(), f"{NAME}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _fingerprint(counts: dict) -> str:
    return hashlib.sha256(json.dumps([GENERATOR_VERSION, SEED, counts]).encode()).hexdigest()


def _url(name: str) -> str:
    settings = connections["default"].settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = settings["HOST"] + (f":{settings['PORT']}" if settings["PORT"] else "")
    return f"postgis://{auth + '@' if auth else ''}{host}/{name}"


@contextlib.contextmanager
def _pointed_at(name: str):
    """Every database alias and the shared cache's keys moved to the national database, so
    that pages cached from it never answer for the real one."""
    saved = {}
    for alias in connections:
        connection = connections[alias]
        connection.close()
        saved[alias] = connection.settings_dict["NAME"]
        connection.settings_dict["NAME"] = name
    prefixes = {alias: caches[alias].key_prefix for alias in caches}
    for alias in caches:
        caches[alias].key_prefix = f"{prefixes[alias]}:{name}"
    try:
        yield
    finally:
        for alias, original in saved.items():
            connections[alias].close()
            connections[alias].settings_dict["NAME"] = original
        for alias, prefix in prefixes.items():
            caches[alias].key_prefix = prefix


def tables_prewarm(tables: list[str]) -> str:
    """Read the tables and their indexes into the operating system's page cache (pg_prewarm,
    PostgreSQL's contrib module) in the database Django points at; what it read, for the
    table's context. A server whose database fits its memory (README: shared_buffers) holds
    these pages after its first hour; a shared benchmark machine reclaims them between runs,
    and each page read from its disk then cost 4 ms, which is no part of what the code does.
    Without the module (a server built without contrib, a role that may not create it), a
    note saying so."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_prewarm'")
        if cursor.fetchone() is None:
            return "not read beforehand (pg_prewarm not installed)"
        started = time.monotonic()
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(
                "SELECT coalesce(sum(pg_prewarm(r.oid, 'read')), 0) * "
                "current_setting('block_size')::bigint FROM pg_class r "
                "WHERE r.oid = ANY(%(tables)s::regclass[]) OR r.oid IN "
                "(SELECT indexrelid FROM pg_index WHERE indrelid = ANY(%(tables)s::regclass[]))",
                {"tables": tables})
        except DatabaseError as error:  # a role that may not create or run it
            return f"not read beforehand ({str(error).strip()})"
        read = cursor.fetchone()[0]
    return (f"{', '.join(tables)} with their indexes, {read / 2**20:.0f} MB read in "
            f"{time.monotonic() - started:.1f} s before timing")


def _exists() -> bool:
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME])
        return cursor.fetchone() is not None


def _holds(counts: dict) -> bool:
    if not _exists():
        return False
    with _pointed_at(NAME), connections["default"].cursor() as cursor:
        cursor.execute("SELECT to_regclass('geodata_dataload') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT fingerprint FROM geodata_dataload WHERE name = %s", [MARKER])
        found = cursor.fetchone()
    return found is not None and found[0] == _fingerprint(counts)


def _build(counts: dict) -> None:
    print(f"Building {NAME}: {counts} (a few minutes at full size)", flush=True)
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{NAME}"')
    with _pointed_at(NAME):
        call_command("migrate", verbosity=0, interactive=False)
        call_command("qrmap_load_geodata", verbosity=0)
        with transaction.atomic(), connections["default"].cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            # Foreign keys unchecked (the generator draws every commune id from the table):
            # Django's deferred checks would queue a trigger event per row, and an index
            # cannot be built on a table with events pending. Triggers are off too: the
            # search names are filled set-wise below.
            cursor.execute("SET LOCAL session_replication_role = replica")
            communes = _communes(cursor)
            _fill_assets(cursor, communes, counts["assets"])
            _fill_hamlets(cursor, communes, counts["hamlets"])
            _fill_sites(cursor, communes, counts["sites"])
            cursor.execute(
                "INSERT INTO geodata_dataload (name, fingerprint, loaded_at, counts) "
                "VALUES (%s, %s, now(), %s)", [MARKER, _fingerprint(counts), json.dumps(counts)])
        with connections["default"].cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # visibility map and statistics, as in production


def _communes(cursor) -> list[tuple[int, float]]:
    """(id, area in m²) of today's communes: rows are spread in proportion to area."""
    from geodata.models import AdminUnit

    ids = list(AdminUnit.objects.current().communes().exclude(boundary=None)
               .values_list("pk", flat=True))
    cursor.execute("SELECT id, ST_Area(boundary::geography) FROM geodata_adminunit "
                   "WHERE id = ANY(%s) ORDER BY id", [ids])
    return cursor.fetchall()


def _allotted(communes, count: int) -> list[tuple[int, int]]:
    """(commune id, rows) summing to count exactly (largest remainders)."""
    total = sum(area for _, area in communes)
    shares = [(pk, count * area / total) for pk, area in communes]
    allotted = {pk: int(share) for pk, share in shares}
    short = count - sum(allotted.values())
    for pk, _ in sorted(shares, key=lambda s: int(s[1]) - s[1])[:short]:
        allotted[pk] += 1
    return [(pk, n) for pk, n in allotted.items() if n]


def _points(cursor, communes, count: int, seed: int) -> None:
    """bench_points(n, commune_id, location): count random points inside the communes."""
    cursor.execute("DROP TABLE IF EXISTS bench_points")
    cursor.execute("CREATE TEMP TABLE bench_points (n bigserial PRIMARY KEY, commune_id bigint,"
                   " location geometry(Point, 4326))")
    for pk, n in _allotted(communes, count):
        cursor.execute(
            "INSERT INTO bench_points (commune_id, location) SELECT id, "
            "(ST_Dump(ST_GeneratePoints(boundary, %s, %s))).geom FROM geodata_adminunit "
            "WHERE id = %s", [n, seed + pk, pk])


def _copied(cursor, table: str, columns: str, source) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"CREATE TEMP TABLE {table} ({columns})")
    names = ", ".join(c.split()[0] for c in columns.split(","))
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in source:
            copy.write_row(row)


@contextlib.contextmanager
def _indexes_deferred(cursor, table: str):
    """Drop the table's secondary indexes and build them again after the load: one sorted
    build is several times faster than a million insertions into a GIN or GiST tree."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table])
    indexes = cursor.fetchall()
    # The statistics targets set on index expressions (assets 0013), which a new index lacks.
    cursor.execute(
        "SELECT i.relname, a.attnum, a.attstattarget FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_attribute a ON a.attrelid = i.oid "
        "WHERE x.indrelid = %s::regclass AND a.attstattarget > 0", [table])
    targets = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _, definition in indexes:
        cursor.execute(definition)
    for name, column, target in targets:
        cursor.execute(f'ALTER INDEX "{name}" ALTER COLUMN {column} SET STATISTICS {target}')


def _fill_assets(cursor, communes, count: int) -> None:
    _points(cursor, communes, count, SEED)
    _copied(cursor, "bench_assets", "n bigint, code text, kind text, category text, "
            "name_vi text, name_en text, name_zh text, external_id text",
            rows.asset_rows(count, seed=SEED))
    with _indexes_deferred(cursor, "assets_asset"):
        # The units before 2025 are what the trigger of assets 0025 would store (triggers
        # are off here), by the same SQL functions.
        cursor.execute(
            "INSERT INTO assets_asset (code, kind, category, name_vi, name_en, name_zh, "
            "description_vi, description_en, description_zh, location, commune_id, "
            "province_id, district_before_id, commune_before_id, commune_before_approximate, "
            "heritage_rank, status, position_verified, source, synthetic, "
            "external_id, created_at, updated_at) "
            "SELECT a.code, a.kind, a.category, a.name_vi, a.name_en, a.name_zh, '', '', '', "
            "p.location, p.commune_id, u.province_id, b.district_before, b.commune_before, "
            "b.commune_before_approximate, '', 'active', false, %s, true, "
            "a.external_id, now(), now() FROM bench_assets a JOIN (SELECT n, location, "
            "commune_id, geodata_district_before_at(location) AS district FROM bench_points "
            "OFFSET 0) p USING (n) JOIN geodata_adminunit u ON u.id = p.commune_id, "
            "LATERAL geodata_units_before_at(p.location, p.commune_id, p.district) b "
            "ORDER BY n", [SOURCE])
    cursor.execute("INSERT INTO assets_issuedcode (code, owner, issued_at) "
                   "SELECT code, 'asset', now() FROM bench_assets")
    with _indexes_deferred(cursor, "assets_assetsearch"):
        # What the trigger of migrations 0008 and 0027 writes for each asset, here in one
        # statement.
        cursor.execute("INSERT INTO assets_assetsearch (asset_id, text, name_vi) SELECT id, "
                       "qrmap_asset_search_text(name_vi, name_en, name_zh), name_vi "
                       "FROM assets_asset")
    # The typo vocabulary, which the statement triggers of assets 0010 would have kept.
    cursor.execute("SELECT public.qrmap_search_words_count()")


def _fill_hamlets(cursor, communes, count: int) -> None:
    _points(cursor, communes, count, SEED + 1)
    _copied(cursor, "bench_hamlets", "n bigint, name text, households int, population int, "
            "mobile_status text, broadband_status text, external_id text",
            rows.hamlet_rows(count, seed=SEED))
    with _indexes_deferred(cursor, "geodata_hamlet"):
        # The old district is what the trigger of geodata 0007 would look up (triggers are
        # off here), by the same SQL function.
        cursor.execute(
            "INSERT INTO geodata_hamlet (name, commune_id, district_before_id, location, "
            "households, population, mobile_status, broadband_status, survey_date, source, "
            "synthetic, external_id, updated_at) SELECT h.name, p.commune_id, "
            "geodata_district_before_at(p.location), p.location, h.households, h.population, "
            "h.mobile_status, h.broadband_status, date '2024-12-31', %s, true, h.external_id, "
            "now() FROM bench_hamlets h JOIN bench_points p USING (n) ORDER BY n", [SOURCE])


def _fill_sites(cursor, communes, count: int) -> None:
    _points(cursor, communes, count, SEED + 2)
    _copied(cursor, "bench_sites", "n bigint, name text, operator text, technologies text[], "
            "terrain text, coverage_radius_m float8, status text, commissioned_on date, "
            "external_id text", rows.site_rows(count, seed=SEED))
    with _indexes_deferred(cursor, "geodata_cellsite"):
        cursor.execute(
            "INSERT INTO geodata_cellsite (name, operator, technologies, terrain, "
            "radius_overrides, coverage_radius_m, location, commune_id, status, "
            "commissioned_on, source, synthetic, external_id, updated_at) "
            "SELECT s.name, s.operator, s.technologies, s.terrain, '{}', s.coverage_radius_m, "
            "p.location, p.commune_id, s.status, s.commissioned_on, %s, true, s.external_id, "
            "now() FROM bench_sites s JOIN bench_points p USING (n) ORDER BY n", [SOURCE])
