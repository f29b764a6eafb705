pub(crate) fn env_name(inbox: &str) -> String {
    inbox.to_ascii_uppercase().replace('-', "_")
}
