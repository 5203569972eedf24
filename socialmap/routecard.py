"""The parent's route card as PDF (fpdf2) and the QR code that reopens it (segno).

The PDF uses the core Helvetica font, which only knows latin-1: :func:`latin1` transliterates
typographic characters and strips what cannot be shown. Everything is built in memory; nothing
is written to disk.
"""

from __future__ import annotations

import html
import io
import unicodedata

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from . import i18n
from . import advisor
from .advisor import RouteCard, ServiceCard, waiting_text

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


def qr_png(url: str, scale: int = 5) -> bytes:
    buf = io.BytesIO()
    qr_code(url).save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()


def qr_svg(url: str, scale: int = 4) -> str:
    """An inline ``<svg>`` (segno's own markup)."""
    return qr_code(url).svg_inline(scale=scale, border=2)


def qr_data_uri(url: str, scale: int = 4) -> str:
    """A ``data:image/png;base64,...`` URI of the QR code, for an ``<img>`` in HTML."""
    return qr_code(url).png_data_uri(scale=scale, border=2)


class _PDF(FPDF):
    footer_text = ""

    def footer(self) -> None:  # noqa: D401 - fpdf2 hook
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.set_text_color(110)
        self.cell(0, 5, latin1(f"{self.footer_text}  {self.page_no()}"), align="C")


def _service_lines(card: ServiceCard, lang: str) -> list[str]:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    lines = []
    if card.description:
        lines.append(f"{t('advisor.card.what')}: {card.description}")
    lines.append(f"{t('advisor.card.for_whom')}: {card.ages}")
    if card.access_route:
        lines.append(f"{t('advisor.card.access')}: {i18n.label('access', card.access_route, lang)}")
    if card.phone:
        lines.append(f"{t('advisor.card.phone')}: {card.phone}")
    if card.address:
        lines.append(f"{t('advisor.card.address')}: {card.address}")
    if card.hours:
        lines.append(f"{t('advisor.card.hours')}: " + "; ".join(card.hours))
    lines.append(waiting_text(card.waiting_weeks, lang))
    if card.url:
        lines.append(f"{t('advisor.card.website')}: {card.url}")
    return lines


def pdf_bytes(card: RouteCard, notes: str = "", compress: bool = True) -> bytes:
    """The route card as PDF bytes (``compress=False`` keeps the text readable, for tests)."""
    lang = card.lang
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    pdf = _PDF(format="A4")
    pdf.footer_text = t("advisor.routecard.footer")
    pdf.set_compression(compress)
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    width = pdf.epw

    def heading(text: str, size: int = 13) -> None:
        if pdf.get_y() > pdf.page_break_trigger - 25:  # keep a heading with what follows
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", size)
        pdf.set_text_color(31, 95, 168)
        pdf.multi_cell(width, 6.5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)

    def para(text: str, size: int = 10, style: str = "") -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, 5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # Title and QR code (top right).
    qr_size = 34
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(card.url, scale=6)), x=pdf.w - pdf.r_margin - qr_size, y=top, w=qr_size)
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(width - qr_size - 4, 9, latin1(t("advisor.routecard.title")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(width - qr_size - 4, 6, latin1(t("advisor.routecard.subtitle")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9)
    meta = t("advisor.routecard.created", date=card.created)
    if card.area_name:
        meta += "  |  " + t("advisor.routecard.area", area=card.area_name)
    pdf.multi_cell(width - qr_size - 4, 5, latin1(meta), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + qr_size + 2))

    # Crisis numbers first when there is a red flag, else at the end.
    def crisis_block() -> None:
        heading(t("advisor.routecard.crisis"), 12)
        para("   ".join(f"{label}: {number}" for label, number in card.crisis_lines), 10)
        if card.level == "crisis":
            para(t("advisor.todo.crisis"), 10, "B")

    if card.level == "crisis":
        crisis_block()

    heading(t("advisor.routecard.advice"))
    if card.overridden:
        para(f"{t('advisor.result.professional')}: {i18n.label('level', card.level, lang)}", 12, "B")
        if card.override_reason:
            para(f"{t('advisor.result.reason_label')}: {card.override_reason}", 10)
        para(f"{t('advisor.result.engine')}: {i18n.label('level', card.engine_level, lang)}", 10)
    else:
        para(i18n.label("level", card.level, lang), 12, "B")
    para(t(f"advisor.todo.{card.level}"), 10)
    if card.also:
        para(t("advisor.result.also", levels=", ".join(i18n.label("level", lv, lang) for lv in card.also)), 10)
    if card.next_step:
        para(t("advisor.result.next_step", level=i18n.label("level", card.next_step, lang)), 10)

    heading(t("advisor.result.why"), 11)
    for reason in card.reasons:
        para(f"- {reason}", 10)

    heading(t("advisor.routecard.services"))
    if not card.services:
        para(t("advisor.routecard.no_services"))
    for svc in card.services:
        pdf.ln(1)
        if pdf.get_y() > pdf.page_break_trigger - 30:  # keep a service's name with its details
            pdf.add_page()
        status = "" if svc.status == "verified" else f"  [{i18n.label('status', svc.status, lang)}]"
        para(f"{svc.name}{status}", 11, "B")
        para(i18n.label("level", svc.level, lang), 9, "I")
        for line in _service_lines(svc, lang):
            para(line, 9.5)

    if card.bridging:
        heading(t("advisor.bridge.title"), 11)
        para(t("advisor.bridge.intro"), 10)
        para(t("advisor.bridge.meanwhile") + ":", 10, "B")
        for key in ("m1", "m2", "m3", "m4"):
            para(f"- {t(f'advisor.bridge.{key}')}", 10)
        para(t("advisor.bridge.warning") + ":", 10, "B")
        for key in ("w1", "w2", "w3", "w4"):
            para(f"- {t(f'advisor.bridge.{key}')}", 10)
        para(t("advisor.bridge.call"), 10)

    if notes.strip():
        heading(t("advisor.routecard.notes"), 11)
        para(notes.strip(), 10)

    if card.level != "crisis":
        crisis_block()

    heading(t("advisor.routecard.reopen"), 9)
    para(card.url, 8)
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
</style>"""


def card_html(card: advisor.RouteCard, notes: str, qr_uri: str) -> str:
    """The printable route card as HTML; every text from data or answers is escaped."""
    lang = card.lang
    e = html.escape
    t = lambda key, **kw: e(i18n.t(key, lang, **kw))  # noqa: E731
    lab = lambda kind, v: e(i18n.label(kind, v, lang))  # noqa: E731
    out = ['<div class="sm-card"><div class="sm-top"><div>',
           f'<h2>{t("advisor.routecard.title")}</h2><div>{t("advisor.routecard.subtitle")}</div>',
           f'<div class="sm-meta">{t("advisor.routecard.created", date=card.created)}']
    if card.area_name:
        out.append(" · " + t("advisor.routecard.area", area=card.area_name))
    alt = t("advisor.routecard.qr_alt")
    out.append(f'</div></div><img class="sm-qr" src="{e(qr_uri)}" alt="{alt}" width="132" height="132"></div>')
    crisis = ('<div class="sm-crisis"><b>' + t("advisor.routecard.crisis") + "</b> " + " · ".join(
        f'{e(label)}: <a href="tel:{e("".join(ch for ch in number.split("/")[0] if ch.isdigit()))}">{e(number)}</a>'
        for label, number in card.crisis_lines) + "</div>")
    if card.level == "crisis":
        out.append(crisis)
    out.append(f'<h3>{t("advisor.routecard.advice")}</h3>')
    if card.overridden:
        out.append(f'<div class="sm-level">{t("advisor.result.professional")}: {lab("level", card.level)}</div>')
        if card.override_reason:
            out.append(f'<div>{t("advisor.result.reason_label")}: {e(card.override_reason)}</div>')
        out.append(f'<div class="sm-meta">{t("advisor.result.engine")}: {lab("level", card.engine_level)}</div>')
    else:
        out.append(f'<div class="sm-level">{lab("level", card.level)}</div>')
    out.append(f'<p>{t(f"advisor.todo.{card.level}")}</p>')
    if card.also:
        out.append(f'<p>{t("advisor.result.also", levels=", ".join(i18n.label("level", lv, lang) for lv in card.also))}</p>')
    if card.next_step:
        out.append(f'<p class="sm-meta">{t("advisor.result.next_step", level=i18n.label("level", card.next_step, lang))}</p>')
    out.append(f'<h3>{t("advisor.result.why")}</h3><ul>' + "".join(f"<li>{e(r)}</li>" for r in card.reasons) + "</ul>")
    out.append(f'<h3>{t("advisor.routecard.services")}</h3>')
    if not card.services:
        out.append(f'<p>{t("advisor.routecard.no_services")}</p>')
    for svc in card.services:
        badge = "" if svc.status == "verified" else f'<span class="sm-badge {e(svc.status)}">{lab("status", svc.status)}</span>'
        lines = [f'<b>{e(svc.name)}</b>{badge} <span class="sm-meta">· {lab("level", svc.level)}</span>']
        if svc.description:
            lines.append(f'{t("advisor.card.what")}: {e(svc.description)}')
        lines.append(f'{t("advisor.card.for_whom")}: {e(svc.ages)}')
        if svc.access_route:
            lines.append(f'{t("advisor.card.access")}: {lab("access", svc.access_route)}')
        if svc.phone:
            lines.append(f'{t("advisor.card.phone")}: <a href="tel:{e(svc.tel)}">{e(svc.phone)}</a>')
        if svc.address:
            lines.append(f'{t("advisor.card.address")}: {e(svc.address)}')
        if svc.hours:
            lines.append(f'{t("advisor.card.hours")}: {e("; ".join(svc.hours))}')
        lines.append(advisor.waiting_text(svc.waiting_weeks, lang))
        out.append('<div class="sm-svc">' + "<br>".join(lines) + "</div>")
    if card.bridging:
        out.append(f'<h3>{t("advisor.bridge.title")}</h3><p>{t("advisor.bridge.intro")}</p>')
        out.append(f'<b>{t("advisor.bridge.meanwhile")}</b><ul>' + "".join(
            f'<li>{t(f"advisor.bridge.{k}")}</li>' for k in ("m1", "m2", "m3", "m4")) + "</ul>")
        out.append(f'<b>{t("advisor.bridge.warning")}</b><ul>' + "".join(
            f'<li>{t(f"advisor.bridge.{k}")}</li>' for k in ("w1", "w2", "w3", "w4")) + "</ul>")
        out.append(f'<p>{t("advisor.bridge.call")}</p>')
    if notes.strip():
        out.append(f'<h3>{t("advisor.routecard.notes")}</h3><div class="sm-notes">{e(notes.strip())}</div>')
    if card.level != "crisis":
        out.append(crisis)
    out.append(f'<p class="sm-meta">{t("advisor.routecard.reopen")}</p><div class="sm-url">{e(card.url)}</div>')
    out.append(f'<p class="sm-meta">{t("advisor.routecard.footer")}</p></div>')
    return "".join(out)


__all__ = ["card_html", "PRINT_CSS", "latin1", "qr_code", "qr_png", "qr_svg", "qr_data_uri", "pdf_bytes"]
