//! The TLS side of connecting: which CAs are trusted (the system roots plus
//! `tls_ca_file`), the rustls client config (ring provider, TLS 1.2/1.3),
//! and the handshake, with certificate failures told apart from network
//! ones because only the operator can fix the former.

use std::path::Path;
use std::sync::Arc;

use hako_config::ImapConfig;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore, crypto};

use super::error::{ImapError, Location};

/// Builds the connector for `cfg`. Blocking (reads certificate files): call
/// it off the async runtime.
pub(crate) fn connector(cfg: &ImapConfig, at: &Location) -> Result<TlsConnector, ImapError> {
    let fail = |reason: String| ImapError::TlsSetup {
        at: at.clone(),
        reason,
    };
    let mut roots = RootCertStore::empty();
    // Unreadable system stores are not fatal: `tls_ca_file` may be all
    // that is needed, and an empty store is reported below.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = &cfg.tls_ca_file {
        add_pem_file(&mut roots, path).map_err(|reason| {
            fail(format!(
                "cannot use `tls_ca_file` {}: {reason}",
                path.display()
            ))
        })?;
    }
    if roots.is_empty() {
        return Err(fail(
            "no trusted CA certificates: the system store is empty and `tls_ca_file` is not set"
                .to_owned(),
        ));
    }
    let config = ClientConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| fail(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

fn add_pem_file(roots: &mut RootCertStore, path: &Path) -> Result<(), String> {
    let mut added = 0;
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| e.to_string())? {
        roots
            .add(cert.map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        added += 1;
    }
    if added == 0 {
        return Err("it contains no PEM certificate".to_owned());
    }
    Ok(())
}

/// The TLS handshake on `tcp`, checking the certificate against `host` (a
/// DNS name or an IP address, which needs an IP SAN in the certificate).
pub(crate) async fn handshake(
    connector: &TlsConnector,
    host: &str,
    tcp: TcpStream,
    at: &Location,
) -> Result<TlsStream<TcpStream>, ImapError> {
    let name = ServerName::try_from(host.to_owned()).map_err(|e| ImapError::TlsSetup {
        at: at.clone(),
        reason: format!("`{host}` is not a valid host name for TLS: {e}"),
    })?;
    connector.connect(name, tcp).await.map_err(|source| {
        if is_certificate_error(&source) {
            ImapError::Certificate {
                at: at.clone(),
                source,
            }
        } else {
            ImapError::Tls {
                at: at.clone(),
                source,
            }
        }
    })
}

/// tokio-rustls reports handshake failures as `io::Error`s wrapping the
/// `rustls::Error`.
fn is_certificate_error(e: &std::io::Error) -> bool {
    matches!(
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        Some(rustls::Error::InvalidCertificate(_))
    )
}
