"""``python -m socialmap triage`` follows the contract: JSON in, JSON out, one clear error line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from socialmap import triage_cli
from socialmap.triage_cli import main

ROOT = Path(__file__).resolve().parents[1]
REGION = ROOT / "tests" / "fixtures" / "triage" / "region"
ANXIETY = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months"}


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_it_reads_answers_from_stdin_and_writes_the_advice_as_one_json_object():
    code, out, err = run([], json.dumps(ANXIETY))
    assert (code, err) == (0, "")
    assert out.endswith("\n") and out.count("\n") == 1
    assert json.loads(out)["level"] == "gp_practice"
    assert list(json.loads(out)) == ["contract", "level", "also", "next_step", "urgency", "contacts", "reasons",
                                     "rule_ids"]
    assert json.loads(out)["contract"] == "2"


def test_it_reads_answers_from_a_file_and_answers_in_english_on_request(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**ANXIETY, "context": ["debts"]}), encoding="utf-8")
    code, out, _ = run(["--answers", str(path), "--lang", "en"])
    data = json.loads(out)
    assert code == 0
    assert data["also"] == ["wijkteam"]
    assert data["reasons"][2] == ("Something is also going on in the family (money worries or debts). "
                                  "So ask the neighbourhood team for help as well.")


def test_it_does_not_load_the_atlas_for_plain_triage(monkeypatch):
    def boom(*_a, **_k):
        raise AssertionError("atlas loaded")

    monkeypatch.setattr(triage_cli._Session, "atlas", boom)
    assert run(["--region", str(REGION)], json.dumps(ANXIETY))[0] == 0


@pytest.mark.parametrize("stdin,message", [
    ("", "invalid JSON: Expecting value at line 1 column 1"),
    ('{"age": 10,', "invalid JSON: Expecting property name enclosed in double quotes at line 1 column 12"),
    (json.dumps({**ANXIETY, "impact": "bad"}), "impact 'bad' is not allowed (allowed: none, mild, moderate, severe)"),
    (json.dumps({**ANXIETY, "age": 30}), "age 30 is out of range (expected a whole number of years 0-23)"),
    ("[1, 2]", "answers must be a JSON object with keys age, concerns, impact, duration (got a list)"),
])
def test_it_exits_2_with_one_line_on_stderr_and_nothing_on_stdout_for_invalid_input(stdin, message):
    assert run([], stdin) == (2, "", message + "\n")


def test_it_names_a_missing_answers_file(tmp_path):
    missing = tmp_path / "nope.json"
    assert run(["--answers", str(missing)]) == (2, "", f"answers file '{missing}' not found\n")


def test_it_names_an_unknown_option_value_in_one_line():
    code, out, err = run(["--lang", "fr"], json.dumps(ANXIETY))
    assert (code, out) == (2, "")
    assert err == "triage: argument --lang: invalid choice: 'fr' (choose from 'nl', 'en') (see --help)\n"


def test_it_names_an_unknown_region():
    code, out, err = run(["--region", "atlantis"], json.dumps(ANXIETY))
    assert (code, out) == (2, "")
    assert err.startswith("region 'atlantis' not found (expected a region id (")
    assert err.count("\n") == 1


def test_it_answers_every_batch_line_in_order_and_exits_2_when_one_was_invalid():
    lines = [
        json.dumps(ANXIETY),
        json.dumps({**ANXIETY, "impact": "bad"}),
        "{broken",
        "",
        json.dumps({**ANXIETY, "red_flags": ["psychosis"]}),
    ]
    code, out, err = run(["--batch"], "\n".join(lines) + "\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert (code, err) == (2, "")
    assert [r.get("level") for r in rows] == ["gp_practice", None, None, "crisis"]  # the empty line is skipped
    assert rows[1] == {"error": "impact 'bad' is not allowed (allowed: none, mild, moderate, severe)"}
    assert rows[2] == {"error": "invalid JSON: Expecting property name enclosed in double quotes at line 1 column 2"}
    assert rows[3]["contacts"] == ["huisarts_today", "112"]


def test_a_batch_splits_on_newline_only_so_unicode_line_separators_keep_the_lines_aligned():
    tricky = ["a\u2028b", "c\u2029d", "e\u0085f", "g\x0ch", "i\x0bj", "k\x1cl\x1dm\x1en"]
    lines = [json.dumps({**ANXIETY, "age": i, "note": text}, ensure_ascii=False) for i, text in enumerate(tricky)]
    lines.insert(3, json.dumps({**ANXIETY, "impact": "bad"}))
    code, out, _ = run(["--batch"], "\r\n".join(lines) + "\r\n")
    rows = [json.loads(line) for line in out.split("\n") if line]
    assert code == 2
    assert len(rows) == len(lines) == 7
    assert [r.get("level") for r in rows] == ["gp_practice"] * 3 + [None] + ["gp_practice"] * 3
    assert "error" in rows[3]
    assert all(ch not in out for ch in "\u2028\u2029\u0085\x0b\x0c\x1c")  # escaped in the output


def test_an_age_with_thousands_of_digits_is_an_input_error_naming_the_field():
    text = '{"age": 1' + "0" * 5000 + ', "concerns": ["anxiety"], "impact": "mild", "duration": "weeks"}'
    code, out, err = run([], text)
    assert (code, out) == (2, "")
    assert err == "age with 5001 digits is out of range (expected a whole number of years 0-23)\n"
    code, out, _ = run(["--batch"], text + "\n" + json.dumps(ANXIETY) + "\n")
    assert code == 2
    assert [json.loads(line).get("level") for line in out.splitlines()] == [None, "gp_practice"]


def test_a_utf8_byte_order_mark_is_accepted_on_stdin_and_invalid_utf8_is_named():
    body = json.dumps(ANXIETY).encode("utf-8")
    ok = subprocess.run([sys.executable, "-m", "socialmap", "triage"], input=b"\xef\xbb\xbf" + body,
                        capture_output=True, cwd=ROOT, timeout=60)
    assert (ok.returncode, ok.stderr) == (0, b"")
    assert json.loads(ok.stdout)["level"] == "gp_practice"
    bad = subprocess.run([sys.executable, "-m", "socialmap", "triage"], input=body.replace(b"anxiety", b"anxiety\xff"),
                         capture_output=True, cwd=ROOT, timeout=60)
    assert (bad.returncode, bad.stdout, bad.stderr) == (2, b"", b"input is not UTF-8 text\n")


def test_the_command_line_ignores_the_apps_own_for_self_key():
    answers = {"age": 19, "concerns": ["low_mood"], "impact": "mild", "duration": "weeks", "red_flags": ["suicidality"]}
    plain = json.loads(run([], json.dumps(answers))[1])
    with_key = json.loads(run([], json.dumps({**answers, "for_self": True}))[1])
    assert plain == with_key
    assert plain["reasons"][0].startswith("De jongere denkt aan zelfdoding.")


def test_it_exits_0_for_a_fully_valid_batch_of_thousands_of_lines():
    lines = [json.dumps({**ANXIETY, "age": i % 24}) for i in range(3000)]
    code, out, err = run(["--batch"], "\n".join(lines))
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 3000


def test_it_adds_the_area_and_local_services_for_a_postcode():
    answers = {**ANXIETY, "postcode": "9993 AB", "context": ["debts"]}
    code, out, err = run(["--region", str(REGION)], json.dumps(answers))
    data = json.loads(out)
    assert (code, err) == (0, "")
    assert data["area"] == {"code": "BU99910201", "name": "Oostbuurt", "municipality": "Testgemeente"}
    assert [s["id"] for s in data["services"]] == ["svc-poh-oost", "svc-poh", "svc-wijkteam"]
    assert data["services"][0] == {"id": "svc-poh-oost", "name": "POH Jeugd voorbeeld Oost", "level": "gp_practice",
                                   "distance_km": 1.0, "waiting_weeks": 1}


def test_it_resolves_an_area_code_and_uses_it_over_the_postcode():
    answers = {**ANXIETY, "postcode": "9993", "area_code": "WK999101"}
    data = json.loads(run(["--region", str(REGION)], json.dumps(answers))[1])
    assert data["area"] == {"code": "WK999101", "name": "Westwijk", "municipality": "Testgemeente"}
    assert data["services"][0]["id"] == "svc-poh"


def test_it_rejects_a_postcode_outside_the_region_as_an_input_error():
    code, out, err = run(["--region", str(REGION)], json.dumps({**ANXIETY, "postcode": "1234"}))
    assert (code, out) == (2, "")
    assert err == "postcode '1234' is outside region Testgemeente (fixture) (known postcodes: 9991-9993, 3 areas)\n"


def test_it_reports_a_postcode_outside_the_region_on_its_batch_line():
    lines = [json.dumps({**ANXIETY, "postcode": "1234"}), json.dumps({**ANXIETY, "postcode": "9991"})]
    code, out, _ = run(["--batch", "--region", str(REGION)], "\n".join(lines))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert rows[0] == {"error": "postcode '1234' is outside region Testgemeente (fixture) (known postcodes: 9991-9993, 3 areas)"}
    assert rows[1]["area"]["code"] == "BU99910101"


def test_it_uses_the_regions_own_rules_file(tmp_path):
    import shutil

    import yaml

    from socialmap.rules import DEFAULT_RULES

    region = tmp_path / "region"
    shutil.copytree(REGION, region)
    data = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    next(r for r in data["rules"] if r["id"] == "R-impact-base")["rungs"]["moderate"] = 3
    (region / "rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert json.loads(run(["--region", str(region)], json.dumps(ANXIETY))[1])["level"] == "basic_mh"


def test_it_runs_as_python_dash_m_socialmap_triage():
    proc = subprocess.run(
        [sys.executable, "-m", "socialmap", "triage", "--region", str(REGION)],
        input=json.dumps({**ANXIETY, "postcode": "9991"}), capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert json.loads(proc.stdout)["area"]["code"] == "BU99910101"
    bad = subprocess.run([sys.executable, "-m", "socialmap", "triage"], input="{", capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == "invalid JSON: Expecting property name enclosed in double quotes at line 1 column 2\n"
