-- Files a private key passes through in the user's folder: the temporary
-- file before its rename into place, and a replaced file kept aside until
-- its delivery is recorded. Journaled by path before they exist, with the
-- process that makes them, so what a crash leaves is removed (or put back)
-- at the next start and by `keyport doctor` (reconcile_files).
CREATE TABLE file_journal (
    path       TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('temporary', 'replaced')),
    dest       TEXT NOT NULL,
    key_id     TEXT,
    pid        INTEGER NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
