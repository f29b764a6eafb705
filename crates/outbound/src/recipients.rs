//! Who a reply goes to. Reply-all keeps the customer's Cc minus our own addresses; nothing is
//! ever sent to a robot (mailer-daemon, no-reply, a bounce address) or to ourselves, and an
//! address with control characters (a header injection attempt) is refused outright.

use hako_domain::EmailAddress;

use crate::compose::ComposeError;

/// Local parts that belong to machines, not people: mail to them bounces or loops.
const ROBOTS: [&str; 10] = [
    "mailer-daemon",
    "postmaster",
    "no-reply",
    "noreply",
    "do-not-reply",
    "donotreply",
    "bounce",
    "bounces",
    "mail-daemon",
    "auto-reply",
];

pub fn is_robot(address: &EmailAddress) -> bool {
    let local = address
        .as_str()
        .rsplit_once('@')
        .map(|(l, _)| l.to_lowercase())
        .unwrap_or_default();
    ROBOTS.contains(&local.as_str())
        || local.starts_with("bounce-")
        || local.starts_with("bounces+")
        || local.starts_with("no-reply-")
        || local.starts_with("noreply-")
}

/// Parses an address for sending; refuses what must never be mailed.
pub fn checked(raw: &str, ours: &[String]) -> Result<Option<EmailAddress>, ComposeError> {
    if raw.chars().any(|c| c.is_control()) {
        return Err(ComposeError::Unsafe(format!(
            "address {raw:?} contains control characters"
        )));
    }
    let a = EmailAddress::parse(raw)
        .map_err(|e| ComposeError::Unsafe(format!("address {raw:?}: {e}")))?;
    if ours.iter().any(|o| o.eq_ignore_ascii_case(a.as_str())) || is_robot(&a) {
        return Ok(None);
    }
    Ok(Some(a))
}

/// The To and Cc of a reply: the customer, and with `reply_all` the other To/Cc addresses of
/// the message replied to — each once, none of ours, no robots.
pub fn reply_recipients(
    customer: &str,
    others: &[String],
    reply_all: bool,
    ours: &[String],
) -> Result<(EmailAddress, Vec<EmailAddress>), ComposeError> {
    let to = checked(customer, ours)?.ok_or_else(|| {
        ComposeError::Unsafe(format!(
            "will not send to {customer}: it is one of our addresses or an automatic sender"
        ))
    })?;
    let mut cc: Vec<EmailAddress> = vec![];
    if reply_all {
        for raw in others {
            if let Some(a) = checked(raw, ours)?
                && a.normalized() != to.normalized()
                && !cc.iter().any(|c| c.normalized() == a.normalized())
            {
                cc.push(a);
            }
        }
    }
    Ok((to, cc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours() -> Vec<String> {
        vec!["support@example.test".into(), "info@example.test".into()]
    }

    #[test]
    fn reply_all_drops_ours_robots_and_repeats() {
        let others: Vec<String> = [
            "Support@Example.test",
            "boss@customer.test",
            "info@example.test",
            "no-reply@shop.test",
            "boss@customer.test",
            "taro@customer.test",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (to, cc) = reply_recipients("taro@customer.test", &others, true, &ours()).unwrap();
        assert_eq!(to.as_str(), "taro@customer.test");
        let cc: Vec<&str> = cc.iter().map(|a| a.as_str()).collect();
        assert_eq!(cc, ["boss@customer.test"]);
        let (_, none) = reply_recipients("taro@customer.test", &others, false, &ours()).unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn never_to_robots_ourselves_or_injected_headers() {
        for bad in [
            "MAILER-DAEMON@mx.customer.test",
            "noreply@shop.test",
            "bounces+123@list.test",
            "support@example.test",
        ] {
            assert!(reply_recipients(bad, &[], false, &ours()).is_err(), "{bad}");
        }
        let err = reply_recipients("taro@customer.test\r\nBcc: all@x.test", &[], false, &ours())
            .unwrap_err();
        assert!(err.to_string().contains("control characters"), "{err}");
    }
}
