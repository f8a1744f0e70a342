-- Commerce instances an integrator configures, with their Commerce Services
-- Connector configuration. Private keys are never here: each configured pair
-- keeps its private key in the OS keychain under `keychain_entry`.
CREATE TABLE instances (
    id                  TEXT PRIMARY KEY NOT NULL,
    account_id          TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    name_folded         TEXT NOT NULL UNIQUE,
    base_url            TEXT NOT NULL,
    instance_type       TEXT NOT NULL CHECK (instance_type IN ('production', 'staging', 'development')),
    gateway             TEXT NOT NULL DEFAULT 'keyport' CHECK (gateway IN ('keyport', 'adobe', 'custom')),
    gateway_url         TEXT,
    -- magento_saas/environment: which pair the connector uses.
    active_environment  TEXT NOT NULL DEFAULT 'production' CHECK (active_environment IN ('production', 'sandbox')),
    -- The SaaS identifier, as the gateway's registry named it when chosen.
    project_id          TEXT,
    project_name        TEXT,
    data_space_id       TEXT,
    data_space_name     TEXT,
    data_space_type     TEXT,
    ims_organization_id TEXT,
    -- The last entitlement check against the gateway; NULL code = passed.
    last_checked_at     TEXT,
    last_check_code     TEXT,
    last_check_message  TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK ((gateway = 'custom') = (gateway_url IS NOT NULL)),
    CHECK ((project_id IS NULL) = (data_space_id IS NULL))
) STRICT;
CREATE INDEX instances_by_account ON instances (account_id, name_folded);
CREATE INDEX instances_by_data_space ON instances (data_space_id) WHERE data_space_id IS NOT NULL;

-- An instance's Magento website codes (store_website.code).
CREATE TABLE instance_websites (
    instance_id TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (instance_id, code)
) STRICT;

-- The key pairs saved on an instance's Connector page.
CREATE TABLE instance_keys (
    instance_id    TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    environment    TEXT NOT NULL CHECK (environment IN ('production', 'sandbox')),
    api_key        TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    bits           INTEGER NOT NULL,
    keychain_entry TEXT NOT NULL UNIQUE,
    saved_at       TEXT NOT NULL,
    PRIMARY KEY (instance_id, environment)
) STRICT;
CREATE INDEX instance_keys_by_api_key ON instance_keys (api_key);
