//! The real test mail servers (`scripts/mail-servers`, via hako-testkit):
//! mail sent over SMTP can be read back over IMAP and IMAPS, and the
//! scripted SMTP failure addresses answer 4xx/5xx.

use std::time::Duration;

use hako_testkit::{MailServers, block_on, mail_servers, unique_token};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn smtp_mail_to_support_arrives_in_its_imap_inbox() {
    let mail = mail_servers();
    let token = unique_token();
    let subject = format!("Question about my order {token}");
    let body = "お問い合わせ\r\n注文番号 1234 の配送状況を教えてください。\r\n";

    block_on(async {
        let message_id = mail
            .send(MailServers::ALICE, &[MailServers::SUPPORT], &subject, body)
            .await
            .expect("send over SMTP");
        let raw = mail
            .wait_for_message(MailServers::SUPPORT, "INBOX", &token, WAIT)
            .await
            .expect("message arrives in support@example.test's INBOX");

        let text = String::from_utf8_lossy(&raw);
        assert!(text.contains(&token), "token missing:\n{text}");
        assert!(text.contains(&subject), "subject missing:\n{text}");
        assert!(text.contains(&message_id), "Message-ID missing:\n{text}");
        assert!(
            text.contains("お問い合わせ"),
            "Japanese body missing:\n{text}"
        );
    });
}

#[test]
fn imaps_presents_the_scripts_certificate() {
    let mail = mail_servers();
    let token = unique_token();
    block_on(async {
        mail.send(
            MailServers::BOB,
            &[MailServers::INFO],
            &format!("TLS check {token}"),
            "hello",
        )
        .await
        .expect("send over SMTP");
        mail.wait_for_message(MailServers::INFO, "INBOX", &token, WAIT)
            .await
            .expect("message arrives");
        // Verifies the chain against $HAKO_MAIL_CA and the name 127.0.0.1.
        let messages = mail
            .imaps_fetch_all(MailServers::INFO, "INBOX")
            .await
            .expect("IMAPS with the script's CA");
        assert!(
            messages
                .iter()
                .any(|m| String::from_utf8_lossy(m).contains(&token))
        );
    });
}

#[test]
fn scripted_failure_addresses_answer_4xx_and_5xx() {
    let mail = mail_servers();
    block_on(async {
        let temp = mail
            .send(MailServers::ALICE, &[MailServers::TEMPFAIL], "t", "t")
            .await
            .expect_err("tempfail@ must be refused");
        assert!(
            matches!(&temp, hako_testkit::MailError::Smtp(e) if e.is_transient()),
            "{temp}"
        );
        let perm = mail
            .send(MailServers::ALICE, &[MailServers::REJECT], "r", "r")
            .await
            .expect_err("reject@ must be refused");
        assert!(
            matches!(&perm, hako_testkit::MailError::Smtp(e) if e.is_permanent()),
            "{perm}"
        );
        let outside = mail
            .send(MailServers::ALICE, &["someone@example.com"], "o", "o")
            .await
            .expect_err("no relaying to other domains");
        assert!(
            matches!(&outside, hako_testkit::MailError::Smtp(e) if e.is_permanent()),
            "{outside}"
        );
    });
}
