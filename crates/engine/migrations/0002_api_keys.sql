-- API key pairs. Only public material is stored: the private key goes to
-- the file the user saves it to (and, by choice, the OS keychain), never here.
CREATE TABLE api_keys (
    id                  TEXT PRIMARY KEY NOT NULL,
    account_id          TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    environment         TEXT NOT NULL CHECK (environment IN ('production', 'sandbox')),
    label               TEXT NOT NULL,
    label_folded        TEXT NOT NULL,
    api_key             TEXT NOT NULL UNIQUE,
    public_key_pem      TEXT NOT NULL,
    fingerprint         TEXT NOT NULL UNIQUE,
    bits                INTEGER NOT NULL CHECK (bits IN (2048, 3072, 4096)),
    created_at          TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    revoked_at          TEXT,
    revoke_reason       TEXT,
    -- When the one-time download completed; NULL while it is pending.
    delivered_at        TEXT,
    -- The private key is also kept in the keychain (entry key:<id>) for the Connector.
    kept_in_keychain    INTEGER NOT NULL DEFAULT 0,
    -- A pending entry (pending:<id>) may still be in the keychain and must be cleaned up.
    pending_in_keychain INTEGER NOT NULL DEFAULT 0,
    last_validated_at   TEXT,
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
) STRICT;

-- Labels tell active keys apart; a revoked key's label may be reused.
CREATE UNIQUE INDEX api_keys_active_label ON api_keys (account_id, environment, label_folded) WHERE status = 'active';
CREATE INDEX api_keys_by_account ON api_keys (account_id, environment, created_at);
CREATE INDEX api_keys_pending_cleanup ON api_keys (pending_in_keychain) WHERE pending_in_keychain = 1;
