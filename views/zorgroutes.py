"""Zorgroutes: the route atlas for new POH Jeugd staff (the page is ``socialmap.ui.zorgroutes``)."""

from socialmap.ui.zorgroutes import page

page()
