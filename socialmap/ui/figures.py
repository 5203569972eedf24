"""Streamlit pieces for honest figures (see :mod:`socialmap.figures`) that several pages share: the
examples toggle and a figure's basis, labelled when it includes illustrative records."""

from __future__ import annotations

import streamlit as st

from .. import figures
from ..i18n import t


def include_examples(key: str, lang: str) -> bool:
    """The "count the examples" toggle of a page (off by default)."""
    return bool(st.toggle(t("figures.include_examples", lang), value=False, key=key,
                          help=t("figures.include_examples_help", lang)))


def markdown_text_basis(fig: figures.Figure, lang: str, unit: str = "services") -> str:
    basis = figures.basis_text(fig, lang, unit)
    if fig.is_example:
        return f"\\* :gray-badge[{figures.example_label(lang)}] {basis}"
    return basis
