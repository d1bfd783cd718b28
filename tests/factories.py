"""factory_boy factories. Geometries in EPSG:4326, inside Lạng Sơn by default."""
import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from assets.models import Asset, Plaque
from geodata.models import CellSite, Hamlet

# A point in central Lạng Sơn city (Phường Đông Kinh area).
CITY_CENTRE = (106.7615, 21.8530)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")


def _code(owner):
    from assets.services.codes import code_issue

    return code_issue(owner=owner)


class AssetFactory(factory.django.DjangoModelFactory):
    """Test rows straight into the table, with a fresh code and the commune and province of
    the point derived as the services do (tests of the rules themselves go through the services)."""

    class Meta:
        model = Asset

    kind = Asset.Kind.PUBLIC_WORK
    category = Asset.Category.SCHOOL
    name_vi = factory.Sequence(lambda n: f"Trường học số {n}")
    name_en = factory.Sequence(lambda n: f"School no. {n}")
    description_vi = "Mô tả ngắn về công trình."
    location = factory.LazyFunction(lambda: Point(*CITY_CENTRE, srid=4326))
    synthetic = True
    code = factory.LazyFunction(lambda: _code("asset"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from geodata.unit_lookup import units_at_xy

        if "commune" not in kwargs and "commune_id" not in kwargs:
            point = kwargs["location"]
            kwargs["commune_id"], kwargs["province_id"] = units_at_xy([point.x], [point.y])[0]
        return super()._create(model_class, *args, **kwargs)


class PlaqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plaque

    asset = factory.SubFactory(AssetFactory)
    template = Plaque.Template.STICKER
    width_mm = 80
    height_mm = 100
    code = factory.LazyFunction(lambda: _code("plaque"))


class HamletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hamlet

    name = factory.Sequence(lambda n: f"Thôn {n}")
    location = factory.LazyFunction(lambda: Point(*CITY_CENTRE, srid=4326))
    households = 100
    population = 400
    synthetic = True


class CellSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CellSite

    operator = CellSite.Operator.VIETTEL
    technologies = factory.LazyFunction(lambda: ["2G", "3G", "4G"])
    location = factory.LazyFunction(lambda: Point(*CITY_CENTRE, srid=4326))
    coverage_radius_m = 3000
    synthetic = True
