"""The national crisis numbers: shown on every page, the route card and the onboarding sheet.

They are part of the product, not of a region's data, so that they show even when the data
cannot be loaded. The regional huisartsenpost comes from the data (``region.yaml``).
"""

from __future__ import annotations

from typing import Final

#: (label key in the locale catalogues, number as shown, tel: target)
CRISIS_LINES: Final[tuple[tuple[str, str, str], ...]] = (
    ("common.crisis.line_112", "112", "112"),
    ("common.crisis.line_113", "113 / 0800-0113", "113"),
    ("common.crisis.line_kindertelefoon", "0800-0432", "08000432"),
    ("common.crisis.line_veilig_thuis", "0800-2000", "08002000"),
)
