"""socialmap: de sociale kaart en zorgroutewijzer jeugd (core package, no Streamlit)."""

__version__ = "0.1.0"
