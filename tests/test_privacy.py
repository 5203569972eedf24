"""Nothing a user answers is written to disk, logs or analytics.

The whole flow runs with distinctive answers (a postcode, a professional's reason, route-card
notes); afterwards no file created or changed during the test, under the repository, the temp
folder or the home folder, and nothing printed or logged, may contain them.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, quote_plus

from streamlit.testing.v1 import AppTest

from conftest import ROOT, SHIPPED
from socialmap.ui import state

POSTCODE = "2035 QX"
REASON = "Kwartelreden 7781 volgens moeder"
NOTES = "Zebravink-notitie 48213: afspraak bij juf Ottolien"
NEEDLES = ["2035QX", "2035 QX", "2035+QX", "Kwartelreden", "Zebravink", "Ottolien", "48213", "7781"]
SKIP_DIRS = {"/proc", "/sys", "/dev", str(ROOT / ".venv")}  # installed packages: nothing of ours writes there


def _changed_files(roots: list[Path], since: float) -> list[Path]:
    out = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in SKIP_DIRS]
            for name in filenames:
                path = Path(dirpath, name)
                try:
                    st = path.lstat()
                except OSError:
                    continue
                if "__pycache__" in path.parts and path.name.startswith("test_privacy"):
                    continue  # this test's own bytecode holds the needles by design
                if path.is_file() and max(st.st_mtime, st.st_ctime) >= since and st.st_size < 50_000_000:
                    out.append(path)
    return out


def test_usage_statistics_are_switched_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False


def test_no_answer_reaches_a_file_a_log_or_the_output(monkeypatch, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SOCIALMAP_REGION", str(SHIPPED))
    monkeypatch.setenv("SOCIALMAP_TILES", "none")
    monkeypatch.chdir(ROOT)
    started = time.time()

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/hulpwijzer.py").run()
    at.text_input(key="_adv_q_postcode").input(POSTCODE).run()
    at.number_input(key="_adv_q_age").set_value(10).run()
    at.multiselect(key="_adv_q_concerns").select("anxiety").run()
    at.segmented_control(key="_adv_q_impact").set_value("moderate").run()
    at.segmented_control(key="_adv_q_duration").set_value("months").run()
    at.selectbox(key="_adv_override_level").set_value("basic_mh").run()
    at.text_input(key="_adv_override_reason").input(REASON).run()
    assert not at.exception
    link = at.get("page_link")[-1].proto
    query = parse_qs(link.query_string)
    assert query["a"][0].endswith("-2035") and query["o"] == ["basic_mh"]  # the flow really carried them
    assert "r" not in query and "QX" not in link.query_string  # never the PC6 letters or the reason

    for key, values in query.items():
        at.query_params[key] = values[0]
    at.switch_page("views/routekaart.py").run()
    at.text_area(key=state.ADVISOR_NOTES).input(NOTES).run()
    assert not at.exception
    body = next(h.proto.body for h in at.get("html") if 'class="sm-card"' in h.proto.body)
    assert NOTES.split(":")[0] in body and REASON in body  # same session: the reason is on the card itself
    # The card's URL is what the QR code and the PDF link carry: PC4 only, never the reason.
    url = re.search(r'<div class="sm-url">([^<]*)</div>', body).group(1)
    card_query = parse_qs(url.replace("&amp;", "&").split("?", 1)[1])
    assert url.startswith("http://localhost:8501/routekaart?")
    assert (card_query["a"], card_query["o"]) == (query["a"], query["o"])  # illustrative picks are left off the card
    assert "2035" in url and "QX" not in url and "r=" not in url
    assert REASON not in url and quote_plus(REASON) not in body and "Kwartelreden" not in url
    back = [p for p in at.get("page_link") if p.proto.page == "hulpwijzer"][-1].proto.query_string
    assert "QX" not in back and "Kwartelreden" not in back  # the link back to the Hulpwijzer
    assert [b.label for b in at.get("download_button")] == ["Download als PDF"]
    at.run()  # one more rerun: anything deferred would be written now

    # The home folder is large (caches); Streamlit's own folder there is what could hold app data.
    roots = [ROOT, Path(tempfile.gettempdir()), Path.home() / ".streamlit"]
    roots = [r for r in roots if r.exists()]
    with tempfile.NamedTemporaryFile("w", suffix=".canary", delete=False) as canary:  # the scan must see this
        canary.write("canary " + NEEDLES[0])
    hits = []
    for path in _changed_files(roots, started):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for needle in NEEDLES:
            if needle.encode() in data:
                hits.append(f"{path}: {needle}")
    os.unlink(canary.name)
    assert hits == [f"{canary.name}: {NEEDLES[0]}"]

    out, err = capfd.readouterr()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for needle in NEEDLES:
        assert needle not in out and needle not in err and needle not in logged, needle
