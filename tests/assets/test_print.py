"""Print jobs through the service and the command: scope, skip reasons, the decode check."""
from io import StringIO

import pypdfium2 as pdfium
import pytest
from django.core.management import CommandError, call_command

from assets.errors import DomainError
from assets.models import Plaque, PrintBatch
from assets.plaques import pdf as pdf_module
from assets.plaques.verify import pdf_decode
from assets.printing import PrintJobError, print_batch_create, print_batch_run, print_selection
from tests.assets.staff_fixtures import make_staff, verified_asset
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def test_unverified_asset_is_skipped_with_its_reason(communes, clerk_a):
    good = verified_asset(communes[0], clerk_a, name_vi="Trường Tiểu học Đông Kinh")
    AssetFactory(location=good.location, name_vi="Chợ Đông Kinh")
    selection = print_selection(user=clerk_a, commune="05977")
    assert selection.printable == [good]
    assert [reason for label, reason in selection.skipped if "Chợ Đông Kinh" in label] == [
        "position not verified"]


def test_batch_records_printed_plaques_and_every_qr_decodes(communes, clerk_a):
    assets = [verified_asset(communes[0], clerk_a, kind=kind, category=cat)
              for kind, cat in (("street", "street"), ("public_work", "school"),
                                ("heritage", "pagoda"))]
    batch = print_batch_create(user=clerk_a, commune="05977", paper="A3")
    print_batch_run(batch=batch)
    batch.refresh_from_db()
    assert batch.status == PrintBatch.Status.DONE and batch.progress == batch.total
    plaques = list(batch.plaques.order_by("id"))
    assert {p.asset for p in plaques} == set(assets)
    assert {p.status for p in plaques} == {Plaque.Status.PRINTED}
    assert {p.template for p in plaques} == {"street_sign", "sticker", "heritage"}
    # Re-read the stored file independently: one QR per plaque, each its own URL.
    data = batch.file.read()
    document = pdfium.PdfDocument(data)
    found = set()
    for page in document:
        import zxingcpp

        image = page.render(scale=150 / 72).to_pil()
        found |= {b.text for b in zxingcpp.read_barcodes(image)}
    assert found == {f"HTTP://127.0.0.1:8000/Q/{p.code}" for p in plaques}
    assert plaques[0].history.count() == 1  # who printed it shows in the history


def test_tampered_qr_fails_the_job_names_the_plaque_and_records_nothing(
        communes, clerk_a, monkeypatch):
    verified_asset(communes[0], clerk_a, name_vi="Cầu Kỳ Lừa")
    real_runs = pdf_module.dark_runs
    monkeypatch.setattr(pdf_module, "dark_runs",
                        lambda s: [(r, c, n) for r, c, n in real_runs(s) if not 8 <= r <= 20])
    batch = print_batch_create(user=clerk_a, commune="05977")
    with pytest.raises(PrintJobError, match="Cầu Kỳ Lừa"):
        print_batch_run(batch=batch)
    batch.refresh_from_db()
    assert batch.status == PrintBatch.Status.FAILED and "Cầu Kỳ Lừa" in batch.message
    assert not Plaque.objects.exists() and not batch.file


def test_clerk_cannot_print_another_communes_assets(communes, clerk_a, clerk_b):
    other = verified_asset(communes[1], clerk_b)
    with pytest.raises(DomainError):
        print_selection(user=clerk_a, commune="05986")
    with pytest.raises(DomainError):
        print_selection(user=clerk_a, codes=[other.code])
    # Without a commune filter the clerk simply gets only the own communes.
    assert other not in print_selection(user=clerk_a).printable


def test_user_without_print_role_is_refused(communes):
    editor = make_staff("editor_only", roles=("editor",), communes=[communes[0]])
    with pytest.raises(DomainError):
        print_selection(user=editor)


def test_command_writes_a_checked_pdf_with_progress(communes, province, tmp_path):
    asset = verified_asset(communes[1], province, kind="heritage", category="temple",
                           heritage_rank="provincial", name_zh="北丽庙")
    out, err = StringIO(), StringIO()
    target = tmp_path / "job.pdf"
    call_command("qrmap_print", "--output", str(target), "--commune", "05986",
                 "--template", "heritage", "--paper", "plaque", "--user", "province",
                 stdout=out, stderr=err)
    assert "1 plaques" in out.getvalue() and "every QR decoded" in out.getvalue()
    assert "decoding [" in err.getvalue() and "1/1" in err.getvalue()
    plaque = asset.plaques.get()
    batch = plaque.batch
    decoded = pdf_decode(pdf=target.read_bytes(), placements=_placements(target, batch))
    assert [d.text for d in decoded] == [f"HTTP://127.0.0.1:8000/Q/{plaque.code}"]


def _placements(target, batch):
    from assets.plaques.pdf import Placement

    document = pdfium.PdfDocument(target.read_bytes())
    page = document[len(document) - 1]
    w, h = page.get_size()
    return [Placement(0, len(document) - 1, (0, 0, w, h), (w, h))]


def test_command_refuses_a_size_too_small_for_the_distance(communes, province, tmp_path):
    verified_asset(communes[0], province)
    with pytest.raises(CommandError, match="needs 200 mm"):
        call_command("qrmap_print", "--output", str(tmp_path / "x.pdf"), "--template",
                     "sticker", "--scan-distance", "2", "--user", "province",
                     stdout=StringIO(), stderr=StringIO())


def test_plaque_languages_decide_the_names_it_carries(communes, clerk_a):
    from assets.printing import plaque_content

    asset = verified_asset(communes[0], clerk_a, name_en="Ky Lua Bridge", name_zh="奇骡桥")
    both = plaque_content(plaque=Plaque(asset=asset, template="heritage", code="7PJ2QXRF"))
    vi_only = plaque_content(plaque=Plaque(asset=asset, template="heritage", code="7PJ2QXRF",
                                           languages="vi"))
    assert (both.name_en, both.name_zh) == ("Ky Lua Bridge", "奇骡桥")
    assert (vi_only.name_en, vi_only.name_zh) == ("", "")


@pytest.mark.parametrize("processes", [1, 2])
def test_a_job_of_several_parts_gives_one_pdf_in_plaque_order(communes, clerk_a, settings,
                                                               processes):
    import zxingcpp

    from assets.plaques.qr import qr_payload

    settings.QRMAP_PRINT_PROCESSES = processes
    for n in range(20):
        verified_asset(communes[0], clerk_a, kind="heritage", category="temple",
                       name_vi=f"Đền thử {n:02d}")
    batch = print_batch_create(user=clerk_a, commune="05977", template="heritage", copies=3)
    seen = []
    print_batch_run(batch=batch, progress=lambda stage, done, total: seen.append(stage))
    batch.refresh_from_db()
    assert batch.status == PrintBatch.Status.DONE and batch.progress == batch.total == 120
    assert {"draw", "verify"} <= set(seen)
    # 60 plaques in parts of 25 (three parts), joined: one heritage plaque a page, in order.
    document = pdfium.PdfDocument(batch.file.read())
    texts = []
    for page in document:
        found = zxingcpp.read_barcodes(page.render(scale=150 / 72, grayscale=True).to_pil())
        texts += [b.text for b in found]
    assert texts == [qr_payload(code=p.code) for p in batch.plaques.order_by("pk")]
    parts = settings.QRMAP_PRIVATE_ROOT / "print" / "parts"
    assert not any(parts.glob("*/*.pdf"))  # the part files are gone once joined
