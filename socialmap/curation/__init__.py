"""Curation of a region's social map: safe writes, login, data quality, suggestions, import, HSDS.

No module here imports streamlit (the Beheer page and ``socialmap.ui.curation`` do the UI). Every
function that writes data takes an authenticated :class:`~socialmap.curation.auth.Curator`; one can
only be obtained through a successful login (``auth.login_with_password`` / ``auth.curator_from_oidc``).

Storage decisions (see ``store.py`` for the details):

* Retire = the record is removed from the live CSV and appended, with ``retired_at``,
  ``retired_by`` and ``reason``, to ``retired/<table>.csv`` in the region folder (tracked by git, not
  read by the loader). Link rows that only make sense with the record (service_at_location and
  schedules of a retired service; service_at_location of a retired location) are retired with it.
  The old file is also kept in ``.history/``.
* A save of several files is all-or-nothing through a journal: all temp files are written and
  fsynced, then ``.history/journal.json``, then the renames; an interrupted save is rolled forward
  by ``store.recover`` (called before every read of the curation layer, by backup and restore).
"""
