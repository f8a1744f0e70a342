//! Applying a connector configuration to Magento: the real config paths of
//! magento/services-connector and magento/services-id, and the files
//! Keyport exports for an instance (pure text; the engine writes them).
//!
//! `bin/magento config:set` only accepts paths that have an Admin field
//! (Magento's `PathValidator` checks them against `system.xml`). The four
//! key paths have one, and `config:set` stores them encrypted with the
//! instance's own crypt key; `magento_saas/environment` and most
//! `services_id/*` paths have none, so they travel in `env.php`'s
//! `system/default` section, which `bin/magento app:config:import` applies.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Environment;

/// `magento_saas/environment`: which key pair the connector uses.
pub const ACTIVE_ENVIRONMENT: &str = "magento_saas/environment";
pub const PROJECT_ID: &str = "services_connector/services_id/project_id";
pub const PROJECT_NAME: &str = "services_connector/services_id/project_name";
pub const DATA_SPACE_ID: &str = "services_connector/services_id/environment_id";
pub const DATA_SPACE_NAME: &str = "services_connector/services_id/environment_name";
pub const DATA_SPACE_TYPE: &str = "services_connector/services_id/environment";
pub const IMS_ORGANIZATION_ID: &str = "services_connector/services_id/ims_organization_id";

pub fn api_key_path(environment: Environment) -> String {
    format!("services_connector/services_connector_integration/{environment}_api_key")
}

pub fn private_key_path(environment: Environment) -> String {
    format!("services_connector/services_connector_integration/{environment}_private_key")
}

pub fn gateway_url_path(environment: Environment) -> String {
    format!("services_connector/{environment}_gateway_url")
}

/// One configured key pair: its API key goes on `config:set`'s command line,
/// its private key is read from `pem_file` next to the script.
#[derive(Debug, Clone)]
pub struct ExportedPair {
    pub environment: Environment,
    pub api_key: String,
    pub pem_file: String,
}

/// What an instance's export holds.
#[derive(Debug, Clone)]
pub struct Export {
    pub instance_name: String,
    pub base_url: String,
    pub keyport_version: String,
    pub exported_at: String,
    /// `config:set --lock-env`: keys go to `app/etc/env.php` (encrypted)
    /// instead of the database.
    pub lock_env: bool,
    pub pairs: Vec<ExportedPair>,
    /// Non-secret `path = value` settings for `env.php`; `None` removes the
    /// path from the instance (Magento falls back to its default).
    pub settings: Vec<(String, Option<String>)>,
}

/// A PHP single-quoted string literal of `value`.
fn php_string(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A POSIX shell single-quoted word of `value`.
fn sh_word(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

/// A comment line safe in PHP and shell: no line breaks, no `?>`.
fn comment_text(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().replace("?>", "? >")
}

enum Node {
    /// `None` is PHP's `null`: merge-env.php removes the path.
    Leaf(Option<String>),
    Branch(BTreeMap<String, Node>),
}

fn insert(tree: &mut BTreeMap<String, Node>, path: &[&str], value: Option<&str>) {
    let Some((head, rest)) = path.split_first() else { return };
    if rest.is_empty() {
        tree.insert((*head).to_string(), Node::Leaf(value.map(str::to_string)));
        return;
    }
    let entry = tree.entry((*head).to_string()).or_insert_with(|| Node::Branch(BTreeMap::new()));
    if let Node::Leaf(_) = entry {
        *entry = Node::Branch(BTreeMap::new());
    }
    if let Node::Branch(branch) = entry {
        insert(branch, rest, value);
    }
}

fn write_tree(out: &mut String, tree: &BTreeMap<String, Node>, depth: usize) {
    let pad = "    ".repeat(depth);
    for (key, node) in tree {
        match node {
            Node::Leaf(value) => {
                let value = value.as_deref().map_or_else(|| "null".to_string(), php_string);
                let _ = writeln!(out, "{pad}{} => {value},", php_string(key));
            }
            Node::Branch(branch) => {
                let _ = writeln!(out, "{pad}{} => [", php_string(key));
                write_tree(out, branch, depth + 1);
                let _ = writeln!(out, "{pad}],");
            }
        }
    }
}

/// `env.php`: a PHP file returning the array to merge into `app/etc/env.php`,
/// the non-secret paths under `'system' => ['default' => [...]]`, one
/// nested array per path segment.
pub fn env_php(export: &Export) -> String {
    let mut tree = BTreeMap::new();
    for (path, value) in &export.settings {
        let segments: Vec<&str> = ["system", "default"].into_iter().chain(path.split('/')).collect();
        insert(&mut tree, &segments, value.as_deref());
    }
    let mut out = String::from("<?php\n");
    let _ = writeln!(
        out,
        "// Commerce Services Connector configuration of \"{}\" ({}),\n\
         // exported by Keyport {} on {}.\n\
         //\n\
         // Merge this array into app/etc/env.php (apply.sh does it), then run\n\
         // bin/magento app:config:import. A null removes the path from env.php\n\
         // (merge-env.php does), so Magento's default applies again. The API keys\n\
         // are not here: apply.sh sets them with bin/magento config:set.",
        comment_text(&export.instance_name),
        comment_text(&export.base_url),
        comment_text(&export.keyport_version),
        comment_text(&export.exported_at)
    );
    out.push_str("return [\n");
    write_tree(&mut out, &tree, 1);
    out.push_str("];\n");
    out
}

/// `merge-env.php`: merges `env.php` into the instance's `app/etc/env.php`,
/// keeping a backup and the file's mode, replacing it atomically.
pub fn merge_env_php() -> &'static str {
    r#"<?php
// Merges a Keyport env.php into a Magento app/etc/env.php:
//   php merge-env.php app/etc/env.php /path/to/env.php
// A null in the Keyport file removes that path. The current file is kept as
// app/etc/env.php.keyport-backup-<time>; the new one keeps its mode and owner
// and replaces it in one rename. env.php holds the database password and the
// crypt key: no file is ever readable by others, not even for a moment.
if ($argc !== 3) {
    fwrite(STDERR, "usage: php merge-env.php app/etc/env.php env.php\n");
    exit(2);
}
umask(0077);
[, $target, $source] = $argv;
$current = include $target;
$fragment = include $source;
if (!is_array($current) || !is_array($fragment)) {
    fwrite(STDERR, "merge-env.php: $target or $source does not return an array\n");
    exit(1);
}

function keyport_prune(array $merged, array $fragment): array
{
    foreach ($fragment as $key => $value) {
        if ($value === null) {
            unset($merged[$key]);
        } elseif (is_array($value) && is_array($merged[$key] ?? null)) {
            $merged[$key] = keyport_prune($merged[$key], $value);
        }
    }
    return $merged;
}

function keyport_like(string $file, string $target, int $mode): bool
{
    // As root, the new files stay the web server user's; otherwise they are ours already.
    @chown($file, fileowner($target));
    @chgrp($file, filegroup($target));
    return chmod($file, $mode);
}

$merged = keyport_prune(array_replace_recursive($current, $fragment), $fragment);
$mode = fileperms($target) & 0777;
$backup = $target . '.keyport-backup-' . date('YmdHis');
$temporary = tempnam(dirname($target), '.env.php.keyport-');
if ($temporary === false || !copy($target, $backup) || !keyport_like($backup, $target, $mode)
    || file_put_contents($temporary, "<?php\nreturn " . var_export($merged, true) . ";\n") === false
    || !keyport_like($temporary, $target, $mode) || !rename($temporary, $target)) {
    if ($temporary !== false) {
        @unlink($temporary);
    }
    fwrite(STDERR, "merge-env.php: could not write $target; it is unchanged\n");
    exit(1);
}
echo "merged into $target (the previous file is $backup)\n";
"#
}

/// `apply.sh`: run from the Magento root, it sets the keys with
/// `bin/magento config:set`, merges `env.php` and imports it. The script
/// holds no secret: each private key is read from its `.pem` file.
pub fn apply_sh(export: &Export) -> String {
    let lock = if export.lock_env { "--lock-env " } else { "" };
    let mut out = String::new();
    let _ = write!(
        out,
        r#"#!/bin/sh
# Commerce Services Connector configuration of "{name}" ({url}),
# exported by Keyport {version} on {at}.
#
# Run it from the Magento root:   sh /path/to/this/folder/apply.sh
#
# 1. bin/magento config:set {lock}stores the API keys and private keys
#    (Magento encrypts them with this instance's crypt key); each private key
#    is read from its .pem file next to this script, byte for byte.
# 2. env.php (the project, data space, active key pair and gateway: paths
#    config:set refuses because they have no Admin field) is merged into
#    app/etc/env.php, keeping a backup.
# 3. bin/magento app:config:import applies it, and the config cache is cleaned.
# The script stops at the first failure, shows Magento's own message, and
# prints what it set (never a key).
#
# Note: while config:set runs, its arguments, a private key among them, are
# visible to other users of this machine (ps). Run it where they are trusted.
# Settings in env.php override the Admin and lock its fields.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
magento=bin/magento
php=${{PHP_BIN:-php}}

if [ ! -f "$magento" ] || [ ! -f app/etc/env.php ]; then
    echo "apply.sh: run this from the Magento root (there is no $magento or app/etc/env.php here)" >&2
    exit 1
fi

run_magento() {{
    if [ -x "$magento" ]; then "$magento" "$@"; else "$php" "$magento" "$@"; fi
}}

# Reads a file into $content byte for byte, its final newline included
# (a command substitution alone would drop it).
read_file() {{
    content=$(cat -- "$1" && printf x) || exit 1
    content=${{content%x}}
}}

# Every PEM begins with "-----", which Symfony's console would take for an
# option: "--" ends the options before the path and the value.
# Magento prints its refusals on standard output: shown only on failure.
set_value() {{
    if ! output=$(run_magento config:set {lock}-- "$1" "$2" 2>&1); then
        printf '%s\n' "$output" >&2
        printf 'apply.sh: bin/magento config:set %s failed; nothing after it was applied\n' "$1" >&2
        exit 1
    fi
    printf 'set %s\n' "$1"
}}

"#,
        name = comment_text(&export.instance_name),
        url = comment_text(&export.base_url),
        version = comment_text(&export.keyport_version),
        at = comment_text(&export.exported_at),
        lock = lock,
    );
    for pair in &export.pairs {
        let _ = writeln!(out, "set_value {} {}", sh_word(&api_key_path(pair.environment)), sh_word(&pair.api_key));
        let _ = writeln!(out, "read_file \"$here\"/{}", sh_word(&pair.pem_file));
        let _ = writeln!(out, "set_value {} \"$content\"", sh_word(&private_key_path(pair.environment)));
    }
    out.push_str(
        r#"
"$php" "$here/merge-env.php" app/etc/env.php "$here/env.php"
"#,
    );
    for (path, value) in &export.settings {
        let line = match value {
            Some(value) => format!("set {path} = {}", comment_text(value)),
            None => format!("removed {path} (Magento's default applies)"),
        };
        let _ = writeln!(out, "printf '%s\\n' {}", sh_word(&line));
    }
    out.push_str(
        r#"run_magento app:config:import
run_magento cache:clean config
echo "Done: the Commerce Services Connector configuration is applied."
"#,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export() -> Export {
        Export {
            instance_name: "shop's dev".into(),
            base_url: "https://shop.test/".into(),
            keyport_version: "0.1.0".into(),
            exported_at: "2026-11-23T07:00:00.000Z".into(),
            lock_env: false,
            pairs: vec![ExportedPair {
                environment: Environment::Sandbox,
                api_key: "kp_sbox_x".into(),
                pem_file: "privateKey-sandbox.pem".into(),
            }],
            settings: vec![
                (ACTIVE_ENVIRONMENT.into(), Some("sandbox".into())),
                (PROJECT_NAME.into(), Some(r"Bob's \ shop".into())),
                (PROJECT_ID.into(), Some("p-1".into())),
                (IMS_ORGANIZATION_ID.into(), None),
            ],
        }
    }

    #[test]
    fn env_php_nests_one_array_per_segment_and_escapes_strings() {
        let php = env_php(&export());
        assert!(php.starts_with("<?php\n"));
        assert!(php.contains("'system' => [\n        'default' => [\n"));
        assert!(php.contains("'magento_saas' => [\n                'environment' => 'sandbox',"));
        assert!(php.contains(r"'project_name' => 'Bob\'s \\ shop',"));
        assert!(php.contains("'ims_organization_id' => null,"), "a removed path is null");
        assert!(!php.contains("kp_sbox_x"), "keys are not in env.php");
    }

    #[test]
    fn apply_sh_ends_options_before_each_value_and_quotes_everything() {
        let sh = apply_sh(&export());
        assert!(sh.starts_with("#!/bin/sh\n"));
        assert!(sh.contains("run_magento config:set -- \"$1\" \"$2\" 2>&1"));
        assert!(sh.contains(r"printf '%s\n' 'removed services_connector/services_id/ims_organization_id"));
        assert!(sh.contains(
            "read_file \"$here\"/'privateKey-sandbox.pem'\nset_value 'services_connector/services_connector_integration/sandbox_private_key' \"$content\""
        ));
        assert!(!sh.contains("BEGIN"), "the script holds no key");
        let locked = apply_sh(&Export { lock_env: true, ..export() });
        assert!(locked.contains("run_magento config:set --lock-env -- \"$1\" \"$2\" 2>&1"));
        assert_eq!(sh_word("it's"), r"'it'\''s'");
    }

    #[test]
    fn comments_cannot_break_out() {
        assert_eq!(comment_text("a\nb ?> c"), "a b ? > c");
    }
}
