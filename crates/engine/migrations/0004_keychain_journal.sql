-- Keychain entries on their way in: an entry is journaled before it is
-- stored and unjournaled in the transaction that records it, so a crash or
-- a failed clean-up never leaves a secret that Keyport cannot find again
-- (reconcile_keychain settles what is left).
CREATE TABLE keychain_journal (
    entry      TEXT PRIMARY KEY NOT NULL,
    key_id     TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- A download in progress claims its key, so two downloads of one key (the
-- app and the CLI at once) cannot both write; a claim older than two
-- minutes is stale (a crash) and may be taken over.
ALTER TABLE api_keys ADD COLUMN delivery_claimed_at TEXT;
