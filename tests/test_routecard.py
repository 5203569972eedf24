"""The route card PDF (fpdf2, latin-1 core fonts) and the QR code that reopens the advice."""

from __future__ import annotations

import base64
import io
import zlib

import pytest
from PIL import Image

from conftest import VALID_MINI
from socialmap import advisor, routecard
from socialmap.loader import load_region

URL = "https://kaart.example.nl/routekaart?a=1-10-an-2-1----9991&s=svc-poh.svc-cjg"


@pytest.fixture(scope="module")
def card():
    atlas = load_region(VALID_MINI)
    answers = advisor.empty_answers() | {"age": 10, "concerns": ["anxiety"], "impact": "moderate",
                                         "duration": "months", "postcode": "9991", "context": ["debts"]}
    request = advisor.RouteRequest(answers, ("svc-poh", "svc-cjg"))
    # svc-poh is an illustrative record: only demo mode puts it on a route card
    return advisor.build_route_card(atlas, request, URL, [("Levensgevaar", "112"), ("Zelfmoordgedachten", "113 / 0800-0113")],
                                    demo=True)


def _text(pdf: bytes) -> bytes:
    """All content streams of a PDF, inflated when compressed."""
    out = [pdf]
    for chunk in pdf.split(b"stream")[1:]:
        body = chunk.split(b"endstream")[0].strip(b"\r\n")
        try:
            out.append(zlib.decompress(body))
        except zlib.error:
            pass
    return b"\n".join(out)


def test_the_pdf_is_a_pdf_with_the_chosen_services_advice_and_crisis_numbers(card):
    pdf = routecard.pdf_bytes(card, compress=False)
    assert pdf.startswith(b"%PDF")
    for text in (b"POH Jeugd voorbeeld West", b"Opvoedspreekuur CJG", b"023-1234567", b"Routekaart",
                 b"Praktijkondersteuner jeugd bij de huisarts", b"0800-0113", b"Sociaal wijkteam"):
        assert text in pdf, text


def test_the_compressed_pdf_holds_the_same_text(card):
    pdf = routecard.pdf_bytes(card)
    assert pdf.startswith(b"%PDF")
    assert b"Opvoedspreekuur CJG" not in pdf  # really compressed
    assert b"Opvoedspreekuur CJG" in _text(pdf)


def test_notes_typed_on_the_page_appear_only_in_the_pdf_made_with_them(card):
    with_notes = routecard.pdf_bytes(card, notes="Afspraak POH dinsdag 10:00", compress=False)
    assert b"Afspraak POH dinsdag 10:00" in with_notes
    assert b"Notities" in with_notes
    assert b"Notities" not in routecard.pdf_bytes(card, compress=False)


def test_characters_outside_latin_1_are_transliterated_or_dropped():
    assert routecard.latin1("POH Jeugd – “Schalkwijk” • 5 €  ✓ café") == 'POH Jeugd - "Schalkwijk" - 5 EUR   café'
    assert routecard.latin1("Łódź") == "Lódz"


def test_a_pdf_with_text_outside_latin_1_still_renders(card):
    pdf = routecard.pdf_bytes(card, notes="Notitie met emoji 🙂 en Ω en – streepjes", compress=False)
    assert b"Notitie met emoji  en  en - streepjes" in pdf


def test_the_qr_code_encodes_the_url_that_reopens_the_advice():
    zxingcpp = pytest.importorskip("zxingcpp")
    image = Image.open(io.BytesIO(routecard.qr_png(URL)))
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [URL]


def test_the_qr_image_on_the_page_encodes_the_cards_url(card):
    zxingcpp = pytest.importorskip("zxingcpp")
    uri = routecard.qr_data_uri(card.url)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [URL]
