"""assets.services.photos: an upload is checked cheaply and kept privately, queued; the
worker's step makes four public variants without metadata, the thumbnail within its byte
cap, or marks the photo failed in its sender's language. Bombs, non-images, oversized files
and other communes' clerks are refused at once with a message and nothing stored."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from assets.errors import DomainError
from assets.models import AssetPhoto
from assets.services import photos as services
from assets.services.registry import asset_delete
from assets.tasks import asset_photo_task
from geodata import jobs
from tests.assets.image_samples import GPS, bomb_png, camera_jpeg, jpeg
from tests.assets.staff_fixtures import verified_asset

pytestmark = pytest.mark.django_db


def upload(data, name="IMG_0001.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def site(communes, clerk_a, folders):
    return verified_asset(communes[0], clerk_a, name_vi="Chùa Tiên")


def files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _opened(field) -> Image.Image:
    field.open("rb")
    try:
        image = Image.open(io.BytesIO(field.read()))
        image.load()
        return image
    finally:
        field.close()


def processed(photo: AssetPhoto, capture) -> AssetPhoto:
    """The photo after the worker's task has run on it (the task itself, in this process)."""
    with capture(execute=True):
        asset_photo_task(photo.pk)
    photo.refresh_from_db()
    return photo


def test_an_upload_is_kept_privately_until_the_worker_publishes_its_variants(
        site, clerk_a, folders, client, django_capture_on_commit_callbacks):
    media, private = folders
    data = camera_jpeg()
    photo = services.asset_photo_add(user=clerk_a, asset=site, upload=upload(data),
                                     captions={"caption_vi": " Cổng chùa ", "caption_en": "Gate"})
    assert (photo.status, photo.caption_vi, photo.caption_en, photo.caption_zh) == (
        "queued", "Cổng chùa", "Gate", "")
    # Nothing decoded in the request: the sender's bytes sit privately, under a random name.
    assert files(media) == []
    [kept] = files(private)
    assert kept.read_bytes() == data and "IMG_0001" not in kept.name
    assert kept.relative_to(private).parts[0] == "photos"
    assert client.get(f"/a/{site.code}/photos/?lang=en").content.decode().count("<figure") == 0
    client.force_login(clerk_a)  # not even staff can fetch the original by its name
    assert client.get(reverse("staff:private_file", args=[photo.original.name])).status_code \
        == 404

    photo = processed(photo, django_capture_on_commit_callbacks)
    assert photo.status == "done" and photo.attempts == 1 and not photo.original
    assert files(private) == []  # the original with its GPS position is gone
    # Orientation 6: the 4000 × 3000 stored pixels are a portrait photo.
    assert (photo.width, photo.height, photo.thumb_width, photo.thumb_height) == (
        1200, 1600, 480, 640)
    expected = {"image": ("JPEG", (1200, 1600)), "large_webp": ("WEBP", (1200, 1600)),
                "thumb_jpeg": ("JPEG", (480, 640)), "thumb_webp": ("WEBP", (480, 640))}
    for name, (image_format, size) in expected.items():
        field = getattr(photo, name)
        assert "IMG_0001" not in field.name  # the sender's file name is not published
        image = _opened(field)
        assert (image.format, image.size) == (image_format, size), name
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
        assert GPS not in image.getexif()
        if name.startswith("thumb"):
            assert field.size <= 30 * 1024, (name, field.size)
    assert len(files(media)) == 4
    assert photo.thumb_url == photo.thumb_jpeg.url
    # A second delivery of the task (acks_late) finds the job done and does nothing.
    asset_photo_task(photo.pk)
    assert AssetPhoto.objects.get().attempts == 1 and len(files(media)) == 4


def test_photos_line_up_in_the_order_they_come(site, clerk_a, settings):
    settings.QRMAP_JOBS_INLINE = True
    first = services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg()))
    second = services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg((48, 64))))
    assert (first.position, second.position) == (0, 1)
    assert (second.thumb_width, second.thumb_height) == (48, 64)  # never enlarged


@pytest.mark.parametrize("data, message", [
    (bomb_png(), "too many pixels"),
    (b"\xff\xd8\xff\xe0 not really a jpeg", "not a photo we can read"),
    (b"%PDF-1.4 a document", "not a photo we can read"),
    (b"\xff\xd8" + b"\0" * (5 * 1024 * 1024), "the limit is 5 MB"),
], ids=["bomb", "broken-header", "pdf", "oversized"])
def test_a_bad_file_is_refused_at_once_with_a_message_and_nothing_stored(
        site, clerk_a, folders, data, message):
    with pytest.raises(DomainError, match=message) as refused:
        services.asset_photo_add(user=clerk_a, asset=site, upload=upload(data))
    assert refused.value.kind == DomainError.INVALID and "image" in refused.value.errors
    assert not AssetPhoto.objects.exists()
    assert files(folders[0]) == [] and files(folders[1]) == []


@pytest.mark.parametrize("language, message", [
    ("en", "The photo arrived incomplete or damaged."),
    ("vi", "Ảnh gửi đến không đầy đủ hoặc bị lỗi."),
    ("zh-hans", "照片不完整或已损坏。"),
])
def test_a_damaged_photo_fails_in_the_worker_in_its_senders_language(
        site, clerk_a, folders, language, message, django_capture_on_commit_callbacks):
    with translation.override(language):  # the interface language of the upload
        photo = services.asset_photo_add(user=clerk_a, asset=site,
                                         upload=upload(camera_jpeg(400, 300)[:20_000]))
    photo = processed(photo, django_capture_on_commit_callbacks)  # the worker speaks English
    assert photo.status == "failed" and photo.message.startswith(message)
    assert not photo.image and files(folders[0]) == [] and files(folders[1]) == []


def test_another_communes_clerk_is_refused(site, clerk_b, folders):
    with pytest.raises(DomainError) as refused:
        services.asset_photo_add(user=clerk_b, asset=site, upload=upload(jpeg()))
    assert refused.value.kind == DomainError.FORBIDDEN
    assert not AssetPhoto.objects.exists()
    assert files(folders[0]) == [] and files(folders[1]) == []


def test_captions_changes_and_delete_keep_scope_and_remove_files(
        site, clerk_a, clerk_b, folders, settings, django_capture_on_commit_callbacks):
    settings.QRMAP_JOBS_INLINE = True
    photo = services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg()))
    with pytest.raises(DomainError, match="caption") as refused:
        services.asset_photo_update(user=clerk_a, photo=photo, captions={"caption_zh": "a\x00b"},
                                    position=0)
    assert "caption_zh" in refused.value.errors
    with pytest.raises(DomainError) as refused:
        services.asset_photo_delete(user=clerk_b, photo=photo)
    assert refused.value.kind == DomainError.FORBIDDEN
    services.asset_photo_update(user=clerk_a, photo=photo, position=3,
                                captions={"caption_vi": "Bia đá", "caption_zh": "石碑"})
    assert [AssetPhoto.objects.values_list("caption_vi", "caption_en", "caption_zh").get()] == [
        ("Bia đá", "", "石碑")]
    with pytest.raises(DomainError) as refused:
        services.asset_photo_update(user=clerk_b, photo=photo, captions={}, position=0)
    assert refused.value.kind == DomainError.FORBIDDEN
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_photo_delete(user=clerk_a, photo=photo)
    assert not AssetPhoto.objects.exists()
    assert files(folders[0]) == []


def _admin_form(asset, **rows) -> dict:
    from tests.assets.permission_doors import asset_form

    return asset_form(asset, **{"photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "0",
                                **rows})


def test_the_admin_uploads_a_photo_that_a_worker_then_publishes(
        client, site, clerk_a, folders, django_capture_on_commit_callbacks):
    client.force_login(clerk_a)
    url = reverse("admin:assets_asset_change", args=[site.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for name in ("upload", "kind", "caption_vi", "caption_en", "caption_zh"):
        assert f'name="photos-0-{name}"' in form
    refused = client.post(url, HTTP_ACCEPT_LANGUAGE="en", data=_admin_form(site, **{
        "photos-0-upload": upload(bomb_png(), "b.png", "image/png"), "photos-0-position": "0",
        "photos-0-kind": "site", "photos-0-caption_vi": "x"}))
    assert refused.status_code == 200 and "too many pixels" in refused.content.decode()
    assert not AssetPhoto.objects.exists()
    assert files(folders[0]) == [] and files(folders[1]) == []
    with django_capture_on_commit_callbacks() as queued:
        added = client.post(url, _admin_form(site, **{
            "photos-0-upload": upload(camera_jpeg(800, 600)), "photos-0-position": "0",
            "photos-0-kind": "plaque", "photos-0-caption_vi": "Tam quan",
            "photos-0-caption_en": "Triple gate"}))
    assert added.status_code == 302 and len(queued) == 1  # the task is sent once committed
    photo = AssetPhoto.objects.get()
    assert (photo.status, photo.kind, photo.caption_en) == ("queued", "plaque", "Triple gate")
    assert files(folders[0]) == []  # the request made no variant
    assert "Processing: the photo appears" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content \
        .decode()
    photo = processed(photo, django_capture_on_commit_callbacks)
    assert photo.thumb_webp and photo.large_webp and not _opened(photo.image).getexif()
    assert f'src="{photo.thumb_url}"' in client.get(url).content.decode()
    changed = client.post(url, _admin_form(site, **{
        "photos-INITIAL_FORMS": "1", "photos-0-id": photo.pk, "photos-0-asset": site.pk,
        "photos-0-position": "2", "photos-0-caption_vi": "Cổng tam quan",
        "photos-0-caption_zh": "三关门", "photos-0-kind": "site"}))
    assert changed.status_code == 302
    photo.refresh_from_db()
    assert (photo.caption_vi, photo.caption_en, photo.caption_zh, photo.position, photo.kind) \
        == ("Cổng tam quan", "", "三关门", 2, "site")
    with django_capture_on_commit_callbacks(execute=True):  # files go once the row is gone
        client.post(url, _admin_form(site, **{
            "photos-INITIAL_FORMS": "1", "photos-0-id": photo.pk, "photos-0-asset": site.pk,
            "photos-0-position": "2", "photos-0-kind": "site", "photos-0-DELETE": "on"}))
    assert not AssetPhoto.objects.exists()
    assert files(folders[0]) == []


def test_the_admin_says_why_a_photo_failed(client, site, clerk_a, folders,
                                           django_capture_on_commit_callbacks):
    with translation.override("vi"):
        photo = services.asset_photo_add(user=clerk_a, asset=site,
                                         upload=upload(camera_jpeg(400, 300)[:20_000]))
    processed(photo, django_capture_on_commit_callbacks)
    client.force_login(clerk_a)
    html = client.get(reverse("admin:assets_asset_change", args=[site.pk])).content.decode()
    assert "Ảnh gửi đến không đầy đủ hoặc bị lỗi." in html


def test_deleting_an_asset_removes_its_photo_files(site, clerk_a, folders,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the upload goes once published
        services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg()), inline=True)
    services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg()))  # still queued
    assert len(files(folders[0])) == 4 and len(files(folders[1])) == 1
    with django_capture_on_commit_callbacks(execute=True):
        # No plaque: a real deletion, which takes the photo rows.
        assert asset_delete(user=clerk_a, asset=site) == "deleted"
    assert files(folders[0]) == [] and files(folders[1]) == []


def test_a_photo_deleted_while_the_worker_runs_is_not_published(
        site, clerk_a, folders, django_capture_on_commit_callbacks):
    photo = services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg()))
    claimed = jobs.job_claim(AssetPhoto, photo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_photo_delete(user=clerk_a, photo=photo)
        services.asset_photo_process(photo=claimed)
    assert not AssetPhoto.objects.exists()
    assert files(folders[0]) == [] and files(folders[1]) == []


def test_a_photo_whose_worker_died_too_often_is_failed_not_stuck(site, clerk_a, settings):
    photo = services.asset_photo_add(user=clerk_a, asset=site, upload=upload(jpeg()))
    AssetPhoto.objects.filter(pk=photo.pk).update(attempts=settings.QRMAP_JOB_MAX_ATTEMPTS,
                                                  status=jobs.RUNNING)
    assert jobs.job_claim(AssetPhoto, photo.pk) is None
    photo.refresh_from_db()
    assert photo.status == "failed" and "stopped 3 times" in photo.message


def test_a_thumbnail_too_heavy_at_the_lowest_quality_is_made_smaller(monkeypatch):
    monkeypatch.setattr(services, "THUMB_BYTES", 3 * 1024)
    variants = services.photo_variants(upload(camera_jpeg(800, 600, orientation=None)))
    assert variants["thumb_width"] < 480 and variants["width"] == 800
    assert variants["thumb_jpeg"].size <= 3 * 1024 and variants["thumb_webp"].size <= 3 * 1024
