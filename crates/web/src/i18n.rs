//! Every visible string of the UI in English and Japanese (the words a Japanese support team
//! uses: 未対応, 保留, 担当者, ラベル, スヌーズ, チケットの分割, 受信箱, 履歴 …). The language is
//! the user's saved choice, else the browser's `Accept-Language`, else English. A unit test
//! keeps both catalogues on the same keys.

use axum::http::{HeaderMap, header};
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The first of ja/en in the browser's preference order (RFC 9110 §12.5.4 q-values).
    pub fn from_accept_language(value: &str) -> Lang {
        let mut prefs: Vec<(f32, Lang)> = value
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let tag = it.next()?.trim().to_ascii_lowercase();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                    .unwrap_or(1.0);
                let lang = Lang::parse(tag.split('-').next()?)?;
                Some((q, lang))
            })
            .filter(|(q, _)| *q > 0.0)
            .collect();
        // Stable: equal q-values keep the order the browser sent.
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        prefs.first().map_or(Lang::En, |p| p.1)
    }

    pub fn from_headers(h: &HeaderMap) -> Lang {
        h.get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map_or(Lang::En, Lang::from_accept_language)
    }
}

static CATALOGUES: LazyLock<[HashMap<&'static str, &'static str>; 2]> =
    LazyLock::new(|| [EN.iter().copied().collect(), JA.iter().copied().collect()]);

/// The message for `key`, `None` if the catalogue has none.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    let i = match lang {
        Lang::En => 0,
        Lang::Ja => 1,
    };
    CATALOGUES[i].get(key).copied()
}

/// The message for `key`, or the key itself (a visible, testable gap; never a panic).
pub fn text(lang: Lang, key: &str) -> &str {
    match lookup(lang, key) {
        Some(t) => t,
        None => key,
    }
}

#[rustfmt::skip]
const EN: &[(&str, &str)] = &[
    ("nav.inbox", "Inbox"),
    ("nav.me", "My settings"),
    ("nav.sign_out", "Sign out"),
    ("role.agent", "agent"),
    ("role.supervisor", "supervisor"),
    ("role.admin", "admin"),
    ("login.title", "Sign in"),
    ("login.intro", "Sign in with your work email address and your hako password."),
    ("login.email", "Email address"),
    ("login.password", "Password"),
    ("login.submit", "Sign in"),
    ("login.failed", "The email address or the password is wrong."),
    ("error.not_found", "Not found"),
    ("error.not_found.help", "This page or ticket does not exist, or it belongs to an inbox you are not a member of."),
    ("error.conflict", "This ticket changed"),
    ("error.conflict.help", "Someone changed this ticket after you opened it. Reload it to see the change, then try again."),
    ("error.bad_request", "This did not work"),
    ("error.bad_request.help", "Something in the form was not accepted:"),
    ("error.forbidden", "Not allowed"),
    ("error.forbidden.help", "You may see this, but this action is not yours to take:"),
    ("error.csrf", "Form refused"),
    ("error.csrf.help", "The form was too old or did not come from this site. Go back, reload the page and send it again."),
    ("error.rate_limited", "Too many attempts"),
    ("error.rate_limited.help", "Too many failed sign-ins for this address. Wait a few minutes before trying again."),
    ("error.internal", "Something went wrong"),
    ("error.internal.help", "hako could not finish this. Try again; if it keeps happening, tell your administrator:"),
    ("error.reload_ticket", "Reload ticket"),
    ("error.back_to_inbox", "Back to the inbox"),
    ("inbox.title", "Inbox"),
    ("inbox.tabs", "Inboxes"),
    ("inbox.count_help", "Open, pending and snoozed tickets"),
    ("inbox.new_activity", "There is new activity. Reload the list."),
    ("inbox.new", "new"),
    ("inbox.waiting_since", "waiting since"),
    ("inbox.empty", "No tickets here."),
    ("inbox.showing", "Showing"),
    ("inbox.prev", "Previous"),
    ("inbox.next", "Next"),
    ("inbox.search_help", "Search: words, \"phrases\", -word, OR, from: to: subject: label: status: assignee: inbox: after:2026-10-01 before: has:attachment"),
    ("tab.all", "All inboxes"),
    ("tab.mine", "Mine"),
    ("filter.status", "Status"),
    ("filter.assignee", "Assignee"),
    ("filter.anyone", "Anyone"),
    ("filter.me", "Me"),
    ("filter.unassigned", "Nobody (unassigned)"),
    ("filter.label", "Label"),
    ("filter.any_label", "Any label"),
    ("filter.sort", "Sort"),
    ("filter.search", "Search"),
    ("filter.search_placeholder", "invoice from:example.jp after:2026-10-01"),
    ("filter.apply", "Show"),
    ("filter.active", "Not done (open, pending, snoozed)"),
    ("filter.all_statuses", "All statuses"),
    ("sort.activity", "Latest activity first"),
    ("sort.waiting", "Waiting longest first"),
    ("sort.newest", "Newest tickets first"),
    ("bulk.selected", "Selected tickets:"),
    ("bulk.select", "Select"),
    ("bulk.assign", "Assign"),
    ("bulk.add_label", "Add label"),
    ("bulk.remove_label", "Remove label"),
    ("bulk.set_status", "Set status"),
    ("bulk.snooze", "Snooze"),
    ("col.number", "No."),
    ("col.subject", "Subject"),
    ("col.customer", "Customer"),
    ("col.status", "Status"),
    ("col.assignee", "Assignee"),
    ("col.activity", "Last activity"),
    ("status.open", "Open"),
    ("status.pending", "Pending"),
    ("status.snoozed", "Snoozed"),
    ("status.closed", "Closed"),
    ("status.spam", "Spam"),
    ("status.trash", "Trash"),
    ("ticket.until", "until"),
    ("ticket.nobody", "Nobody"),
    ("ticket.assignee", "Assignee"),
    ("ticket.labels", "Labels"),
    ("ticket.status", "Status"),
    ("ticket.inbox", "Inbox"),
    ("ticket.customer", "Customer"),
    ("ticket.history_link", "All messages from this customer"),
    ("ticket.split_from", "split from"),
    ("ticket.images_blocked", "Remote images are hidden (they would tell the sender you opened the mail)."),
    ("ticket.show_images", "Show images"),
    ("ticket.take", "Take this ticket"),
    ("ticket.assign", "Assign"),
    ("ticket.remove_label", "Remove label"),
    ("ticket.no_labels", "No labels"),
    ("ticket.add_label", "Add"),
    ("ticket.pending_reason", "Reason (for pending)"),
    ("ticket.set_status", "Change"),
    ("direction.incoming", "Customer"),
    ("direction.outgoing", "Our reply"),
    ("direction.note", "Internal note"),
    ("message.to", "To"),
    ("message.cc", "Cc"),
    ("message.subject", "Subject"),
    ("message.raw", "Download original"),
    ("split.with_later", "and later messages"),
    ("split.button", "Split into a new ticket"),
    ("note.title", "Internal note"),
    ("note.placeholder", "Only the team sees this. Mention a colleague with @name."),
    ("note.add", "Add note"),
    ("audit.title", "History of changes"),
    ("audit.when", "When"),
    ("audit.who", "Who"),
    ("audit.what", "What"),
    ("audit.change", "Change"),
    ("audit.system", "system"),
    ("action.created", "created"),
    ("action.assigned", "assigned"),
    ("action.unassigned", "unassigned"),
    ("action.label_added", "label added"),
    ("action.label_removed", "label removed"),
    ("action.status_changed", "status changed"),
    ("action.snoozed", "snoozed"),
    ("action.woken", "snooze ended"),
    ("action.split_out", "split out"),
    ("action.split_from", "split from"),
    ("action.merged_into", "merged into"),
    ("action.merged_from", "merged from"),
    ("action.note_added", "note added"),
    ("action.message_added", "message added"),
    ("action.subject_changed", "subject changed"),
    ("action.inbox_saved", "inbox saved"),
    ("action.user_added", "user added"),
    ("action.password_changed", "password changed"),
    ("action.label_created", "label created"),
    ("action.contacts_linked", "contacts linked"),
    ("action.contact_updated", "contact updated"),
    ("action.reply_queued", "reply queued"),
    ("action.reply_sent", "reply sent"),
    ("action.reply_failed", "reply failed"),
    ("action.reply_cancelled", "reply cancelled"),
    ("action.reply_submitted", "reply sent for approval"),
    ("action.reply_approved", "reply approved"),
    ("action.reply_returned", "reply returned for changes"),
    ("action.reply_filed", "reply copied to Sent"),
    ("snooze.title", "Snooze"),
    ("snooze.later", "Later today"),
    ("snooze.tomorrow", "Tomorrow morning"),
    ("snooze.next_week", "Next week"),
    ("snooze.at", "Until"),
    ("snooze.button", "Snooze"),
    ("merge.title", "Merge"),
    ("merge.into", "Merge this ticket into"),
    ("merge.button", "Merge"),
    ("merge.help", "All messages move to the other ticket; this one is closed and points there."),
    ("history.title", "Customer history"),
    ("history.address", "Email address or domain"),
    ("history.first_contact", "First contact"),
    ("history.tickets", "Tickets"),
    ("history.messages", "Messages"),
    ("history.empty", "No messages in your inboxes."),
    ("me.title", "My settings"),
    ("me.saved.settings", "Your settings are saved."),
    ("me.saved.password", "Your password is changed. You were signed out everywhere else."),
    ("me.language", "Language"),
    ("me.language_browser", "Same as my browser"),
    ("me.timezone", "Timezone"),
    ("me.timezone_help", "Empty: the team's timezone,"),
    ("me.save", "Save"),
    ("me.password", "Change password"),
    ("me.current_password", "Current password"),
    ("me.new_password", "New password"),
    ("me.confirm_password", "New password again"),
    ("me.password_help", "At least 10 characters. Changing it signs you out on every other device."),
    ("me.change_password", "Change password"),
    ("me.bad_timezone", "Unknown timezone (use a name like Asia/Tokyo):"),
    ("me.password_mismatch", "The two new passwords are not the same."),
    ("me.password_wrong", "The current password is wrong."),
    ("search.unavailable", "Search is not available right now (the search index could not be opened)."),
];

#[rustfmt::skip]
const JA: &[(&str, &str)] = &[
    ("nav.inbox", "受信箱"),
    ("nav.me", "個人設定"),
    ("nav.sign_out", "ログアウト"),
    ("role.agent", "担当者"),
    ("role.supervisor", "管理者（スーパーバイザー）"),
    ("role.admin", "システム管理者"),
    ("login.title", "ログイン"),
    ("login.intro", "仕事用のメールアドレスと hako のパスワードでログインしてください。"),
    ("login.email", "メールアドレス"),
    ("login.password", "パスワード"),
    ("login.submit", "ログイン"),
    ("login.failed", "メールアドレスまたはパスワードが正しくありません。"),
    ("error.not_found", "見つかりません"),
    ("error.not_found.help", "このページまたはチケットは存在しないか、あなたが所属していない受信箱のものです。"),
    ("error.conflict", "このチケットは変更されました"),
    ("error.conflict.help", "開いた後で他の人がこのチケットを変更しました。再読み込みして変更を確認してから、もう一度操作してください。"),
    ("error.bad_request", "実行できませんでした"),
    ("error.bad_request.help", "フォームの内容を受け付けられませんでした："),
    ("error.forbidden", "許可されていません"),
    ("error.forbidden.help", "閲覧はできますが、この操作は許可されていません："),
    ("error.csrf", "送信を拒否しました"),
    ("error.csrf.help", "フォームが古いか、このサイト以外から送信されました。戻ってページを再読み込みし、もう一度送信してください。"),
    ("error.rate_limited", "試行回数が多すぎます"),
    ("error.rate_limited.help", "このアドレスでのログイン失敗が続きました。数分待ってからもう一度お試しください。"),
    ("error.internal", "エラーが発生しました"),
    ("error.internal.help", "処理を完了できませんでした。もう一度お試しください。繰り返す場合は管理者に連絡してください："),
    ("error.reload_ticket", "チケットを再読み込み"),
    ("error.back_to_inbox", "受信箱に戻る"),
    ("inbox.title", "受信箱"),
    ("inbox.tabs", "受信箱"),
    ("inbox.count_help", "未対応・保留・スヌーズ中のチケット数"),
    ("inbox.new_activity", "新しい動きがあります。一覧を再読み込みしてください。"),
    ("inbox.new", "新着"),
    ("inbox.waiting_since", "待ち開始"),
    ("inbox.empty", "チケットはありません。"),
    ("inbox.showing", "表示中"),
    ("inbox.prev", "前へ"),
    ("inbox.next", "次へ"),
    ("inbox.search_help", "検索：単語、\"フレーズ\"、-除外、OR、from: to: subject: label: status: assignee: inbox: after:2026-10-01 before: has:attachment"),
    ("tab.all", "すべての受信箱"),
    ("tab.mine", "自分の担当"),
    ("filter.status", "ステータス"),
    ("filter.assignee", "担当者"),
    ("filter.anyone", "全員"),
    ("filter.me", "自分"),
    ("filter.unassigned", "担当者なし（未割り当て）"),
    ("filter.label", "ラベル"),
    ("filter.any_label", "すべてのラベル"),
    ("filter.sort", "並び順"),
    ("filter.search", "検索"),
    ("filter.search_placeholder", "請求書 from:example.jp after:2026-10-01"),
    ("filter.apply", "表示"),
    ("filter.active", "未完了（未対応・保留・スヌーズ）"),
    ("filter.all_statuses", "すべてのステータス"),
    ("sort.activity", "最近の動きが新しい順"),
    ("sort.waiting", "待ち時間が長い順"),
    ("sort.newest", "作成が新しい順"),
    ("bulk.selected", "選択したチケットを："),
    ("bulk.select", "選択"),
    ("bulk.assign", "担当者を割り当て"),
    ("bulk.add_label", "ラベルを付ける"),
    ("bulk.remove_label", "ラベルを外す"),
    ("bulk.set_status", "ステータスを変更"),
    ("bulk.snooze", "スヌーズ"),
    ("col.number", "番号"),
    ("col.subject", "件名"),
    ("col.customer", "お客様"),
    ("col.status", "ステータス"),
    ("col.assignee", "担当者"),
    ("col.activity", "最終更新"),
    ("status.open", "未対応"),
    ("status.pending", "保留"),
    ("status.snoozed", "スヌーズ"),
    ("status.closed", "対応完了"),
    ("status.spam", "迷惑メール"),
    ("status.trash", "ゴミ箱"),
    ("ticket.until", "再開："),
    ("ticket.nobody", "担当者なし"),
    ("ticket.assignee", "担当者"),
    ("ticket.labels", "ラベル"),
    ("ticket.status", "ステータス"),
    ("ticket.inbox", "受信箱"),
    ("ticket.customer", "お客様"),
    ("ticket.history_link", "このお客様の履歴"),
    ("ticket.split_from", "分割元"),
    ("ticket.images_blocked", "外部画像を非表示にしています（表示すると、開封したことが送信者に伝わります）。"),
    ("ticket.show_images", "画像を表示"),
    ("ticket.take", "自分が担当する"),
    ("ticket.assign", "割り当て"),
    ("ticket.remove_label", "ラベルを外す"),
    ("ticket.no_labels", "ラベルなし"),
    ("ticket.add_label", "付ける"),
    ("ticket.pending_reason", "理由（保留のとき）"),
    ("ticket.set_status", "変更"),
    ("direction.incoming", "お客様"),
    ("direction.outgoing", "返信"),
    ("direction.note", "社内メモ"),
    ("message.to", "宛先"),
    ("message.cc", "Cc"),
    ("message.subject", "件名"),
    ("message.raw", "元のメールをダウンロード"),
    ("split.with_later", "以降のメッセージも含める"),
    ("split.button", "チケットの分割"),
    ("note.title", "社内メモ"),
    ("note.placeholder", "チーム内だけに表示されます。@名前 で同僚に知らせられます。"),
    ("note.add", "メモを追加"),
    ("audit.title", "変更履歴"),
    ("audit.when", "日時"),
    ("audit.who", "実行者"),
    ("audit.what", "操作"),
    ("audit.change", "変更内容"),
    ("audit.system", "システム"),
    ("action.created", "作成"),
    ("action.assigned", "担当者を割り当て"),
    ("action.unassigned", "担当者を解除"),
    ("action.label_added", "ラベルを追加"),
    ("action.label_removed", "ラベルを削除"),
    ("action.status_changed", "ステータスを変更"),
    ("action.snoozed", "スヌーズ"),
    ("action.woken", "スヌーズ終了"),
    ("action.split_out", "分割（移動元）"),
    ("action.split_from", "分割（移動先）"),
    ("action.merged_into", "統合（統合先へ）"),
    ("action.merged_from", "統合（統合元から）"),
    ("action.note_added", "社内メモを追加"),
    ("action.message_added", "メッセージを追加"),
    ("action.subject_changed", "件名を変更"),
    ("action.inbox_saved", "受信箱を保存"),
    ("action.user_added", "ユーザーを追加"),
    ("action.password_changed", "パスワードを変更"),
    ("action.label_created", "ラベルを作成"),
    ("action.contacts_linked", "連絡先を関連付け"),
    ("action.contact_updated", "連絡先を更新"),
    ("action.reply_queued", "返信を送信待ちに追加"),
    ("action.reply_sent", "返信を送信"),
    ("action.reply_failed", "返信の送信に失敗"),
    ("action.reply_cancelled", "返信を取り消し"),
    ("action.reply_submitted", "返信を承認待ちに提出"),
    ("action.reply_approved", "返信を承認"),
    ("action.reply_returned", "返信を差し戻し"),
    ("action.reply_filed", "返信を送信済みに保存"),
    ("snooze.title", "スヌーズ"),
    ("snooze.later", "今日の後ほど"),
    ("snooze.tomorrow", "明日の朝"),
    ("snooze.next_week", "来週"),
    ("snooze.at", "再開日時"),
    ("snooze.button", "スヌーズ"),
    ("merge.title", "統合"),
    ("merge.into", "統合先のチケット"),
    ("merge.button", "統合"),
    ("merge.help", "すべてのメッセージが統合先に移り、このチケットは完了になって統合先を指します。"),
    ("history.title", "お客様の履歴"),
    ("history.address", "メールアドレスまたはドメイン"),
    ("history.first_contact", "初回の問い合わせ"),
    ("history.tickets", "チケット数"),
    ("history.messages", "メッセージ数"),
    ("history.empty", "あなたの受信箱にはメッセージがありません。"),
    ("me.title", "個人設定"),
    ("me.saved.settings", "設定を保存しました。"),
    ("me.saved.password", "パスワードを変更しました。他の端末ではログアウトされました。"),
    ("me.language", "表示言語"),
    ("me.language_browser", "ブラウザの設定に合わせる"),
    ("me.timezone", "タイムゾーン"),
    ("me.timezone_help", "空欄の場合はチームのタイムゾーン："),
    ("me.save", "保存"),
    ("me.password", "パスワードの変更"),
    ("me.current_password", "現在のパスワード"),
    ("me.new_password", "新しいパスワード"),
    ("me.confirm_password", "新しいパスワード（確認）"),
    ("me.password_help", "10文字以上。変更すると他のすべての端末でログアウトされます。"),
    ("me.change_password", "パスワードを変更"),
    ("me.bad_timezone", "不明なタイムゾーンです（Asia/Tokyo のような名前で入力してください）："),
    ("me.password_mismatch", "新しいパスワードが一致しません。"),
    ("me.password_wrong", "現在のパスワードが正しくありません。"),
    ("search.unavailable", "現在、検索を利用できません（検索インデックスを開けませんでした）。"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_have_the_same_keys_once() {
        let en: BTreeSet<&str> = EN.iter().map(|p| p.0).collect();
        let ja: BTreeSet<&str> = JA.iter().map(|p| p.0).collect();
        assert_eq!(en.len(), EN.len(), "a key twice in EN");
        assert_eq!(ja.len(), JA.len(), "a key twice in JA");
        assert_eq!(
            en.difference(&ja).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "missing in JA"
        );
        assert_eq!(
            ja.difference(&en).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "missing in EN"
        );
    }

    #[test]
    fn every_action_and_status_has_a_name() {
        for lang in [Lang::En, Lang::Ja] {
            for a in hako_domain::Action::ALL {
                assert!(lookup(lang, &format!("action.{a}")).is_some(), "{a}");
            }
            for s in hako_domain::StatusKind::ALL {
                assert!(lookup(lang, &format!("status.{s}")).is_some(), "{s}");
            }
        }
        assert_eq!(text(Lang::Ja, "status.open"), "未対応");
    }

    #[test]
    fn accept_language_picks_the_preferred_of_ours() {
        assert_eq!(
            Lang::from_accept_language("ja-JP,ja;q=0.9,en;q=0.8"),
            Lang::Ja
        );
        assert_eq!(Lang::from_accept_language("fr,en;q=0.5,ja;q=0.4"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0.1, ja"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("de"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }
}
