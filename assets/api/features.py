"""The asset list's GeoJSON Features, written by PostgreSQL (geodata.sqljson).

DRF-gis built a page of 100 Features in about 100 ms at national scale, more than the name
search that found them (issue 13 wants the whole request under 50 ms). The page's query now
writes each Feature as one JSON text: the same members in the same order, with the same
values, as AssetGeoSerializer, which stays the Feature's description (the OpenAPI schema,
the detail and write answers). Its Meta.fields give the property names and their order, so
that the two cannot list different properties; tests/assets/test_api_features.py compares
the bytes of both answers.
"""
from django.db.models import DateTimeField, F, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from assets import codes
from assets.api.serializers import AssetGeoSerializer
from assets.models import Asset
from geodata.sqljson import IsoDateTime, PointGeoJSON, choice_label, feature_texts
from qrmap.i18n import localized_expression


def _computed(*, lang: str, page_url: str) -> dict:
    """The properties that are not a column of the row as it is."""
    return {
        "grouped_code": codes.group_expression("code"),
        # Codes are letters and digits: the URL of /a/ plus the code is the code's URL.
        "page_url": Concat(Value(page_url), F("code"), output_field=TextField()),
        "kind_label": choice_label("kind", Asset.Kind.choices),
        "category_label": choice_label("category", Asset.Category.choices),
        "name": localized_expression("name", lang),
        "commune": F("commune__code"),
        "commune_name": F("commune__name"),
        "replaced_by": F("replaced_by__code"),
    }


def _column(name: str, zone: str):
    if isinstance(Asset._meta.get_field(name), DateTimeField):
        return IsoDateTime(name, zone=zone)
    return F(name)


def asset_properties(*, lang: str, page_url: str) -> dict:
    """AssetGeoSerializer's properties as SQL expressions, in its order; `page_url` is the
    absolute URL of /a/ (an asset's page is that plus its code)."""
    meta = AssetGeoSerializer.Meta
    computed = _computed(lang=lang, page_url=page_url)
    # DRF writes times in the current time zone (settings.TIME_ZONE).
    zone = timezone.get_current_timezone_name()
    return {name: computed[name] if name in computed else _column(name, zone)
            for name in meta.fields if name not in (meta.id_field, meta.geo_field)}


def asset_features(rows, *, lang: str, page_url: str):
    """The rows as the JSON texts of their Features in the list (AssetGeoSerializer's),
    in the rows' order, names and labels in `lang`: one query, no model instances."""
    return feature_texts(rows, {
        "id": F("code"),
        "type": Value("Feature", output_field=TextField()),
        "geometry": PointGeoJSON("location"),
        "properties": asset_properties(lang=lang, page_url=page_url),
    })
