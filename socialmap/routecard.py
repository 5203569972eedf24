"""The parent's route card: HTML (screen and print), PDF (fpdf2) and the QR code that reopens it.

All three render one :class:`socialmap.route.Route`, so they cannot disagree. The PDF fits one A4
page for three services; it is built only when asked. The QR code is cached per URL. The PDF
uses the core Helvetica font, which only knows latin-1: :func:`latin1` transliterates typographic
characters and strips what cannot be shown. Everything is built in memory; nothing is written to
disk.
"""

from __future__ import annotations

import html
import io
import unicodedata
from typing import Sequence

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from . import i18n
from functools import lru_cache

from . import advisor
from .advisor import ServiceCard, waiting_text
from .route import Route, level_label

_REPLACE = {
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201a": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2022": "-", "\u2026": "...", "\u20ac": "EUR",
    "\u00a0": " ", "\u2192": "->", "\u2190": "<-", "\u2264": "<=", "\u2265": ">=", "\u2009": " ",
    "\u200b": "", "\u0141": "L", "\u0142": "l", "\u0153": "oe", "\u0152": "OE", "\u0131": "i",
    "\u0111": "d", "\u0110": "D",
}


def latin1(text: object) -> str:
    """Text the PDF core fonts can show: latin-1 kept, the rest transliterated or dropped."""
    out = []
    for ch in str(text):
        if ch in _REPLACE:
            out.append(_REPLACE[ch])
        elif ord(ch) < 256:
            out.append(ch if ch.isprintable() or ch == "\n" else " ")
        else:
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if ord(c) < 128 and c.isprintable()))
    return "".join(out)


def qr_code(url: str) -> segno.QRCode:
    """The QR code for a URL (error correction M)."""
    return segno.make(url, error="m", micro=False)


@lru_cache(maxsize=64)
def qr_png(url: str, scale: int = 5) -> bytes:
    buf = io.BytesIO()
    qr_code(url).save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()


def qr_svg(url: str, scale: int = 4) -> str:
    """An inline ``<svg>`` (segno's own markup)."""
    return qr_code(url).svg_inline(scale=scale, border=2)


@lru_cache(maxsize=256)
def qr_data_uri(url: str, scale: int = 4) -> str:
    """A ``data:image/png;base64,...`` URI of the QR code, for an ``<img>`` in HTML (cached per URL)."""
    return qr_code(url).png_data_uri(scale=scale, border=2)


def date_text(iso: str, lang: str = "nl") -> str:
    """``2026-11-28`` -> ``28 november 2026`` (``28 November 2026`` in English)."""
    try:
        year, month, day = (int(p) for p in iso.split("-"))
        months = i18n.t("advisor.routecard.months", lang).split(",")
        return f"{day} {months[month - 1]} {year}"
    except (ValueError, IndexError):
        return iso


def demo_mark(lang: str) -> str:
    return i18n.t("common.demo.mark", lang)


def _tel(number: str) -> str:
    return "".join(ch for ch in number.split("/")[0] if ch.isdigit())


def contact_lines(route: Route) -> list[tuple[str, str]]:
    """(label, number) of the advice's contacts on a red flag, in the order to try."""
    out = []
    for contact in route.contacts:
        for line in contact.lines:
            if line.number:
                out.append((line.label, line.number))
    return out


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "..."


def _service_lines(card: ServiceCard, lang: str, compact: bool = False) -> list[str]:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    lines = []
    if card.description:
        lines.append(f"{t('advisor.card.what')}: {_short(card.description, 140) if compact else card.description}")
    lines.append(f"{t('advisor.card.for_whom')}: {card.ages}")
    if card.access_route:
        lines.append(f"{t('advisor.card.access')}: {i18n.label('access', card.access_route, lang)}")
    if card.phone:
        lines.append(f"{t('advisor.card.phone')}: {card.phone}")
    if card.address:
        lines.append(f"{t('advisor.card.address')}: {card.address}")
    if card.hours:
        lines.append(f"{t('advisor.card.hours')}: " + "; ".join(card.hours))
    if card.status != "illustrative":
        lines.append(waiting_text(card.waiting_weeks, lang))
    if card.url:
        lines.append(f"{t('advisor.card.website')}: {card.url}")
    return lines


class _PDF(FPDF):
    footer_text = ""

    def footer(self) -> None:  # noqa: D401 - fpdf2 hook
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.set_text_color(110)
        self.cell(0, 4, latin1(f"{self.footer_text}  {self.page_no()}"), align="C")


def pdf_bytes(route: Route, notes: str = "", compress: bool = True, crisis_lines: Sequence[tuple[str, str]] = (),
              reason: str = "") -> bytes:
    """The route card as PDF bytes, on one A4 page for three services (``compress=False`` keeps
    the text readable, for tests). ``crisis_lines``: the (label, number) pairs of the crisis bar."""
    lang = route.lang
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    pdf = _PDF(format="A4")
    pdf.footer_text = t("advisor.routecard.footer")
    pdf.set_compression(compress)
    pdf.set_margins(14, 11, 14)
    pdf.set_auto_page_break(True, margin=13)
    pdf.add_page()
    width = pdf.epw

    def heading(text: str, size: float = 11.5) -> None:
        if pdf.get_y() > pdf.page_break_trigger - 20:  # keep a heading with what follows
            pdf.add_page()
        pdf.ln(1.2)
        pdf.set_font("Helvetica", "B", size)
        pdf.set_text_color(31, 95, 168)
        pdf.multi_cell(width, 5.4, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)

    def para(text: str, size: float = 9, style: str = "", w: float | None = None, h: float = 4.2) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(w or width, h, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if route.demo:
        pdf.set_fill_color(91, 33, 182)
        pdf.set_text_color(255)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(width, 7, latin1(demo_mark(lang)), align="C", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
        pdf.ln(1)

    # Title and QR code (top right).
    qr_size = 30
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(route.url, scale=6)), x=pdf.w - pdf.r_margin - qr_size, y=top, w=qr_size)
    left = width - qr_size - 4
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(left, 8, latin1(t("advisor.routecard.title")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    para(t("advisor.routecard.subtitle"), 10, w=left, h=5)
    meta = t("advisor.routecard.created", date=date_text(route.created, lang))
    if route.area_label:
        meta += "  |  " + t("advisor.routecard.area_label", area=route.area_label)
    para(meta, 8.5, w=left)
    if route.note:
        para(route.note, 8.5, "I", w=left)

    def crisis_block() -> None:
        heading(t("advisor.routecard.crisis"), 10.5)
        para("   ".join(f"{label}: {number}" for label, number in crisis_lines), 8.5)

    if route.red_flag:
        heading(t("advisor.routecard.contacts"), 12)
        for label, number in contact_lines(route):
            para(f"{label}: {number}", 11, "B", h=5.2)
    pdf.set_y(max(pdf.get_y(), top + qr_size + 1))

    heading(t("advisor.routecard.advice"))
    para(route.title, 11.5, "B", h=5.4)
    if route.urgency_text:
        para(i18n.t("triage.route.urgency_line", lang, urgency=route.urgency_text), 9.5, "B")
    if route.override:
        para(f"{t('advisor.result.professional')}: {level_label(route.override, lang, route.audience)}", 9)
        if reason:
            para(f"{t('advisor.result.reason_label')}: {reason}", 9)
        if route.advice is not None:
            para(f"{t('advisor.result.engine')}: {level_label(route.advice.level, lang, route.audience)}", 9)
    for line in route.todo:
        para(line, 9)
    if route.own_practice is not None:
        para(f"{route.own_practice.title} {route.own_practice.todo}", 9, "I")

    heading(t("advisor.routecard.services"))
    chosen = route.picked_options()
    if not chosen:
        para(t("advisor.routecard.no_services"))
    for option in chosen:
        svc = option.card
        pdf.ln(0.6)
        if pdf.get_y() > pdf.page_break_trigger - 22:  # keep a service's name with its details
            pdf.add_page()
        status = "" if svc.status == "verified" else f"  [{i18n.label('status', svc.status, lang)}]"
        para(f"{svc.name}{status}  -  {level_label(svc.level, lang, route.audience)}", 10, "B", h=4.8)
        para("  |  ".join(_service_lines(svc, lang, compact=True)), 8.5, h=3.9)

    if route.bridging:
        heading(t("advisor.bridge.title"), 10.5)
        para(route.bridging_text, 9)
    heading(route.safety_net_title, 10.5)
    para(route.safety_net, 9)
    if notes.strip():
        heading(t("advisor.routecard.notes"), 10.5)
        para(notes.strip(), 9)
    crisis_block()
    pdf.ln(1)
    para(t("advisor.routecard.reopen") + " " + route.url, 7.5, h=3.4)
    return bytes(pdf.output())


#: The route card on screen and in print (``@media print`` hides the app around it).
PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], header, [data-testid="stToolbar"],
  [data-testid="stDecoration"], .stButton, [data-testid="stDownloadButton"], [data-testid="stTextArea"],
  [data-testid="stPageLink"], [data-testid="stAlert"], [data-testid="stExpander"], .sm-noprint,
  [data-testid="stSidebarCollapsedControl"], [data-testid="stMainMenu"],
  [data-testid="stCaptionContainer"], [data-testid="stMain"] [data-testid="stMarkdown"] { display: none !important; }
  .sm-card { border: none !important; box-shadow: none !important; }
  [data-testid="stAppViewContainer"] .block-container { padding-top: 0 !important; }
}
.sm-card{border:1px solid #d5dbe3;border-radius:10px;padding:18px 22px;background:#fff;color:#1d2a3a;max-width:900px}
.sm-card h2{margin:0 0 2px 0;font-size:1.6rem}.sm-card h3{margin:16px 0 6px 0;font-size:1.1rem;color:#1f5fa8}
.sm-card .sm-top{display:flex;justify-content:space-between;gap:16px;align-items:flex-start}
.sm-card .sm-meta{color:#555;font-size:.85rem}
.sm-card .sm-level{font-size:1.2rem;font-weight:700}
.sm-card .sm-svc{border-top:1px solid #e3e7ee;padding:8px 0}
.sm-card .sm-svc b{font-size:1.02rem}
.sm-card .sm-badge{display:inline-block;font-size:.72rem;border-radius:4px;padding:1px 6px;margin-left:6px;background:#f3e8ff;color:#5b21b6}
.sm-card .sm-badge.to_verify{background:#fff4e5;color:#9a3412}
.sm-card .sm-crisis{background:#fdecea;border-radius:8px;padding:8px 12px;margin-top:14px}
.sm-card .sm-notes{white-space:pre-wrap;border:1px dashed #aaa;border-radius:6px;padding:8px}
.sm-card .sm-url{font-size:.75rem;word-break:break-all;color:#444}
.sm-card ul{margin:0 0 0 1.1rem;padding:0}
.sm-card .sm-qr{image-rendering:pixelated;flex:none}
.sm-card .sm-demo{background:#5b21b6;color:#fff;font-weight:700;text-align:center;border-radius:6px;padding:4px;margin-bottom:8px}
.sm-card h4.sm-svc-name{font-size:1.02rem;margin:0;padding:0}
.sm-card .sm-crisis h3{margin-top:4px;color:#7f1d1d}.sm-card .sm-crisis ol{margin:0 0 0 1.2rem;padding:0;font-size:1.05rem}
</style>"""


def card_html(route: Route, notes: str, qr_uri: str, crisis_lines: Sequence[tuple[str, str]] = (),
              reason: str = "") -> str:
    """The printable route card as HTML; every text from data or answers is escaped."""
    lang = route.lang
    e = html.escape
    t = lambda key, **kw: e(i18n.t(key, lang, **kw))  # noqa: E731
    out = ['<div class="sm-card">']
    if route.demo:
        out.append(f'<div class="sm-demo">{e(demo_mark(lang))}</div>')
    out += ['<div class="sm-top"><div>',
            f'<h2>{t("advisor.routecard.title")}</h2><div>{t("advisor.routecard.subtitle")}</div>',
            f'<div class="sm-meta">{t("advisor.routecard.created", date=date_text(route.created, lang))}']
    if route.area_label:
        out.append(" · " + t("advisor.routecard.area_label", area=route.area_label))
    out.append("</div>")
    if route.note:
        out.append(f'<p class="sm-meta"><i>{e(route.note)}</i></p>')
    alt = t("advisor.routecard.qr_alt")
    out.append(f'</div><img class="sm-qr" src="{e(qr_uri)}" alt="{alt}" width="132" height="132"></div>')
    crisis = ('<div class="sm-crisis"><b>' + t("advisor.routecard.crisis") + "</b> " + " · ".join(
        f'{e(label)}: <a href="tel:{e(_tel(number))}">{e(number)}</a>' for label, number in crisis_lines) + "</div>")
    if route.red_flag:
        out.append('<div class="sm-crisis"><h3>' + t("advisor.routecard.contacts") + "</h3><ol>" + "".join(
            f'<li><b>{e(label)}</b>: <a href="tel:{e(_tel(number))}">{e(number)}</a></li>'
            for label, number in contact_lines(route)) + "</ol></div>")
    out.append(f'<h3>{t("advisor.routecard.advice")}</h3><div class="sm-level">{e(route.title)}</div>')
    if route.urgency_text:
        out.append(f'<p><b>{t("triage.route.urgency_line", urgency=route.urgency_text)}</b></p>')
    if route.override:
        out.append(f'<div>{t("advisor.result.professional")}: {e(level_label(route.override, lang, route.audience))}</div>')
        if reason:
            out.append(f'<div>{t("advisor.result.reason_label")}: {e(reason)}</div>')
        if route.advice is not None:
            out.append(f'<div class="sm-meta">{t("advisor.result.engine")}: '
                       f'{e(level_label(route.advice.level, lang, route.audience))}</div>')
    out.append("".join(f"<p>{e(line)}</p>" for line in route.todo))
    if route.own_practice is not None:
        out.append(f'<p><b>{t("advisor.routecard.own_practice")}:</b> {e(route.own_practice.title)} '
                   f'{e(route.own_practice.todo)}</p>')
    out.append(f'<h3>{t("advisor.routecard.services")}</h3>')
    chosen = route.picked_options()
    if not chosen:
        out.append(f'<p>{t("advisor.routecard.no_services")}</p>')
    for option in chosen:
        svc = option.card
        badge = "" if svc.status == "verified" else f'<span class="sm-badge {e(svc.status)}">{e(i18n.label("status", svc.status, lang))}</span>'
        lines = [f'<h4 class="sm-svc-name">{e(svc.name)}{badge}</h4>'
                 f'<span class="sm-meta">{e(level_label(svc.level, lang, route.audience))}</span>']
        for line in _service_lines(svc, lang):
            if svc.phone and line.endswith(svc.phone) and line.startswith(i18n.t("advisor.card.phone", lang)):
                lines.append(f'{t("advisor.card.phone")}: <a href="tel:{e(svc.tel)}">{e(svc.phone)}</a>')
            else:
                lines.append(e(line))
        out.append('<div class="sm-svc">' + "<br>".join(lines) + "</div>")
    if route.bridging:
        out.append(f'<h3>{t("advisor.bridge.title")}</h3><p>{e(route.bridging_text)}</p>')
    out.append(f'<h3>{e(route.safety_net_title)}</h3><p>{e(route.safety_net)}</p>')
    if notes.strip():
        out.append(f'<h3>{t("advisor.routecard.notes")}</h3><div class="sm-notes">{e(notes.strip())}</div>')
    out.append(crisis)
    out.append(f'<p class="sm-meta">{t("advisor.routecard.reopen")}</p><div class="sm-url">{e(route.url)}</div>')
    out.append(f'<p class="sm-meta">{t("advisor.routecard.footer")}</p></div>')
    return "".join(out)


__all__ = ["card_html", "PRINT_CSS", "date_text", "contact_lines", "latin1", "qr_code", "qr_png", "qr_svg",
           "qr_data_uri", "pdf_bytes"]
