//! The corpus against hako's own parser: every mail parses without decoding damage, threads
//! point at earlier mail, the charset mix and the special mail are there, and a seed always
//! gives the same bytes.

use hako_corpus::{CorpusSpec, arrival_time, generate, write_maildir};
use hako_mail::{Limits, MailKind, parse};
use std::collections::{HashMap, HashSet};

/// Enough for every kind of mail to occur; small enough for a debug build's parser.
const N: u64 = 1_500;

/// Warnings that mean text was lost or guessed, not merely repaired.
fn is_damage(w: &str) -> bool {
    [
        "not valid",
        "guessed",
        "cannot",
        "damaged",
        "not found",
        "missing",
        "U+FFFD",
    ]
    .iter()
    .any(|s| w.contains(s))
}

/// The charset labels a mail uses (`charset=` parameters outside QP-encoded HTML).
fn charsets_of(raw: &[u8]) -> HashSet<String> {
    let text = String::from_utf8_lossy(raw).to_ascii_lowercase();
    text.match_indices("charset=")
        .map(|(i, _)| {
            text[i + 8..]
                .trim_start_matches('"')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect::<String>()
        })
        .filter(|c| !c.starts_with("3d"))
        .collect()
}

#[test]
fn every_mail_parses_cleanly_and_the_mix_is_realistic() {
    let spec = CorpusSpec::new(N, 42);
    let mails: Vec<Vec<u8>> = generate(&spec).collect();
    assert_eq!(mails.len() as u64, N);

    let limits = Limits::default();
    let parsed: Vec<_> = mails
        .iter()
        .enumerate()
        .map(|(i, raw)| parse(raw, &limits).unwrap_or_else(|e| panic!("mail {i}: {e}")))
        .collect();
    let position: HashMap<&str, usize> = parsed
        .iter()
        .enumerate()
        .map(|(i, p)| (p.message_id.as_str(), i))
        .collect();

    let mut charsets: HashMap<String, u64> = HashMap::new();
    let mut kinds: HashMap<MailKind, u64> = HashMap::new();
    let (mut threaded, mut re_only) = (0u64, 0u64);
    let (mut html, mut attachments, mut japanese_names) = (0u64, 0u64, 0u64);
    let mut sizes: Vec<usize> = vec![];
    let mut last_arrival = None;
    for (i, (raw, p)) in mails.iter().zip(&parsed).enumerate() {
        let damage: Vec<&String> = p.warnings.iter().filter(|w| is_damage(w)).collect();
        assert!(damage.is_empty(), "mail {i}: {damage:?}");
        for text in [&p.subject, &p.text] {
            assert!(!text.contains('\u{fffd}'), "mail {i}: U+FFFD in {text:?}");
            assert!(
                !text.contains('\u{1b}'),
                "mail {i}: escape left in {text:?}"
            );
        }
        assert!(!p.subject.is_empty(), "mail {i}: no subject");
        assert!(!p.text.trim().is_empty(), "mail {i}: no text");
        let arrival = arrival_time(raw).expect("arrival time");
        assert!(
            last_arrival.is_none_or(|l| l <= arrival),
            "mail {i} arrives out of order"
        );
        last_arrival = Some(arrival);

        let earlier = |id: &String| position.get(id.as_str()).is_some_and(|&j| j < i);
        let later = |id: &String| position.get(id.as_str()).is_some_and(|&j| j > i);
        assert!(
            !p.references.iter().any(later),
            "mail {i} references a later mail"
        );
        if p.references.iter().chain(&p.in_reply_to).any(earlier) {
            threaded += 1;
        }
        if p.in_reply_to.is_empty() && p.subject.to_ascii_lowercase().starts_with("re:") {
            re_only += 1;
        }
        for c in charsets_of(raw) {
            *charsets.entry(c).or_default() += 1;
        }
        *kinds.entry(p.kind).or_default() += 1;
        html += u64::from(p.html.is_some());
        attachments += u64::from(p.attachments.iter().any(|a| !a.inline));
        for a in &p.attachments {
            let name = a.filename.as_deref().unwrap_or_default();
            assert!(!name.contains('\u{fffd}'), "mail {i}: attachment {name:?}");
            japanese_names += u64::from(!name.is_ascii());
        }
        sizes.push(raw.len());
    }
    sizes.sort_unstable();
    let pct = |p: usize| sizes[sizes.len() * p / 100];
    let big = sizes.iter().filter(|s| **s > 100_000).count();
    eprintln!(
        "sizes p10 {} p50 {} p90 {} p99 {} max {}; {} MB",
        pct(10),
        pct(50),
        pct(90),
        pct(99),
        sizes[sizes.len() - 1],
        sizes.iter().sum::<usize>() / 1_000_000
    );
    eprintln!("charsets {charsets:?}\nkinds {kinds:?}");
    let typical = sizes
        .iter()
        .filter(|s| (2_000..=20_000).contains(*s))
        .count();
    eprintln!("2–20 KB: {typical}");
    eprintln!(
        "threaded {threaded}, Re: without In-Reply-To {re_only}, html {html}, \
         attachments {attachments} (Japanese names {japanese_names}), >100 KB {big}"
    );

    let n = N as f64;
    assert!(
        threaded as f64 > 0.25 * n,
        "few replies to earlier mail: {threaded}"
    );
    assert!(re_only > 0, "no reply relies on its subject alone");
    for c in ["iso-2022-jp", "shift_jis", "utf-8", "us-ascii"] {
        let share = charsets.get(c).copied().unwrap_or(0) as f64 / n;
        assert!(share > 0.02, "too little {c}: {charsets:?}");
    }
    for k in [MailKind::AutoReply, MailKind::Bounce, MailKind::List] {
        assert!(
            kinds.get(&k).copied().unwrap_or(0) > 0,
            "no {k:?}: {kinds:?}"
        );
    }
    assert!(html as f64 > 0.3 * n, "html {html}");
    assert!(
        (0.04..0.15).contains(&(attachments as f64 / n)),
        "attachments {attachments}"
    );
    assert!(japanese_names > 0);
    let typical = sizes
        .iter()
        .filter(|s| (2_000..=20_000).contains(*s))
        .count();
    assert!(typical as f64 > 0.75 * n, "only {typical} mails of 2–20 KB");
    assert!(
        big as f64 > 0.005 * n && (big as f64) < 0.04 * n,
        "large mails: {big}"
    );
}

#[test]
fn a_seed_always_gives_the_same_corpus() {
    let a: Vec<Vec<u8>> = generate(&CorpusSpec::new(300, 7)).collect();
    let b: Vec<Vec<u8>> = generate(&CorpusSpec::new(300, 7)).collect();
    let c: Vec<Vec<u8>> = generate(&CorpusSpec::new(300, 8)).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn the_maildir_lists_mail_in_arrival_order() {
    let dir = tempfile::tempdir().unwrap();
    let spec = CorpusSpec::new(50, 3);
    assert_eq!(write_maildir(dir.path(), generate(&spec)).unwrap(), 50);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("cur"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 50);
    assert!(names.iter().all(|n| n.ends_with(".corpus:2,")));
    let originals: Vec<Vec<u8>> = generate(&spec).collect();
    for (name, original) in names.iter().zip(&originals) {
        let path = dir.path().join("cur").join(name);
        assert_eq!(&std::fs::read(&path).unwrap(), original, "{name}");
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        let secs = mtime
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert_eq!(secs, arrival_time(original).unwrap().timestamp());
        assert!(name.starts_with(&secs.to_string()));
    }
    assert!(
        std::fs::read_dir(dir.path().join("new"))
            .unwrap()
            .next()
            .is_none()
    );
}
