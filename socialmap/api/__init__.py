"""HSDS 3.0 read API (FastAPI/ASGI) of a region: ``python -m socialmap api``."""
