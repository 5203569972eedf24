"""Every UI string exists in Dutch and English, and every key the code uses is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialmap import i18n, vocab

ROOT = Path(__file__).resolve().parents[1]
CODE = [*ROOT.glob("app.py"), *ROOT.glob("views/*.py"), *ROOT.glob("socialmap/**/*.py")]
KEY_USE = re.compile(r"""\bt\(\s*f?["']([a-z_]+\.[a-zA-Z0-9_.]+)["']""")


def test_dutch_and_english_catalogues_have_exactly_the_same_keys():
    nl, en = set(i18n.catalogue("nl")), set(i18n.catalogue("en"))
    assert sorted(nl - en) == [], "missing in English"
    assert sorted(en - nl) == [], "missing in Dutch"


def test_no_catalogue_entry_is_empty():
    for lang in i18n.LANGUAGES:
        empty = [k for k, v in i18n.catalogue(lang).items() if not v.strip()]
        assert empty == [], f"empty texts in {lang}"


def test_every_literal_key_used_in_the_code_exists_in_the_catalogues():
    used = {m.group(1) for path in CODE for m in KEY_USE.finditer(path.read_text(encoding="utf-8"))
            if "{" not in m.group(1)}
    missing = sorted(k for k in used if not i18n.has(k, "nl"))
    assert missing == []


@pytest.mark.parametrize("kind,values", [
    ("level", vocab.LEVELS), ("access", vocab.ACCESS_ROUTES), ("concern", vocab.CONCERNS),
    ("red_flag", vocab.RED_FLAGS), ("impact", vocab.IMPACTS), ("duration", vocab.DURATIONS),
    ("context", vocab.CONTEXTS), ("status", vocab.STATUSES), ("cost", vocab.COSTS),
    ("professional", vocab.GP_YOUTH_PROFESSIONALS), ("weekday", vocab.WEEKDAYS),
])
def test_every_vocabulary_id_has_a_label_in_both_languages(kind, values):
    for lang in i18n.LANGUAGES:
        assert [v for v in values if not i18n.has(f"common.{kind}.{v}", lang)] == []


def test_t_formats_placeholders_and_falls_back_to_the_key():
    assert i18n.t("common.notice.region", "en", name="X") == "Region: X"
    assert i18n.t("common.no_such_key", "nl") == "common.no_such_key"
