"""assets.services.photos: an upload becomes four public variants without metadata, the
thumbnail within its byte cap; bombs, broken files and other communes' clerks are refused
with a message and nothing stored."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assets.errors import DomainError
from assets.models import AssetPhoto
from assets.services import photos as services
from assets.services.registry import asset_delete
from tests.assets.image_samples import bomb_png, camera_jpeg, jpeg
from tests.assets.staff_fixtures import verified_asset

pytestmark = pytest.mark.django_db


def upload(data, name="IMG_0001.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def site(communes, clerk_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return verified_asset(communes[0], clerk_a, name_vi="Chùa Tiên")


def _opened(field) -> Image.Image:
    field.open("rb")
    try:
        image = Image.open(io.BytesIO(field.read()))
        image.load()
        return image
    finally:
        field.close()


def test_a_phone_photo_becomes_upright_variants_without_exif(site, clerk_a, tmp_path):
    photo = services.asset_photo_add(user=clerk_a, asset=site, caption=" Cổng chùa ",
                                     upload=upload(camera_jpeg()))
    photo.refresh_from_db()
    assert photo.caption == "Cổng chùa" and photo.position == 0
    # Orientation 6: the 4000 × 3000 stored pixels are a portrait photo.
    assert (photo.width, photo.height) == (1200, 1600)
    assert (photo.thumb_width, photo.thumb_height) == (480, 640)
    expected = {"image": ("JPEG", (1200, 1600)), "large_webp": ("WEBP", (1200, 1600)),
                "thumb_jpeg": ("JPEG", (480, 640)), "thumb_webp": ("WEBP", (480, 640))}
    for name, (image_format, size) in expected.items():
        field = getattr(photo, name)
        assert "IMG_0001" not in field.name  # the sender's file name is not published
        image = _opened(field)
        assert (image.format, image.size) == (image_format, size), name
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
        if name.startswith("thumb"):
            assert field.size <= 30 * 1024, (name, field.size)
    # Only the variants are kept: no original with its GPS position anywhere.
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 4
    assert photo.thumb_url == photo.thumb_jpeg.url


def test_photos_line_up_in_the_order_they_come(site, clerk_a):
    first = services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg()))
    second = services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg((48, 64))))
    assert (first.position, second.position) == (0, 1)
    assert (second.thumb_width, second.thumb_height) == (48, 64)  # never enlarged


@pytest.mark.parametrize("data, message", [
    (bomb_png(), "too many pixels"),
    (b"\xff\xd8\xff\xe0 not really a jpeg", "not a photo we can read"),
    (camera_jpeg(400, 300)[:20_000], "incomplete or damaged"),
])
def test_a_bad_file_is_refused_with_a_message_and_nothing_stored(site, clerk_a, tmp_path,
                                                                  data, message):
    with pytest.raises(DomainError, match=message) as refused:
        services.asset_photo_add(user=clerk_a, asset=site, upload=upload(data))
    assert refused.value.kind == DomainError.INVALID and "image" in refused.value.errors
    assert not AssetPhoto.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_another_communes_clerk_is_refused(site, clerk_b, tmp_path):
    with pytest.raises(DomainError) as refused:
        services.asset_photo_add(user=clerk_b, asset=site, upload=upload(jpeg()))
    assert refused.value.kind == DomainError.FORBIDDEN
    assert not AssetPhoto.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_caption_changes_and_delete_keep_scope_and_remove_files(
        site, clerk_a, clerk_b, tmp_path, django_capture_on_commit_callbacks):
    photo = services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg()))
    with pytest.raises(DomainError, match="caption"):
        services.asset_photo_update(user=clerk_a, photo=photo, caption="a\x00b", position=0)
    with pytest.raises(DomainError) as refused:
        services.asset_photo_delete(user=clerk_b, photo=photo)
    assert refused.value.kind == DomainError.FORBIDDEN
    services.asset_photo_update(user=clerk_a, photo=photo, caption="Bia đá", position=3)
    assert AssetPhoto.objects.get().caption == "Bia đá"
    with pytest.raises(DomainError) as refused:
        services.asset_photo_update(user=clerk_b, photo=photo, caption="x", position=0)
    assert refused.value.kind == DomainError.FORBIDDEN
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_photo_delete(user=clerk_a, photo=photo)
    assert not AssetPhoto.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def _admin_form(asset, **rows) -> dict:
    from tests.assets.permission_doors import asset_form

    return asset_form(asset, **{"photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "0",
                                **rows})


def test_the_admin_uploads_a_photo_through_the_service(client, site, clerk_a, tmp_path,
                                                        django_capture_on_commit_callbacks):
    client.force_login(clerk_a)
    url = reverse("admin:assets_asset_change", args=[site.pk])
    assert 'name="photos-0-upload"' in client.get(url).content.decode()
    refused = client.post(url, HTTP_ACCEPT_LANGUAGE="en", data=_admin_form(site, **{
        "photos-0-upload": upload(bomb_png(), "b.png", "image/png"), "photos-0-position": "0",
        "photos-0-caption": "x"}))
    html = refused.content.decode()
    assert refused.status_code == 200 and "too many pixels" in html
    assert not AssetPhoto.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    added = client.post(url, _admin_form(site, **{
        "photos-0-upload": upload(camera_jpeg(800, 600)), "photos-0-position": "0",
        "photos-0-caption": "Tam quan"}))
    assert added.status_code == 302
    photo = AssetPhoto.objects.get()
    assert photo.caption == "Tam quan" and photo.thumb_webp and photo.large_webp
    assert not _opened(photo.image).getexif()
    changed = client.post(url, _admin_form(site, **{
        "photos-INITIAL_FORMS": "1", "photos-0-id": photo.pk, "photos-0-asset": site.pk,
        "photos-0-position": "2", "photos-0-caption": "Cổng tam quan"}))
    assert changed.status_code == 302
    photo.refresh_from_db()
    assert (photo.caption, photo.position) == ("Cổng tam quan", 2)
    with django_capture_on_commit_callbacks(execute=True):  # files go once the row is gone
        client.post(url, _admin_form(site, **{
            "photos-INITIAL_FORMS": "1", "photos-0-id": photo.pk, "photos-0-asset": site.pk,
            "photos-0-position": "2", "photos-0-caption": "Cổng tam quan",
            "photos-0-DELETE": "on"}))
    assert not AssetPhoto.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_deleting_an_asset_removes_its_photo_files(site, clerk_a, tmp_path,
                                                  django_capture_on_commit_callbacks):
    services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg()))
    with django_capture_on_commit_callbacks(execute=True):
        # No plaque: a real deletion, which takes the photo rows.
        assert asset_delete(user=clerk_a, asset=site) == "deleted"
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_thumbnail_too_heavy_at_the_lowest_quality_is_made_smaller(monkeypatch):
    monkeypatch.setattr(services, "THUMB_BYTES", 3 * 1024)
    variants = services.photo_variants(upload(camera_jpeg(800, 600, orientation=None)))
    assert variants["thumb_width"] < 480 and variants["width"] == 800
    assert variants["thumb_jpeg"].size <= 3 * 1024 and variants["thumb_webp"].size <= 3 * 1024
