"""Issuing digital-address codes: asset and plaque codes share one space and an issued code is
never issued again (IssuedCode only grows), even after its asset or plaque is deleted."""
from django.db import IntegrityError, connection, transaction

from assets import codes
from assets.models import IssuedCode
from geodata.sqlarrays import word_array


def code_issue(*, owner: str) -> str:
    """Issue one new code."""
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


def code_issue_bulk(*, owner: str, count: int) -> list[str]:
    """Issue `count` new codes at once (imports, print jobs): one INSERT ... ON CONFLICT per
    round, drawing again only for the codes that collided."""
    issued: list[str] = []
    for _ in range(20):
        wanted = count - len(issued)
        if wanted <= 0:
            return issued
        # Sorted: the code's two indexes then take the new keys in order, which halved
        # the database's CPU for the 100,000 codes of a large import.
        candidates = sorted(set(codes.random_codes(wanted)))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO assets_issuedcode (code, owner, issued_at) "
                "SELECT unnest(%s::varchar[]), %s, now() ON CONFLICT DO NOTHING RETURNING code",
                [word_array(candidates), owner])
            issued += [code for (code,) in cursor.fetchall()]
    raise RuntimeError("could not issue enough unused codes in 20 rounds")
