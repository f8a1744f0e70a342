-- The key grid's search at 10,000 keys: a trigram index over the three
-- searched columns, so a substring of three or more characters is found
-- without reading every key (crates/engine/src/keys.rs; shorter terms still
-- use LIKE). It holds no copy of the keys (external content) and is keyed by
-- api_keys' rowid, which SQLite keeps stable (the app never VACUUMs; run
-- INSERT INTO api_keys_search(api_keys_search) VALUES ('rebuild') after one).
CREATE VIRTUAL TABLE api_keys_search USING fts5 (
    label_folded, api_key, fingerprint,
    content = 'api_keys', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO api_keys_search (api_keys_search) VALUES ('rebuild');

CREATE TRIGGER api_keys_search_insert AFTER INSERT ON api_keys BEGIN
    INSERT INTO api_keys_search (rowid, label_folded, api_key, fingerprint)
    VALUES (new.rowid, new.label_folded, new.api_key, new.fingerprint);
END;

CREATE TRIGGER api_keys_search_delete AFTER DELETE ON api_keys BEGIN
    INSERT INTO api_keys_search (api_keys_search, rowid, label_folded, api_key, fingerprint)
    VALUES ('delete', old.rowid, old.label_folded, old.api_key, old.fingerprint);
END;

CREATE TRIGGER api_keys_search_update AFTER UPDATE OF label_folded, api_key, fingerprint ON api_keys BEGIN
    INSERT INTO api_keys_search (api_keys_search, rowid, label_folded, api_key, fingerprint)
    VALUES ('delete', old.rowid, old.label_folded, old.api_key, old.fingerprint);
    INSERT INTO api_keys_search (rowid, label_folded, api_key, fingerprint)
    VALUES (new.rowid, new.label_folded, new.api_key, new.fingerprint);
END;
