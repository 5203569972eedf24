"""On the command line the region follows from the postcode; ``--region`` forces one."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from conftest import ROOT
from socialmap.triage_cli import main

ANXIETY = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months"}
COVERED = ("Maastricht-Heuvelland [heuvelland, postcodes 6211-6342]; "
           "Kennemerland (Haarlem en Zandvoort) [kennemerland, postcodes 2011-2116]")


def run(argv: list[str], answers: dict) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(json.dumps(answers)), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _service_ids(folder: str) -> set[str]:
    text = (ROOT / "data" / "regions" / folder / "services.csv").read_text(encoding="utf-8")
    return {line.split(",", 1)[0] for line in text.splitlines()[1:]}


def test_a_maastricht_postcode_answers_with_maastricht_services_without_any_setting():
    code, out, err = run([], {**ANXIETY, "postcode": "6211 AB"})
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["area"] == {"code": "BU09350001", "name": "Jekerkwartier", "municipality": "Maastricht"}
    assert data["level"] == "gp_practice"
    assert {s["id"] for s in data["services"]} <= _service_ids("heuvelland")


def test_a_maastricht_parenting_question_lists_maastricht_services():
    code, out, _ = run([], {"age": 3, "concerns": ["parenting"], "impact": "mild", "duration": "weeks",
                             "postcode": "6221"})
    data = json.loads(out)
    ids = [s["id"] for s in data["services"]]
    assert code == 0 and data["level"] == "open_access"
    assert ids and set(ids) <= _service_ids("heuvelland")
    assert "svc-voorbeeld-consultatiebureau-maastricht-centrum" in ids


def test_a_haarlem_postcode_still_answers_with_haarlem_services():
    code, out, _ = run([], {**ANXIETY, "postcode": "2031"})
    data = json.loads(out)
    assert code == 0 and data["area"]["municipality"] == "Haarlem"
    assert {s["id"] for s in data["services"]} <= _service_ids("kennemerland")


def test_forcing_the_region_of_the_postcode_gives_the_same_answer():
    assert run(["--region", "heuvelland"], {**ANXIETY, "postcode": "6211"})[1] == run([], {**ANXIETY, "postcode": "6211"})[1]


def test_forcing_another_region_is_a_clear_error_naming_the_region_that_covers_the_postcode():
    code, out, err = run(["--region", "kennemerland"], {**ANXIETY, "postcode": "6211"})
    assert (code, out) == (2, "")
    assert err == ("postcode '6211' lies in region Maastricht-Heuvelland [heuvelland], not in the chosen region "
                   "Kennemerland (Haarlem en Zandvoort) [kennemerland]; choose region heuvelland or leave the "
                   "region out\n")


def test_a_postcode_in_neither_region_names_the_regions_covered():
    code, out, err = run([], {**ANXIETY, "postcode": "1011"})
    assert (code, out) == (2, "")
    assert err == f"postcode '1011' is outside the regions covered: {COVERED}\n"


def test_a_crisis_in_maastricht_gives_the_maastricht_huisartsenpost():
    answers = {**ANXIETY, "red_flags": ["suicidality"], "postcode": "6229"}
    data = json.loads(run([], answers)[1])
    assert data["level"] == "crisis"
    assert "svc-huisartsenpost-maastricht-heuvelland" in {s["id"] for s in data["services"]}


def test_the_command_line_works_end_to_end_with_a_maastricht_postcode():
    result = subprocess.run([sys.executable, "-m", "socialmap", "triage"], cwd=ROOT, capture_output=True, text=True,
                            input=json.dumps({**ANXIETY, "postcode": "6224"}), timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["area"]["municipality"] == "Maastricht"
