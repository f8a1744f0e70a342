-- Scoped API keys (seed 004): the features and merchants a key is
-- restricted to. A key with rows here is scoped; an unscoped key has none.
-- The scope is fixed once the key exists.
CREATE TABLE key_scope_features (
    key_id  TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    feature TEXT NOT NULL CHECK (feature IN
                ('list_tokens', 'get_token', 'get_token_payment_data', 'forward_payment_data', 'forward')),
    PRIMARY KEY (key_id, feature)
) STRICT;

CREATE TABLE key_scope_merchants (
    key_id        TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    -- The merchant; NULL once it is removed (its keys are revoked first).
    merchant_id   TEXT REFERENCES merchants (id) ON DELETE SET NULL,
    -- Its name when the key was made, shown after the merchant is gone.
    merchant_name TEXT NOT NULL,
    PRIMARY KEY (key_id, merchant_name)
) STRICT;
CREATE INDEX key_scope_merchants_by_merchant ON key_scope_merchants (merchant_id);
