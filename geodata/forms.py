"""Forms of the coverage map and the planner dashboard (all GET: nothing is written)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from geodata.coverage import PlannedSite
from geodata.models import AdminUnit, CellSite
from geodata.radio import BROADBAND_TECHNOLOGIES, technology_radius

# A new rural 4G site: the default planners start from (geodata/radio.py).
DEFAULT_RADIUS_M = int(technology_radius(technology="4G", terrain=CellSite.Terrain.RURAL))
# Planned sites of a scenario, other candidate points of a proposal: checked before any work,
# each is one more row in the reach query (the messages below say the number).
MAX_SITES = 200
SORTS = {
    "gaps": ("-mobile_gap_hamlets", _("hamlets without 3G/4G")),
    "people": ("-mobile_gap_population", _("people without 3G/4G")),
    "broadband": ("-broadband_gap_hamlets", _("hamlets without broadband")),
    "share": ("-mobile_gap_share", _("share without 3G/4G")),
    "name": ("name", _("name")),
    "code": ("code", _("code")),
}


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CoverageFilterForm(forms.Form):
    commune = CommuneChoiceField(
        queryset=AdminUnit.objects.current().communes().in_name_order(),
        to_field_name="code", required=False, label=_("Commune"),
        empty_label=_("Whole province"),
    )
    sort = forms.ChoiceField(choices=[(k, v[1]) for k, v in SORTS.items()], required=False,
                             label=_("Sort communes by"))


def parse_points(text: str, *, radius_m: float) -> list[PlannedSite]:
    """Lines of `longitude, latitude[, radius m[, label]]`; `latitude, longitude` is swapped
    back, since in Vietnam the two never overlap (lat < 24, lon > 102)."""
    sites = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.replace(";", ",").split(",")]
        try:
            lon, lat = float(parts[0]), float(parts[1])
            radius = float(parts[2]) if len(parts) > 2 and parts[2] else radius_m
        except (ValueError, IndexError):
            raise forms.ValidationError(
                _("Line %(n)s: write longitude, latitude and optionally a radius in metres."),
                params={"n": number}) from None
        if lon < lat:
            lon, lat = lat, lon
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not 100 <= radius <= 50_000:
            raise forms.ValidationError(
                _("Line %(n)s: coordinates out of range or radius not between 100 and "
                  "50,000 m."), params={"n": number})
        label = ",".join(parts[3:]).strip() if len(parts) > 3 else ""
        sites.append(PlannedSite(lon=lon, lat=lat, radius_m=radius, label=label))
    return sites


class ScenarioForm(forms.Form):
    sites = forms.CharField(
        label=_("Planned sites"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One site per line: longitude, latitude, radius in metres (optional), "
                    "name (optional)."),
    )
    radius = forms.IntegerField(label=_("Default radius (m)"), min_value=100,
                                max_value=50_000, initial=DEFAULT_RADIUS_M, required=False)

    def clean(self):
        data = super().clean()
        if "sites" in data:
            data["planned"] = parse_points(data["sites"],
                                           radius_m=data.get("radius") or DEFAULT_RADIUS_M)
            if not data["planned"]:
                raise forms.ValidationError(_("Give at least one planned site."))
            if len(data["planned"]) > MAX_SITES:
                raise forms.ValidationError(_("At most 200 planned sites at a time."))
        return data


class ProposalForm(forms.Form):
    k = forms.IntegerField(label=_("Number of new sites"), min_value=1, max_value=50, initial=5)
    technology = forms.ChoiceField(label=_("Technology"), initial="4G", required=False,
                                   choices=[(t, t) for t in BROADBAND_TECHNOLOGIES])
    terrain = forms.ChoiceField(label=_("Terrain"), choices=CellSite.Terrain.choices,
                                initial=CellSite.Terrain.RURAL, required=False)
    radius = forms.IntegerField(label=_("Radius of each site (m)"), min_value=100,
                                max_value=50_000, required=False,
                                help_text=_("Empty: the default of the technology and terrain."))
    extra = forms.CharField(
        label=_("Other candidate points"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Besides every gap hamlet: one point per line, longitude, latitude."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("radius"):
            data["radius"] = int(technology_radius(
                technology=data.get("technology") or "4G",
                terrain=data.get("terrain") or CellSite.Terrain.RURAL))
        data["extra_points"] = parse_points(data.get("extra") or "", radius_m=data["radius"])
        if len(data["extra_points"]) > MAX_SITES:
            raise forms.ValidationError(_("At most 200 other candidate points at a time."))
        return data


def planned_sites_text() -> str:
    """The sites the registry marks as planned, one line each, for the scenario form."""
    lines = []
    for site in CellSite.objects.filter(status=CellSite.Status.PLANNED,
                                        coverage_radius_m__gt=0).order_by("id"):
        name = str(site).replace(",", " ")
        lines.append(f"{site.location.x:.5f}, {site.location.y:.5f}, "
                     f"{site.coverage_radius_m:.0f}, {name}")
    return "\n".join(lines)
