//! The built-in script parses (a syntax error anywhere stops every part of it). Needs `node`;
//! without it the check says so and passes.

#[test]
fn app_js_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/app.js");
    match std::process::Command::new("node")
        .args(["--check", path])
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "app.js: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => eprintln!("node not found ({e}): app.js not checked"),
    }
}
