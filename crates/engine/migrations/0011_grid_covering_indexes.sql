-- The key grid at 10,000 keys, measured (issue 13). Each sort order's index
-- also holds the columns the status filter and the search read, so both are
-- decided inside the index: a page reads from the table only the rows it
-- shows (a key's row, with its public key, is ~800 bytes), and a count scans
-- one account's and environment's range of one index (1–2 ms at 10,000 keys,
-- whatever the term). The trigram index of migration 0010 goes: it spans
-- every account and environment, so each common trigram's list ran to
-- thousands of entries and a search cost 3–13 ms.
DROP TRIGGER api_keys_search_insert;
DROP TRIGGER api_keys_search_delete;
DROP TRIGGER api_keys_search_update;
DROP TABLE api_keys_search;

DROP INDEX api_keys_by_created;
DROP INDEX api_keys_by_label;
DROP INDEX api_keys_by_bits;
DROP INDEX api_keys_by_validated;
CREATE INDEX api_keys_by_created ON api_keys
    (account_id, environment, created_at, id, status, delivered_at, label_folded, api_key, fingerprint);
CREATE INDEX api_keys_by_label ON api_keys
    (account_id, environment, label_folded, created_at, id, status, delivered_at, api_key, fingerprint);
CREATE INDEX api_keys_by_bits ON api_keys
    (account_id, environment, bits, created_at, id, status, delivered_at, label_folded, api_key, fingerprint);
CREATE INDEX api_keys_by_validated ON api_keys
    (account_id, environment, last_validated_at, created_at, id, status, delivered_at, label_folded, api_key, fingerprint);
