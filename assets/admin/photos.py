"""Photos on the asset's change page: upload, caption, place in the gallery. The inline
checks an upload with the service in clean() (a refused photo is an error beside its field)
and AssetAdmin.save_formset hands every row to assets.services.photos: no photo is written
by the admin's own save."""
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
        fields = ("caption", "position")

    def clean(self):
        data = super().clean()
        self.variants = None
        if self.errors or self.instance.pk or data.get("DELETE"):
            return data
        if not data.get("upload"):
            self.add_error("upload", _("Choose a photo to upload."))
            return data
        try:
            self.variants = services.asset_photo_add_check(
                user=self.user, asset=self.asset, upload=data["upload"],
                caption=data.get("caption", ""))
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
    fields = ("preview", "upload", "caption", "position")
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
                                        caption=data["caption"], position=data["position"])
            formset.changed_objects.append((photo, form.changed_data))
        elif form.variants:
            formset.new_objects.append(services.asset_photo_save(
                user=request.user, asset=asset, variants=form.variants,
                caption=data["caption"], position=data["position"]))
