"""Routekaart: the printable route card, rebuilt from the URL (nothing is stored)."""

from socialmap.ui import advisor

advisor.routekaart_page()
