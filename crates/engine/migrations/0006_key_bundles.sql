-- Key bundles. This workstation's bundle identity is an age X25519 key: its
-- secret in the OS keychain (entry identity:<age1…>), its public key in
-- settings (bundle_identity). An account whose keys arrived in a bundle is a
-- client account of this workstation; a received key records when it came.
ALTER TABLE accounts ADD COLUMN relation TEXT NOT NULL DEFAULT 'own' CHECK (relation IN ('own', 'client'));
ALTER TABLE api_keys ADD COLUMN received_at TEXT;
