"""/api/assets/<code>/photos/: staff upload a photo (multipart, token or session) through the
same service as the admin, scoped to their communes; the list shows everyone the published
photos with their captions in `lang`, and the staff who may change them the ones still
processing. Bombs, non-images and oversized bodies are refused with a 4xx, nothing stored."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assets.models import AssetPhoto
from assets.tasks import asset_photo_task
from tests.assets.image_samples import bomb_png, camera_jpeg, jpeg
from tests.assets.staff_fixtures import verified_asset

pytestmark = pytest.mark.django_db


@pytest.fixture
def temple(communes, folders):
    return verified_asset(communes[0], None, name_vi="Đền Mẫu", name_en="Mother Temple")


def files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def photo_file(data=None, name="IMG_2041.jpg"):
    data = camera_jpeg(1200, 900, orientation=None) if data is None else data
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_staff_upload_is_queued_and_listed_once_the_worker_is_done(
        temple, clerk_a, folders, django_capture_on_commit_callbacks):
    url = f"/api/assets/{temple.code.lower()}/photos/"
    staff = client_for(clerk_a)
    with django_capture_on_commit_callbacks() as queued:
        sent = staff.post(url, {"image": photo_file(), "kind": "plaque",
                                "caption_vi": "Biển QR ở cổng", "caption_en": " QR plaque "},
                          format="multipart")
    assert sent.status_code == 202, sent.content
    body = sent.json()
    assert (body["status"], body["kind"], body["caption_en"], body["caption_zh"]) == (
        "queued", "plaque", "QR plaque", "")
    assert body["image"] is None and body["thumb_webp"] is None and len(queued) == 1
    assert files(folders[0]) == [] and len(files(folders[1])) == 1
    # Nobody outside sees a photo that is not ready; its sender does, with its state.
    assert client_for().get(url).json() == []
    assert [p["status"] for p in staff.get(url).json()] == ["queued"]

    with django_capture_on_commit_callbacks(execute=True):
        asset_photo_task(body["id"])
    for lang, caption in (("vi", "Biển QR ở cổng"), ("en", "QR plaque"), ("zh", "Biển QR ở cổng")):
        [listed] = client_for().get(url, {"lang": lang}).json()
        assert listed["status"] == "done" and listed["caption"] == caption
    assert listed["thumb_webp"].startswith("http://testserver/media/")
    assert listed["thumb_webp"].endswith("-thumb.webp")
    assert (listed["width"], listed["height"]) == (1200, 900) and listed["thumb_width"] == 480
    assert len(files(folders[0])) == 4 and files(folders[1]) == []


@pytest.mark.parametrize("data, status, message", [
    (bomb_png(), 400, "too many pixels"),
    (b"GIF89a not what we take", 400, "not a photo we can read"),
    (b"", 400, "empty"),
], ids=["bomb", "gif", "empty"])
def test_a_bad_image_is_refused_with_a_message_and_nothing_stored(
        temple, clerk_a, folders, data, status, message):
    sent = client_for(clerk_a).post(f"/api/assets/{temple.code}/photos/?lang=en",
                                    {"image": photo_file(data, "x.png")}, format="multipart")
    assert sent.status_code == status and message in sent.content.decode()
    assert not AssetPhoto.objects.exists()
    assert files(folders[0]) == [] and files(folders[1]) == []


def test_an_oversized_body_is_refused_before_it_is_read(temple, clerk_a, folders):
    big = jpeg() + b"\0" * (5 * 1024 * 1024 + 64 * 1024)
    sent = client_for(clerk_a).post(f"/api/assets/{temple.code}/photos/?lang=en",
                                    {"image": photo_file(big)}, format="multipart")
    assert sent.status_code == 413 and "at most 5 MB" in sent.json()["detail"]
    assert not AssetPhoto.objects.exists() and files(folders[1]) == []


def test_the_same_doors_as_other_writes(temple, clerk_b, communes, folders):
    url = f"/api/assets/{temple.code}/photos/?lang=en"
    anonymous = client_for().post(url, {"image": photo_file(jpeg())}, format="multipart")
    assert anonymous.status_code == 401
    other = client_for(clerk_b).post(url, {"image": photo_file(jpeg())}, format="multipart")
    assert other.status_code == 403 and "commune" in other.json()["detail"]
    as_json = client_for(clerk_b).post(url, {"caption_vi": "x"}, format="json")
    assert as_json.status_code == 415
    long = client_for(clerk_b).post(url, {"image": photo_file(jpeg()), "caption_zh": "字" * 301},
                                    format="multipart")
    assert long.status_code == 400 and "caption_zh" in long.json()
    unknown = client_for(clerk_b).post("/api/assets/AAAA-AAAA/photos/",
                                       {"image": photo_file(jpeg())}, format="multipart")
    assert unknown.status_code in (400, 404)
    assert not AssetPhoto.objects.exists()
    assert files(folders[0]) == [] and files(folders[1]) == []
    # Another commune's clerk sees only what the public sees.
    assert client_for(clerk_b).get(url).json() == []


def test_the_schema_documents_the_upload_and_its_limits(client):
    operation = client.get("/api/schema/?format=json").json()["paths"][
        "/api/assets/{code}/photos/"]
    upload = operation["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"202", "403", "413"} <= set(upload["responses"])
    assert {} not in upload["security"] and {} in operation["get"]["security"]
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    image = schema["AssetPhotoUpload"]["properties"]["image"]
    assert image["format"] == "binary" and "at most 5 MB" in image["description"]
    assert "megapixels" in image["description"]
