-- Keyport home database. Never holds secret material: private keys live in
-- the files users save them to and, by choice, in the OS keychain.

-- Marks the file as a Keyport database ('KPRT'), so a foreign SQLite file
-- placed at keyport.db is recognised and left alone.
PRAGMA application_id = 1263555156;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Namespaces this home's keychain entries, so two homes (or a test and a
-- user's real install) never see each other's secrets.
INSERT INTO settings (key, value) VALUES ('home_id', lower(hex(randomblob(16))));

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY NOT NULL,
    mage_id         TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    name_folded     TEXT NOT NULL UNIQUE,
    edition         TEXT NOT NULL CHECK (edition IN ('adobe_commerce', 'magento_open_source')),
    operating_model TEXT NOT NULL CHECK (operating_model IN
                        ('primary_merchant', 'platform_marketplace', 'ecosystem', 'managed_ecosystem')),
    standing        TEXT NOT NULL DEFAULT 'good' CHECK (standing IN ('good', 'suspended')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE merchants (
    id          TEXT PRIMARY KEY NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (account_id, name_folded)
) STRICT;

-- Who did what, for the Activity page; one row per state change, written
-- in the same transaction as the change.
CREATE TABLE activity (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    account_id TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL
) STRICT;
CREATE INDEX activity_by_account ON activity (account_id, id);
