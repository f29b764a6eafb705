//! A posted form that may carry files (`multipart/form-data`, the reply composer's
//! attachments) or not (`application/x-www-form-urlencoded`): the same CSRF check as every
//! other post, then the fields and the files. Files over [`MAX_FILE`] are refused with a
//! clear error rather than cut.

use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::header::CONTENT_TYPE;

use crate::form::PostForm;
use crate::session::User;
use crate::{AppState, WebError};

/// One attachment: 20 MB, what common mail servers accept for a whole message.
pub(crate) const MAX_FILE: usize = 20 * 1024 * 1024;

pub(crate) struct UploadedFile {
    pub filename: String,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

pub(crate) struct UploadForm {
    pub form: PostForm,
    pub files: Vec<UploadedFile>,
}

/// The fields read like any other posted form's.
impl std::ops::Deref for UploadForm {
    type Target = PostForm;

    fn deref(&self) -> &PostForm {
        &self.form
    }
}

fn bad(e: impl std::fmt::Display) -> WebError {
    WebError::BadRequest(format!("cannot read the form: {e}"))
}

impl FromRequest<AppState> for UploadForm {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = User::from_request_parts(&mut parts, state).await?;
        let multipart = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let req = Request::from_parts(parts, body);
        let (mut pairs, mut files) = (vec![], vec![]);
        if multipart {
            let mut m = Multipart::from_request(req, state).await.map_err(bad)?;
            while let Some(field) = m.next_field().await.map_err(bad)? {
                let name = field.name().unwrap_or_default().to_string();
                match field.file_name().map(str::to_string) {
                    Some(filename) => {
                        let content_type = field.content_type().map(str::to_string);
                        let data = field.bytes().await.map_err(bad)?;
                        if data.len() > MAX_FILE {
                            return Err(WebError::BadRequest(format!(
                                "attachment {filename}: larger than {} MB",
                                MAX_FILE / (1024 * 1024)
                            )));
                        }
                        // A file input left empty still sends a part without a name.
                        if !filename.is_empty() {
                            files.push(UploadedFile {
                                filename,
                                content_type,
                                data: data.to_vec(),
                            });
                        }
                    }
                    None => pairs.push((name, field.text().await.map_err(bad)?)),
                }
            }
        } else {
            let bytes = axum::body::Bytes::from_request(req, state)
                .await
                .map_err(bad)?;
            pairs = crate::form::parse_pairs(&bytes);
        }
        let form = PostForm::checked_csrf(user, pairs)?;
        Ok(UploadForm { form, files })
    }
}
