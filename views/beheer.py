"""Beheer: data quality for everyone; editing, suggestions, import and history for a logged-in curator."""

from socialmap.ui import common
from socialmap.ui.curation import page

page(common.current_lang())
common.readiness_line(common.current_lang())
