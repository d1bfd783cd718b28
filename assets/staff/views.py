"""Staff HTML views, thin: check the role and scope, call a service or selector, render."""
from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from assets import access, codes, scope
from assets.errors import DomainError
from assets.images import ImageUploadField
from assets.models import Asset, Plaque, PrintBatch
from assets.plaques.layout import TEMPLATES
from assets.printing import (
    PAPERS,
    PrintJobError,
    print_batch_create,
    print_batch_start,
    print_selection,
)
from assets.private_files import private_file_find, private_file_response
from assets.services import plaques as plaque_services
from assets.staff import health


class PrintForm(forms.Form):
    commune = forms.ChoiceField(label=_("Commune / ward"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("all kinds"))] + list(Asset.Kind.choices))
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("all categories"))] + list(Asset.Category.choices))
    status = forms.ChoiceField(label=_("Asset status"), required=False, initial="active",
                               choices=[("", _("any"))] + list(Asset.Status.choices))
    codes = forms.CharField(label=_("Or these asset codes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Separated by commas, spaces or new lines."))
    template = forms.ChoiceField(label=_("Template"), initial="auto", choices=[
        ("auto", _("by kind (street sign, heritage plaque, sticker)"))]
        + [(k, _(t.label)) for k, t in TEMPLATES.items()])
    paper = forms.ChoiceField(label=_("Paper"), choices=[
        ("A4", "A4"), ("A3", "A3"), ("plaque", _("one plaque per page, real size"))])
    copies = forms.IntegerField(label=_("Plaques per asset"), min_value=1, max_value=4,
                                initial=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = scope.user_communes(user=user).in_name_order()
        self.fields["commune"].choices = [("", _("all my communes"))] + [
            (c.code, c.name) for c in communes]


@staff_member_required
def print_centre(request):
    if not access.user_can_print(user=request.user):
        raise PermissionDenied
    form = PrintForm(request.POST or None, user=request.user,
                     initial={"codes": request.GET.get("codes", "")})
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filters = {"commune": data["commune"], "kind": data["kind"],
                   "category": data["category"], "status": data["status"],
                   "codes": data["codes"].replace(",", " ").split()}
        try:
            if "preview" in request.POST:
                preview = print_selection(user=request.user, **filters)
            else:
                batch = print_batch_create(user=request.user, template=data["template"],
                                           paper=data["paper"], copies=data["copies"],
                                           **filters)
                if batch.total:
                    print_batch_start(batch=batch)
                return redirect("staff:batch_detail", pk=batch.pk)
        except PrintJobError as error:
            form.add_error(None, str(error))
        except DomainError as error:
            if error.kind == DomainError.FORBIDDEN:
                raise PermissionDenied(error.message) from None
            form.add_error(None, error.message)
    batches = scope.print_batch_list(user=request.user).select_related("created_by")
    return render(request, "staff/print_centre.html",
                  {"form": form, "batches": batches[:15], "papers": PAPERS,
                   "preview": preview})


def _batch(request, pk):
    if not access.user_can_print(user=request.user):
        raise PermissionDenied
    if not PrintBatch.objects.filter(pk=pk).exists():
        raise Http404
    batch = scope.print_batch_list(user=request.user).filter(pk=pk).first()
    if batch is None:
        raise PermissionDenied(_("This print batch is not yours."))
    return batch


@staff_member_required
def batch_detail(request, pk):
    batch = _batch(request, pk)
    return render(request, "staff/batch.html", {"batch": batch,
                                                 "plaques": batch.plaques.select_related("asset")})


@staff_member_required
@require_GET
def batch_status(request, pk):
    batch = _batch(request, pk)
    return JsonResponse({
        "status": batch.status, "status_label": str(batch.get_status_display()),
        "progress": batch.progress, "total": batch.total, "message": batch.message,
        "plaques": batch.plaques.count(), "done": batch.status in ("done", "failed"),
    })


@staff_member_required
def batch_download(request, pk):
    batch = _batch(request, pk)
    if batch.status != PrintBatch.Status.DONE or not batch.file:
        raise Http404(_("This batch has no PDF."))
    return private_file_response(file=batch.file, filename=f"qrmap-plaques-{batch.pk}.pdf",
                                 attachment=True)


@staff_member_required
@require_GET
def private_file(request, name):
    """A private file (print PDF, report photo, installation photo) for the staff who may
    read the row that owns it; 404 for anyone else, so that names cannot be probed."""
    file = private_file_find(user=request.user, name=name)
    if file is None:
        raise Http404
    return private_file_response(file=file)


@staff_member_required
def plaque_health(request):
    if not request.user.has_perm("assets.view_plaque"):
        raise PermissionDenied
    weeks, rows = health.scans_per_commune_week(user=request.user)
    return render(request, "staff/health.html", {
        "never_scanned": health.plaques_never_scanned(user=request.user),
        "reported": health.plaques_with_open_reports(user=request.user),
        "weeks": weeks, "rows": rows,
    })


class PlaqueEventForm(forms.Form):
    event = forms.ChoiceField(label=_("What happened"), choices=[
        ("install", _("installed")), ("damaged", _("damaged")),
        ("replace", _("replaced")), ("remove", _("removed"))])
    day = forms.DateField(label=_("Date"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    photo = ImageUploadField(label=_("Photo of the installed plaque"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


def _plaque_or_404(plaques, code: str) -> Plaque:
    """The plaque of a code typed in any forgiving form; 404 for one of no possible shape
    (a NUL byte or 300 characters never reach the database)."""
    code = codes.normalize(code)
    if not codes.is_well_formed(code):
        raise Http404
    return get_object_or_404(plaques, code=code)


@staff_member_required
def plaque_detail(request, code):
    """One plaque: its story (history) and the forms to record what happened to it."""
    plaque = _plaque_or_404(Plaque.objects.select_related("asset", "batch", "replaced_by"), code)
    if not access.asset_can_view(user=request.user, asset=plaque.asset) and not \
            access.plaque_can_manage(user=request.user, plaque=plaque):
        raise PermissionDenied
    form = PlaqueEventForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = _plaque_event(request.user, plaque, form.cleaned_data)
        except DomainError as error:
            if error.kind == DomainError.FORBIDDEN:
                raise PermissionDenied(error.message) from None
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Recorded."))
            return redirect("staff:plaque_detail", code=(new or plaque).code)
    return render(request, "staff/plaque.html", {
        "plaque": plaque, "form": form,
        "history": plaque.history.select_related("history_user")[:30],
        "can_manage": access.plaque_can_manage(user=request.user, plaque=plaque),
        "replaces": plaque.replaces.all()})


def _plaque_event(user, plaque, data):
    day = data["day"] or timezone.localdate()
    if data["event"] == "install":
        plaque_services.plaque_install(user=user, plaque=plaque, installed_on=day,
                                       photo=data["photo"])
    elif data["event"] == "damaged":
        plaque_services.plaque_damage(user=user, plaque=plaque, note=data["note"])
    elif data["event"] == "replace":
        return plaque_services.plaque_replace(user=user, plaque=plaque, note=data["note"])
    else:
        plaque_services.plaque_remove(user=user, plaque=plaque, removed_on=day)
    return None


@staff_member_required
def plaque_file(request, code, fmt):
    """One plaque as SVG (real size, vector), PNG (?dpi=, 72-1200) or PDF, for the sign maker."""
    from assets.plaques.layout import PlaqueSizeError, layout_plaque
    from assets.plaques.pdf import pdf_build
    from assets.plaques.png import png_plaque
    from assets.plaques.qr import qr_symbol
    from assets.plaques.svg import svg_plaque
    from assets.printing import plaque_content

    plaque = _plaque_or_404(Plaque.objects.select_related("asset", "asset__commune",
                                                          "asset__province"), code)
    if fmt not in ("svg", "png", "pdf"):
        raise Http404
    if not access.asset_can_print(user=request.user, asset=plaque.asset):
        raise PermissionDenied
    content = plaque_content(plaque=plaque)
    try:
        layout = layout_plaque(content, qr_symbol(content.payload))
    except PlaqueSizeError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    if fmt == "svg":
        body, mime = svg_plaque(layout).encode(), "image/svg+xml"
    elif fmt == "png":
        try:
            dpi = min(1200, max(72, int(request.GET.get("dpi", "300") or 300)))
        except ValueError:
            return HttpResponse(str(_("dpi is a whole number from 72 to 1200.")), status=400,
                                content_type="text/plain; charset=utf-8")
        body, mime = png_plaque(layout, dpi=dpi), "image/png"
    else:
        body, mime = pdf_build(layouts=[layout], paper="plaque")[0], "application/pdf"
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="plaque-{plaque.code}.{fmt}"'
    return response
