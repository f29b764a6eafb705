//! Screenshots on failure: where they go, how they are named, and the guard that takes one
//! when a test panics.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Browser, BrowserError};

/// The folder failure screenshots go to: `$HAKO_BROWSER_FAILURES` if set, else
/// `browser-failures` in the cargo target directory of the running test binary
/// (`target/browser-failures`, or under `$CARGO_TARGET_DIR`).
pub fn failure_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HAKO_BROWSER_FAILURES") {
        return dir.into();
    }
    target_dir().join("browser-failures")
}

/// Test binaries live in `<target>/<profile>/deps/`.
fn target_dir() -> PathBuf {
    let from_exe = std::env::current_exe().ok().and_then(|exe| {
        let deps = exe.parent()?;
        (deps.file_name()? == "deps").then(|| deps.parent()?.parent().map(Path::to_path_buf))?
    });
    from_exe
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// Saves a screenshot of `browser` and the page source as `<dir>/<name>-<n>.png` and
/// `.html`, `n` the first number not taken, and returns both paths.
pub(crate) fn save(browser: &Browser, name: &str) -> Result<(PathBuf, PathBuf), BrowserError> {
    let dir = failure_dir();
    let write_error = |path: &Path, source| BrowserError::Write {
        path: path.into(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
    let stem = sanitize(name);
    let (png_path, mut png) = (1..)
        .map(|n| dir.join(format!("{stem}-{n}.png")))
        .find_map(
            |path| match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => Some(Ok((path, file))),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
                Err(e) => Some(Err(write_error(&path, e))),
            },
        )
        .expect("an unbounded range")?;
    let html_path = png_path.with_extension("html");
    // The page source first: it survives a page the screenshot command chokes on.
    let source = browser
        .page_source()
        .unwrap_or_else(|e| format!("<!-- cannot read the page source: {e} -->"));
    std::fs::write(&html_path, source).map_err(|e| write_error(&html_path, e))?;
    png.write_all(&browser.screenshot_png()?)
        .map_err(|e| write_error(&png_path, e))?;
    Ok((png_path, html_path))
}

/// Saves the failure files and says where they are, on stderr (shown with the test's
/// failure). Never panics: it runs while a panic unwinds.
pub(crate) fn save_and_report(browser: &Browser, name: &str) {
    let url = browser
        .current_url()
        .unwrap_or_else(|_| "an unknown URL".into());
    match save(browser, name) {
        Ok((png, html)) => eprintln!(
            "browser test failed on {url}: screenshot {}, page source {}",
            png.display(),
            html.display()
        ),
        Err(e) => eprintln!("browser test failed on {url}; no failure screenshot: {e}"),
    }
}

/// `tests::login_form` becomes `tests-login_form`: letters, digits, `_` and `-` only.
fn sanitize(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = if c.is_alphanumeric() || c == '_' || c == '-' {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "browser".into()
    } else {
        out.into()
    }
}

/// Takes a failure screenshot named after a step if the thread panics while it is alive;
/// see the module documentation of [`crate::browser`]. Made by [`Browser::failure_shot`].
#[must_use = "the guard only acts while it is alive; bind it: `let _shot = …`"]
pub struct FailureShot<'b> {
    pub(crate) browser: &'b Browser,
    pub(crate) name: String,
}

impl Drop for FailureShot<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            save_and_report(self.browser, &self.name);
            self.browser.shot_taken.set(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn names_become_file_names() {
        assert_eq!(sanitize("tests::login_form"), "tests-login_form");
        assert_eq!(sanitize("返信 画面"), "返信-画面");
        assert_eq!(sanitize("::"), "browser");
        assert_eq!(sanitize("a/../b"), "a-b");
    }
}
