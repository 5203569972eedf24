"""Hulpwijzer: the route advisor (quick mode for GP/POH, step by step for parents)."""

from socialmap.ui import advisor

advisor.hulpwijzer_page()
