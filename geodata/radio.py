"""Coverage radii of mobile cell sites, by technology and terrain.

A planning model, not a propagation model: the distance within which a phone outdoors can
expect a usable signal. 2G at 900 MHz reaches furthest; 4G on 1800 MHz somewhat less; 5G on
3.5 GHz only a small cell. In the mountains sites sit on ridges and reach down into the valleys
beyond the plain rural figure, but only where nothing stands between; these defaults are the
round figures planners in the northern provinces use, overridable per site.
"""

# Metres, per technology and terrain (CellSite.Terrain values).
DEFAULT_RADIUS_M = {
    "2G": {"urban": 2_000, "rural": 6_000, "mountain": 8_000},
    "3G": {"urban": 1_200, "rural": 3_000, "mountain": 4_500},
    "4G": {"urban": 1_500, "rural": 4_000, "mountain": 6_000},
    "5G": {"urban": 500, "rural": 1_200, "mountain": 1_500},
}

# What counts as mobile broadband ("3G/4G" in the province's figures).
BROADBAND_TECHNOLOGIES = ("3G", "4G", "5G")


def technology_radius(*, technology: str, terrain: str, overrides: dict | None = None) -> float:
    """The radius in metres of one technology on a site: its override, else the default.

    >>> technology_radius(technology="4G", terrain="rural")
    4000.0
    >>> technology_radius(technology="4G", terrain="rural", overrides={"4G": 2500})
    2500.0
    """
    if overrides and overrides.get(technology):
        return float(overrides[technology])
    return float(DEFAULT_RADIUS_M[technology][terrain])


def effective_radius(*, technologies, terrain: str, overrides: dict | None = None) -> float | None:
    """The 3G-or-better radius of a site (the largest of its 3G/4G/5G radii); None when the
    site has only 2G, so it never counts as mobile-broadband coverage.

    >>> effective_radius(technologies=["2G", "3G", "4G"], terrain="mountain")
    6000.0
    >>> effective_radius(technologies=["2G", "4G"], terrain="urban", overrides={"4G": 900})
    900.0
    >>> effective_radius(technologies=["2G"], terrain="rural") is None
    True
    """
    radii = [
        technology_radius(technology=tech, terrain=terrain, overrides=overrides)
        for tech in technologies if tech in BROADBAND_TECHNOLOGIES
    ]
    return max(radii) if radii else None


def site_radius_refresh(site) -> None:
    """Set `coverage_radius_m` of a CellSite from its technologies, terrain and overrides."""
    site.coverage_radius_m = effective_radius(
        technologies=site.technologies, terrain=site.terrain, overrides=site.radius_overrides
    )
