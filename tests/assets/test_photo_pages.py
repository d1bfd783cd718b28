"""The asset page's one lazy photo and the gallery of an asset's photos: what a tourist
sees, in the three languages, with the page still within 15 KB gzip."""
import gzip
import re

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile

from assets.access import SYSTEM
from assets.models import Asset
from assets.services.photos import asset_photo_add, asset_photo_update
from tests.assets.image_samples import jpeg
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
STELE = {"caption_vi": "Bia đá", "caption_en": "Stone stele", "caption_zh": "石碑"}


@pytest.fixture
def pagoda(geography, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.QRMAP_JOBS_INLINE = True  # each photo processed at once, as a worker would
    asset = AssetFactory(kind=Asset.Kind.HERITAGE, category=Asset.Category.PAGODA,
                         name_vi="Chùa Tam Thanh", name_en="Tam Thanh Pagoda", name_zh="三清寺",
                         location=Point(106.7481, 21.8591, srid=4326))
    for captions, size in (({"caption_vi": f"Cổng chùa {HOSTILE}"}, (900, 600)), ({}, (600, 900)),
                           (STELE, (800, 800))):
        asset_photo_add(user=SYSTEM, asset=asset, captions=captions,
                        upload=SimpleUploadedFile("p.jpg", jpeg(size), "image/jpeg"))
    return asset


def test_the_asset_page_shows_one_lazy_thumbnail_below_the_facts(client, pagoda):
    PlaqueFactory(asset=pagoda)
    first = pagoda.photos.all()[0]
    for lang, link in (("vi", "Xem cả 3 ảnh"), ("en", "See all 3 photos"),
                       ("zh", "查看全部 3 张照片")):
        response = client.get(f"/Q/{pagoda.code}?lang={lang}", HTTP_ACCEPT_ENCODING="gzip")
        assert len(response.content) <= 15 * 1024
        html = gzip.decompress(response.content).decode()
        assert html.count("<picture>") == 1 and html.count("<img") == 2  # + <noscript>
        assert f'<source data-srcset="{first.thumb_webp.url}" type="image/webp">' in html
        img = re.search(r"<img data-src=[^>]*>", html).group(0)
        assert f'data-src="{first.thumb_jpeg.url}"' in img and 'loading="lazy"' in img
        assert 'width="480" height="320"' in img
        fallback = re.search(r"<noscript>.*?</noscript>", html).group(0)
        assert f'<img src="{first.thumb_jpeg.url}"' in fallback and 'loading="lazy"' in fallback
        assert "&lt;script&gt;" in img and "<script>alert" not in html
        assert link in html and f'href="/a/{pagoda.code}/photos/?lang={lang}"' in html
        # Below the main facts: after the digital address, never on the first screen.
        assert html.index("<picture>") > html.index('class="code"', html.index("<dl>"))


def test_the_photo_adds_a_few_hundred_bytes_to_the_first_response(client, pagoda):
    def gzip_size():
        return len(client.get(f"/a/{pagoda.code}", HTTP_ACCEPT_ENCODING="gzip").content)

    with_photos = gzip_size()
    pagoda.photos.all().delete()
    without = gzip_size()
    assert 0 < with_photos - without <= 400


def test_the_gallery_lists_every_large_photo_with_captions(client, pagoda):
    photos = list(pagoda.photos.all())
    for lang, name, heading, back in (
            ("vi", "Chùa Tam Thanh", "Ảnh Chùa Tam Thanh", "Quay lại địa điểm"),
            ("en", "Tam Thanh Pagoda", "Photos of Tam Thanh Pagoda", "Back to the place"),
            ("zh", "三清寺", "三清寺的照片", "返回该地点")):
        response = client.get(f"/a/{pagoda.code}/photos/?lang={lang}")
        assert response.status_code == 200 and not response.cookies
        html = response.content.decode()
        assert heading in html and back in html
        assert f'href="/a/{pagoda.code}?lang={lang}"' in html
        assert [m for m in re.findall(r'<img src="([^"]+)"', html)] == [
            p.image.url for p in photos]
        assert [m for m in re.findall(r'<source srcset="([^"]+)"', html)] == [
            p.large_webp.url for p in photos]
        assert html.count('loading="lazy"') == 2  # all but the first
        # Each caption in the page's language; a missing one in Vietnamese, marked so.
        stele = STELE["caption_" + lang]
        assert f'<figcaption>{stele}</figcaption>' in html and f'alt="{stele}"' in html
        assert "<script>alert" not in html
        assert 'alt="Cổng chùa &quot;&gt;&lt;script&gt;' in html
        gate_lang = "" if lang == "vi" else ' lang="vi"'
        assert f"<figcaption{gate_lang}>Cổng chùa &quot;&gt;&lt;script&gt;" in html
        assert f'alt="{name}"' in html  # the photo without any caption


def test_the_gallery_answers_bad_addresses_clearly(client, pagoda, geography):
    assert client.get("/a/AAAA-AAAA/photos/").status_code == 404
    assert client.get(f"/a/{pagoda.code}%00/photos/").status_code == 400
    bare = AssetFactory(location=Point(106.75, 21.86, srid=4326))
    response = client.get(f"/a/{bare.code}/photos/?lang=en")
    assert response.status_code == 200 and "There are no photos of this place yet." in (
        response.content.decode())
    assert client.post(f"/a/{pagoda.code}/photos/").status_code == 405


def test_the_thumbnail_caption_follows_the_language_and_unpublished_photos_stay_hidden(
        client, pagoda, settings):
    first = pagoda.photos.all()[0]
    asset_photo_update(user=SYSTEM, photo=first, position=0, captions={
        "caption_vi": "Cổng chùa", "caption_en": "The pagoda gate", "caption_zh": ""})
    # Sent meanwhile, first in the gallery, but no worker has made its variants yet.
    settings.QRMAP_JOBS_INLINE = False
    queued = asset_photo_add(user=SYSTEM, asset=pagoda, position=0, captions=STELE,
                             upload=SimpleUploadedFile("q.jpg", jpeg((700, 500)), "image/jpeg"))
    assert queued.status == "queued"
    for lang, caption, marked in (("vi", "Cổng chùa", ""), ("en", "The pagoda gate", ""),
                                  ("zh", "Cổng chùa", ' lang="vi"')):
        html = client.get(f"/a/{pagoda.code}?lang={lang}").content.decode()
        figure = re.search(r'<figure class="photo">.*?</figure>', html).group(0)
        assert f'alt="{caption}"' in figure and first.thumb_jpeg.url in figure
        assert re.search(f"<figcaption[^>]*>(<span{marked}>)?{caption}", figure), figure
        assert html.count("data-src=") == 1 and "3" in re.search(
            r'id="all-photos">([^<]*)<', figure).group(1)
        gallery = client.get(f"/a/{pagoda.code}/photos/?lang={lang}").content.decode()
        assert gallery.count("<figure>") == 3 and "q.jpg" not in gallery
