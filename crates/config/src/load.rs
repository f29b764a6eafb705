//! Loading: where the config file is, reading it, layering `HAKO_…`
//! overrides on the parsed tree, typed deserialization with errors mapped
//! back to a file line or an environment variable, then validation.

use std::ffi::OsString;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::env;
use crate::error::ConfigError;
use crate::model::{Config, InboxConfig};
use crate::validate::validate;

impl Config {
    /// Used when neither `--config` nor `HAKO_CONFIG` is given; relative to
    /// the current working directory.
    pub const DEFAULT_PATH: &'static str = "config/hako.toml";

    /// Which file to load: `explicit` (the `--config FILE` flag), else the
    /// `HAKO_CONFIG` variable, else [`Config::DEFAULT_PATH`]. Does not check
    /// that the file exists; [`Config::load`] reports that.
    pub fn resolve_path(explicit: Option<&Path>) -> PathBuf {
        resolve_path_from(explicit, std::env::var_os("HAKO_CONFIG"))
    }

    /// Reads and validates the file at `path`, with overrides from the
    /// process environment.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let mut vars = Vec::new();
        // `std::env::vars()` panics on non-UTF-8 entries; only our own
        // variables have to be UTF-8, and for those it is an error.
        for (var, value) in std::env::vars_os() {
            let Ok(var) = var.into_string() else { continue };
            if !env::is_config_var(&var) {
                continue;
            }
            match value.into_string() {
                Ok(value) => vars.push((var, value)),
                Err(_) => {
                    return Err(ConfigError::Env {
                        var,
                        message: "value is not valid UTF-8".to_owned(),
                    });
                }
            }
        }
        Self::load_with_env(path, vars)
    }

    /// Like [`Config::load`] but with an explicit environment, for tests and
    /// tools that must not depend on the caller's variables.
    pub fn load_with_env(
        path: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                ConfigError::NotFound {
                    path: path.to_owned(),
                }
            } else {
                ConfigError::Read {
                    path: path.to_owned(),
                    source,
                }
            }
        })?;
        Self::from_toml_str(&text, &path.display().to_string(), env)
    }

    /// Parses `text` (named `source_name` in errors), applies the config-key
    /// variables from `env` (others are ignored) and validates the result.
    /// Relative paths (`data_dir`, `tls_ca_file`) are kept as written and
    /// resolve against the current working directory when used.
    pub fn from_toml_str(
        text: &str,
        source_name: &str,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let overrides = env::collect(env);

        let mut root = DeTable::parse(text).map_err(|e| ConfigError::Syntax {
            file: source_name.to_owned(),
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().to_owned(),
        })?;
        // One past the end, so even an error span at EOF is not a marker.
        let marker_base = text.len() + 1;
        env::apply(root.get_mut(), &overrides, marker_base)?;

        // Deserialization consumes the tree; keep a copy to turn an error
        // span back into a key path.
        let tree = root.get_ref().clone();
        let mut config = Config::deserialize(toml::Deserializer::from(root)).map_err(|e| {
            let key = e
                .span()
                .and_then(|span| key_path(&tree, &span))
                .or_else(|| toml_key_hint(&e))
                .unwrap_or_else(|| "(top level)".to_owned());
            match e.span() {
                Some(span) if span.start >= marker_base => ConfigError::Env {
                    var: overrides
                        .get(span.start - marker_base)
                        .map_or_else(|| "HAKO_…".to_owned(), |o| o.var.clone()),
                    message: format!("`{key}`: {}", e.message()),
                },
                span => ConfigError::Invalid {
                    file: source_name.to_owned(),
                    line: span.map(|s| line_of(text, s.start)),
                    key,
                    message: e.message().to_owned(),
                },
            }
        })?;

        for inbox in &mut config.inbox {
            crate::edited::name_servers(inbox);
        }
        validate(&config, source_name)?;
        Ok(config)
    }

    /// The inbox called `name`, if configured.
    pub fn inbox(&self, name: &str) -> Option<&InboxConfig> {
        self.inbox.iter().find(|i| i.name == name)
    }
}

fn resolve_path_from(explicit: Option<&Path>, hako_config: Option<OsString>) -> PathBuf {
    if let Some(path) = explicit {
        return path.to_owned();
    }
    match hako_config {
        // An empty variable is treated as unset, as shells make that easy
        // to produce by accident.
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(Config::DEFAULT_PATH),
    }
}

/// 1-based line of byte offset `at`.
fn line_of(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The dotted path (`inbox[0].imap.port`) of the key or value whose span
/// contains `span`. toml reports errors by span; its own key list is private
/// and has no array indices.
fn key_path(root: &DeTable<'_>, span: &Range<usize>) -> Option<String> {
    let mut path = Vec::new();
    find_in_table(root, span, &mut path).then(|| join_path(&path))
}

fn covers(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer == inner
        || (outer.start < outer.end && outer.start <= inner.start && inner.end <= outer.end)
}

// Table spans cover only their `[header]`, not the body, so the search has
// to descend into every table rather than only those covering the span.
fn find_in_table(table: &DeTable<'_>, span: &Range<usize>, path: &mut Vec<String>) -> bool {
    for (key, value) in table.iter() {
        path.push(key.get_ref().to_string());
        if find_in_value(value.get_ref(), span, path)
            || covers(&key.span(), span)
            || covers(&value.span(), span)
        {
            return true;
        }
        path.pop();
    }
    false
}

fn find_in_value(value: &DeValue<'_>, span: &Range<usize>, path: &mut Vec<String>) -> bool {
    match value {
        DeValue::Table(t) => find_in_table(t, span, path),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(format!("[{i}]"));
                if find_in_value(item.get_ref(), span, path) || covers(&item.span(), span) {
                    return true;
                }
                path.pop();
            }
            false
        }
        _ => false,
    }
}

fn join_path(path: &[String]) -> String {
    let mut out = String::new();
    for seg in path {
        if !out.is_empty() && !seg.starts_with('[') {
            out.push('.');
        }
        out.push_str(seg);
    }
    out
}

/// Fallback when the error carries no span: toml's `Display` ends with
/// "in `a.b`" naming the keys.
fn toml_key_hint(e: &toml::de::Error) -> Option<String> {
    let shown = e.to_string();
    let last = shown.lines().last()?;
    Some(last.strip_prefix("in `")?.strip_suffix('`')?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_path_precedence() {
        let explicit = Path::new("/etc/hako.toml");
        assert_eq!(
            resolve_path_from(Some(explicit), Some("/x.toml".into())),
            explicit
        );
        assert_eq!(
            resolve_path_from(None, Some("/x.toml".into())),
            Path::new("/x.toml")
        );
        assert_eq!(
            resolve_path_from(None, Some("".into())),
            Path::new(Config::DEFAULT_PATH)
        );
        assert_eq!(resolve_path_from(None, None), Path::new("config/hako.toml"));
    }

    #[test]
    fn line_numbers_are_one_based() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
