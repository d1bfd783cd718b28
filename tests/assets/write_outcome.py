"""Did a write happen, and how did the server answer? A snapshot of the tables a staff write
touches, the difference between two snapshots, and the reading of an HTTP answer as a success
or a refusal a user can see."""
import re
from dataclasses import dataclass

from assets.models import Asset, Plaque, PrintBatch, Report

HistoricalAsset = Asset.history.model
HistoricalPlaque = Plaque.history.model
# IssuedCode is left out on purpose: a refused request may burn a code, which is harmless.
TRACKED = (Asset, Plaque, Report, PrintBatch, HistoricalAsset, HistoricalPlaque)
ROWS = (Asset, Plaque, Report, PrintBatch)


@dataclass
class Snapshot:
    counts: dict
    rows: dict

    def count(self, model):
        return self.counts[model.__name__]


def snapshot() -> Snapshot:
    """Row counts of the tracked tables (history included) and every field of every row of
    the small tables a cell touches."""
    return Snapshot(
        counts={m.__name__: m.objects.count() for m in TRACKED},
        rows={m.__name__: {r["id"]: r for r in m.objects.values()} for m in ROWS},
    )


def snapshot_diff(before: Snapshot, after: Snapshot) -> list[str]:
    """What changed, one line per table count or row field, for failure messages."""
    lines = [f"{name} count {n} -> {after.counts[name]}"
             for name, n in before.counts.items() if after.counts[name] != n]
    for name, rows in before.rows.items():
        new_rows = after.rows[name]
        lines += [f"{name} {pk} deleted" for pk in rows.keys() - new_rows.keys()]
        lines += [f"{name} {pk} created" for pk in new_rows.keys() - rows.keys()]
        for pk in rows.keys() & new_rows.keys():
            lines += [f"{name} {pk}.{k}: {v!r} -> {new_rows[pk][k]!r}"
                      for k, v in rows[pk].items() if new_rows[pk][k] != v]
    return lines


def new_rows(before: Snapshot, after: Snapshot, model) -> list[dict]:
    name = model.__name__
    return [r for pk, r in after.rows[name].items() if pk not in before.rows[name]]


def row(after: Snapshot, model, pk) -> dict | None:
    return after.rows[model.__name__].get(pk)


# --- Reading the answer ------------------------------------------------------------------
# A form error (the form again), or an error message (the admin's messagelist).
ERROR_MARKERS = (b'class="errornote"', b'class="errorlist', b'<li class="error">')


def answer_followed(client, response):
    """The page the user ends up on. The admin answers some refusals by sending the user back
    to the page they were on, with the reason as a message: follow that one redirect."""
    location = response.get("Location", "")
    if response.status_code == 302 and location == response.request["PATH_INFO"]:
        return client.get(location)
    return response


def _shows_error(response) -> bool:
    content = getattr(response, "content", b"")
    return any(marker in content for marker in ERROR_MARKERS)


def answer_refuses(response) -> bool:
    """A refusal the user can see: a 4xx, the login page for someone not logged in, or the
    form again with its error (and nothing saved, which the caller checks)."""
    status, location = response.status_code, response.get("Location", "")
    if 400 <= status < 500:
        return True
    if status == 302 and "/login/" in location:
        return True
    return status == 200 and _shows_error(response)


def answer_succeeds(response) -> bool:
    """A success: a 2xx that is not the form again with errors, or a redirect onwards (the
    admin's changelist, the batch, the import result), not to a login page and not to the
    admin index (where the admin sends you when it hides an object)."""
    status, location = response.status_code, response.get("Location", "")
    if 200 <= status < 300:
        return not _shows_error(response)
    return status == 302 and "/login/" not in location and location.rstrip("/") != "/admin"


def describe(response) -> str:
    """One line about the answer for a failure message."""
    text = f"HTTP {response.status_code}"
    if response.get("Location"):
        text += f" -> {response['Location']}"
    content = getattr(response, "content", b"").decode("utf-8", "replace")
    if "json" in response.get("Content-Type", ""):
        return f"{text} {content[:200]}"
    found = re.search(r'class="(errornote|errorlist[^"]*)"[^>]*>(.*?)</(p|ul)>', content, re.S)
    if found:
        text += " " + re.sub(r"<[^>]+>|\s+", " ", found.group(2)).strip()[:200]
    return text
