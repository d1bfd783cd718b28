"""Photos on the asset's change page: upload, captions in the three languages, place in the
gallery. The inline checks an upload with the service in clean() (a refused photo is an
error beside its field) and AssetAdmin.save_formset hands every row to
assets.services.photos: no photo is written by the admin's own save. A new photo is
processed by a worker; until then its row says so, and a failed one says why."""
from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assets.admin.base import refuse
from assets.errors import DomainError
from assets.images import ImageUploadField
from assets.models import AssetPhoto
from assets.services import photos as services


class AssetPhotoForm(forms.ModelForm):
    user = asset = None  # set per request by AssetPhotoInline.get_formset
    upload = ImageUploadField(label=_("photo"), required=False)

    class Meta:
        model = AssetPhoto
        fields = ("kind", "caption_vi", "caption_en", "caption_zh", "position")

    def captions(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in services.caption_fields()}

    def clean(self):
        data = super().clean()
        if self.errors or self.instance.pk or data.get("DELETE"):
            return data
        if not data.get("upload"):
            self.add_error("upload", _("Choose a photo to upload."))
            return data
        try:
            services.asset_photo_add_check(user=self.user, asset=self.asset,
                                           upload=data["upload"], captions=self.captions(),
                                           kind=data.get("kind") or AssetPhoto.Kind.SITE)
        except DomainError as error:
            refuse(error)
            self.add_error("upload", error.message)
        return data


class AssetPhotoInline(admin.StackedInline):
    # Stacked: each field keeps its own <label> (a tabular row has only column headings,
    # which screen readers do not tie to the inputs).
    model = AssetPhoto
    form = AssetPhotoForm
    extra = 1
    fields = ("preview", "upload", "kind", "caption_vi", "caption_en", "caption_zh", "position")
    readonly_fields = ("preview",)
    verbose_name = _("photo")
    verbose_name_plural = _("photos")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("AssetPhotoForm", (formset.form,),
                            {"user": request.user, "asset": obj})
        return formset

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "—"
        if obj.status == AssetPhoto.Status.FAILED:
            return format_html('<strong class="errornote">{}</strong> {}',
                               obj.get_status_display(), obj.message)
        if not obj.is_published:
            return format_html("<em>{}</em>", _("Processing: the photo appears on the public "
                                                "pages in a moment."))
        return format_html('<img src="{}" alt="" width="120" loading="lazy">', obj.thumb_url)


def photos_save(request, formset, asset) -> None:
    """Every row of the photo inline through the service; the formset's lists filled as
    its own save() would, for the change message."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed() or not hasattr(form, "cleaned_data"):
            continue
        photo, data = form.instance, form.cleaned_data
        if data.get("DELETE"):
            if photo.pk:
                services.asset_photo_delete(user=request.user, photo=photo)
                formset.deleted_objects.append(photo)
        elif photo.pk:
            services.asset_photo_update(user=request.user, photo=photo,
                                        captions=form.captions(), position=data["position"],
                                        kind=data.get("kind"))
            formset.changed_objects.append((photo, form.changed_data))
        elif data.get("upload"):
            formset.new_objects.append(services.asset_photo_add(
                user=request.user, asset=asset, upload=data["upload"], captions=form.captions(),
                kind=data.get("kind") or AssetPhoto.Kind.SITE, position=data["position"]))
