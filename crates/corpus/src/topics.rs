//! What customers write about: one entry per kind of inquiry, with subjects and paragraphs in
//! Japanese and English and the team's answers. `{order}`, `{date}`, `{amount}`, `{product}`
//! and `{id}` are filled in per mail (see `text`).

pub(crate) struct Topic {
    pub ja_subjects: &'static [&'static str],
    pub en_subjects: &'static [&'static str],
    pub ja_paragraphs: &'static [&'static str],
    pub en_paragraphs: &'static [&'static str],
    pub ja_answers: &'static [&'static str],
    pub en_answers: &'static [&'static str],
}

pub(crate) const TOPICS: &[Topic] = &[
    Topic {
        ja_subjects: &[
            "請求書の再発行について",
            "請求書の宛名変更のお願い",
            "【至急】請求金額の確認",
            "領収書の発行をお願いします",
        ],
        en_subjects: &[
            "Invoice reissue request",
            "Question about my invoice",
            "Receipt needed for order {order}",
        ],
        ja_paragraphs: &[
            "先日お送りいただいた請求書（{date}発行分）につきまして、宛名を「株式会社」から始まる正式名称に変更のうえ、再発行をお願いできますでしょうか。経理の締めが今月末のため、できれば{date}までにいただけますと助かります。",
            "請求金額が{amount}となっておりますが、見積書では税抜き金額での提示でしたので、差額についてご説明いただけますでしょうか。念のため見積書のPDFを添付いたします。",
            "注文番号{order}の領収書をPDFで発行していただくことは可能でしょうか。但し書きは「システム利用料として」でお願いいたします。",
            "社内の規定により、請求書には登録番号（インボイス番号）の記載が必要です。現在の書式には記載がないようですので、ご対応いただけますと幸いです。",
        ],
        en_paragraphs: &[
            "Could you please reissue the invoice dated {date}? Our accounts team needs the full legal name of the company on it, and the purchase order number {order}.",
            "The invoice shows {amount}, but the quote we accepted was lower. Could you explain the difference? I have attached the quote for reference.",
            "We need a receipt for order {order} for our expense report. A PDF is fine.",
        ],
        ja_answers: &[
            "ご依頼の請求書につきまして、宛名を変更のうえ再発行いたしました。本メールに添付しておりますので、ご確認をお願いいたします。",
            "請求金額の差額につきましては、消費税（10%）分となります。お見積りの際に税抜き表記であった旨のご説明が不足しており、申し訳ございませんでした。",
        ],
        en_answers: &[
            "I have reissued the invoice with your company's full legal name and the purchase order number. You will find it attached.",
            "The difference is the consumption tax (10%), which the quote listed separately. Sorry for the confusion.",
        ],
    },
    Topic {
        ja_subjects: &[
            "商品がまだ届きません",
            "配送日の変更について",
            "注文番号{order}の配送状況",
            "届いた商品が破損していました",
        ],
        en_subjects: &[
            "Where is my order?",
            "Order {order} has not arrived",
            "Damaged item received",
        ],
        ja_paragraphs: &[
            "{date}に注文した{product}がまだ届いておりません。発送のご連絡もいただいていないのですが、現在どのような状況でしょうか。",
            "注文番号{order}の配送日ですが、その日は不在のため、翌週以降に変更していただくことは可能でしょうか。午前中の指定ですと大変助かります。",
            "本日{product}が届きましたが、外箱がつぶれており、中の本体にも傷がありました。写真を添付いたしますので、交換の手続きについてご案内ください。",
            "追跡番号で確認したところ「持ち戻り」となっておりましたが、当日は在宅しておりました。再配達の手配をお願いできますでしょうか。",
        ],
        en_paragraphs: &[
            "I ordered the {product} on {date} (order {order}) and it still has not arrived. The tracking page has not changed for four days.",
            "The package arrived today but the box was crushed and the {product} is scratched. Photos attached. How do I get a replacement?",
            "Could you deliver order {order} next week instead? Nobody will be at the office until then.",
        ],
        ja_answers: &[
            "ご注文いただいた商品は、倉庫の在庫確認に時間を要しており、発送が遅れております。{date}に発送予定でございます。ご迷惑をおかけし誠に申し訳ございません。",
            "配送日の変更を承りました。ご指定の日程で再度手配いたしましたので、追跡番号にてご確認ください。",
            "破損した状態でお届けしてしまい、大変申し訳ございません。交換品を本日発送いたしました。お手数ですが、破損品は同梱の着払い伝票にてご返送ください。",
        ],
        en_answers: &[
            "Your order was delayed at our warehouse; it ships on {date}. I am sorry for the wait.",
            "I am very sorry the item arrived damaged. A replacement ships today; please return the damaged one with the prepaid label in the box.",
        ],
    },
    Topic {
        ja_subjects: &[
            "ログインできません",
            "パスワードの再設定について",
            "二段階認証の解除をお願いしたい",
            "アカウントがロックされました",
        ],
        en_subjects: &[
            "Cannot log in",
            "Password reset email never arrives",
            "Locked out of my account",
        ],
        ja_paragraphs: &[
            "本日朝から管理画面にログインできなくなりました。パスワードは変更していないのですが、「IDまたはパスワードが違います」と表示されます。ID：{id}",
            "パスワード再設定のメールが届きません。迷惑メールフォルダも確認しましたが見当たりませんでした。お手数ですが確認をお願いいたします。",
            "機種変更をしたため、二段階認証のコードが受け取れなくなってしまいました。認証の解除または再設定の方法を教えてください。",
            "何度かパスワードを間違えたところ、アカウントがロックされてしまいました。業務で至急使用したいため、ロックの解除をお願いできますでしょうか。",
        ],
        en_paragraphs: &[
            "Since this morning I cannot log in to the dashboard. It says the password is wrong, but I have not changed it. My user ID is {id}.",
            "The password reset email never arrives. I checked the spam folder too.",
            "I got a new phone and can no longer receive the two-factor codes. How can I reset them?",
        ],
        ja_answers: &[
            "お客様のアカウントのロックを解除いたしました。お手数ですが、再度ログインをお試しください。解除後もログインできない場合は、ブラウザのキャッシュを削除してからお試しください。",
            "パスワード再設定メールは noreply@example.test から送信されます。ドメイン指定受信を設定されている場合は、example.test からのメールを受信できるよう設定をお願いいたします。",
        ],
        en_answers: &[
            "I have unlocked your account; please try again. If it still fails, clear the browser cache first.",
            "The reset emails come from noreply@example.test; please allow that address in your mail filter and request a new one.",
        ],
    },
    Topic {
        ja_subjects: &[
            "解約手続きについて",
            "プラン変更の方法を教えてください",
            "契約更新に関するご相談",
            "ライセンス追加のお見積り依頼",
        ],
        en_subjects: &[
            "How do I cancel my subscription?",
            "Upgrade to the Business plan",
            "Quote for 20 more licenses",
        ],
        ja_paragraphs: &[
            "現在スタンダードプランを利用しておりますが、{date}をもって解約したいと考えております。解約の手続き方法と、日割りでの返金があるかどうかを教えてください。",
            "利用人数が増えたため、ビジネスプランへの変更を検討しております。月の途中で変更した場合の料金の計算方法を教えていただけますでしょうか。",
            "来月で契約期間が満了となりますが、年間契約に切り替えた場合の割引について確認させてください。",
            "ライセンスを20件追加したいので、お見積りをお願いいたします。支払いは請求書払いを希望します。",
        ],
        en_paragraphs: &[
            "We would like to cancel our subscription at the end of the month. Is there a prorated refund?",
            "Our team has grown and we want to move to the Business plan. How is the price calculated if we switch mid-month?",
            "Please send us a quote for 20 additional licenses, payable by invoice.",
        ],
        ja_answers: &[
            "解約のお手続きは、管理画面の「契約情報」から行っていただけます。月途中での解約の場合、日割りでの返金はございませんが、月末までご利用いただけます。",
            "ご依頼のお見積書を添付いたしました。有効期限は発行日から30日間となっております。ご検討のほどよろしくお願いいたします。",
        ],
        en_answers: &[
            "You can cancel under Account > Subscription. There is no prorated refund, but the service stays active until the end of the month.",
            "Please find the quote attached; it is valid for 30 days.",
        ],
    },
    Topic {
        ja_subjects: &[
            "エラーが表示されます",
            "アプリが起動しなくなりました",
            "CSVの取り込みに失敗します",
            "画面が真っ白になります",
        ],
        en_subjects: &[
            "Error 500 when exporting",
            "App crashes on startup",
            "CSV import fails",
        ],
        ja_paragraphs: &[
            "CSVファイルを取り込もうとすると「ファイル形式が正しくありません」というエラーが表示されます。Excelで保存したファイルです。該当のファイルを添付しますので、ご確認いただけますでしょうか。",
            "昨日のアップデート以降、アプリが起動直後に終了してしまいます。端末は iPhone 15、iOS 18.1 です。再インストールも試しましたが改善しませんでした。",
            "管理画面の「レポート」を開くと画面が真っ白になり、何も表示されません。ChromeとEdgeの両方で同じ症状です。スクリーンショットを添付いたします。",
            "以下の手順でエラーが発生します。\n①ログインする\n②「データ出力」を選択する\n③期間を{date}から今日までに指定する\n④「出力」を押すと「エラーコード：E-{id}」と表示される",
        ],
        en_paragraphs: &[
            "Exporting the monthly report fails with \"Error 500\". It worked last week. Steps: Reports > Monthly > Export CSV.",
            "Since yesterday's update the app crashes right after it starts. iPhone 15, iOS 18.1. Reinstalling did not help.",
            "The CSV import says the file format is invalid. The file was saved from Excel; I attached it.",
        ],
        ja_answers: &[
            "ご不便をおかけしております。いただいたファイルを確認したところ、文字コードがShift_JISで保存されておりました。UTF-8で保存し直してお試しいただけますでしょうか。",
            "本件は既知の不具合でございまして、{date}に修正版を公開予定です。修正までの間、お手数ですが別のブラウザでのご利用をお願いいたします。",
        ],
        en_answers: &[
            "The file is saved in Shift_JIS; please save it as UTF-8 and import it again.",
            "This is a known bug; the fix will be released on {date}. Until then please use the web version.",
        ],
    },
    Topic {
        ja_subjects: &[
            "返品・交換について",
            "サイズ交換をお願いしたいです",
            "返金の状況を教えてください",
        ],
        en_subjects: &[
            "Return request",
            "Exchange for a different size",
            "Refund status",
        ],
        ja_paragraphs: &[
            "{date}に購入した{product}ですが、サイズが合わなかったため交換をお願いしたいです。未開封の状態です。手続きの方法を教えていただけますでしょうか。",
            "先週返品した商品の返金がまだ確認できておりません。注文番号は{order}です。返金までどのくらいかかるでしょうか。",
            "イメージと違ったため返品したいのですが、返送料はこちらの負担になりますでしょうか。",
        ],
        en_paragraphs: &[
            "The {product} I bought on {date} does not fit. Can I exchange it for a larger size? It is unopened.",
            "I returned order {order} last week but have not seen the refund yet.",
        ],
        ja_answers: &[
            "返品された商品の到着を確認いたしました。返金処理は本日完了しておりますので、カード会社により異なりますが、1～2週間程度で反映される見込みです。",
            "交換の手続きを承りました。交換品は在庫がございますので、返送品の到着を待たずに本日発送いたします。",
        ],
        en_answers: &[
            "We received your return and issued the refund today; it usually shows up within one to two weeks.",
            "The exchange is arranged; the new size ships today, before we receive the return.",
        ],
    },
    Topic {
        ja_subjects: &[
            "お見積りのお願い",
            "導入についてのご相談",
            "資料請求",
            "打ち合わせ日程のご相談",
        ],
        en_subjects: &[
            "Request for a quote",
            "Questions before we buy",
            "Meeting next week?",
        ],
        ja_paragraphs: &[
            "貴社の{product}の導入を検討しております。社員数は約50名で、3拠点での利用を想定しております。概算のお見積りをいただけますでしょうか。",
            "導入前に一度オンラインでご説明いただくことは可能でしょうか。候補日は{date}の午後、もしくは翌日の午前中です。",
            "セキュリティチェックシートへのご記入をお願いしたく、ファイルを添付いたします。お手数ですが、{date}までにご返送いただけますと幸いです。",
        ],
        en_paragraphs: &[
            "We are evaluating the {product} for about 50 people in three offices. Could you send us a rough quote?",
            "Could we have a short call before we decide? {date} afternoon would suit us.",
        ],
        ja_answers: &[
            "お問い合わせいただきありがとうございます。ご希望の条件でのお見積書を添付いたしました。ご不明な点がございましたらお気軽にお申し付けください。",
            "オンラインでのご説明の件、{date} 14:00からでいかがでしょうか。ご都合をお知らせいただけますと幸いです。",
        ],
        en_answers: &[
            "Thank you for your interest. The quote for your requirements is attached.",
            "How about {date} at 2 pm Japan time for the call?",
        ],
    },
    Topic {
        ja_subjects: &[
            "登録情報の変更について",
            "住所変更の手続き",
            "担当者変更のご連絡",
            "メールアドレスの変更",
        ],
        en_subjects: &[
            "Change of billing address",
            "New contact person",
            "Update my email address",
        ],
        ja_paragraphs: &[
            "本社移転に伴い、{date}より住所が変更となります。登録情報と請求書の送付先の変更をお願いいたします。\n新住所：〒150-0002 東京都渋谷区渋谷2丁目1番1号 ㈱丸三ビル5F",
            "人事異動により、{date}付で担当者が変更となりました。今後のご連絡は後任の者宛にお願いいたします。",
            "登録しているメールアドレスを変更したいのですが、管理画面から変更できませんでした。変更方法を教えてください。",
        ],
        en_paragraphs: &[
            "Our office moves on {date}. Please update the billing address on our account.",
            "I am leaving the company; from {date} please contact my colleague instead.",
        ],
        ja_answers: &[
            "登録情報の変更を承りました。次回の請求書より新しいご住所宛に送付いたします。",
            "担当者変更のご連絡をいただきありがとうございます。登録情報を更新いたしました。",
        ],
        en_answers: &[
            "Done: the next invoice will go to the new address.",
            "Thank you for letting us know; we updated the contact on your account.",
        ],
    },
];

/// Products the placeholders name.
pub(crate) const PRODUCTS_JA: &[&str] = &[
    "ワイヤレスイヤホン Hako Buds",
    "スマートスピーカー",
    "業務用プリンター HP-200",
    "クラウド会計ソフト",
    "勤怠管理システム",
    "ノートPCスタンド",
    "オフィスチェア（グレー）",
    "防水スマートウォッチ",
];
pub(crate) const PRODUCTS_EN: &[&str] = &[
    "Hako Buds",
    "smart speaker",
    "HP-200 printer",
    "accounting suite",
    "time tracking plan",
    "laptop stand",
    "office chair",
    "smart watch",
];
