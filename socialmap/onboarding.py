"""The onboarding sheet per wijk: a printable overview for a new POH Jeugd (no Streamlit here).

:func:`build_sheet` collects, for one CBS wijk, the region's services per care level, the GP
practices in the wijk with their youth professional and days, the wijkteam, the CJG and the crisis
numbers. :func:`to_html` renders it as a printable HTML fragment (every data string escaped),
:func:`to_markdown` as plain markdown text and :func:`to_pdf` as a PDF made with fpdf2. fpdf2's
core fonts only know latin-1, so :func:`latin1` transliterates everything else (dashes, curly
quotes, letters with rare accents) before it goes into the PDF.

A service belongs to the wijk when its service area covers the wijk (the wijk itself, its
gemeente or ``NL``) or one of the wijk's buurten, or when it has a location inside the wijk.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import i18n
from . import vocab
from .crisis import CRISIS_LINES
from .derived import per_atlas
from .errors import InputError
from .model import Atlas


_CJG_MARKERS = ("cjg", "centrum voor jeugd", "consultatiebureau", "jgz", "jeugdgezondheidszorg")


@dataclass(frozen=True)
class SheetService:
    id: str
    name: str
    organization: str
    level: str
    access_route: str
    phone: str
    email: str
    url: str
    waiting_weeks: int | None
    status: str


@dataclass(frozen=True)
class SheetPractice:
    id: str
    name: str
    address: str
    youth_professional: str
    youth_days: tuple[str, ...]
    service_name: str
    status: str


@dataclass(frozen=True)
class Sheet:
    region: str
    wijk_code: str
    wijk_name: str
    municipality: str
    population: int | None
    youth: int | None
    by_level: dict[str, list[SheetService]] = field(default_factory=dict)
    practices: list[SheetPractice] = field(default_factory=list)
    wijkteam: list[SheetService] = field(default_factory=list)
    cjg: list[SheetService] = field(default_factory=list)
    crisis: list[SheetService] = field(default_factory=list)
    huisartsenpost: tuple[str, str] | None = None
    illustrative: int = 0
    total: int = 0

    @property
    def service_ids(self) -> list[str]:
        return [s.id for level in vocab.LEVELS for s in self.by_level.get(level, [])]


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def wijken(atlas: Atlas) -> list[tuple[str, str, str]]:
    """Every wijk of the region as (code, name, municipality name), by municipality and name."""
    return list(_wijken(atlas))


@per_atlas
def _wijken(atlas: Atlas) -> tuple[tuple[str, str, str], ...]:
    """:func:`wijken`, built once per atlas (3,383 wijken nationally)."""
    areas = atlas.areas
    frame = areas.loc[areas["kind"] == "wijk"]
    names = {code: str(areas.at[code, "name"]) for code in areas.index[areas["kind"] == "gemeente"]}
    out = [(str(code), str(name), names.get(muni, ""))
           for code, name, muni in zip(frame.index, frame["name"], frame["municipality_code"])]
    return tuple(sorted(out, key=lambda t: (t[2], t[1], t[0])))


def _wijk_service_ids(atlas: Atlas, wijk_code: str) -> list[str]:
    areas = atlas.areas
    buurten = set(areas.index[(areas["kind"] == "buurt") & (areas["parent_code"] == wijk_code)])
    covering = set(atlas.area_chain(wijk_code)) | {vocab.NATIONAL_AREA} | buurten
    ids = [sid for sid, codes in atlas.services["service_area"].items() if covering.intersection(codes or ())]
    located = _locations_in(atlas, wijk_code)
    if located:
        sal = atlas.service_at_location
        ids += sal.loc[sal["location_id"].isin(located), "service_id"].tolist()
    seen: set[str] = set()
    return [s for s in ids if not (s in seen or seen.add(s))]


def _locations_in(atlas: Atlas, wijk_code: str) -> set[str]:
    geom = atlas.areas.at[wijk_code, "geometry"] if "geometry" in atlas.areas.columns else None
    if geom is None or getattr(geom, "is_empty", True):
        return set()
    points = atlas.locations.geometry
    inside = points.within(geom)
    return set(points.index[inside.fillna(False).astype(bool)])


def _service(atlas: Atlas, sid: str) -> SheetService:
    row = atlas.services.loc[sid]
    orgs = atlas.organizations
    org = orgs.loc[row["organization_id"]] if row["organization_id"] in orgs.index else None
    wait = row["waiting_weeks"]
    return SheetService(
        id=sid,
        name=_text(row["name"]),
        organization=_text(org["name"]) if org is not None else "",
        level=str(row["level"]),
        access_route=_text(row["access_route"]),
        phone=_text(row["phone"]) or (_text(org["phone"]) if org is not None else ""),
        email=_text(row["email"]) or (_text(org["email"]) if org is not None else ""),
        url=_text(row["url"]) or (_text(org["url"]) if org is not None else ""),
        waiting_weeks=None if wait is None or pd.isna(wait) else int(wait),
        status=_text(row["status"]),
    )


def build_sheet(atlas: Atlas, wijk_code: str) -> Sheet:
    """The onboarding sheet of one wijk (``InputError`` for a code that is not a wijk)."""
    area = atlas.area(wijk_code)
    if area.kind != "wijk":
        raise InputError(f"area_code '{wijk_code}' is a {area.kind}, not a wijk (expected a WK code, e.g. "
                         f"{wijken(atlas)[0][0] if wijken(atlas) else 'WK039201'})",
                         field="area_code", value=wijk_code)
    ids = _wijk_service_ids(atlas, area.code)
    services = [_service(atlas, sid) for sid in ids]
    services.sort(key=lambda s: (s.status == "illustrative", s.name.lower(), s.id))  # real services first
    by_level = {level: [s for s in services if s.level == level] for level in vocab.LEVELS}
    cjg = [s for s in by_level["open_access"]
           if any(m in f"{s.name} {s.organization}".lower() for m in _CJG_MARKERS)]

    located = _locations_in(atlas, area.code)
    gp = atlas.gp_practices
    buurten = set(atlas.areas.index[(atlas.areas["kind"] == "buurt") & (atlas.areas["parent_code"] == area.code)])
    local_codes = {area.code} | buurten

    # a practice belongs to the wijk when it lies in it or its youth service names the wijk (or a buurt)
    named = {sid for sid, codes in atlas.services["service_area"].items() if local_codes.intersection(codes or ())}
    here = gp["location_id"].isin(located) | gp["service_id"].isin(named) if len(gp) else gp["location_id"].isna()
    practice_ids = list(gp.index[here.to_numpy(dtype=bool)])
    practices: list[SheetPractice] = []
    for pid in practice_ids:
        row = gp.loc[pid]
        org = atlas.organizations.loc[row["organization_id"]] if row["organization_id"] in atlas.organizations.index else None
        loc = atlas.locations.loc[row["location_id"]] if row["location_id"] in atlas.locations.index else None
        svc = _text(row["service_id"])
        practices.append(SheetPractice(
            id=str(pid),
            name=_text(org["name"]) if org is not None else str(pid),
            address=", ".join(p for p in (_text(loc["address"]), _text(loc["city"])) if p) if loc is not None else "",
            youth_professional=_text(row["youth_professional"]) or "none",
            youth_days=tuple(row["youth_days"] or ()),
            service_name=_text(atlas.services.at[svc, "name"]) if svc and svc in atlas.services.index else "",
            status=_text(org["status"]) if org is not None else "",
        ))
    practices.sort(key=lambda p: p.name.lower())

    post = None
    hap = atlas.region.huisartsenpost_service_id
    if hap and hap in atlas.services.index:
        post = (_text(atlas.services.at[hap, "name"]), _text(atlas.services.at[hap, "phone"]))
    illustrative, total = atlas.illustrative_share(ids) if ids else (0, 0)
    return Sheet(
        region=atlas.region.name, wijk_code=area.code, wijk_name=area.name,
        municipality=area.municipality_name, population=area.population,
        youth=(area.age_0_14 or 0) + (area.age_15_24 or 0) if area.age_0_14 is not None or area.age_15_24 is not None else None,
        by_level=by_level, practices=practices, wijkteam=by_level["wijkteam"], cjg=cjg,
        crisis=by_level["crisis"], huisartsenpost=post, illustrative=illustrative, total=total,
    )


# ---- rendering --------------------------------------------------------------------------------
def _status_word(status: str, lang: str) -> str:
    return "" if status == "verified" or not status else i18n.label("status", status, lang)


def _contact(s: SheetService, lang: str) -> str:
    parts = []
    if s.phone:
        parts.append(f"{i18n.t('atlas.sheet.phone', lang)} {s.phone}")
    if s.email:
        parts.append(s.email)
    if s.url:
        parts.append(s.url)
    if parts:
        return " · ".join(parts)
    own_cjg = "cjg" in f"{s.name} {s.organization}".lower()
    return i18n.t("map.honest.no_contact_cjg", lang) if own_cjg else i18n.t("atlas.sheet.no_contact", lang)


def _days(days: tuple[str, ...], lang: str) -> str:
    return ", ".join(i18n.label("weekday", d, lang) for d in days) or i18n.t("atlas.sheet.days_unknown", lang)


def _crisis_lines(sheet: Sheet, lang: str) -> list[tuple[str, str]]:
    lines = [(i18n.t(key, lang), number) for key, number, _ in CRISIS_LINES]
    if sheet.huisartsenpost:
        name, phone = sheet.huisartsenpost
        lines.append((f"{i18n.t('common.crisis.line_huisartsenpost', lang)} · {name}", phone or "-"))
    shown = {_digits(part) for _, number in lines for part in number.split("/")}
    for s in sheet.crisis:
        digits = _digits(s.phone)
        if digits and digits not in shown and (not sheet.huisartsenpost or s.name != sheet.huisartsenpost[0]):
            lines.append((s.name, s.phone))
            shown.add(digits)
    return lines


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def _service_line(s: SheetService, lang: str) -> tuple[str, str]:
    """(name part, detail part) of one service line."""
    detail = [i18n.label("access", s.access_route, lang) if s.access_route else "", _contact(s, lang)]
    if s.waiting_weeks is not None:
        detail.append(i18n.t("atlas.sheet.waiting", lang, weeks=s.waiting_weeks))
    status = _status_word(s.status, lang)
    if status:
        detail.append(f"[{status}]")
    return s.name, " · ".join(d for d in detail if d)


def _intro(sheet: Sheet, lang: str) -> str:
    return i18n.t("atlas.sheet.intro", lang, wijk=sheet.wijk_name, municipality=sheet.municipality,
                  region=sheet.region)


def _md_text(value: object) -> str:
    """Data text for the markdown file: ``<`` and ``>`` as entities, so a viewer that renders HTML
    in markdown shows them as text instead of running them as tags."""
    return str(value).replace("<", "&lt;").replace(">", "&gt;")


def to_markdown(sheet: Sheet, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The sheet as plain markdown; ``<`` and ``>`` in data text are written as ``&lt;`` / ``&gt;``."""
    e = _md_text
    out = [f"# {e(i18n.t('atlas.sheet.title', lang, wijk=sheet.wijk_name))}", "", e(_intro(sheet, lang)), ""]
    out += [f"## {i18n.t('atlas.sheet.crisis', lang)}", ""]
    out += [f"- **{e(label)}**: {e(number)}" for label, number in _crisis_lines(sheet, lang)]
    out += ["", f"## {i18n.t('atlas.sheet.practices', lang)}", ""]
    if not sheet.practices:
        out.append(i18n.t("atlas.sheet.none", lang))
    for p in sheet.practices:
        prof = i18n.label("professional", p.youth_professional, lang)
        line = f"- **{e(p.name)}**" + (f", {e(p.address)}" if p.address else "") + f": {prof}"
        if p.youth_professional != "none":
            line += f" ({_days(p.youth_days, lang)})"
        if _status_word(p.status, lang):
            line += f" [{_status_word(p.status, lang)}]"
        out.append(line)
    for key, items in (("atlas.sheet.wijkteam", sheet.wijkteam), ("atlas.sheet.cjg", sheet.cjg)):
        out += ["", f"## {i18n.t(key, lang)}", ""]
        out += [f"- **{e(n)}**: {e(d)}" for n, d in map(lambda s: _service_line(s, lang), items)] or [i18n.t("atlas.sheet.none", lang)]
    out += ["", f"## {i18n.t('atlas.sheet.per_level', lang)}"]
    for level in vocab.LADDER:
        items = sheet.by_level.get(level, [])
        out += ["", f"### {i18n.label('level', level, lang)} ({len(items)})", ""]
        out += [f"- **{e(n)}**: {e(d)}" for n, d in map(lambda s: _service_line(s, lang), items)] or [i18n.t("atlas.sheet.none", lang)]
    out += ["", i18n.t("atlas.sheet.footer", lang, n=sheet.illustrative, total=sheet.total)]
    return "\n".join(out) + "\n"


_CSS = """
<style>
.sheet{font-family:Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:60rem;line-height:1.35}
.sheet h1{font-size:1.5rem;margin:0 0 .3rem}
.sheet h2{font-size:1.1rem;margin:1rem 0 .3rem;border-bottom:2px solid #1f4e79;color:#1f4e79}
.sheet h3{font-size:.95rem;margin:.7rem 0 .2rem}
.sheet ul{margin:.2rem 0 .4rem 1.1rem;padding:0}
.sheet li{margin:.1rem 0}
.sheet .crisis{background:#fde7e9;border-left:4px solid #b00020;padding:.4rem .7rem}
.sheet .muted{color:#555;font-size:.85rem}
.sheet .badge{font-size:.75rem;background:#efe6fb;color:#5b2a86;border-radius:.5rem;padding:0 .35rem}
.sheet .badge.to_verify{background:#fff1dc;color:#8a4b00}
@media print{.sheet h2{break-after:avoid}.sheet li{break-inside:avoid}}
</style>
"""


def _html_services(items: list[SheetService], lang: str) -> str:
    if not items:
        return f"<p class='muted'>{html.escape(i18n.t('atlas.sheet.none', lang))}</p>"
    rows = []
    for s in items:
        name, detail = _service_line(s, lang)
        status = _status_word(s.status, lang)
        if status:
            detail = detail.replace(f" · [{status}]", "")
        badge = f" <span class='badge {html.escape(s.status)}'>{html.escape(status)}</span>" if status else ""
        rows.append(f"<li><b>{html.escape(name)}</b>{badge}<br><span class='muted'>{html.escape(detail)}</span></li>")
    return "<ul>" + "".join(rows) + "</ul>"


def to_html(sheet: Sheet, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The sheet as a printable, self-contained HTML fragment; every data string is escaped."""
    e = html.escape
    parts = [_CSS, "<div class='sheet'>",
             f"<h1>{e(i18n.t('atlas.sheet.title', lang, wijk=sheet.wijk_name))}</h1>",
             f"<p>{e(_intro(sheet, lang))}</p>",
             f"<h2>{e(i18n.t('atlas.sheet.crisis', lang))}</h2><div class='crisis'><ul>"]
    parts += [f"<li><b>{e(label)}</b>: {e(number)}</li>" for label, number in _crisis_lines(sheet, lang)]
    parts.append(f"</ul></div><h2>{e(i18n.t('atlas.sheet.practices', lang))}</h2>")
    if sheet.practices:
        parts.append("<ul>")
        for p in sheet.practices:
            prof = i18n.label("professional", p.youth_professional, lang)
            days = f" ({e(_days(p.youth_days, lang))})" if p.youth_professional != "none" else ""
            status = _status_word(p.status, lang)
            badge = f" <span class='badge {e(p.status)}'>{e(status)}</span>" if status else ""
            addr = f"<br><span class='muted'>{e(p.address)}</span>" if p.address else ""
            parts.append(f"<li><b>{e(p.name)}</b>{badge}: {e(prof)}{days}{addr}</li>")
        parts.append("</ul>")
    else:
        parts.append(f"<p class='muted'>{e(i18n.t('atlas.sheet.none', lang))}</p>")
    parts.append(f"<h2>{e(i18n.t('atlas.sheet.wijkteam', lang))}</h2>{_html_services(sheet.wijkteam, lang)}")
    parts.append(f"<h2>{e(i18n.t('atlas.sheet.cjg', lang))}</h2>{_html_services(sheet.cjg, lang)}")
    parts.append(f"<h2>{e(i18n.t('atlas.sheet.per_level', lang))}</h2>")
    for level in vocab.LADDER:
        items = sheet.by_level.get(level, [])
        parts.append(f"<h3>{e(i18n.label('level', level, lang))} ({len(items)})</h3>{_html_services(items, lang)}")
    parts.append(f"<p class='muted'>{e(i18n.t('atlas.sheet.footer', lang, n=sheet.illustrative, total=sheet.total))}</p>")
    parts.append("</div>")
    return "\n".join(parts)


_LATIN1_MAP = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2026": "...", "\u2022": "-", "\u00b7": "-", "\u20ac": "EUR", "\u2192": "->", "\u2190": "<-",
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0131": "i", "\u0152": "OE", "\u0153": "oe",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2122": "TM", "\u2264": "<=", "\u2265": ">=",
}


def latin1(text: object) -> str:
    """Text that fpdf2's core fonts can draw: latin-1 kept, other characters transliterated."""
    out: list[str] = []
    for ch in str(text):
        if ch in _LATIN1_MAP:
            out.append(_LATIN1_MAP[ch])
            continue
        try:
            ch.encode("latin-1")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode("latin-1")
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def to_pdf(sheet: Sheet, lang: str = i18n.DEFAULT_LANGUAGE, compress: bool = True) -> bytes:
    """The sheet as an A4 PDF (fpdf2, core fonts; text transliterated to latin-1)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(latin1(i18n.t("atlas.sheet.title", lang, wijk=sheet.wijk_name)))
    pdf.add_page()
    width = pdf.epw

    def para(text: str, size: float = 10, style: str = "", color: tuple[int, int, int] = (26, 26, 26),
             height: float = 5.0) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.set_text_color(*color)
        pdf.multi_cell(width, height, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def heading(text: str, size: float = 13) -> None:
        pdf.ln(2)
        para(text, size=size, style="B", color=(31, 78, 121), height=6.5)
        y = pdf.get_y()
        pdf.set_draw_color(31, 78, 121)
        pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
        pdf.ln(1.5)

    def item(name: str, detail: str) -> None:
        para(f"- {name}", size=10, style="B")
        if detail:
            pdf.set_x(pdf.l_margin + 4)
            pdf.set_font("Helvetica", "", 9)
            pdf.set_text_color(80, 80, 80)
            pdf.multi_cell(width - 4, 4.4, latin1(detail), new_x="LMARGIN", new_y="NEXT")

    para(i18n.t("atlas.sheet.title", lang, wijk=sheet.wijk_name), size=18, style="B", height=9)
    para(_intro(sheet, lang), size=10)
    heading(i18n.t("atlas.sheet.crisis", lang))
    for label, number in _crisis_lines(sheet, lang):
        para(f"{label}: {number}", size=10, style="B", color=(122, 0, 22))
    heading(i18n.t("atlas.sheet.practices", lang))
    if not sheet.practices:
        para(i18n.t("atlas.sheet.none", lang), size=9)
    for p in sheet.practices:
        prof = i18n.label("professional", p.youth_professional, lang)
        days = f" ({_days(p.youth_days, lang)})" if p.youth_professional != "none" else ""
        status = _status_word(p.status, lang)
        item(p.name, " · ".join(x for x in (f"{prof}{days}", p.address, f"[{status}]" if status else "") if x))
    for key, items in (("atlas.sheet.wijkteam", sheet.wijkteam), ("atlas.sheet.cjg", sheet.cjg)):
        heading(i18n.t(key, lang))
        if not items:
            para(i18n.t("atlas.sheet.none", lang), size=9)
        for s in items:
            item(*_service_line(s, lang))
    heading(i18n.t("atlas.sheet.per_level", lang))
    for level in vocab.LADDER:
        items = sheet.by_level.get(level, [])
        para(f"{i18n.label('level', level, lang)} ({len(items)})", size=11, style="B", height=6)
        if not items:
            para(i18n.t("atlas.sheet.none", lang), size=9)
        for s in items:
            item(*_service_line(s, lang))
        pdf.ln(1)
    pdf.ln(2)
    para(i18n.t("atlas.sheet.footer", lang, n=sheet.illustrative, total=sheet.total), size=8,
         color=(90, 90, 90), height=4)
    return bytes(pdf.output())


__all__ = ["Sheet", "SheetPractice", "SheetService", "build_sheet", "latin1",
           "to_html", "to_markdown", "to_pdf", "wijken"]
