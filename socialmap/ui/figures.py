"""Streamlit pieces for honest figures (see :mod:`socialmap.figures`): the examples toggle and
a figure with its basis, greyed and labelled when it includes illustrative records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from .. import figures
from ..i18n import t


def include_examples(key: str, lang: str) -> bool:
    """The "count the examples" toggle of a page (off by default)."""
    return bool(st.toggle(t("figures.include_examples", lang), value=False, key=key,
                          help=t("figures.include_examples_help", lang)))


def markdown_text(fig: figures.Figure, fmt: Callable[[Any], str], lang: str, unit: str = "services") -> str:
    """Markdown for a figure with its basis; an example figure is grey with a badge."""
    text = figures.figure_text(fig, fmt, lang, unit)
    if fig.shown and fig.is_example:
        return f":gray[{text}] :gray-badge[{figures.example_label(lang)}]"
    return text


def metric(container: Any, label: str, fig: figures.Figure, fmt: Callable[[Any], str], lang: str,
           unit: str = "services") -> None:
    """A ``st.metric`` for a figure: the value, or "te weinig echte gegevens", with the basis below."""
    if fig.shown:
        value = fmt(fig.value)
        if fig.is_example:
            value = f"{value} *"
        container.metric(label, value)
        container.caption(markdown_text_basis(fig, lang, unit))
    else:
        container.metric(label, "–")
        container.caption(figures.too_few_text(fig, lang))


def markdown_text_basis(fig: figures.Figure, lang: str, unit: str = "services") -> str:
    basis = figures.basis_text(fig, lang, unit)
    if fig.is_example:
        return f"\\* :gray-badge[{figures.example_label(lang)}] {basis}"
    return basis
