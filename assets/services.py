"""Writes on assets and their codes. Plain functions, keyword-only arguments."""
from django.db import IntegrityError, transaction

from assets import codes
from assets.models import Asset, IssuedCode
from geodata.selectors import commune_at_point


def code_issue(*, owner: str) -> str:
    """Issue a new code, never issued before (asset and plaque codes share one space)."""
    for _ in range(20):
        candidate = codes.random_code()
        try:
            # A savepoint, so that a collision does not poison an outer transaction.
            with transaction.atomic():
                IssuedCode.objects.create(code=candidate, owner=owner)
            return candidate
        except IntegrityError:
            continue
    raise RuntimeError("could not find an unused code in 20 tries; the code space is full?")


def asset_prepare(asset: Asset) -> Asset:
    """Fill what an asset derives rather than types: its code and its commune."""
    if not asset.code:
        asset.code = code_issue(owner=IssuedCode.Owner.ASSET)
    if asset.location is not None:
        asset.commune = commune_at_point(point=asset.location)
        # A verified point moved by more than 25 m is no longer verified, whatever saved it.
        from assets.lifecycle import asset_position_guard

        asset_position_guard(asset=asset)
    return asset


@transaction.atomic
def asset_create(**fields) -> Asset:
    """Create an asset with a fresh code and the commune that holds its location."""
    asset = Asset(**fields)
    asset_prepare(asset)
    asset.full_clean()
    asset.save()
    return asset


def code_issue_bulk(*, owner: str, count: int) -> list[str]:
    """Issue `count` new codes at once (imports): one INSERT ... ON CONFLICT per round,
    drawing again only for the codes that collided."""
    from django.db import connection

    issued: list[str] = []
    for _ in range(20):
        wanted = count - len(issued)
        if wanted <= 0:
            return issued
        candidates = list({codes.random_code() for _ in range(wanted)})
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO assets_issuedcode (code, owner, issued_at) "
                "SELECT unnest(%s::varchar[]), %s, now() ON CONFLICT DO NOTHING RETURNING code",
                [candidates, owner])
            issued += [code for (code,) in cursor.fetchall()]
    raise RuntimeError("could not issue enough unused codes in 20 rounds")
