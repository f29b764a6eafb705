//! Golden tests: every `fixtures/NAME.eml` is parsed as stored, with LF and with CRLF line ends,
//! and each result, serialised with serde_json (pretty), must equal `fixtures/NAME.json`
//! exactly. On a difference the actual JSON is written to `NAME.failed` (git-ignored) beside
//! the fixture, and the test fails listing every differing file.
//!
//! `HAKO_BLESS=1 cargo test -p hako-mail --test golden` writes the `.json` files for new
//! fixtures. Review each one by hand: the expected values must be what a person reading the
//! mail sees as correct (the Japanese subject decoded right, the right attachments), never just
//! what the parser happened to print.

use std::fs;
use std::path::{Path, PathBuf};

use hako_mail::{Limits, ParsedMessage, parse};

fn render(raw: &[u8]) -> String {
    let parsed = parse(raw, &Limits::default()).expect("fixtures are within the default limits");
    let mut json = serde_json::to_string_pretty(&parsed).expect("a parsed message serialises");
    json.push('\n');
    json
}

fn to_lf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, &b) in raw.iter().enumerate() {
        if !(b == b'\r' && raw.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}

fn to_crlf(raw: &[u8]) -> Vec<u8> {
    let lf = to_lf(raw);
    let mut out = Vec::with_capacity(lf.len() + lf.len() / 16);
    for b in lf {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    found.sort();
    found
}

#[test]
fn golden_fixtures() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let bless = std::env::var("HAKO_BLESS").is_ok_and(|v| v == "1");
    let mut ran = 0;
    let mut failures = Vec::new();

    for eml in fixtures(&dir) {
        let raw = fs::read(&eml).expect("a readable fixture");
        let json_path = eml.with_extension("json");
        let failed_path = eml.with_extension("failed");
        if bless {
            fs::write(&json_path, render(&raw)).expect("writable fixtures");
        }
        let expected = fs::read_to_string(&json_path).unwrap_or_default();

        let mut differing = Vec::new();
        let mut first_actual = None;
        for (label, bytes) in [
            ("as stored", raw.clone()),
            ("LF", to_lf(&raw)),
            ("CRLF", to_crlf(&raw)),
        ] {
            let actual = render(&bytes);
            if actual != expected {
                differing.push(label);
                first_actual.get_or_insert(actual);
            }
        }
        ran += 1;
        if first_actual.is_none() {
            // The JSON reads back into the same message (attachment bytes are not serialised).
            let mut parsed = parse(&raw, &Limits::default()).expect("within the limits");
            parsed.attachments.iter_mut().for_each(|a| a.bytes.clear());
            let read_back: ParsedMessage = serde_json::from_str(&expected).expect("valid JSON");
            assert_eq!(read_back, parsed, "{}", eml.display());
        }
        match first_actual {
            Some(actual) => {
                fs::write(&failed_path, actual).expect("writable fixtures");
                failures.push(format!(
                    "{} ({}): see {}",
                    eml.file_name().unwrap_or_default().to_string_lossy(),
                    differing.join(", "),
                    failed_path.display()
                ));
            }
            None => {
                let _ = fs::remove_file(&failed_path);
            }
        }
    }

    assert!(ran > 0, "no .eml fixtures found in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {ran} fixtures differ from their .json:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Cut-off and corrupted copies of every fixture still parse (best effort, no panic).
#[test]
fn damaged_fixtures_never_panic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut parsed = 0;
    for eml in fixtures(&dir) {
        let raw = fs::read(&eml).expect("a readable fixture");
        for cut in (0..raw.len()).step_by(5) {
            parse(&raw[..cut], &Limits::default()).expect("within the limits");
            let mut flipped = raw.clone();
            flipped[cut] ^= 0x80;
            parse(&flipped, &Limits::default()).expect("within the limits");
            parsed += 2;
        }
    }
    assert!(parsed > 0);
}
