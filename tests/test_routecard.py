"""The route card: HTML, PDF (fpdf2, latin-1 core fonts, one A4 page) and the QR code, all from one Route."""

from __future__ import annotations

import base64
import io
import re
import zlib

import pytest
from PIL import Image

from conftest import FIXTURES, SHIPPED, VALID_MINI
from socialmap import routecard
from socialmap import route as route_core
from socialmap.loader import load_region

BASE = "https://kaart.example.nl"
CRISIS = [("Levensgevaar", "112"), ("Zelfmoordgedachten", "113 / 0800-0113")]
PARENTING = {"age": 10, "concerns": ["parenting"], "impact": "mild", "duration": "weeks", "postcode": "9991"}
ANXIETY = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "postcode": "9991"}


@pytest.fixture(scope="module")
def mini():
    return load_region(VALID_MINI)


@pytest.fixture(scope="module")
def card(mini):
    return route_core.route(mini, PARENTING, "nl", base_url=BASE)


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


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_the_pdf_holds_the_action_the_urgency_the_chosen_help_and_the_crisis_numbers(card):
    pdf = routecard.pdf_bytes(card, compress=False, crisis_lines=CRISIS)
    assert pdf.startswith(b"%PDF")
    for text in (b"Routekaart", b"Opvoedspreekuur CJG", b"023-1234567", b"0800-0113", b"Hoe snel:",
                 b"Wanneer eerder bellen?", b"kaart.example.nl/routekaart?a=2-"):
        assert text in pdf, text


def test_the_compressed_pdf_holds_the_same_text(card):
    pdf = routecard.pdf_bytes(card)
    assert b"Opvoedspreekuur CJG" not in pdf  # really compressed
    assert b"Opvoedspreekuur CJG" in _text(pdf)


def test_the_card_gives_the_date_in_words(card):
    assert routecard.date_text("2026-11-28") == "28 november 2026"
    assert routecard.date_text("2026-03-01", "en") == "1 March 2026"
    assert "Gemaakt op " + routecard.date_text(card.created) in routecard.card_html(card, "", "data:,", CRISIS)


def test_the_pdf_of_three_services_fits_one_a4_page(shipped_atlas):
    answers = {"age": 4, "concerns": ["parenting"], "impact": "mild", "duration": "weeks", "postcode": "2033"}
    real = [o.id for o in route_core.route(shipped_atlas, answers, "nl").options if o.real]
    result = route_core.route(shipped_atlas, answers, "nl", base_url=BASE, picked=real[:3])
    assert len(result.picked_options()) == 3
    pdf = routecard.pdf_bytes(result, notes="Afspraak dinsdag 10:00", compress=False, crisis_lines=CRISIS)
    assert _pages(pdf) == 1


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


def test_the_card_escapes_notes_and_data_text(card):
    page = routecard.card_html(card, "<script>alert(1)</script>", "data:,", CRISIS)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_red_flag_card_puts_that_flags_contacts_first_with_their_numbers(mini):
    result = route_core.route(mini, {"age": 2, "concerns": ["parenting"], "red_flags": ["unsafe_home"],
                                     "postcode": "9991"}, "nl", base_url=BASE)
    page = routecard.card_html(result, "", "data:,", CRISIS)
    first = page.index("Bel eerst")
    assert page.index("0800-2000", first) < page.index("112", first) < page.index("Advies")
    assert "Bel eerst" in _text(routecard.pdf_bytes(result, compress=False)).decode("latin-1")


def test_in_demo_mode_the_card_and_the_pdf_say_example_not_real_help(mini):
    result = route_core.route(mini, PARENTING, "nl", base_url=BASE, demo=True)
    assert "VOORBEELD - geen echte hulp" in routecard.card_html(result, "", "data:,", CRISIS)
    assert b"VOORBEELD - geen echte hulp" in routecard.pdf_bytes(result, compress=False)
    plain = route_core.route(mini, PARENTING, "nl", base_url=BASE)
    assert "VOORBEELD" not in routecard.card_html(plain, "", "data:,", CRISIS)


def test_an_illustrative_service_never_reaches_the_card_outside_demo_mode(shipped_atlas):
    for concern in ("anxiety", "parenting", "sleep", "behaviour", "low_mood"):
        result = route_core.route(shipped_atlas, {"age": 8, "concerns": [concern], "impact": "mild",
                                                  "duration": "weeks", "postcode": "2021"}, "nl", base_url=BASE)
        ids = [o.id for lane in result.lanes for o in lane.options if not o.real]
        forced = route_core.route(shipped_atlas, {"age": 8, "concerns": [concern], "impact": "mild",
                                                  "duration": "weeks", "postcode": "2021"}, "nl", base_url=BASE,
                                  picked=ids)
        assert all(o.real for o in forced.picked_options())
        assert all(o.card.status != "illustrative" for o in result.picked_options())


def test_the_qr_code_encodes_the_url_that_reopens_the_advice(card):
    zxingcpp = pytest.importorskip("zxingcpp")
    image = Image.open(io.BytesIO(routecard.qr_png(card.url)))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [card.url]


def test_the_qr_image_on_the_page_encodes_the_cards_url(card):
    zxingcpp = pytest.importorskip("zxingcpp")
    uri = routecard.qr_data_uri(card.url)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [card.url]


def test_the_qr_code_is_made_once_per_url():
    routecard.qr_data_uri.cache_clear()
    routecard.qr_data_uri("https://kaart.example.nl/routekaart?a=x")
    routecard.qr_data_uri("https://kaart.example.nl/routekaart?a=x")
    assert routecard.qr_data_uri.cache_info().hits == 1


def test_the_card_names_the_own_practice_from_the_link(card):
    real = load_region(FIXTURES / "regions" / "practices_real")
    result = route_core.route(real, ANXIETY, "nl", own_practice="gp-duin", base_url=BASE)
    assert result.query["p"] == "gp-duin"
    page = routecard.card_html(result, "", "data:,", CRISIS)
    assert "Huisartsenpraktijk De Duinen heeft een POH Jeugd, op dinsdag en donderdag." in page
