//! The index schema: one tantivy document per message. Text fields use the `hako_cjk`
//! tokenizer with positions (phrases); keyword fields (addresses, domains, labels, status,
//! assignee, inbox) hold one normalised token per value; ids and the date are fast fields for
//! grouping by ticket and sorting without touching the document store.
//!
//! Bump [`SCHEMA_VERSION`] on any change here or in the tokenizer: an index on disk with
//! another version must be rebuilt (`hako reindex`).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

use crate::tokenizer::{HakoTokenizer, KEYWORD_TOKENIZER_NAME, KeywordTokenizer, TOKENIZER_NAME};

/// Written to the index directory; a different value on open means "run `hako reindex`".
pub const SCHEMA_VERSION: u32 = 1;

/// Handles to every field, built once per index.
#[derive(Clone, Debug)]
pub(crate) struct Fields {
    pub message_id: Field,
    pub ticket_id: Field,
    pub ticket_number: Field,
    pub inbox_id: Field,
    pub inbox: Field,
    pub direction: Field,
    pub from_address: Field,
    /// The sender's domain and its parent domains down to two labels.
    pub from_domain: Field,
    /// Sender name and address, tokenized.
    pub from_text: Field,
    /// To and Cc addresses.
    pub to_address: Field,
    pub to_domain: Field,
    pub to_text: Field,
    pub subject: Field,
    pub body: Field,
    pub attachments: Field,
    pub has_attachment: Field,
    pub labels: Field,
    pub status: Field,
    /// The assignee's address, or `none`: an address always holds `@`.
    pub assignee_key: Field,
    /// The assignee as given, stored only.
    pub assignee: Field,
    /// Seconds since the Unix epoch.
    pub date: Field,
}

impl Fields {
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            message_id: f("message_id")?,
            ticket_id: f("ticket_id")?,
            ticket_number: f("ticket_number")?,
            inbox_id: f("inbox_id")?,
            inbox: f("inbox")?,
            direction: f("direction")?,
            from_address: f("from_address")?,
            from_domain: f("from_domain")?,
            from_text: f("from_text")?,
            to_address: f("to_address")?,
            to_domain: f("to_domain")?,
            to_text: f("to_text")?,
            subject: f("subject")?,
            body: f("body")?,
            attachments: f("attachments")?,
            has_attachment: f("has_attachment")?,
            labels: f("labels")?,
            status: f("status")?,
            assignee_key: f("assignee_key")?,
            assignee: f("assignee")?,
            date: f("date")?,
        })
    }
}

pub(crate) fn build_schema() -> Schema {
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let keyword = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(KEYWORD_TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let mut b = Schema::builder();
    b.add_i64_field("message_id", INDEXED | FAST | STORED);
    b.add_i64_field("ticket_id", INDEXED | FAST | STORED);
    b.add_i64_field("ticket_number", STORED);
    b.add_i64_field("inbox_id", INDEXED | FAST);
    b.add_text_field("inbox", keyword.clone() | STORED);
    b.add_text_field("direction", keyword.clone());
    b.add_text_field("from_address", keyword.clone() | STORED);
    b.add_text_field("from_domain", keyword.clone());
    b.add_text_field("from_text", text.clone());
    b.add_text_field("to_address", keyword.clone());
    b.add_text_field("to_domain", keyword.clone());
    b.add_text_field("to_text", text.clone());
    b.add_text_field("subject", text.clone() | STORED);
    b.add_text_field("body", text.clone() | STORED);
    b.add_text_field("attachments", text);
    b.add_bool_field("has_attachment", INDEXED);
    b.add_text_field("labels", keyword.clone() | STORED);
    b.add_text_field("status", keyword.clone() | STORED);
    b.add_text_field("assignee_key", keyword);
    b.add_text_field("assignee", STORED);
    b.add_i64_field("date", INDEXED | FAST | STORED);
    b.build()
}

/// Registers the tokenizers the schema names; tantivy does not persist them.
pub(crate) fn register_tokenizers(manager: &TokenizerManager) {
    manager.register(TOKENIZER_NAME, TextAnalyzer::from(HakoTokenizer::default()));
    manager.register(
        KEYWORD_TOKENIZER_NAME,
        TextAnalyzer::from(KeywordTokenizer::default()),
    );
}
