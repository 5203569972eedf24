"""The parent's route card as PDF (fpdf2) and the QR code that reopens it (segno).

The PDF uses the core Helvetica font, which only knows latin-1: :func:`latin1` transliterates
typographic characters and strips what cannot be shown. Everything is built in memory; nothing
is written to disk.
"""

from __future__ import annotations

import io
import unicodedata

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from . import i18n
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


__all__ = ["latin1", "qr_code", "qr_png", "qr_svg", "qr_data_uri", "pdf_bytes"]
