"""Honest figures: every statistic the pages show, with the number of real records it rests on.

Most service records of a region can be illustrative (made up to show what a complete map looks
like). A figure computed from them is not a fact about the region. So every page computes its
figures here, from one definition:

* **Real records** are those with status ``verified`` or ``to_verify`` (:data:`REAL_STATUSES`).
* A figure is computed from real records only, unless the user asks to include the examples.
* A figure says how many real records it rests on (``n``). With fewer than :data:`MIN_REAL` real
  records it is not shown: the page says "te weinig echte gegevens (n = k)" instead.
* A figure that includes illustrative records is a *voorbeeldcijfer*: the page greys it and says so.

:class:`Figure` carries the value, ``n_real``, ``n_all`` and whether it may be shown;
:func:`figure_text` and :func:`basis_text` give its text in Dutch or English.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import i18n

#: Statuses of records that describe a real service (``illustrative`` ones are made up).
REAL_STATUSES: frozenset[str] = frozenset({"verified", "to_verify"})
#: Fewer real records than this and a figure is not shown ("te weinig echte gegevens").
MIN_REAL = 5


@dataclass(frozen=True)
class Figure:
    """A statistic and what it rests on.

    ``value`` is whatever the page formats (a number, a tuple, a flag); ``None`` when there was
    nothing to compute it from. ``n_real`` real and ``n_all`` records in total went into it.
    """

    value: Any
    n_real: int
    n_all: int
    enough: bool
    examples_included: bool

    @property
    def n_examples(self) -> int:
        return self.n_all - self.n_real

    @property
    def is_example(self) -> bool:
        """Computed with illustrative records: a *voorbeeldcijfer*, shown greyed."""
        return self.examples_included and self.n_examples > 0

    @property
    def shown(self) -> bool:
        """Whether the value may be shown (enough real records, or an example figure on request)."""
        return self.value is not None and (self.enough or self.is_example)


def is_real(status: object) -> bool:
    return str(status) in REAL_STATUSES


def real_mask(statuses: Iterable[object]) -> list[bool]:
    return [is_real(s) for s in statuses]


def basis(frame: pd.DataFrame, include_examples: bool = False) -> pd.DataFrame:
    """The records a figure may rest on: the real ones, or all with ``include_examples``."""
    if include_examples or not len(frame):
        return frame
    return frame.loc[frame["status"].isin(REAL_STATUSES)]


def make(value: Any, statuses: Iterable[object], include_examples: bool = False) -> Figure:
    """A :class:`Figure` for ``value`` computed from records with these statuses."""
    values = list(statuses)
    n_real = sum(1 for s in values if is_real(s))
    return Figure(value=value, n_real=n_real, n_all=len(values), enough=n_real >= MIN_REAL,
                  examples_included=bool(include_examples))


def compute(frame: pd.DataFrame, fn: Callable[[pd.DataFrame], Any], include_examples: bool = False) -> Figure:
    """``fn`` over the :func:`basis` of ``frame``, as a :class:`Figure`."""
    used = basis(frame, include_examples)
    return make(fn(used) if len(used) else None, used["status"] if len(used) else (), include_examples)


@dataclass(frozen=True)
class Waiting:
    median: float
    low: int
    high: int


def waiting(services: pd.DataFrame, include_examples: bool = False) -> Figure:
    """Median and range of the known waiting times (weeks); ``n`` counts services with a known wait."""
    if not len(services):
        return make(None, (), include_examples)
    return waiting_values(services["waiting_weeks"].tolist(), services["status"].tolist(), include_examples)


def waiting_values(weeks: Iterable[object], statuses: Iterable[object], include_examples: bool = False) -> Figure:
    """:func:`waiting` over plain sequences (one entry per service; a wait of None/NA is unknown)."""
    known = [(int(w), s) for w, s in zip(weeks, statuses)
             if w is not None and not pd.isna(w) and (include_examples or is_real(s))]
    values = [w for w, _ in known]
    value = Waiting(float(statistics.median(values)), min(values), max(values)) if values else None
    return make(value, [s for _, s in known], include_examples)


# ---- text ------------------------------------------------------------------------------------

def number(value: float | int, lang: str = i18n.DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """A number as people write it: ``1,5`` in Dutch, ``1.5`` in English; whole numbers bare;
    thousands grouped (``12.345`` / ``12,345``)."""
    if isinstance(value, float) and math.isnan(value):
        return "–"
    rounded = round(float(value), decimals)
    if rounded.is_integer():
        text = f"{int(rounded):,}"
    else:
        text = f"{rounded:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def km(metres: float | None, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A distance in km with one decimal: ``2,0 km`` (Dutch) / ``2.0 km``."""
    if metres is None or (isinstance(metres, float) and math.isnan(metres)):
        return "–"
    text = f"{metres / 1000:.1f}"
    return f"{text.replace('.', ',') if lang == 'nl' else text} km"


def waiting_text(value: Waiting, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """``mediaan 1,5 weken (0 tot 4 weken)``, or ``2 weken`` when every known wait is the same."""
    if value.low == value.high:
        return i18n.t("figures.waiting.single", lang, weeks=value.low)
    return i18n.t("figures.waiting.median", lang, median=number(value.median, lang), low=value.low, high=value.high)


def basis_text(fig: Figure, lang: str = i18n.DEFAULT_LANGUAGE, unit: str = "services") -> str:
    """What a figure rests on: ``n = 7 echte diensten`` or, for an example figure,
    ``voorbeeldcijfer: 7 echte en 30 voorbeelddiensten``."""
    what = i18n.t(f"figures.unit.{unit}", lang)
    if fig.is_example:
        return i18n.t("figures.example_basis", lang, real=fig.n_real, examples=fig.n_examples, unit=what)
    return i18n.t("figures.real_basis", lang, n=fig.n_real, unit=what)


def too_few_text(fig: Figure, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """``te weinig echte gegevens (n = 3)``."""
    return i18n.t("figures.too_few", lang, n=fig.n_real)


def figure_text(fig: Figure, fmt: Callable[[Any], str], lang: str = i18n.DEFAULT_LANGUAGE,
                unit: str = "services") -> str:
    """The figure with its basis (``1,5 weken (n = 7 echte diensten)``), or the too-few text."""
    if not fig.shown:
        return too_few_text(fig, lang)
    return f"{fmt(fig.value)} ({basis_text(fig, lang, unit)})"


def example_label(lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return i18n.t("figures.example_label", lang)


__all__ = [
    "REAL_STATUSES", "MIN_REAL", "Figure", "Waiting", "is_real", "real_mask", "basis", "make", "compute",
    "waiting", "waiting_values", "waiting_text", "number", "km", "basis_text", "too_few_text", "figure_text", "example_label",
]
