"""/api/assets/<code>/photos/: an asset's photos, and the upload of one (staff).

The upload is the admin's: multipart, the same service (assets.services.photos: scope, the
image header and pixel caps, the private copy, the queue), so the same rules hold whatever
the door. It answers 202 with the photo "queued"; the list shows it "done" with the
addresses of its variants once a worker has made them. Anyone sees the published photos;
those who may change the asset's photos also see the ones processing or failed (with why).
"""
from django.conf import settings
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from assets.api.apis import (
    CODE_PARAMETER,
    StaffWritePermission,
    asset_by_code_or_error,
    domain_error_raise,
)
from assets.errors import DomainError
from assets.images import upload_size_refusal
from assets.models import AssetPhoto
from assets.public.photos import asset_photo_list
from assets.services import photos as services
from geodata.api_schema import ERROR_SCHEMA
from geodata.apis import LANG_PARAMETER, LanguageMixin
from geodata.serializers import StrictCharField
from qrmap.i18n import localized

MB = 1024 * 1024
VARIANT_HELP = "Address of the variant, or null until the photo is processed."


class AssetPhotoSerializer(serializers.ModelSerializer):
    caption = serializers.SerializerMethodField(
        help_text="The caption in `lang`, else the Vietnamese one (may be blank).")
    image = serializers.SerializerMethodField(help_text="Large JPEG. " + VARIANT_HELP)
    large_webp = serializers.SerializerMethodField(help_text="Large WebP. " + VARIANT_HELP)
    thumb_jpeg = serializers.SerializerMethodField(help_text="Thumbnail JPEG. " + VARIANT_HELP)
    thumb_webp = serializers.SerializerMethodField(help_text="Thumbnail WebP. " + VARIANT_HELP)

    class Meta:
        model = AssetPhoto
        fields = ["id", "kind", "status", "message", "caption", *services.caption_fields(),
                  "position", "image", "large_webp", "thumb_jpeg", "thumb_webp", "width",
                  "height", "thumb_width", "thumb_height", "created_at"]
        read_only_fields = fields

    def get_caption(self, photo) -> str:
        return localized(photo, "caption", self.context.get("lang", ""))[0]

    def _url(self, file) -> str | None:
        if not file:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(file.url) if request else file.url

    def get_image(self, photo) -> str | None:
        return self._url(photo.image)

    def get_large_webp(self, photo) -> str | None:
        return self._url(photo.large_webp)

    def get_thumb_jpeg(self, photo) -> str | None:
        return self._url(photo.thumb_jpeg)

    def get_thumb_webp(self, photo) -> str | None:
        return self._url(photo.thumb_webp)


def _caption_field(language: str):
    return StrictCharField(required=False, allow_blank=True, max_length=services.CAPTION_CHARS,
                           help_text=f"Caption in {language} (optional; blank ones fall back "
                                     "to the Vietnamese caption).")


@extend_schema_field({"type": "string", "format": "binary"})
class PhotoFileField(serializers.FileField):
    """The uploaded file, documented as the bytes of a multipart part (not a URI)."""


class AssetPhotoUploadSerializer(serializers.Serializer):
    image = PhotoFileField(
        help_text=f"A JPEG, PNG or WebP photo of at most "
                  f"{settings.QRMAP_MAX_PHOTO_BYTES // MB} MB (the whole request: at most "
                  f"64 KB more) and {settings.QRMAP_MAX_IMAGE_PIXELS // 1_000_000} megapixels "
                  f"(PNG and WebP: a quarter of that). Its metadata (EXIF, GPS) is never "
                  f"published.")
    kind = serializers.ChoiceField(choices=AssetPhoto.Kind.choices, default=AssetPhoto.Kind.SITE,
                                   help_text="What the photo shows.")
    caption_vi = _caption_field("Vietnamese")
    caption_en = _caption_field("English")
    caption_zh = _caption_field("Chinese")
    position = serializers.IntegerField(
        required=False, min_value=0, max_value=32767,
        help_text="Place in the gallery (default: after the asset's photos).")


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


@extend_schema_view(
    get=extend_schema(parameters=[CODE_PARAMETER, LANG_PARAMETER],
                      responses={200: AssetPhotoSerializer(many=True)}),
    # An upload answers with the photo queued, its caption in the default language: the
    # upload takes no `lang`.
    post=extend_schema(
        parameters=[CODE_PARAMETER], request=AssetPhotoUploadSerializer,
        responses={202: AssetPhotoSerializer,
                   413: OpenApiResponse(response=ERROR_SCHEMA, description=(
                       "The request is larger than the photo limit allows; nothing was read "
                       "or kept."))}),
)
class AssetPhotoListApi(LanguageMixin, generics.GenericAPIView):
    """The photos of an asset; POST uploads one (staff who may change the asset), which a
    worker resizes and publishes: the answer is 202 with the photo "queued"."""

    serializer_class = AssetPhotoSerializer
    queryset = AssetPhoto.objects.none()  # the schema's model; rows come from the selector
    permission_classes = [StaffWritePermission]
    parser_classes = [MultiPartParser]
    pagination_class = None

    def initial(self, request, *args, **kwargs):
        # Before anything reads the body (a session's CSRF check parses a multipart form).
        if request.method == "POST":
            too_big = upload_size_refusal(request)
            if too_big:
                raise PayloadTooLarge(too_big)
        super().initial(request, *args, **kwargs)

    def get(self, request, code):
        asset = asset_by_code_or_error(code)
        photos = asset_photo_list(user=request.user, asset=asset)
        return Response(self.get_serializer(photos, many=True).data)

    def post(self, request, code):
        asset = asset_by_code_or_error(code)
        body = AssetPhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            photo = services.asset_photo_add(
                user=request.user, asset=asset, upload=data["image"], kind=data["kind"],
                captions={name: data.get(name, "") for name in services.caption_fields()},
                position=data.get("position"))
        except DomainError as error:
            domain_error_raise(error)
        return Response(self.get_serializer(photo).data, status=status.HTTP_202_ACCEPTED)
