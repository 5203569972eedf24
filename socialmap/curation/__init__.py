"""Curation of a region's social map: safe writes, login, data quality, suggestions, import, HSDS.

No module here imports streamlit (the Beheer page and the "Meld een fout" button in
``socialmap.ui.curation`` do the UI). Every function that writes data takes an authenticated
:class:`~socialmap.curation.auth.Curator`; one can only be obtained through a successful login
(``auth.login_with_password`` / ``auth.curator_from_oidc``).

Login (``auth.py``): when ``[auth]`` is configured in ``.streamlit/secrets.toml`` the page uses
Streamlit's ``st.login`` (OIDC); otherwise one curator password, of which only the bcrypt hash is
configured, in the environment variable ``SOCIALMAP_CURATOR_PASSWORD_HASH``. Make the hash with
``python -m socialmap curator-hash``. OIDC accounts need to be on the allow-list (``curators:`` in
``region.yaml`` or ``SOCIALMAP_CURATORS``).

Without a login the Beheer page is read-only (quality dashboard and open-data exports). Failed
password logins are counted by the server process, per client address and in total, with a growing
wait; the password is never stored or logged.

"Meld een fout" (``suggestions.py``): anyone may send a correction for a service (which field, a
suggested value ≤ 200 and a note ≤ 500 characters; no fields for personal data; 3 per 10 minutes
per client address, 200 per server) into ``<region>/.suggestions/suggestions.jsonl`` (gitignored); a curator accepts
(applied through the same validated edit path) or rejects it.

Exports (``hsds.py``): HSDS 3.0 JSON (organization_package; validates against the Open Referral
compiled schemas), HSDS tabular CSV (zip, passes the official datapackage) and RFC 7946 GeoJSON of
areas and locations, with licences and attribution; illustrative records only on request. Dutch
fields follow the profile in ``docs/hsds-profile.md``; export then import gives back the same data.
Other producers' HSDS files go into the review queue (``review.py``) and only go live when a
curator approves each record.

Storage decisions (see ``store.py`` for the details):

* Retire = the record is removed from the live CSV and appended, with ``retired_at``,
  ``retired_by`` and ``reason``, to ``retired/<table>.csv`` in the region folder (tracked by git, not
  read by the loader). Link rows that only make sense with the record (service_at_location and
  schedules of a retired service; service_at_location of a retired location) are retired with it.
  The old file is also kept in ``.history/``.
* A save of several files is all-or-nothing through a journal: all temp files are written and
  fsynced, then ``.history/journal.json``, then the renames; an interrupted save is rolled forward
  by ``store.recover`` (called by the loader before every read, so also by validate, triage,
  backup, restore and the app).
* Every save keeps the previous version of each changed file in ``.history/<stamp>-<txid>/`` and a
  JSON line in ``.history/log.jsonl`` (who, when, action, table, record id, changed fields, version
  before/after). ``.history/`` is gitignored; git keeps the long-term history of the CSVs.
* Concurrent edits: a form remembers the version token (content hash of the region files) it was
  opened on; a save against another version is refused (``ConcurrentEditError``).
"""
