//! A web element found by a CSS selector, and what a user does with it (W3C WebDriver §12).

use serde_json::{Value, json};

use super::webdriver::{self, ELEMENT_KEY};
use super::{Browser, BrowserError};

/// An element of the current page. It borrows its [`Browser`]; after a navigation it is
/// stale and calls fail with `stale element reference`.
#[derive(Clone)]
pub struct Element<'b> {
    browser: &'b Browser,
    id: String,
    selector: String,
}

impl std::fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Element({:?})", self.selector)
    }
}

impl<'b> Element<'b> {
    pub(crate) fn from_references(
        browser: &'b Browser,
        selector: &str,
        references: &Value,
    ) -> Vec<Element<'b>> {
        let list = references.as_array().map(Vec::as_slice).unwrap_or_default();
        list.iter()
            .filter_map(webdriver::element_id)
            .map(|id| Element {
                browser,
                id: id.to_owned(),
                selector: selector.to_owned(),
            })
            .collect()
    }

    /// The CSS selector this element was found by.
    pub fn selector(&self) -> &str {
        &self.selector
    }

    /// Clicks the element's centre, scrolling it into view first; fails if something else
    /// covers it (`element click intercepted`), as a user's click would.
    pub fn click(&self) -> Result<(), BrowserError> {
        self.post("click", json!({})).map(drop)
    }

    /// The rendered text, as a user sees it (hidden parts left out).
    pub fn text(&self) -> Result<String, BrowserError> {
        Ok(self.get("text")?.as_str().unwrap_or_default().to_owned())
    }

    /// An attribute, or `None` if the element does not have it. For the current value of
    /// an input use [`Element::property`]`("value")`.
    pub fn attr(&self, name: &str) -> Result<Option<String>, BrowserError> {
        Ok(self
            .get(&format!("attribute/{name}"))?
            .as_str()
            .map(str::to_owned))
    }

    /// A DOM property, e.g. `value` or `checked`; `Null` if unset.
    pub fn property(&self, name: &str) -> Result<Value, BrowserError> {
        self.get(&format!("property/{name}"))
    }

    /// Types `text` into the element (any Unicode text, Japanese included), after focusing
    /// it. WebDriver key codes such as `"\u{E007}"` (Enter) work too.
    pub fn send_keys(&self, text: &str) -> Result<(), BrowserError> {
        self.post("value", json!({ "text": text })).map(drop)
    }

    /// Empties an input or textarea.
    pub fn clear(&self) -> Result<(), BrowserError> {
        self.post("clear", json!({})).map(drop)
    }

    /// Elements inside this one matching `css`, now (no waiting).
    pub fn find_all(&self, css: &str) -> Result<Vec<Element<'b>>, BrowserError> {
        let found = self.post("elements", webdriver::css(css))?;
        let selector = format!("{} {css}", self.selector);
        Ok(Element::from_references(self.browser, &selector, &found))
    }

    /// This element as an argument for [`Browser::execute`] (arrives as a DOM node).
    pub fn to_arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }

    fn get(&self, what: &str) -> Result<Value, BrowserError> {
        let path = format!("element/{}/{what}", self.id);
        self.browser
            .command("GET", &path, None)
            .map_err(|e| e.for_command(format!("{what} of {:?}", self.selector)))
    }

    fn post(&self, what: &str, body: Value) -> Result<Value, BrowserError> {
        let path = format!("element/{}/{what}", self.id);
        self.browser
            .command("POST", &path, Some(&body))
            .map_err(|e| e.for_command(format!("{what} on {:?}", self.selector)))
    }
}
