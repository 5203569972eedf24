"""Data-quality dashboard metrics for a region (read-only; no login needed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from .. import figures, matching, snapshot
from ..loader import STALE_AFTER_DAYS, VERIFIED_LONG_AGO, check_region, verified_long_ago
from ..model import Atlas
from ..vocab import LEVELS, NATIONAL_AREA, STATUSES
from . import store

#: Name similarity (rapidfuzz token_sort_ratio, 0-100) from which two records count as likely duplicates.
DUPLICATE_THRESHOLD = 85
CONTACT_FIELDS = ("phone", "email", "url")


@dataclass
class QualityReport:
    errors: list[str]
    warnings: list[str]
    atlas: Atlas | None
    stale: pd.DataFrame = field(default_factory=pd.DataFrame)  # table, id, name, status, verified_at
    status_by_level: pd.DataFrame = field(default_factory=pd.DataFrame)  # index level; verified, to_verify, illustrative
    status_by_wijk: pd.DataFrame = field(default_factory=pd.DataFrame)  # index wijk code; name, verified, to_verify, illustrative
    missing_contact: pd.DataFrame = field(default_factory=pd.DataFrame)  # table, id, name, status, missing, no_contact
    real_coverage: figures.Figure | None = None  # value: RealCoverage; n = real services
    todo: pd.DataFrame = field(default_factory=pd.DataFrame)  # id, name, level, status, shown_in, wijken
    duplicates: pd.DataFrame = field(default_factory=pd.DataFrame)  # table, id_a, name_a, id_b, name_b, address, score

    @property
    def valid(self) -> bool:
        return self.atlas is not None and not self.errors


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _norm_address(address: object, postcode: object) -> str:
    text = f"{_text(address)} {_text(postcode)}".lower()
    return _NOT_ALNUM.sub(" ", text).strip()


def _norm_addresses(address: pd.Series, postcode: pd.Series) -> list[str]:
    """:func:`_norm_address` of every row; text columns in one go where they are plain ASCII (the
    same lower case and the same pattern there), the other rows one by one."""
    texts = [c if isinstance(c.dtype, pd.StringDtype) else c.astype("str")
             for c in (address, postcode) if pd.api.types.infer_dtype(c, skipna=True) in ("string", "empty")]
    if len(texts) < 2:  # not plain text
        return [_norm_address(a, p) for a, p in zip(address.tolist(), postcode.tolist())]
    text = texts[0].fillna("") + " " + texts[1].fillna("")
    out = text.str.lower().str.replace(_NOT_ALNUM.pattern, " ", regex=True).str.strip().tolist()
    for i in np.flatnonzero(~text.str.isascii().to_numpy(dtype=bool)).tolist():
        out[i] = _norm_address(address.iat[i], postcode.iat[i])
    return out


def _missing(value: object) -> bool:
    return value is None or pd.isna(value)


def _real_rows(frame: pd.DataFrame) -> np.ndarray:
    """Positions of the records that are not illustrative."""
    return np.flatnonzero((frame["status"] != "illustrative").to_numpy(dtype=bool))


def _column(frame: pd.DataFrame, column: str, rows: np.ndarray) -> list[object]:
    return frame[column].iloc[rows].tolist()


def _stale(atlas: Atlas, today: dt.date) -> pd.DataFrame:
    rows = []
    for table, frame in (("organizations", atlas.organizations), ("services", atlas.services),
                         ("locations", atlas.locations)):
        real = _real_rows(frame)  # illustrative records are made up; never verified
        ids = frame.index[real].tolist()
        names, statuses, dates = (_column(frame, c, real) for c in ("name", "status", "verified_at"))
        for rid, name, status, verified in zip(ids, names, statuses, dates):
            if _missing(verified) or (today - verified).days > STALE_AFTER_DAYS:
                rows.append({"table": table, "id": rid, "name": name, "status": status,
                             "verified_at": "" if _missing(verified) else verified.isoformat()})
    return pd.DataFrame(rows, columns=["table", "id", "name", "status", "verified_at"])


def _by_level(atlas: Atlas) -> pd.DataFrame:
    table = pd.crosstab(atlas.services["level"], atlas.services["status"])
    return table.reindex(index=list(LEVELS), columns=list(STATUSES), fill_value=0)


def _by_wijk(atlas: Atlas) -> pd.DataFrame:
    """Per wijk, how many services of each status serve it (their service area covers the wijk, its
    gemeente or the whole country)."""
    is_wijk = (atlas.areas["kind"] == "wijk").to_numpy()
    codes = atlas.areas.index[is_wijk].tolist()
    names = atlas.areas["name"].to_numpy(dtype=object)[is_wijk].tolist()
    if not codes:
        return pd.DataFrame([], columns=["code", "name", *STATUSES]).set_index("code")
    ix = matching.match_index(atlas)
    n, k = len(ix.ids), len(STATUSES)
    status_codes, present = pd.factorize(np.asarray(ix.statuses, dtype=object))
    status = np.array([STATUSES.index(s) for s in present], dtype=np.int64)[status_codes]
    national = np.zeros(n, dtype=bool)
    national[ix.by_code.get(NATIONAL_AREA, np.empty(0, dtype=np.int64))] = True
    # (wijk, service) pairs through the wijk's chain (wijk, gemeente), each pair once
    w_parts, s_parts = [], []
    for w, code in enumerate(codes):
        for c in ix.chain(atlas, code):
            hits = ix.by_code.get(c)
            if hits is not None:
                w_parts.append(np.full(len(hits), w, dtype=np.int64))
                s_parts.append(hits)
    counts = np.tile(np.bincount(status[national], minlength=k), (len(codes), 1))
    if s_parts:
        pairs = np.sort(np.concatenate(w_parts) * max(n, 1) + np.concatenate(s_parts))
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
        w, pos = pairs // max(n, 1), pairs % max(n, 1)
        keep = ~national[pos]
        counts = counts + np.bincount(w[keep] * k + status[pos[keep]], minlength=len(codes) * k).reshape(-1, k)
    frame = pd.DataFrame({"code": codes, "name": names,
                          **{s: counts[:, i].astype(np.int64) for i, s in enumerate(STATUSES)}},
                         columns=["code", "name", *STATUSES])
    return frame.set_index("code")


@dataclass(frozen=True)
class RealCoverage:
    """Of the places in advice (the first three services per wijk and level), how many hold a real service."""

    real: int
    places: int

    @property
    def percent(self) -> float:
        return 100.0 * self.real / self.places if self.places else 0.0


@dataclass(frozen=True)
class _Slots:
    counts: dict[str, int]
    wijken: dict[str, list[str]]
    real: int
    places: int


def _advice_slots(atlas: Atlas, top: int) -> _Slots:
    """For every wijk and level, the first ``top`` services :func:`socialmap.matching.match` ranks
    (no age or concern filter): how often each service is among them.

    Read straight from the matching lookup (:class:`socialmap.matching.MatchLookup`): without an age
    or a concern, the first ``top`` of a (wijk, level) are the first ``top`` of its group there.
    Wijken in the order of the areas table, levels in :data:`socialmap.vocab.LEVELS` order.
    """
    table = matching.lookup(atlas)
    ix = matching.match_index(atlas)
    is_wijk = (atlas.areas["kind"] == "wijk").to_numpy()
    keys = table.group_keys
    area_of, level_of = keys // table.n_levels, keys % table.n_levels - 1
    take = np.flatnonzero(is_wijk[area_of] & (level_of >= 0)) if len(keys) else np.empty(0, dtype=np.int64)
    starts = table.group_starts[take].astype(np.int64)
    sizes = np.minimum(table.group_ends[take] - starts, max(top, 0)).astype(np.int64)
    total = int(sizes.sum())
    if not total:
        return _Slots({}, {}, 0, 0)
    rows = np.repeat(starts, sizes) + (np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    positions = table.pos[rows]
    areas = np.repeat(area_of[take], sizes)
    codes, statuses = pd.factorize(np.asarray(ix.statuses, dtype=object))
    real = np.array([figures.is_real(s) for s in statuses], dtype=bool)[codes[positions]]
    shown = pd.unique(positions)  # in the order they first occur
    counts = np.bincount(positions, minlength=len(ix.ids))[shown]
    count_of = {ix.ids[p]: n for p, n in zip(shown.tolist(), counts.tolist())}
    return _Slots(count_of, _first_names(atlas, positions, areas, shown, ix.ids), int(real.sum()), total)


def _first_names(atlas: Atlas, positions: np.ndarray, areas: np.ndarray, shown: np.ndarray,
                 ids: list[str]) -> dict[str, list[str]]:
    """Per service (at ``positions``, one entry per place in advice, in order), the names of the
    first three different wijken (``areas``) where it is shown."""
    name_code, names = pd.factorize(np.asarray(atlas.areas["name"].tolist(), dtype=object), use_na_sentinel=False)
    named = name_code[areas]
    _, first = np.unique(positions.astype(np.int64) * (len(names) + 1) + named, return_index=True)
    first.sort()  # each (service, name) once, where it first occurs
    pos, named = positions[first], named[first]
    order = np.argsort(pos, kind="stable")
    pos, named = pos[order], named[order]
    starts = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
    ends = np.r_[starts[1:], len(pos)]
    span = {int(p): (int(a), int(min(b, a + 3))) for p, a, b in zip(pos[starts], starts, ends)}
    labels = names.tolist()
    named_list = named.tolist()
    return {ids[p]: [labels[c] for c in named_list[span[p][0]:span[p][1]]] for p in shown.tolist()}


def real_coverage(atlas: Atlas, top: int = 3, slots: _Slots | None = None) -> figures.Figure:
    """"Echte dekking": the share of places in advice (first ``top`` per wijk and level) that a
    real service (``verified`` / ``to_verify``) fills. Valid is not true: a region validates while
    most of what advice shows can be examples. ``n`` is the number of real services."""
    slots = slots or _advice_slots(atlas, top)
    return figures.make(RealCoverage(slots.real, slots.places), atlas.services["status"].tolist())


def advice_todo(atlas: Atlas, top: int = 3, slots: _Slots | None = None) -> pd.DataFrame:
    """Records to check first: services not verified, by how often advice shows them.

    A service counts once for every (wijk, level) where :func:`socialmap.matching.match` puts it
    among the first ``top``. Columns ``id, name, level, status, shown_in, wijken`` (up to three
    wijk names); only ``to_verify`` and ``illustrative`` services shown at least once; most shown
    first, then by id.
    """
    slots = slots or _advice_slots(atlas, top)
    svc = atlas.services
    at = svc.index.get_indexer(list(slots.counts))
    names, levels, statuses = (svc[c].take(at).tolist() for c in ("name", "level", "status"))
    keep = [i for i, status in enumerate(statuses) if status != "verified"]
    ids, counts = list(slots.counts), list(slots.counts.values())
    columns = {"id": [ids[i] for i in keep], "name": [names[i] for i in keep], "level": [levels[i] for i in keep],
               "status": [statuses[i] for i in keep], "shown_in": [counts[i] for i in keep],
               "wijken": [", ".join(slots.wijken.get(ids[i], [])) for i in keep]}
    frame = pd.DataFrame(columns) if keep else pd.DataFrame([], columns=list(columns))
    return frame.sort_values(["shown_in", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _missing_contact(atlas: Atlas) -> pd.DataFrame:
    """Real organisations and services that lack a phone number, an e-mail address or a website
    (``missing`` names which; ``no_contact``: all three). The dashboard counts these rows."""
    rows = []
    for table, frame in (("organizations", atlas.organizations), ("services", atlas.services)):
        real = _real_rows(frame)
        ids = frame.index[real].tolist()
        contact = zip(*(_column(frame, f, real) for f in CONTACT_FIELDS))
        names, statuses = _column(frame, "name", real), _column(frame, "status", real)
        for rid, name, status, values in zip(ids, names, statuses, contact):
            missing = [f for f, v in zip(CONTACT_FIELDS, values) if not _text(v).strip()]
            if missing:
                rows.append({"table": table, "id": rid, "name": name, "status": status,
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


def _groups(keys: list[str]) -> list[np.ndarray]:
    """Positions of the keys that occur more than once, one array per key (positions in order), the
    keys in the order they first occur; the empty key left out."""
    codes, uniques = pd.factorize(np.asarray(keys, dtype=object))
    sizes = np.bincount(codes, minlength=len(uniques))
    many = [g for g in np.flatnonzero(sizes > 1).tolist() if uniques[g]]
    if not many:
        return []
    order = np.argsort(codes, kind="stable")
    bounds = np.r_[0, np.cumsum(sizes)]
    return [order[bounds[g]:bounds[g + 1]] for g in many]


def _duplicates(atlas: Atlas) -> pd.DataFrame:
    """Pairs of records at the same address (address and postcode, normalised) with similar names:
    locations, and services linked to locations at one address."""
    rows: list[dict[str, object]] = []
    locs = atlas.locations
    keys = _norm_addresses(locs["address"], locs["postcode"])
    if not any(keys):
        return pd.DataFrame(rows, columns=["table", "id_a", "name_a", "id_b", "name_b", "address", "score"])

    def shown(i: int) -> str:
        return f"{_text(locs['address'].iat[i])} {_text(locs['postcode'].iat[i])}".strip()

    for group in _groups(keys):
        items = [(locs.index[i], locs["name"].iat[i], locs["status"].iat[i]) for i in group.tolist()]
        rows += _pairs(items, "locations", shown(int(group[0])))
    # services at the same address (through service_at_location): each service once per address
    sal = atlas.service_at_location
    at = pd.Series(np.arange(len(locs)), index=locs.index)
    links = pd.DataFrame({"service_id": sal["service_id"].to_numpy(dtype=object),
                          "loc": sal["location_id"].map(at).to_numpy(dtype=float)})
    links = links[~np.isnan(links["loc"].to_numpy())]
    links["key"] = np.array(keys, dtype=object)[links["loc"].to_numpy().astype(np.int64)]
    links = links[links["key"] != ""].drop_duplicates(["key", "service_id"])
    if len(links):
        svcs = atlas.services
        sids, where = links["service_id"].tolist(), links["loc"].to_numpy().astype(np.int64)
        for group in _groups(links["key"].tolist()):
            items = [(sids[i], svcs.at[sids[i], "name"], svcs.at[sids[i], "status"]) for i in group.tolist()]
            rows += _pairs(items, "services", shown(int(where[group[0]])))
    return pd.DataFrame(rows, columns=["table", "id_a", "name_a", "id_b", "name_b", "address", "score"])


def _record_lines(path: Path) -> list[int]:
    """The line on which each record of a CSV file starts, as the loader numbers them (blank
    records left out)."""
    reader = csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), strict=True)
    next(reader, None)
    lines: list[int] = []
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if cells and any(c.strip() for c in cells):
            lines.append(start)
    return lines


def _verified_long_ago(folder: Path, atlas: Atlas, today: dt.date) -> list[str] | None:
    """The loader's warnings about records verified more than 12 months before ``today``, for a
    region that validated on an earlier day (None when the files do not line up with the atlas)."""
    out: list[str] = []
    for file, frame in (("organizations.csv", atlas.organizations), ("services.csv", atlas.services)):
        verified = (frame["status"] == "verified").to_numpy(dtype=bool)
        rows = [i for i, v in zip(np.flatnonzero(verified).tolist(), frame["verified_at"].iloc[verified].tolist())
                if not _missing(v) and v and (today - v).days > STALE_AFTER_DAYS]
        if not rows:
            continue
        try:
            lines = _record_lines(folder / file)
        except (OSError, UnicodeDecodeError, csv.Error):
            return None
        if len(lines) != len(frame):
            return None
        for i in rows:
            out.append(verified_long_ago(file, lines[i], frame.index[i], frame["verified_at"].iat[i]))
    return out


def _validation(folder: Path, today: dt.date, atlas: Atlas | None) -> tuple[Atlas, list[str]] | None:
    """The atlas and warnings of the region as validated on ``today``, from its snapshot: when the
    snapshot is fresh (its content hash is the folder's) and recorded a validation on ``today`` or
    before. A snapshot is only written for a valid region, and a valid region stays valid on a later
    day; only the warnings about records verified long ago change, and they are counted again.
    ``atlas`` is used when it was loaded from that very content
    (:func:`socialmap.snapshot.loaded_hash`), else the snapshot is read. None: validate again."""
    meta = snapshot.read_meta(folder)
    validated = meta.get("validated_on") if meta else None
    if not validated or meta.get("format") != snapshot.FORMAT or validated > today.isoformat():
        return None
    digest = snapshot.content_hash(folder)
    if meta.get("content_hash") != digest:
        return None
    if atlas is None or snapshot.loaded_hash(atlas) != digest:
        atlas = snapshot.read(folder, digest)
    if atlas is None:
        return None
    warnings = [str(w) for w in meta.get("warnings", [])]
    if validated == today.isoformat():
        return atlas, warnings
    if not all(VERIFIED_LONG_AGO.fullmatch(w) for w in warnings):
        return None  # a warning of another kind: validate again rather than guess
    again = _verified_long_ago(folder, atlas, today)
    return None if again is None else (atlas, again)


def quality_report(folder: str | Path, today: dt.date | None = None, atlas: Atlas | None = None) -> QualityReport:
    """Validation report plus the dashboard metrics (metrics only when the region is valid).

    The region is validated where its data changes (a save, an import, a snapshot that is out of
    date): when the region's snapshot is fresh and recorded a validation of today or before, its
    result is used instead of validating again. Otherwise the region is validated here, as before. Either way the
    metrics are computed on ``atlas`` (the app's shared atlas, whose indexes are built) when it was
    loaded from the same files.
    """
    today = today or dt.date.today()
    folder = Path(folder)
    store.recover(folder)
    known = _validation(folder, today, atlas)
    if known is not None:
        atlas, warnings = known
        errors: list[str] = []
    else:
        shared = atlas if atlas is not None and snapshot.loaded_hash(atlas) is not None else None
        before = snapshot.content_hash(folder) if shared is not None else None
        atlas, errors, warnings = check_region(folder, today=today)
        same = shared is not None and snapshot.loaded_hash(shared) == before == snapshot.content_hash(folder)
        if atlas is not None and same:
            atlas = shared  # the same files (validated again for today's warnings): its indexes are built
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
