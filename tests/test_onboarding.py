"""The onboarding sheet per wijk: content, escaping, latin-1 transliteration and the PDF."""

from __future__ import annotations

import re
import zlib

import pytest

from socialmap import onboarding
from socialmap.errors import InputError
from socialmap.loader import load_region

from conftest import VALID_MINI


@pytest.fixture(scope="module")
def mini():
    return load_region(VALID_MINI)


def _pdf_text(data: bytes) -> bytes:
    """All content streams of a PDF, inflated when compressed."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, flags=re.S):
        chunk = match.group(1)
        try:
            chunk = zlib.decompress(chunk)
        except zlib.error:
            pass
        out.append(chunk)
    return b"\n".join(out)


def test_the_sheet_lists_the_wijks_services_per_level_the_practice_and_the_cjg(mini):
    sheet = onboarding.build_sheet(mini, "WK999101")
    assert (sheet.wijk_name, sheet.municipality) == ("Westwijk", "Testgemeente")
    assert [s.id for s in sheet.by_level["gp_practice"]] == ["svc-poh"]
    assert [s.id for s in sheet.by_level["open_access"]] == ["svc-baby", "svc-cjg"]
    assert [s.id for s in sheet.cjg] == ["svc-baby", "svc-cjg"]
    assert [(p.name, p.youth_professional, p.youth_days) for p in sheet.practices] == [
        ("Huisartsenpraktijk voorbeeld West", "poh_jeugd", ("tu", "th"))]
    assert sheet.huisartsenpost == ("Huisartsenpost Test", "023-7654321")
    assert (sheet.illustrative, sheet.total) == (1, 4)


def test_the_pdf_starts_with_pdf_and_names_the_wijk_a_service_and_the_youth_days(mini):
    data = onboarding.to_pdf(onboarding.build_sheet(mini, "WK999101"), "nl", compress=False)
    assert data.startswith(b"%PDF")
    assert b"Westwijk" in data
    assert b"POH Jeugd voorbeeld West" in data
    assert b"dinsdag, donderdag" in data
    assert b"0800-2000" in data


def test_the_compressed_pdf_holds_the_same_text(mini):
    data = onboarding.to_pdf(onboarding.build_sheet(mini, "WK999101"), "en")
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert b"Youth onboarding sheet: Westwijk" in text and b"Opvoedspreekuur CJG" in text


def test_the_html_view_escapes_data_and_the_pdf_transliterates_it(mini_region):
    services = mini_region / "services.csv"
    services.write_text(services.read_text(encoding="utf-8").replace(
        "Opvoedspreekuur CJG,", "Opvoedspreekuur <b>CJG</b> \u0141\u00f3d\u017a \u2013 caf\u00e9,"), encoding="utf-8")
    atlas = load_region(mini_region)
    sheet = onboarding.build_sheet(atlas, "WK999101")
    page = onboarding.to_html(sheet, "nl")
    assert "Opvoedspreekuur &lt;b&gt;CJG&lt;/b&gt;" in page and "<b>CJG</b>" not in page
    data = onboarding.to_pdf(sheet, "nl", compress=False)
    assert "Opvoedspreekuur <b>CJG</b> L\u00f3dz - caf\u00e9".encode("latin-1") in data


def test_latin1_keeps_dutch_letters_and_transliterates_the_rest():
    assert onboarding.latin1("Zo\u00eb \u2013 \u201cna\u00efef\u201d \u2026 \u20ac5") == 'Zo\u00eb - "na\u00efef" ... EUR5'
    assert onboarding.latin1("\u0141\u00f3d\u017a \u0130stanbul") == "L\u00f3dz Istanbul"
    assert onboarding.latin1("\u4e2d") == "?"


def test_the_markdown_sheet_has_every_section_in_order(mini):
    text = onboarding.to_markdown(onboarding.build_sheet(mini, "WK999101"), "nl")
    heads = re.findall(r"^## (.+)$", text, flags=re.M)
    assert heads == ["Crisisnummers (altijd eerst)", "Huisartsenpraktijken en hun jeugdprofessional", "Wijkteam",
                     "CJG en jeugdgezondheidszorg", "Diensten per niveau"]
    assert "- **Veilig Thuis**: 0800-2000" in text


def test_a_code_that_is_not_a_wijk_is_refused(mini):
    with pytest.raises(InputError) as err:
        onboarding.build_sheet(mini, "BU99910101")
    assert str(err.value) == "area_code 'BU99910101' is a buurt, not a wijk (expected a WK code, e.g. WK999102)"


def test_the_wijken_are_listed_with_their_municipality(mini):
    assert onboarding.wijken(mini) == [("WK999102", "Oostwijk", "Testgemeente"), ("WK999101", "Westwijk", "Testgemeente")]


def test_the_sheet_uses_the_same_crisis_numbers_as_the_crisis_panel():
    from socialmap import crisis
    from socialmap.ui import common

    assert onboarding.CRISIS_LINES is crisis.CRISIS_LINES is common.CRISIS_LINES


def test_crisis_services_of_the_region_are_added_once_next_to_the_national_numbers(mini_region):
    services = mini_region / "services.csv"
    services.write_text(services.read_text(encoding="utf-8").rstrip("\n") + "\n"
                        "svc-113,org-hap,113 Zelfmoordpreventie,Hulplijn,crisis,direct,,hulplijn,0,23,nl,free,,,NL,113,,,to_verify,,,,\n"
                        "svc-csg,org-hap,Centrum Seksueel Geweld,Hulp na seksueel geweld,crisis,direct,,hulplijn,0,23,nl,free,,,NL,0800-0188,,,to_verify,,,,\n",
                        encoding="utf-8")
    sheet = onboarding.build_sheet(load_region(mini_region), "WK999101")
    text = onboarding.to_markdown(sheet, "nl")
    crisis = text.split("## Crisisnummers (altijd eerst)")[1].split("## ")[0]
    assert "113 Zelfmoordpreventie" not in crisis
    assert "- **Centrum Seksueel Geweld**: 0800-0188" in crisis
    assert "- **Huisartsenpost ('s avonds en weekend) · Huisartsenpost Test**: 023-7654321" in crisis


def test_the_markdown_sheet_writes_angle_brackets_in_data_as_entities(mini_region):
    services = mini_region / "services.csv"
    text = services.read_text(encoding="utf-8")
    assert ",Opvoedspreekuur CJG," in text
    services.write_text(text.replace(",Opvoedspreekuur CJG,", ",Opvoedspreekuur <b>CJG</b>,"), encoding="utf-8")
    from socialmap.loader import load_region

    md = onboarding.to_markdown(onboarding.build_sheet(load_region(mini_region), "WK999101"), "nl")
    assert "Opvoedspreekuur &lt;b&gt;CJG&lt;/b&gt;" in md
    assert "<b>" not in md


def test_the_sheet_lists_real_services_first_and_says_to_ask_the_cjg_without_contact_details():
    from conftest import FIXTURES

    sheet = onboarding.build_sheet(load_region(FIXTURES / "regions" / "honest_mini"), "WK999101")
    assert [s.id for s in sheet.by_level["open_access"]][:5] == [
        "svc-schoolcoach", "svc-baby", "svc-gezinscoach", "svc-jongerenwerk", "svc-cjg"]
    assert [s.status == "illustrative" for s in sheet.by_level["open_access"]] == [False] * 5 + [True] * 5
    text = onboarding.to_markdown(sheet, "nl")
    assert "- **Sociaal wijkteam**: Via het wijkteam · nog geen contactgegevens - vraag het CJG · [Nog te controleren]" in text
    # a service without its own contact details gets its organisation's
    assert ("- **CJG-coach op school**: Vrij toegankelijk, zonder verwijzing · tel. 023-1234567 · info@cjg.example.nl"
            " · https://cjg.example.nl · wachttijd 5 weken · [Nog te controleren]") in text
