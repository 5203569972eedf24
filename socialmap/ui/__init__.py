"""The Streamlit layer of the core: the only place in ``socialmap`` that imports streamlit."""
