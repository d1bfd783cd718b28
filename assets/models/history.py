"""History tables that keep only the indexes their queries use."""
from simple_history.models import HistoricalRecords


class LeanHistoricalRecords(HistoricalRecords):
    """History whose table keeps only the indexes its queries use: the history of one record
    (its id, ordered by history_date), the row itself (history_id) and the user (whose
    deletion sets history_user to NULL). simple_history copies every index of the tracked
    model, spatial ones included; a bulk import then maintains each of them for rows that are
    only ever read by record id. `no_db_index` drops the b-trees, `no_spatial_index` the
    GiST indexes (simple_history has no switch for those)."""

    def __init__(self, *args, no_spatial_index=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.no_spatial_index = set(no_spatial_index)

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name in self.no_spatial_index:
            fields[name].spatial_index = False
        return fields
