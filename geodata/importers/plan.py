"""What an import plan is: each row's outcome, the plan of a whole file, and the refusal of
an import as a whole. A plan can be pickled, so that a worker checks a large file and the web
page reads the result (the OGR geometries and the layer travel by value and by name)."""
from collections import Counter
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

from geodata.importers import crs as crsmod
from geodata.importers.duplicates import NEW, REFUSED, UNCHANGED, UPDATED
from geodata.importers.layers import Layer
from geodata.importers.registry import import_layers
from geodata.importers.sources import SourceTable, ogr_dump, ogr_load


class ImportRefused(ValueError):
    """The import as a whole was not committed; nothing was written."""


# Slots: a plan holds one RowResult per row of the file; without a __dict__ each weighs a
# third as much (100,000 rows: some 30 MB less).
@dataclass(slots=True)
class RowResult:
    number: int
    source: dict
    status: str = NEW
    messages: list[str] = field(default_factory=list)
    fields: dict | None = None
    instance: object = None
    label: str = ""
    geometry: object = None  # the file's own geometry (OGR), when it has one
    swap: str = ""  # "suspected" or "fixed" when latitude and longitude look exchanged

    def __getstate__(self):
        state = {f.name: getattr(self, f.name) for f in dataclass_fields(self)}
        return {**state, "geometry": ogr_dump(self.geometry)}

    def __setstate__(self, state):
        for name, value in state.items():
            setattr(self, name, ogr_load(value) if name == "geometry" else value)

    def refuse(self, message: str):
        self.status = REFUSED
        self.messages.append(str(message))


@dataclass
class ImportPlan:
    table: SourceTable
    layer: Layer
    mapping: dict
    crs: crsmod.CrsGuess
    swap_fix: bool
    rows: list[RowResult]
    committed: bool = False

    # The layer holds parse functions (closures): it travels by name, through the registry.
    def __getstate__(self):
        return {**self.__dict__, "layer": self.layer.name}

    def __setstate__(self, state):
        self.__dict__.update(state, layer=import_layers()[state["layer"]])

    @property
    def counts(self) -> dict:
        counts = Counter(row.status for row in self.rows)
        return {s: counts.get(s, 0) for s in (NEW, UPDATED, UNCHANGED, REFUSED)}

    @property
    def refused(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == REFUSED]

    @property
    def needs_crs(self) -> bool:
        return self.crs.srs is None

    @property
    def swapped(self) -> int:
        """Rows whose swapped latitude/longitude were fixed."""
        return sum(1 for row in self.rows if row.swap == "fixed" and row.status != REFUSED)
