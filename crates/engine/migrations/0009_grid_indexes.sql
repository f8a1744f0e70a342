-- The key grid at 10,000 keys: one index per sort order, each ending in the
-- tie-breakers (created_at, id) so a page is read in index order and no
-- sort runs (crates/engine/src/keys.rs checks the plans).
DROP INDEX api_keys_by_account;
CREATE INDEX api_keys_by_created ON api_keys (account_id, environment, created_at, id);
CREATE INDEX api_keys_by_label ON api_keys (account_id, environment, label_folded, created_at, id);
CREATE INDEX api_keys_by_bits ON api_keys (account_id, environment, bits, created_at, id);
CREATE INDEX api_keys_by_validated ON api_keys (account_id, environment, last_validated_at, created_at, id);
