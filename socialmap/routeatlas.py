"""The route atlas: onboarding material for new POH Jeugd staff, as data (no Streamlit here).

Three data files under ``data/atlas/`` feed the "Zorgroutes" page:

- ``levels.yaml``: per care level what it is, who works there, typical questions, typical number
  of talks, how to get in (Dutch and English) and the routes to other levels (``next_step``,
  ``escalation``, ``also``); :func:`route_dot` draws those routes as a Graphviz DOT string.
- ``evaluations.yaml``: what evaluations of youth professionals in the GP practice found, every
  figure with its source (title, publisher, year, URLs); :func:`evaluation_records` flattens them
  into plot-ready records.
- ``vignettes.yaml``: practice cases with triage answers in the contract vocabulary;
  :func:`score` compares a learner's pick with the engine's advice.

Plus region look-ups on the atlas: the services at a level (:func:`level_services`), their
waiting times (:func:`waiting_stats`) and "wie bel ik voor ...?" (:func:`who_to_call`).
Every loader validates its file and raises :class:`~socialmap.errors.DataError` with messages
naming the file, the entry, the field, the value and what is allowed.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml

from . import figures, i18n, vocab
from .derived import per_atlas
from .errors import DataError, InputError
from .model import Area, Atlas

REPO_ROOT = Path(__file__).resolve().parents[1]
ATLAS_DIR = REPO_ROOT / "data" / "atlas"
LEVELS_FILE = ATLAS_DIR / "levels.yaml"
EVALUATIONS_FILE = ATLAS_DIR / "evaluations.yaml"
VIGNETTES_FILE = ATLAS_DIR / "vignettes.yaml"

_TEXT_FIELDS = ("what", "talks", "access")
_LIST_FIELDS = ("who", "questions")
_EDGE_FIELDS = ("next_step", "escalation", "also")
UNITS = ("percent", "count")
QUALIFIERS = ("exact", "about", "more_than")


# ---- helpers ---------------------------------------------------------------------------------
def _read_yaml(path: Path) -> Any:
    try:
        with Path(path).open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError as exc:
        raise DataError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML ({exc})") from exc


def _entries(path: Path, data: Any, key: str) -> list[Mapping[str, Any]]:
    if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
        raise DataError(f"{path}: expected a mapping with a list '{key}'")
    bad = [i for i, e in enumerate(data[key], start=1) if not isinstance(e, Mapping)]
    if bad:
        raise DataError([f"{path}: {key} entry {i}: expected a mapping" for i in bad])
    return list(data[key])


def _bilingual(value: Any, where: str, errors: list[str], as_list: bool = False) -> dict[str, Any]:
    """A ``{nl: ..., en: ...}`` mapping with non-empty texts (or lists of texts) in both languages."""
    if not isinstance(value, Mapping):
        errors.append(f"{where}: expected a mapping with keys {', '.join(i18n.LANGUAGES)}, got {value!r}")
        return {lang: ([] if as_list else "") for lang in i18n.LANGUAGES}
    out: dict[str, Any] = {}
    for lang in i18n.LANGUAGES:
        text = value.get(lang)
        if as_list:
            ok = isinstance(text, list) and text and all(isinstance(t, str) and t.strip() for t in text)
            if not ok:
                errors.append(f"{where}.{lang}: expected a non-empty list of texts, got {text!r}")
                text = []
            out[lang] = tuple(text)
        else:
            if not isinstance(text, str) or not text.strip():
                errors.append(f"{where}.{lang}: expected a non-empty text, got {text!r}")
                text = ""
            out[lang] = text.strip()
    return out


def _pick(texts: Mapping[str, Any], lang: str) -> Any:
    return texts.get(lang) or texts.get(i18n.DEFAULT_LANGUAGE)


# ---- levels and routes -----------------------------------------------------------------------
@dataclass(frozen=True)
class LevelInfo:
    """One care level of the ladder (or the crisis lane), as described in ``levels.yaml``."""

    id: str
    what: Mapping[str, str]
    who: Mapping[str, tuple[str, ...]]
    questions: Mapping[str, tuple[str, ...]]
    talks: Mapping[str, str]
    access: Mapping[str, str]
    next_step: tuple[str, ...] = ()
    escalation: tuple[str, ...] = ()
    also: tuple[str, ...] = ()

    @property
    def rung(self) -> int:
        return vocab.rung(self.id)

    def text(self, name: str, lang: str) -> Any:
        """``what``, ``who``, ``questions``, ``talks`` or ``access`` in ``lang`` (Dutch fallback)."""
        return _pick(getattr(self, name), lang)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # next_step / escalation / also


@lru_cache(maxsize=8)
def load_levels(path: Path | str = LEVELS_FILE) -> tuple[LevelInfo, ...]:
    """All levels in ladder order (contract order), validated. Raises ``DataError``."""
    path = Path(path)
    entries = _entries(path, _read_yaml(path), "levels")
    errors: list[str] = []
    found: dict[str, LevelInfo] = {}
    allowed = ", ".join(vocab.LEVELS)
    for n, entry in enumerate(entries, start=1):
        lid = entry.get("id")
        where = f"{path.name}: level {n} ({lid})"
        if lid not in vocab.LEVELS:
            errors.append(f"{path.name}: level {n}: id {lid!r} is not a level id (allowed: {allowed})")
            continue
        if lid in found:
            errors.append(f"{where}: duplicate id {lid!r}")
            continue
        texts = {f: _bilingual(entry.get(f), f"{where}.{f}", errors) for f in _TEXT_FIELDS}
        lists = {f: _bilingual(entry.get(f), f"{where}.{f}", errors, as_list=True) for f in _LIST_FIELDS}
        edges: dict[str, tuple[str, ...]] = {}
        for f in _EDGE_FIELDS:
            value = entry.get(f) or []
            if not isinstance(value, list):
                errors.append(f"{where}.{f}: expected a list of level ids, got {value!r}")
                value = []
            for target in value:
                if target not in vocab.LEVELS:
                    errors.append(f"{where}.{f}: {target!r} is not a level id (allowed: {allowed})")
                elif target == lid:
                    errors.append(f"{where}.{f}: a level cannot route to itself ({target!r})")
            edges[f] = tuple(t for t in value if t in vocab.LEVELS and t != lid)
        found[lid] = LevelInfo(id=lid, **texts, **lists, **edges)
    missing = [lid for lid in vocab.LEVELS if lid not in found]
    if missing:
        errors.append(f"{path.name}: levels missing: {', '.join(missing)} (every level id needs an entry)")
    if errors:
        raise DataError(errors)
    return tuple(found[lid] for lid in vocab.LEVELS)


def level_info(level: str, levels: Sequence[LevelInfo] | None = None) -> LevelInfo:
    for info in levels if levels is not None else load_levels():
        if info.id == level:
            return info
    raise KeyError(level)


def route_edges(levels: Sequence[LevelInfo]) -> list[Edge]:
    """Every route between levels; an ``also`` pair appears once (it has no direction)."""
    edges: list[Edge] = []
    seen_also: set[frozenset[str]] = set()
    for info in levels:
        edges += [Edge(info.id, t, "next_step") for t in info.next_step]
        edges += [Edge(info.id, t, "escalation") for t in info.escalation]
        for t in info.also:
            pair = frozenset((info.id, t))
            if pair not in seen_also:
                seen_also.add(pair)
                edges.append(Edge(info.id, t, "also"))
    return edges


def dot_escape(text: object) -> str:
    """Text for inside a double-quoted DOT string: backslash, quote and newlines escaped."""
    out = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return out.replace("\r", "").replace("\n", "\\n")


_EDGE_STYLE = {
    "next_step": 'color="#1f4e79", penwidth=1.6',
    "escalation": 'color="#b00020", style=dashed, penwidth=1.0',
    "also": 'color="#6b6b6b", style=dotted, dir=none, constraint=false',
}


def route_dot(levels: Sequence[LevelInfo], lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The routes between levels as a Graphviz DOT digraph (lightest level at the top).

    Nodes are the level ids, labelled with the level name and its rung; levels on the same rung
    share a row; the crisis lane stands apart on the right. Every label is DOT-escaped.
    """
    rung_word = i18n.t("atlas.ladder.rung", lang)
    lines = [
        "digraph routes {",
        '  graph [rankdir=TB, nodesep=0.5, ranksep=0.45, bgcolor="transparent", fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#eef4fb", color="#1f4e79", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
    ]
    for info in levels:
        name = i18n.label("level", info.id, lang)
        if info.id == "crisis":
            label = f"{name}\n{i18n.t('atlas.ladder.crisis_lane', lang)}"
            attrs = 'fillcolor="#fde7e9", color="#b00020", fontcolor="#7a0016", penwidth=1.6'
        else:
            label = f"{name}\n({rung_word} {info.rung})"
            attrs = ""
        sep = ", " if attrs else ""
        lines.append(f'  "{dot_escape(info.id)}" [label="{dot_escape(label)}"{sep}{attrs}];')
    by_rung: dict[int, list[str]] = {}
    for info in levels:
        if info.id != "crisis":
            by_rung.setdefault(info.rung, []).append(info.id)
    for ids in by_rung.values():
        if len(ids) > 1:
            lines.append("  { rank=same; " + " ".join(f'"{dot_escape(i)}";' for i in ids) + " }")
    for edge in route_edges(levels):
        lines.append(f'  "{dot_escape(edge.source)}" -> "{dot_escape(edge.target)}" [{_EDGE_STYLE[edge.kind]}];')
    lines.append("}")
    return "\n".join(lines)


# ---- evaluations ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    id: str
    label: Mapping[str, str]
    value: float
    unit: str
    qualifier: str = "exact"
    chart: bool = True
    checked: bool = False
    total: float | None = None


@dataclass(frozen=True)
class Study:
    id: str
    place: str
    title: str
    publisher: str | None
    year: str | None
    urls: tuple[str, ...]
    note: Mapping[str, str]
    figures: tuple[Figure, ...] = field(default=())


@lru_cache(maxsize=8)
def load_evaluations(path: Path | str = EVALUATIONS_FILE) -> tuple[Study, ...]:
    """All studies with their figures, validated. Raises ``DataError``."""
    path = Path(path)
    entries = _entries(path, _read_yaml(path), "studies")
    errors: list[str] = []
    studies: list[Study] = []
    ids: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        sid = str(entry.get("id") or "")
        where = f"{path.name}: study {n} ({sid})"
        if not sid or sid in ids:
            errors.append(f"{where}: id must be present and unique, got {sid!r}")
        ids.add(sid)
        title = entry.get("title")
        if not isinstance(title, str) or not title.strip():
            errors.append(f"{where}.title: every study needs a source title, got {title!r}")
            title = ""
        year = entry.get("year")
        year = None if year is None or str(year).strip() == "" else str(year).strip()
        urls = entry.get("urls") or []
        if not isinstance(urls, list) or any(not str(u).startswith(("https://", "http://")) for u in urls):
            errors.append(f"{where}.urls: expected a list of URLs starting with https:// or http://, got {urls!r}")
            urls = []
        note = _bilingual(entry.get("note"), f"{where}.note", errors)
        figures: list[Figure] = []
        raw_figures = entry.get("figures")
        if not isinstance(raw_figures, list) or not raw_figures:
            errors.append(f"{where}.figures: expected a non-empty list")
            raw_figures = []
        for m, fig in enumerate(raw_figures, start=1):
            fwhere = f"{where}: figure {m} ({fig.get('id') if isinstance(fig, Mapping) else fig})"
            if not isinstance(fig, Mapping):
                errors.append(f"{fwhere}: expected a mapping")
                continue
            value = fig.get("value")
            unit = fig.get("unit")
            qualifier = fig.get("qualifier", "exact")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                errors.append(f"{fwhere}.value: expected a number, got {value!r}")
                continue
            if unit not in UNITS:
                errors.append(f"{fwhere}.unit: {unit!r} is not allowed (allowed: {', '.join(UNITS)})")
                continue
            if unit == "percent" and not 0 <= value <= 100:
                errors.append(f"{fwhere}.value: a percentage must be 0-100, got {value!r}")
            if qualifier not in QUALIFIERS:
                errors.append(f"{fwhere}.qualifier: {qualifier!r} is not allowed (allowed: {', '.join(QUALIFIERS)})")
            total = fig.get("total")
            figures.append(Figure(
                id=str(fig.get("id") or f"f{m}"),
                label=_bilingual(fig.get("label"), f"{fwhere}.label", errors),
                value=value,
                unit=unit,
                qualifier=qualifier,
                chart=bool(fig.get("chart", unit == "percent")),
                checked=bool(fig.get("checked", False)),
                total=total if isinstance(total, (int, float)) and not isinstance(total, bool) else None,
            ))
        studies.append(Study(
            id=sid, place=str(entry.get("place") or ""), title=title.strip(),
            publisher=(str(entry["publisher"]).strip() if entry.get("publisher") else None),
            year=year, urls=tuple(str(u) for u in urls), note=note, figures=tuple(figures),
        ))
    if errors:
        raise DataError(errors)
    return tuple(studies)


def year_text(study: Study, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The study's year, or "jaartal niet bekend" (never a guess)."""
    return study.year or i18n.t("atlas.eval.year_unknown", lang)


def source_text(study: Study, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """One line naming the source: title, publisher, year (plain text, not escaped)."""
    parts = [f"\u201c{study.title}\u201d"]
    if study.publisher:
        parts.append(study.publisher)
    parts.append(year_text(study, lang))
    return ", ".join(parts)


def figure_text(fig: Figure, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The figure as the source phrases it: ``ruim 90%``, ``642 van 971``."""
    value = int(fig.value) if float(fig.value).is_integer() else fig.value
    shown = f"{value}%" if fig.unit == "percent" else str(value)
    if fig.total is not None:
        total = int(fig.total) if float(fig.total).is_integer() else fig.total
        shown = i18n.t("atlas.eval.of_total", lang, value=shown, total=total)
    if fig.qualifier != "exact":
        shown = i18n.t(f"atlas.eval.qualifier.{fig.qualifier}", lang, value=shown)
    return shown


def figure_label(fig: Figure, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return _pick(fig.label, lang)


def evaluation_records(studies: Sequence[Study], lang: str = i18n.DEFAULT_LANGUAGE,
                       chart_only: bool = False) -> list[dict[str, Any]]:
    """One record per figure, with its source: what the page plots and lists."""
    out: list[dict[str, Any]] = []
    for study in studies:
        for fig in study.figures:
            if chart_only and not fig.chart:
                continue
            out.append({
                "study": study.id,
                "place": study.place,
                "figure": fig.id,
                "label": _pick(fig.label, lang),
                "value": fig.value,
                "unit": fig.unit,
                "shown": figure_text(fig, lang),
                "chart": fig.chart,
                "checked": fig.checked,
                "source_title": study.title,
                "publisher": study.publisher or "",
                "year": year_text(study, lang),
                "urls": list(study.urls),
                "source": source_text(study, lang),
            })
    return out


def chart_frame(study: Study, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The plotted figures of one study (percentages, in file order) as a small frame."""
    records = [r for r in evaluation_records([study], lang, chart_only=True) if r["unit"] == "percent"]
    frame = pd.DataFrame.from_records(records, columns=["figure", "label", "value", "shown", "source"])
    frame["order"] = range(len(frame))
    return frame


@lru_cache(maxsize=32)
def chart_spec(study_id: str, lang: str = i18n.DEFAULT_LANGUAGE) -> dict[str, Any] | None:
    """The vega-lite spec (bars with their values) of one study's chart, built once per language;
    None when the study has no percentages to plot. Read-only: every session shares it."""
    import altair as alt

    study = next(s for s in load_evaluations() if s.id == study_id)
    frame = chart_frame(study, lang)
    if frame.empty:
        return None
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=frame["label"].tolist(), title=None,
                axis=alt.Axis(labelLimit=360, labelFontSize=12)),
        x=alt.X("value:Q", title=i18n.t("atlas.eval.axis_percent", lang), scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("label:N", title=i18n.t("atlas.eval.tooltip_label", lang)),
                 alt.Tooltip("shown:N", title=i18n.t("atlas.eval.tooltip_value", lang))],
    )
    bars = base.mark_bar(color="#1f4e79")
    text = base.mark_text(align="left", dx=4, color="#1a1a1a").encode(text="shown:N")
    return (bars + text).properties(height=alt.Step(34)).to_dict()


# ---- vignettes and scoring ----------------------------------------------------------------------
@dataclass(frozen=True)
class Vignette:
    id: str
    title: Mapping[str, str]
    story: Mapping[str, str]
    answers: Mapping[str, Any]
    expected_level: str
    lesson: Mapping[str, str]

    def text(self, name: str, lang: str) -> str:
        return _pick(getattr(self, name), lang)


@lru_cache(maxsize=8)
def load_vignettes(path: Path | str = VIGNETTES_FILE) -> tuple[Vignette, ...]:
    """All practice cases; every case's answers are checked with ``triage.parse_answers``."""
    from .triage import parse_answers

    path = Path(path)
    entries = _entries(path, _read_yaml(path), "vignettes")
    errors: list[str] = []
    out: list[Vignette] = []
    ids: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        vid = str(entry.get("id") or "")
        where = f"{path.name}: vignette {n} ({vid})"
        if not vid or vid in ids:
            errors.append(f"{where}: id must be present and unique, got {vid!r}")
        ids.add(vid)
        answers = entry.get("answers")
        try:
            parse_answers(answers)
        except InputError as exc:
            errors.append(f"{where}.answers: {exc}")
        expected = entry.get("expected_level")
        if expected not in vocab.LEVELS:
            errors.append(f"{where}.expected_level: {expected!r} is not a level id (allowed: {', '.join(vocab.LEVELS)})")
        out.append(Vignette(
            id=vid,
            title=_bilingual(entry.get("title"), f"{where}.title", errors),
            story=_bilingual(entry.get("story"), f"{where}.story", errors),
            answers=dict(answers) if isinstance(answers, Mapping) else {},
            expected_level=str(expected),
            lesson=_bilingual(entry.get("lesson"), f"{where}.lesson", errors),
        ))
    if errors:
        raise DataError(errors)
    return tuple(out)


@dataclass(frozen=True)
class Score:
    """A learner's pick compared with the engine's advice."""

    points: int
    verdict: str  # exact / close / off / crisis_missed
    picked: str
    advised: str
    rung_diff: int  # picked rung - advised rung (crisis counts as 5)
    max_points: int = 2

    @property
    def crisis_missed(self) -> bool:
        return self.verdict == "crisis_missed"

    @property
    def direction(self) -> str:
        """``same``, ``heavier`` or ``lighter``: the pick compared with the advice."""
        return "same" if self.rung_diff == 0 else ("heavier" if self.rung_diff > 0 else "lighter")


def score(picked: str, advised: str) -> Score:
    """Exact level 2 points; one rung off (or the other level on the same rung) 1; else 0.

    Missing a crisis is always 0 (``verdict == "crisis_missed"``): the page shows a warning.
    """
    for name, value in (("picked", picked), ("advised", advised)):
        if value not in vocab.LEVEL_RUNG:
            raise InputError(f"{name} level {value!r} is not a level id (allowed: {', '.join(vocab.LEVELS)})",
                             field=name, value=value)
    diff = vocab.rung(picked) - vocab.rung(advised)
    if picked == advised:
        return Score(2, "exact", picked, advised, diff)
    if advised == "crisis":
        return Score(0, "crisis_missed", picked, advised, diff)
    if abs(diff) <= 1:
        return Score(1, "close", picked, advised, diff)
    return Score(0, "off", picked, advised, diff)


# ---- region look-ups ------------------------------------------------------------------------------
@dataclass(frozen=True)
class WaitingStats:
    services: int
    known: int
    median: float | None
    low: int | None
    high: int | None


def level_services(atlas: Atlas, level: str) -> pd.DataFrame:
    """The region's services at a level (a copy; never the atlas's own frame), by name."""
    frame = atlas.services.loc[atlas.services["level"] == level].copy()
    return frame.sort_values("name", kind="stable")


def waiting_stats(atlas: Atlas, level: str) -> WaitingStats:
    """Median and range of the known waiting times (weeks) of the region's services at a level."""
    frame = atlas.services.loc[atlas.services["level"] == level, "waiting_weeks"]
    known = [int(v) for v in frame.tolist() if v is not None and not pd.isna(v)]
    if not known:
        return WaitingStats(len(frame), 0, None, None, None)
    return WaitingStats(len(frame), len(known), float(statistics.median(known)), min(known), max(known))


@per_atlas
def _waiting_figures(atlas: Atlas) -> dict[tuple[str, bool], figures.Figure]:
    svc = atlas.services
    return {(str(level), include): figures.waiting(frame, include)
            for level, frame in svc.groupby("level", sort=False) for include in (False, True)}


def waiting_figure(atlas: Atlas, level: str, include_examples: bool = False) -> figures.Figure:
    """The waiting time at a level as an honest figure (real services only unless asked); computed
    once per atlas."""
    found = _waiting_figures(atlas).get((level, bool(include_examples)))
    return found if found is not None else figures.make(None, (), include_examples)


@dataclass(frozen=True)
class LevelList:
    """The region's services at one level: counts and one page of names (never the whole region)."""

    level: str
    n_real: int
    n_all: int
    matching: int  # services that pass the search
    ids: tuple[str, ...]  # this page
    page: int
    pages: int


@per_atlas
def _level_lists(atlas: Atlas) -> dict[str, tuple[list[str], list[str], list[bool]]]:
    """Per level: ids by name, their normalised names, and whether each is real (built once)."""
    from .search import normalise

    svc = atlas.services.sort_values("name", kind="stable")
    out: dict[str, tuple[list[str], list[str], list[bool]]] = {}
    for level, frame in svc.groupby("level", sort=False):
        out[str(level)] = ([str(i) for i in frame.index], [normalise(n) for n in frame["name"]],
                           figures.real_mask(frame["status"]))
    return out


def level_list(atlas: Atlas, level: str, query: str = "", page: int = 1, per_page: int = 10,
               include_examples: bool = False) -> LevelList:
    """One page of the services at ``level`` whose name contains ``query``: real ones first, by name."""
    from .search import normalise

    ids, names, real = _level_lists(atlas).get(level, ([], [], []))
    n_real = sum(real)
    wanted = normalise(query).strip()
    rows = [i for i in range(len(ids)) if (include_examples or real[i]) and (not wanted or wanted in names[i])]
    rows.sort(key=lambda i: not real[i])  # stable: real first, then by name
    pages = max(1, -(-len(rows) // max(per_page, 1)))
    page = min(max(int(page), 1), pages)
    chosen = rows[(page - 1) * per_page: page * per_page]
    return LevelList(level=level, n_real=n_real, n_all=len(ids), matching=len(rows),
                     ids=tuple(ids[i] for i in chosen), page=page, pages=pages)


@dataclass(frozen=True)
class CallOption:
    """One answer to "wie bel ik voor ...?": a service, how to get in and how to reach it."""

    service_id: str
    name: str
    organization: str
    level: str
    access_route: str
    phone: str
    email: str
    url: str
    waiting_weeks: int | None
    status: str
    serves_area: bool | None
    distance_m: float | None


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _region_picks(atlas: Atlas, concern: str, age_years: int, levels: Sequence[str],
                  per_level: int) -> list[str]:
    """Per level, the services fit for the age and concern: real ones first, then known shortest
    wait, then name.

    Vectorised over the match index (general services, with no concerns listed, count as fitting).
    """
    from .matching import match_index

    ix = match_index(atlas)
    if not ix.ids:
        return []
    months = int(age_years) * 12
    fits = (ix.age_min <= months + 11) & (ix.age_max >= months)
    bit = 1 << vocab.CONCERNS.index(concern)
    fits &= (ix.concern_mask == 0) | ((ix.concern_mask & bit) != 0)
    out: list[str] = []
    for level in levels:
        if level not in vocab.LEVELS:
            continue
        positions = np.flatnonzero(fits & (ix.level_code == vocab.LEVELS.index(level)))
        if not len(positions):
            continue
        wait = ix.waiting_key[positions]
        example = ~np.array([figures.is_real(ix.statuses[int(p)]) for p in positions], dtype=bool)
        order = np.lexsort((ix.name_rank[positions], np.where(np.isinf(wait), 0, wait), np.isinf(wait), example))
        out += [ix.ids[int(p)] for p in positions[order][:per_level]]
    return out


def who_to_call(atlas: Atlas, concern: str, age_years: int, area: Area | None = None,
                per_level: int = 3, levels: Sequence[str] | None = None) -> list[CallOption]:
    """The local services for a concern and an age, lightest level first.

    With an area, services that serve it (or are within reach) come from
    :func:`socialmap.matching.match` (serving first, then nearest, then shortest wait; read from
    the lookup table once it is built); without,
    the region's services at each level are filtered on age and concern (general services, with
    no concerns listed, count as fitting). Within a level real services come before illustrative
    ones, so an example never hides a real service to call. At most ``per_level`` per level; crisis is left out
    (the crisis numbers are always on the page).
    """
    if concern not in vocab.CONCERNS:
        raise InputError(f"concern {concern!r} is not allowed (allowed: {', '.join(vocab.CONCERNS)})",
                         field="concern", value=concern)
    if isinstance(age_years, bool) or not isinstance(age_years, int) or not 0 <= age_years <= vocab.AGE_MAX_YEARS:
        raise InputError(f"age {age_years!r} is not allowed (expected a whole number of years 0-{vocab.AGE_MAX_YEARS})",
                         field="age", value=age_years)
    wanted = tuple(levels) if levels is not None else vocab.LADDER
    services = atlas.services
    picks: list[tuple[str, bool | None, float | None]] = []
    if area is not None:
        from .matching import match_by_lookup

        for level in wanted:  # match's result, from the lookup table once it is built
            found = match_by_lookup(atlas, area, [level], age_years, [concern])
            found.sort(key=lambda m: not figures.is_real(m.status))  # stable: real services first
            picks += [(m.service_id, m.serves_area, m.distance_m) for m in found[:per_level]]
    else:
        picks += [(sid, None, None) for sid in _region_picks(atlas, concern, age_years, wanted, per_level)]
    orgs = atlas.organizations
    out: list[CallOption] = []
    for sid, serves_area, distance in picks:
        row = services.loc[sid]
        org_id = row["organization_id"]
        org = orgs.loc[org_id] if org_id in orgs.index else None
        wait = row["waiting_weeks"]
        out.append(CallOption(
            service_id=sid,
            name=_text(row["name"]),
            organization=_text(org["name"]) if org is not None else "",
            level=row["level"],
            access_route=_text(row["access_route"]),
            phone=_text(row["phone"]) or (_text(org["phone"]) if org is not None else ""),
            email=_text(row["email"]) or (_text(org["email"]) if org is not None else ""),
            url=_text(row["url"]) or (_text(org["url"]) if org is not None else ""),
            waiting_weeks=None if wait is None or pd.isna(wait) else int(wait),
            status=_text(row["status"]),
            serves_area=serves_area,
            distance_m=distance,
        ))
    return out


def warm(atlas: Atlas) -> None:
    """Read the atlas texts and build the per-level lists and waiting figures (once per atlas)."""
    load_levels()
    load_evaluations()
    load_vignettes()
    for study in load_evaluations():
        chart_spec(study.id, i18n.DEFAULT_LANGUAGE)
    _level_lists(atlas)
    _waiting_figures(atlas)


__all__ = [
    "warm", "CallOption", "Edge", "Figure", "LevelInfo", "LevelList", "level_list", "waiting_figure", "Score", "Study", "Vignette", "WaitingStats",
    "chart_frame", "chart_spec", "dot_escape", "evaluation_records", "figure_label", "figure_text", "level_info", "level_services",
    "load_evaluations", "load_levels", "load_vignettes", "route_dot", "route_edges", "score",
    "source_text", "waiting_stats", "who_to_call", "year_text",
]
