//! Crate-level tests: the example file, error messages (key, file, line,
//! variable named; secrets never shown), env overrides and passwords.

use std::path::Path;

use chrono::NaiveDate;

use crate::{
    AfterIngest, Config, ConfigError, ImapAuth, IngestConfig, InitialImport, Secret, Security,
};

const NO_ENV: [(String, String); 0] = [];

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const MINIMAL: &str = r#"
[[inbox]]
name = "support"
address = "support@example.test"
display_name = "Support"

[inbox.imap]
host = "imap.example.test"
port = 993
security = "tls"
username = "support"
password = "s3cret-imap-pw"

[inbox.smtp]
host = "smtp.example.test"
port = 587
security = "starttls"
username = "support"
password = "s3cret-smtp-pw"
"#;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml_str(text, "test.toml", NO_ENV)
}

fn parse_env(text: &str, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    Config::from_toml_str(text, "test.toml", env(vars))
}

fn err(text: &str) -> String {
    parse(text)
        .expect_err("config should be rejected")
        .to_string()
}

fn example_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/hako.example.toml")
}

#[test]
fn example_file_parses() {
    let config = Config::load_with_env(&example_path(), NO_ENV).unwrap();
    assert_eq!(config.data_dir, Path::new("data"));
    assert_eq!(config.timezone, chrono_tz::Asia::Tokyo);
    assert_eq!(config.web.listen.to_string(), "127.0.0.1:8080");
    let names: Vec<_> = config.inbox.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["support", "info"]);

    let support = config.inbox("support").unwrap();
    assert_eq!(support.address, "support@example.test");
    assert_eq!(support.display_name, "Example Support");
    assert!(support.signature.contains("サポート"));
    let imap = support.imap.as_ref().unwrap();
    assert_eq!((imap.host.as_str(), imap.port), ("127.0.0.1", 10143));
    assert_eq!(imap.security, Security::None);
    assert_eq!(imap.folders, ["INBOX"]);
    assert_eq!(imap.password().unwrap().expose(), "hako-test-password");
    assert_eq!(imap.auth, ImapAuth::Login);
    assert_eq!(imap.after_ingest, AfterIngest::Leave);
    assert_eq!(imap.initial_import, InitialImport::All);
    assert!(imap.idle);
    assert_eq!((imap.poll_seconds, imap.timeout_seconds), (60, 60));
    assert_eq!(config.ingest, IngestConfig::default());
    let smtp = support.smtp.as_ref().unwrap();
    assert_eq!((smtp.port, smtp.security), (10025, Security::None));
    assert!(smtp.username.is_none());

    let info = config.inbox("info").unwrap();
    assert_eq!(info.display_name, "Example Info");
    assert!(config.inbox("nope").is_none());
}

#[test]
fn empty_file_gives_defaults() {
    let config = parse("").unwrap();
    assert_eq!(config.data_dir, Path::new("data"));
    assert_eq!(config.timezone, chrono_tz::UTC);
    assert_eq!(config.web.listen.to_string(), "127.0.0.1:8080");
    assert!(config.inbox.is_empty());
}

#[test]
fn defaults_inside_inbox() {
    let config = parse(MINIMAL).unwrap();
    let inbox = &config.inbox[0];
    assert_eq!(inbox.signature, "");
    let imap = inbox.imap.as_ref().unwrap();
    assert_eq!(imap.folders, ["INBOX"]);
    assert!(imap.tls_ca_file.is_none());
    assert_eq!(imap.inbox_name, "support");
    assert_eq!(imap.auth, ImapAuth::Login);
    assert_eq!(imap.after_ingest, AfterIngest::Leave);
    assert!(!imap.after_ingest.needs_write());
    assert!(imap.move_to.is_none());
    assert_eq!(imap.initial_import, InitialImport::All);
    assert!(imap.import_since.is_none());
    assert!(imap.idle);
    assert_eq!((imap.poll_seconds, imap.timeout_seconds), (60, 60));
    assert_eq!(config.ingest, IngestConfig::default());
}

#[test]
fn ingest_defaults() {
    let ingest = IngestConfig::default();
    assert_eq!(ingest.max_message_bytes, 52_428_800);
    assert_eq!((ingest.max_parts, ingest.batch), (2000, 100));
    assert!(ingest.subject_threading);
    assert_eq!(
        (ingest.subject_window_days, ingest.reopen_window_days),
        (14, 30)
    );
    assert_eq!(parse("").unwrap().ingest, ingest);
    assert_eq!(parse("[ingest]\n").unwrap().ingest, ingest);
}

#[test]
fn ingest_keys_parse() {
    let config = parse(
        "[ingest]\nmax_message_bytes = 1000\nmax_parts = 7\nbatch = 3\n\
         subject_threading = false\nsubject_window_days = 0\nreopen_window_days = 90\n",
    )
    .unwrap();
    let expected = IngestConfig {
        max_message_bytes: 1000,
        max_parts: 7,
        batch: 3,
        subject_threading: false,
        subject_window_days: 0,
        reopen_window_days: 90,
    };
    assert_eq!(config.ingest, expected);
    let e = err("[ingest]\nbatchsize = 1\n");
    assert!(e.contains("`ingest.batchsize`"), "{e}");
    let e = err("[ingest]\nbatch = 0\n");
    assert!(
        e.contains("`ingest.batch`") && e.contains("at least 1"),
        "{e}"
    );
    let e = err("[ingest]\nmax_parts = -1\n");
    assert!(e.contains("`ingest.max_parts`"), "{e}");
}

#[test]
fn imap_policy_keys_parse() {
    let text = MINIMAL.replace(
        "port = 993",
        "port = 993\nauth = \"xoauth2\"\nafter_ingest = \"move\"\nmove_to = \"Archive/hako\"\n\
         initial_import = \"since\"\nimport_since = \"2024-02-29\"\nidle = false\n\
         poll_seconds = 5\ntimeout_seconds = 1",
    );
    let config = parse(&text).unwrap();
    let imap = config.inbox[0].imap.as_ref().unwrap();
    assert_eq!(imap.auth, ImapAuth::Xoauth2);
    assert_eq!(imap.after_ingest, AfterIngest::Move);
    assert!(imap.after_ingest.needs_write());
    assert_eq!(imap.move_to.as_deref(), Some("Archive/hako"));
    assert_eq!(imap.initial_import, InitialImport::Since);
    assert_eq!(imap.import_since, NaiveDate::from_ymd_opt(2024, 2, 29));
    assert!(!imap.idle);
    assert_eq!((imap.poll_seconds, imap.timeout_seconds), (5, 1));

    // A bare TOML date works too.
    let text = MINIMAL.replace(
        "port = 993",
        "port = 993\ninitial_import = \"since\"\nimport_since = 2023-12-01",
    );
    let imap = parse(&text).unwrap().inbox[0].imap.clone().unwrap();
    assert_eq!(imap.import_since, NaiveDate::from_ymd_opt(2023, 12, 1));

    let seen = MINIMAL.replace("port = 993", "port = 993\nafter_ingest = \"seen\"");
    let imap = parse(&seen).unwrap().inbox[0].imap.clone().unwrap();
    assert_eq!(imap.after_ingest, AfterIngest::Seen);
}

#[test]
fn imap_policy_errors_name_the_key() {
    let with = |extra: &str| MINIMAL.replace("port = 993", &format!("port = 993\n{extra}"));
    let cases = [
        ("auth = \"plain\"", "inbox[0].imap.auth", "unknown variant"),
        (
            "after_ingest = \"delete\"",
            "inbox[0].imap.after_ingest",
            "unknown variant",
        ),
        (
            "after_ingest = \"move\"",
            "inbox[0].imap.move_to",
            "must be set",
        ),
        (
            "after_ingest = \"move\"\nmove_to = \"inbox\"",
            "inbox[0].imap.move_to",
            "also listed in `folders`",
        ),
        (
            "after_ingest = \"move\"\nmove_to = \" \"",
            "inbox[0].imap.move_to",
            "non-empty",
        ),
        (
            "move_to = \"Done\"",
            "inbox[0].imap.move_to",
            "only used with",
        ),
        (
            "initial_import = \"since\"",
            "inbox[0].imap.import_since",
            "must be set",
        ),
        (
            "import_since = \"2024-01-01\"",
            "inbox[0].imap.import_since",
            "only used with",
        ),
        (
            "initial_import = \"since\"\nimport_since = \"2024-13-01\"",
            "inbox[0].imap.import_since",
            "YYYY-MM-DD",
        ),
        (
            "initial_import = \"since\"\nimport_since = 2024-01-01T10:00:00Z",
            "inbox[0].imap.import_since",
            "YYYY-MM-DD",
        ),
        (
            "initial_import = \"old\"",
            "inbox[0].imap.initial_import",
            "unknown variant",
        ),
        ("idle = \"yes\"", "inbox[0].imap.idle", ""),
        (
            "poll_seconds = 4",
            "inbox[0].imap.poll_seconds",
            "at least 5",
        ),
        (
            "timeout_seconds = 0",
            "inbox[0].imap.timeout_seconds",
            "at least 1",
        ),
    ];
    for (extra, key, message) in cases {
        let e = err(&with(extra));
        assert!(e.contains(&format!("`{key}`")), "{extra}: {e}");
        assert!(e.contains(message), "{extra}: {e}");
    }
}

#[test]
fn env_overrides_ingest_and_imap_policy() {
    let config = parse_env(
        MINIMAL,
        &[
            ("HAKO_INGEST__BATCH", "25"),
            ("HAKO_INGEST__SUBJECT_THREADING", "false"),
            ("HAKO_INGEST__MAX_MESSAGE_BYTES", "1048576"),
            ("HAKO_INBOX__SUPPORT__IMAP__IDLE", "no"),
            ("HAKO_INBOX__SUPPORT__IMAP__POLL_SECONDS", "30"),
            ("HAKO_INBOX__SUPPORT__IMAP__TIMEOUT_SECONDS", "90"),
            ("HAKO_INBOX__SUPPORT__IMAP__AUTH", "xoauth2"),
            ("HAKO_INBOX__SUPPORT__IMAP__AFTER_INGEST", "move"),
            ("HAKO_INBOX__SUPPORT__IMAP__MOVE_TO", "Done"),
            ("HAKO_INBOX__SUPPORT__IMAP__INITIAL_IMPORT", "since"),
            ("HAKO_INBOX__SUPPORT__IMAP__IMPORT_SINCE", "2025-01-15"),
        ],
    )
    .unwrap();
    assert_eq!(config.ingest.batch, 25);
    assert!(!config.ingest.subject_threading);
    assert_eq!(config.ingest.max_message_bytes, 1_048_576);
    let imap = config.inbox[0].imap.as_ref().unwrap();
    assert!(!imap.idle);
    assert_eq!((imap.poll_seconds, imap.timeout_seconds), (30, 90));
    assert_eq!(imap.auth, ImapAuth::Xoauth2);
    assert_eq!(imap.after_ingest, AfterIngest::Move);
    assert_eq!(imap.move_to.as_deref(), Some("Done"));
    assert_eq!(imap.initial_import, InitialImport::Since);
    assert_eq!(imap.import_since, NaiveDate::from_ymd_opt(2025, 1, 15));

    for (var, value) in [
        ("HAKO_INGEST__SUBJECT_THREADING", "maybe"),
        ("HAKO_INGEST__BATCH", "many"),
        ("HAKO_INGEST__NOPE", "1"),
        ("HAKO_INBOX__SUPPORT__IMAP__IDLE", "2"),
        ("HAKO_INBOX__SUPPORT__IMAP__AFTER_INGEST", "delete"),
    ] {
        let e = parse_env(MINIMAL, &[(var, value)]).unwrap_err().to_string();
        assert!(e.contains(var), "{e}");
    }
    // Dependent keys are validated after the overrides.
    let e = parse_env(
        MINIMAL,
        &[("HAKO_INBOX__SUPPORT__IMAP__AFTER_INGEST", "move")],
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("`inbox[0].imap.move_to`"), "{e}");
    let e = parse_env(
        MINIMAL,
        &[
            ("HAKO_INBOX__SUPPORT__IMAP__INITIAL_IMPORT", "since"),
            ("HAKO_INBOX__SUPPORT__IMAP__IMPORT_SINCE", "15.01.2025"),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("HAKO_INBOX__SUPPORT__IMAP__IMPORT_SINCE") && e.contains("YYYY-MM-DD"),
        "{e}"
    );
}

#[test]
fn unknown_top_level_key_is_named_with_file_and_line() {
    let e = err("data_dir = \"x\"\ndatadir = \"y\"\n");
    assert!(e.contains("`datadir`"), "{e}");
    assert!(e.contains("test.toml line 2"), "{e}");
    assert!(e.starts_with("cannot "), "{e}");
}

#[test]
fn unknown_web_key_is_named() {
    let e = err("[web]\nlisten = \"127.0.0.1:1\"\nport = 80\n");
    assert!(e.contains("`web.port`"), "{e}");
    assert!(e.contains("line 3"), "{e}");
}

#[test]
fn unknown_imap_key_is_named() {
    let text = MINIMAL.replace("port = 993", "port = 993\nhots = \"x\"");
    let e = err(&text);
    assert!(e.contains("`inbox[0].imap.hots`"), "{e}");
    assert!(e.contains("unknown field `hots`"), "{e}");
}

#[test]
fn bad_timezone_names_key_and_value() {
    let e = err("timezone = \"Asia/Tokio\"\n");
    assert!(e.contains("`timezone`"), "{e}");
    assert!(e.contains("Asia/Tokio"), "{e}");
    assert!(e.contains("line 1"), "{e}");
}

#[test]
fn bad_security_and_listen_are_named() {
    let e = err(&MINIMAL.replace("\"starttls\"", "\"STARTTLS\""));
    assert!(e.contains("`inbox[0].smtp.security`"), "{e}");
    let e = err("[web]\nlisten = \"localhost\"\n");
    assert!(e.contains("`web.listen`"), "{e}");
}

#[test]
fn missing_required_key_is_named() {
    let e = err(&MINIMAL.replace("host = \"imap.example.test\"\n", ""));
    assert!(
        e.contains("`inbox[0].imap`") && e.contains("missing field `host`"),
        "{e}"
    );
}

#[test]
fn syntax_error_has_line_and_no_secret() {
    let text = "[web]\nlisten = \"127.0.0.1:1\"\npassword = \"hunter2\n";
    let e = err(text);
    assert!(e.starts_with("cannot parse test.toml line 3"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
}

#[test]
fn mistyped_password_is_not_echoed() {
    let e = err(&MINIMAL.replace("password = \"s3cret-imap-pw\"", "password = 987654"));
    assert!(e.contains("`inbox[0].imap.password`"), "{e}");
    assert!(!e.contains("987654"), "{e}");
}

#[test]
fn debug_of_config_hides_passwords() {
    let config = parse_env(
        MINIMAL,
        &[("HAKO_INBOX__SUPPORT__SMTP__PASSWORD", "env-pw-42")],
    )
    .unwrap();
    let debug = format!("{config:?}");
    assert!(!debug.contains("s3cret-imap-pw"), "{debug}");
    assert!(!debug.contains("env-pw-42"), "{debug}");
    assert!(debug.contains("***"));
    let secret = Secret::new("x-value");
    assert_eq!(format!("{secret} {secret:?}"), "*** ***");
    assert_eq!(secret.expose(), "x-value");
}

#[test]
fn env_overrides_strings_and_ports() {
    let config = parse_env(
        MINIMAL,
        &[
            ("HAKO_DATA_DIR", "/var/lib/hako"),
            ("HAKO_TIMEZONE", "Europe/Berlin"),
            ("HAKO_WEB__LISTEN", "0.0.0.0:9000"),
            ("HAKO_INBOX__SUPPORT__DISPLAY_NAME", "Help Desk"),
            ("HAKO_INBOX__SUPPORT__IMAP__HOST", "imap2.example.test"),
            ("HAKO_INBOX__SUPPORT__IMAP__PORT", "1993"),
            ("HAKO_INBOX__SUPPORT__IMAP__PASSWORD", "from-env"),
            ("HAKO_INBOX__SUPPORT__IMAP__FOLDERS", "INBOX, Archive"),
            ("HAKO_INBOX__SUPPORT__SMTP__USERNAME", "12345"),
            // Not config keys: ignored.
            ("HAKO_CONFIG", "/nonexistent.toml"),
            ("HAKO_ADMIN_PASSWORD", "x"),
            ("HAKO_TEST_IMAP_PORT", "x"),
            ("HAKO_SMTP_PORT", "x"),
        ],
    )
    .unwrap();
    assert_eq!(config.data_dir, Path::new("/var/lib/hako"));
    assert_eq!(config.timezone, chrono_tz::Europe::Berlin);
    assert_eq!(config.web.listen.to_string(), "0.0.0.0:9000");
    let inbox = config.inbox("support").unwrap();
    assert_eq!(inbox.display_name, "Help Desk");
    let imap = inbox.imap.as_ref().unwrap();
    assert_eq!(
        (imap.host.as_str(), imap.port),
        ("imap2.example.test", 1993)
    );
    assert_eq!(imap.password().unwrap().expose(), "from-env");
    assert_eq!(imap.folders, ["INBOX", "Archive"]);
    // Strings stay strings even when they look like numbers.
    let smtp = inbox.smtp.as_ref().unwrap();
    assert_eq!(smtp.username.as_deref(), Some("12345"));
}

#[test]
fn env_creates_missing_sections() {
    let text = "[[inbox]]\nname = \"sales-jp\"\naddress = \"sales@example.test\"\ndisplay_name = \"Sales\"\n";
    let config = parse_env(
        text,
        &[
            ("HAKO_WEB__LISTEN", "127.0.0.1:1"),
            ("HAKO_INBOX__SALES_JP__SMTP__HOST", "localhost"),
            ("HAKO_INBOX__SALES_JP__SMTP__PORT", "25"),
            ("HAKO_INBOX__SALES_JP__SMTP__SECURITY", "none"),
        ],
    )
    .unwrap();
    assert_eq!(config.web.listen.port(), 1);
    let smtp = config.inbox("sales-jp").unwrap().smtp.as_ref().unwrap();
    assert_eq!((smtp.host.as_str(), smtp.port), ("localhost", 25));

    // An incomplete section made from the environment names the variable.
    let e = parse_env(text, &[("HAKO_INBOX__SALES_JP__IMAP__HOST", "localhost")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("HAKO_INBOX__SALES_JP__IMAP__HOST"), "{e}");
    assert!(e.contains("missing field `port`"), "{e}");
}

#[test]
fn env_password_replaces_file_password_command() {
    let text = MINIMAL.replace(
        "password = \"s3cret-imap-pw\"",
        "password_command = \"exit 1\"",
    );
    let config = parse_env(&text, &[("HAKO_INBOX__SUPPORT__IMAP__PASSWORD", "pw")]).unwrap();
    let imap = config.inbox[0].imap.as_ref().unwrap();
    assert!(imap.password_command.is_none());
    assert_eq!(imap.password().unwrap().expose(), "pw");
}

#[test]
fn env_bad_port_names_variable() {
    let e = parse_env(MINIMAL, &[("HAKO_INBOX__SUPPORT__IMAP__PORT", "imaps")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("HAKO_INBOX__SUPPORT__IMAP__PORT"), "{e}");
    // Out of u16 range: caught by deserialization, still mapped to the var.
    let e = parse_env(MINIMAL, &[("HAKO_INBOX__SUPPORT__IMAP__PORT", "70000")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("HAKO_INBOX__SUPPORT__IMAP__PORT"), "{e}");
    assert!(e.contains("inbox[0].imap.port"), "{e}");
    let e = parse_env(MINIMAL, &[("HAKO_TIMEZONE", "Nowhere/Land")])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("HAKO_TIMEZONE") && e.contains("Nowhere/Land"),
        "{e}"
    );
}

#[test]
fn env_for_unknown_inbox_is_an_error() {
    let e = parse_env(MINIMAL, &[("HAKO_INBOX__SALES__IMAP__PASSWORD", "x")]).unwrap_err();
    assert!(
        matches!(&e, ConfigError::Env { var, .. } if var == "HAKO_INBOX__SALES__IMAP__PASSWORD")
    );
    let e = e.to_string();
    assert!(e.contains("HAKO_INBOX__SALES__IMAP__PASSWORD"), "{e}");
    assert!(e.contains("support (SUPPORT)"), "{e}");
    assert!(!e.contains(": x"), "{e}");
}

#[test]
fn env_unknown_key_is_an_error() {
    for var in [
        "HAKO_WEB__PORT",
        "HAKO_INBOX__SUPPORT__IMAP__HOTS",
        "HAKO_INBOX__SUPPORT__NAME",
        "HAKO_INBOX__SUPPORT",
    ] {
        let e = parse_env(MINIMAL, &[(var, "x")]).unwrap_err().to_string();
        assert!(e.contains(var), "{e}");
    }
}

#[test]
fn duplicate_inbox_names_rejected() {
    let twice = format!("{MINIMAL}\n{}", MINIMAL.replace("support@", "other@"));
    let e = err(&twice);
    assert!(
        e.contains("`inbox[1].name`") && e.contains("duplicates"),
        "{e}"
    );
    // Same env name counts as a duplicate too.
    let e = err(&twice.replacen("name = \"support\"", "name = \"Support\"", 1));
    assert!(e.contains("`inbox[1].name`"), "{e}");
}

#[test]
fn validation_errors_name_the_key() {
    let cases = [
        (
            MINIMAL.replace("name = \"support\"", "name = \"\""),
            "inbox[0].name",
        ),
        (
            MINIMAL.replace("name = \"support\"", "name = \"sup port\""),
            "inbox[0].name",
        ),
        (
            MINIMAL.replace(
                "address = \"support@example.test\"",
                "address = \"support\"",
            ),
            "inbox[0].address",
        ),
        (
            MINIMAL.replace("address = \"support@example.test\"", "address = \"a@b@c\""),
            "inbox[0].address",
        ),
        (
            MINIMAL.replace("address = \"support@example.test\"", "address = \"a b@c\""),
            "inbox[0].address",
        ),
        (
            MINIMAL.replace(
                "display_name = \"Support\"",
                "display_name = \"A\\r\\nBcc: x\"",
            ),
            "inbox[0].display_name",
        ),
        (
            MINIMAL.replace("port = 993", "port = 0"),
            "inbox[0].imap.port",
        ),
        (
            MINIMAL
                .replace("folders", "x")
                .replace("port = 993", "port = 993\nfolders = []"),
            "inbox[0].imap.folders",
        ),
        (
            MINIMAL.replace(
                "password = \"s3cret-smtp-pw\"",
                "password = \"s3cret-smtp-pw\"\npassword_command = \"echo x\"",
            ),
            "inbox[0].smtp.password",
        ),
        (
            MINIMAL.replace(
                "username = \"support\"\npassword = \"s3cret-smtp-pw\"",
                "password = \"s3cret-smtp-pw\"",
            ),
            "inbox[0].smtp.username",
        ),
    ];
    for (text, key) in cases {
        let e = err(&text);
        assert!(e.contains(&format!("`{key}`")), "{key}: {e}");
        assert!(!e.contains("s3cret"), "{e}");
    }
}

#[test]
fn duplicate_addresses_rejected() {
    let twice = format!(
        "{MINIMAL}\n{}",
        MINIMAL
            .replace("name = \"support\"", "name = \"two\"")
            .replace("support@", "SUPPORT@")
    );
    let e = err(&twice);
    assert!(
        e.contains("`inbox[1].address`") && e.contains("`support`"),
        "{e}"
    );
}

#[test]
fn password_command_success_and_failure() {
    let text = MINIMAL.replace(
        "password = \"s3cret-imap-pw\"",
        "password_command = \"printf 'cmd-pw\\\\nsecond line\\\\n'\"",
    );
    let config = parse(&text).unwrap();
    let imap = config.inbox[0].imap.as_ref().unwrap();
    assert_eq!(imap.password().unwrap().expose(), "cmd-pw");

    let text = MINIMAL.replace(
        "password = \"s3cret-imap-pw\"",
        "password_command = \"echo $((40 + 2))-stdout; echo 'vault locked' >&2; exit 3\"",
    );
    let config = parse(&text).unwrap();
    let e = config.inbox[0]
        .imap
        .as_ref()
        .unwrap()
        .password()
        .unwrap_err();
    let e = e.to_string();
    assert!(e.contains("inbox `support`"), "{e}");
    assert!(e.contains("exit status: 3"), "{e}");
    assert!(e.contains("vault locked"), "{e}");
    // What the command printed to stdout could be a (partial) secret.
    assert!(!e.contains("42-stdout"), "{e}");

    let text = MINIMAL.replace(
        "password = \"s3cret-imap-pw\"",
        "password_command = \"true\"",
    );
    let e = parse(&text).unwrap().inbox[0]
        .imap
        .as_ref()
        .unwrap()
        .password()
        .unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");
}

#[test]
fn missing_password_names_env_variable() {
    let text = MINIMAL.replace("password = \"s3cret-imap-pw\"\n", "");
    let config = parse(&text).unwrap();
    let e = config.inbox[0]
        .imap
        .as_ref()
        .unwrap()
        .password()
        .unwrap_err()
        .to_string();
    assert!(e.contains("HAKO_INBOX__SUPPORT__IMAP__PASSWORD"), "{e}");
}

#[test]
fn missing_file_suggests_copying_the_example() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hako.toml");
    let e = Config::load_with_env(&path, NO_ENV).unwrap_err();
    assert!(matches!(e, ConfigError::NotFound { .. }));
    let e = e.to_string();
    assert!(e.contains(&path.display().to_string()), "{e}");
    assert!(
        e.contains("cp config/hako.example.toml config/hako.toml"),
        "{e}"
    );

    std::fs::write(&path, "bogus = 1\n").unwrap();
    let e = Config::load_with_env(&path, NO_ENV)
        .unwrap_err()
        .to_string();
    assert!(e.contains(&format!("{} line 1", path.display())), "{e}");
}

/// The env layer's key lists must match the serde structs: every schema key
/// is accepted by the struct, and the struct has no key the schema lacks
/// (read off serde's "expected one of" list).
#[test]
fn env_schema_matches_structs() {
    use crate::env::{
        IMAP_KEYS, INBOX_KEYS, INGEST_KEYS, OUTBOX_KEYS, SMTP_KEYS, TOP_KEYS, WEB_KEYS,
    };
    let expected_fields = |text: &str| -> Vec<String> {
        let e = err(text);
        let list = e.split("expected").nth(1).unwrap_or_else(|| panic!("{e}"));
        list.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    };
    let keys = |k: &[(&str, crate::env::Kind)]| -> Vec<String> {
        let mut v: Vec<String> = k.iter().map(|(k, _)| k.to_string()).collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // Top level: everything but the sections.
    let mut top = expected_fields("zzz = 1");
    top.retain(|k| k != "web" && k != "ingest" && k != "outbox" && k != "inbox");
    assert_eq!(sorted(top), keys(TOP_KEYS));
    assert_eq!(sorted(expected_fields("[web]\nzzz = 1")), keys(WEB_KEYS));
    assert_eq!(
        sorted(expected_fields("[ingest]\nzzz = 1")),
        keys(INGEST_KEYS)
    );
    assert_eq!(
        sorted(expected_fields("[outbox]\nzzz = 1")),
        keys(OUTBOX_KEYS)
    );
    let mut inbox = expected_fields(&MINIMAL.replace(
        "display_name = \"Support\"",
        "display_name = \"Support\"\nzzz = 1",
    ));
    inbox.retain(|k| k != "name" && k != "imap" && k != "smtp");
    assert_eq!(sorted(inbox), keys(INBOX_KEYS));
    assert_eq!(
        sorted(expected_fields(
            &MINIMAL.replace("port = 993", "port = 993\nzzz = 1")
        )),
        keys(IMAP_KEYS)
    );
    assert_eq!(
        sorted(expected_fields(
            &MINIMAL.replace("port = 587", "port = 587\nzzz = 1")
        )),
        keys(SMTP_KEYS)
    );
}

#[test]
fn web_public_url_is_an_origin() {
    let config = parse("[web]\npublic_url = \"https://hako.example.test\"\n").unwrap();
    assert_eq!(
        config.web.public_url.as_deref(),
        Some("https://hako.example.test")
    );
    let e = err("[web]\npublic_url = \"hako.example.test\"\n");
    assert!(
        e.contains("`web.public_url`") && e.contains("https://"),
        "{e}"
    );
    let e = err("[web]\npublic_url = \"https://hako.example.test/inbox\"\n");
    assert!(e.contains("scheme and host only"), "{e}");
}

#[test]
fn web_unanswered_hours_default_file_and_env() {
    assert_eq!(parse("").unwrap().web.unanswered_hours, 4);
    let config = parse("[web]\nunanswered_hours = 8\n").unwrap();
    assert_eq!(config.web.unanswered_hours, 8);
    let config = parse_env(MINIMAL, &[("HAKO_WEB__UNANSWERED_HOURS", "2")]).unwrap();
    assert_eq!(config.web.unanswered_hours, 2);
    let e = err("[web]\nunanswered_hours = 0\n");
    assert!(e.contains("`web.unanswered_hours`"), "{e}");
}
