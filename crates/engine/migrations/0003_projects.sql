-- The Commerce Services side that Keyport keeps itself: SaaS projects with
-- their data spaces (the registry calls them environments), and the log of
-- requests to the local sandbox.
CREATE TABLE projects (
    id          TEXT PRIMARY KEY NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (account_id, name_folded)
) STRICT;

CREATE TABLE data_spaces (
    id          TEXT PRIMARY KEY NOT NULL,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('production', 'testing')),
    position    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (project_id, name_folded)
) STRICT;

CREATE TABLE sandbox_requests (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    key_id      TEXT,
    key_label   TEXT,
    account_id  TEXT,
    status      INTEGER NOT NULL,
    code        TEXT,
    duration_us INTEGER NOT NULL
) STRICT;
