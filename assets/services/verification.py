"""The verification queue's batch action: verify or reject several assets at once.

Each asset goes through asset_verify / asset_reject, which check the role and the commune
scope of that asset; a refusal is reported and the others go through. The batch is one
transaction, each asset a savepoint inside it, so a refused or failing asset leaves nothing
half-written while the others are kept.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from assets import access
from assets.errors import DomainError
from assets.models import Asset
from assets.services.registry import asset_reject, asset_verify, correction_reason_clean

VERIFY = "verify"
REJECT = "reject"
# One screen's page of the queue, with room to spare; more ids in one POST is not a person.
BATCH_MAX = 200


@dataclass
class BatchOutcome:
    """What a batch did: the assets it changed, and (label, reason) for each refusal."""

    action: str
    done: list[Asset] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _ids_clean(ids) -> list[int]:
    """Distinct positive integer ids in the order given; anything else is a refusal."""
    clean = []
    for raw in ids:
        text = str(raw).strip()
        if not text.isascii() or not text.isdigit() or not 0 < int(text) < 2**63:
            raise DomainError(_("An asset id is not a number."),
                              errors={"ids": [_("An asset id is not a number.")]})
        if int(text) not in clean:
            clean.append(int(text))
    if not clean:
        raise DomainError(_("Select at least one asset."),
                          errors={"ids": [_("Select at least one asset.")]})
    if len(clean) > BATCH_MAX:
        message = _("Select at most %(n)d assets at once.") % {"n": BATCH_MAX}
        raise DomainError(message, errors={"ids": [message]})
    return clean


def _label(user, asset: Asset) -> str:
    # The id only for an asset the user may not read: its name is not theirs to see.
    if access.asset_can_view(user=user, asset=asset):
        return f"{asset.name_vi} ({asset.grouped_code})"
    return f"#{asset.pk}"


@transaction.atomic
def asset_review_batch(*, user, ids, action: str, reason: str = "") -> BatchOutcome:
    """Verify (action "verify") or send back for correction ("reject", with `reason`) each
    asset of `ids`; refusals are collected, not raised."""
    if action not in (VERIFY, REJECT):
        raise DomainError(_("Unknown action."), errors={"action": [_("Unknown action.")]})
    if action == REJECT:
        reason = correction_reason_clean(reason)  # before any work: one reason for all
    outcome = BatchOutcome(action=action)
    wanted = _ids_clean(ids)
    found = Asset.objects.in_bulk(wanted)
    for pk in wanted:
        asset = found.get(pk)
        if asset is None:
            outcome.refused.append((f"#{pk}", _("no such asset")))
            continue
        try:
            with transaction.atomic():
                if action == VERIFY:
                    asset_verify(user=user, asset=asset)
                else:
                    asset_reject(user=user, asset=asset, reason=reason)
        except DomainError as error:
            outcome.refused.append((_label(user, asset), error.message))
        else:
            outcome.done.append(asset)
    return outcome
