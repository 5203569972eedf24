"""The data-quality report as first written (one record, wijk and level at a time): the reference
the faster :mod:`socialmap.curation.quality` must equal, result for result (not a test module)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from socialmap import figures
from socialmap.curation import store
from socialmap.curation.quality import CONTACT_FIELDS, DUPLICATE_THRESHOLD, QualityReport, RealCoverage, _Slots
from socialmap.loader import STALE_AFTER_DAYS, check_region
from socialmap.matching import match
from socialmap.model import Atlas
from socialmap.vocab import LEVELS


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _norm_address(address: object, postcode: object) -> str:
    text = f"{_text(address)} {_text(postcode)}".lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _stale(atlas: Atlas, today: dt.date) -> pd.DataFrame:
    rows = []
    for table, frame in (("organizations", atlas.organizations), ("services", atlas.services),
                         ("locations", atlas.locations)):
        for rid, rec in frame.iterrows():
            if rec["status"] == "illustrative":
                continue  # made up; never verified
            verified = rec["verified_at"]
            if verified is None or pd.isna(verified) or (today - verified).days > STALE_AFTER_DAYS:
                rows.append({"table": table, "id": rid, "name": rec["name"], "status": rec["status"],
                             "verified_at": "" if verified is None or pd.isna(verified) else verified.isoformat()})
    return pd.DataFrame(rows, columns=["table", "id", "name", "status", "verified_at"])


def _by_level(atlas: Atlas) -> pd.DataFrame:
    from socialmap.vocab import LEVELS, STATUSES

    table = pd.crosstab(atlas.services["level"], atlas.services["status"])
    return table.reindex(index=list(LEVELS), columns=list(STATUSES), fill_value=0)


def _by_wijk(atlas: Atlas) -> pd.DataFrame:
    from socialmap.vocab import STATUSES

    wijken = atlas.areas[atlas.areas["kind"] == "wijk"]
    rows = []
    for code, area in wijken.iterrows():
        counts = {s: 0 for s in STATUSES}
        for sid, status in atlas.services["status"].items():
            if atlas.serves(sid, code):
                counts[status] += 1
        rows.append({"code": code, "name": area["name"], **counts})
    return pd.DataFrame(rows, columns=["code", "name", *STATUSES]).set_index("code")


def _advice_slots(atlas: Atlas, top: int) -> _Slots:
    """For every wijk and level, the first ``top`` services :func:`socialmap.matching.match` ranks
    (no age or concern filter): how often each service is among them."""
    counts: dict[str, int] = {}
    where: dict[str, list[str]] = {}
    real = places = 0
    for code in atlas.areas.index[atlas.areas["kind"] == "wijk"]:
        area = atlas.area(code)
        for level in LEVELS:
            for m in match(atlas, area, [level], None, (), limit=top):
                counts[m.service_id] = counts.get(m.service_id, 0) + 1
                names = where.setdefault(m.service_id, [])
                if len(names) < 3 and area.name not in names:
                    names.append(area.name)
                places += 1
                real += figures.is_real(m.status)
    return _Slots(counts, where, real, places)


def real_coverage(atlas: Atlas, top: int = 3, slots: _Slots | None = None) -> figures.Figure:
    """"Echte dekking": the share of places in advice (first ``top`` per wijk and level) that a
    real service (``verified`` / ``to_verify``) fills. Valid is not true: a region validates while
    most of what advice shows can be examples. ``n`` is the number of real services."""
    slots = slots or _advice_slots(atlas, top)
    return figures.make(RealCoverage(slots.real, slots.places), atlas.services["status"])


def advice_todo(atlas: Atlas, top: int = 3, slots: _Slots | None = None) -> pd.DataFrame:
    """Records to check first: services not verified, by how often advice shows them.

    A service counts once for every (wijk, level) where :func:`socialmap.matching.match` puts it
    among the first ``top``. Columns ``id, name, level, status, shown_in, wijken`` (up to three
    wijk names); only ``to_verify`` and ``illustrative`` services shown at least once; most shown
    first, then by id.
    """
    slots = slots or _advice_slots(atlas, top)
    svc = atlas.services
    rows = [{"id": sid, "name": svc.at[sid, "name"], "level": svc.at[sid, "level"], "status": svc.at[sid, "status"],
             "shown_in": n, "wijken": ", ".join(slots.wijken.get(sid, []))}
            for sid, n in slots.counts.items() if svc.at[sid, "status"] != "verified"]
    frame = pd.DataFrame(rows, columns=["id", "name", "level", "status", "shown_in", "wijken"])
    return frame.sort_values(["shown_in", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _missing_contact(atlas: Atlas) -> pd.DataFrame:
    """Real organisations and services that lack a phone number, an e-mail address or a website
    (``missing`` names which; ``no_contact``: all three). The dashboard counts these rows."""
    rows = []
    for table, frame in (("organizations", atlas.organizations), ("services", atlas.services)):
        for rid, rec in frame.iterrows():
            if rec["status"] == "illustrative":
                continue
            missing = [f for f in CONTACT_FIELDS if not _text(rec[f]).strip()]
            if missing:
                rows.append({"table": table, "id": rid, "name": rec["name"], "status": rec["status"],
                             "missing": ", ".join(missing), "no_contact": len(missing) == len(CONTACT_FIELDS)})
    return pd.DataFrame(rows, columns=["table", "id", "name", "status", "missing", "no_contact"])


def _pairs(items: list[tuple[str, str, str]], table: str, address: str) -> list[dict[str, object]]:
    """Similar names among records at one address (two illustrative records are never flagged)."""
    out = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            (ia, na, sa), (ib, nb, sb) = items[i], items[j]
            if sa == sb == "illustrative":
                continue
            score = fuzz.token_sort_ratio(str(na).lower(), str(nb).lower())
            if score >= DUPLICATE_THRESHOLD:
                out.append({"table": table, "id_a": ia, "name_a": na, "id_b": ib, "name_b": nb,
                            "address": address, "score": round(score)})
    return out


def _duplicates(atlas: Atlas) -> pd.DataFrame:
    rows: list[dict[str, object]] = []
    locs = atlas.locations
    groups: dict[str, list[str]] = {}
    for lid, rec in locs.iterrows():
        key = _norm_address(rec["address"], rec["postcode"])
        if key:
            groups.setdefault(key, []).append(lid)
    for key, ids in groups.items():
        if len(ids) > 1:
            shown = f"{_text(locs.at[ids[0], 'address'])} {_text(locs.at[ids[0], 'postcode'])}".strip()
            rows += _pairs([(i, locs.at[i, "name"], locs.at[i, "status"]) for i in ids], "locations", shown)
    # services at the same address (through service_at_location)
    sal = atlas.service_at_location
    by_addr: dict[str, list[str]] = {}
    for _, link in sal.iterrows():
        lid = link["location_id"]
        key = _norm_address(locs.at[lid, "address"], locs.at[lid, "postcode"]) if lid in locs.index else ""
        if key and link["service_id"] not in by_addr.setdefault(key, []):
            by_addr[key].append(link["service_id"])
    for key, sids in by_addr.items():
        if len(sids) > 1:
            first_loc = next(l for l in sal["location_id"] if _norm_address(locs.at[l, "address"], locs.at[l, "postcode"]) == key)
            shown = f"{_text(locs.at[first_loc, 'address'])} {_text(locs.at[first_loc, 'postcode'])}".strip()
            svcs = atlas.services
            rows += _pairs([(s, svcs.at[s, "name"], svcs.at[s, "status"]) for s in sids], "services", shown)
    return pd.DataFrame(rows, columns=["table", "id_a", "name_a", "id_b", "name_b", "address", "score"])


def quality_report(folder: str | Path, today: dt.date | None = None) -> QualityReport:
    """Validation report plus the dashboard metrics (metrics only when the region is valid)."""
    today = today or dt.date.today()
    folder = Path(folder)
    store.recover(folder)
    atlas, errors, warnings = check_region(folder, today=today)
    report = QualityReport(errors=list(errors), warnings=list(warnings), atlas=atlas)
    if atlas is None:
        return report
    report.stale = _stale(atlas, today)
    report.status_by_level = _by_level(atlas)
    report.status_by_wijk = _by_wijk(atlas)
    report.missing_contact = _missing_contact(atlas)
    slots = _advice_slots(atlas, 3)
    report.real_coverage = real_coverage(atlas, slots=slots)
    report.todo = advice_todo(atlas, slots=slots)
    report.duplicates = _duplicates(atlas)
    return report
