//! The certificate check: a real TLS handshake whose verifier records what is wrong with the
//! certificate (self-signed, expired, another name, unknown issuer) instead of failing, so the
//! finding can say which and how to fix it.

use super::client::TIMEOUT;
use app::doctor::model::{Finding, Status};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};

/// What a finished handshake showed.
struct Seen {
    chain: Vec<CertificateDer<'static>>,
    error: Option<rustls::Error>,
}

#[derive(Debug)]
struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    seen: Mutex<Option<(Vec<CertificateDer<'static>>, Option<rustls::Error>)>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let error = self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp, now).err();
        let chain = std::iter::once(end_entity).chain(intermediates).map(|c| c.clone().into_owned()).collect();
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((chain, error));
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The public roots plus the ones given with `--ca-cert`.
pub fn roots(extra: &[CertificateDer<'static>]) -> RootCertStore {
    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    roots.add_parsable_certificates(extra.iter().cloned());
    roots
}

fn verifier(roots: RootCertStore) -> Result<Arc<WebPkiServerVerifier>, String> {
    WebPkiServerVerifier::builder(Arc::new(roots)).build().map_err(|e| format!("TLS verifier: {e}"))
}

/// Handshakes with `host` at `addr` (blocking, bounded by the timeout). Err: no handshake.
fn handshake(host: &str, addr: SocketAddr, roots: RootCertStore) -> Result<Seen, String> {
    crate::tls::install_crypto_provider();
    let recording = Arc::new(Recording { inner: verifier(roots)?, seen: Mutex::new(None) });
    let config = rustls::ClientConfig::builder()
        .dangerous()
        .with_custom_certificate_verifier(recording.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_string()).map_err(|e| format!("{host}: {e}"))?;
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let mut tcp = TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    tcp.set_read_timeout(Some(TIMEOUT)).map_err(|e| e.to_string())?;
    tcp.set_write_timeout(Some(TIMEOUT)).map_err(|e| e.to_string())?;
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp).map_err(|e| format!("TLS handshake with {host} failed: {e}"))?;
    }
    let seen = recording.seen.lock().map_err(|_| "TLS verifier poisoned".to_string())?.take();
    let (chain, error) = seen.ok_or("the server sent no certificate")?;
    Ok(Seen { chain, error })
}

/// Whether the end-entity certificate verifies with itself as the only root: it is self-signed.
fn is_self_signed(host: &str, seen: &Seen) -> bool {
    let Some(end_entity) = seen.chain.first() else { return false };
    let mut only_itself = RootCertStore::empty();
    if only_itself.add(end_entity.clone()).is_err() {
        return false;
    }
    let (Ok(verifier), Ok(name)) = (verifier(only_itself), ServerName::try_from(host.to_string())) else {
        return false;
    };
    let result = verifier.verify_server_cert(end_entity, &[], &name, &[], UnixTime::now());
    !matches!(result, Err(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)))
}

fn finding(id: &str, status: Status, summary: String, fix: Option<&str>) -> Finding {
    Finding { id: id.into(), status, summary, fix: fix.map(String::from) }
}

/// The certificate finding for `host` served at `addr`; Err when no handshake happened.
pub async fn check(host: String, addr: SocketAddr, roots: RootCertStore) -> Result<Finding, String> {
    let for_thread = host.clone();
    let seen =
        tokio::task::spawn_blocking(move || handshake(&for_thread, addr, roots)).await.map_err(|e| e.to_string())??;
    let untrusted_fix = "Use a certificate from a CA browsers trust (e.g. Let's Encrypt), with the full chain. In \
                         development, trust the certificate on the machine (or pass it to the doctor with --ca-cert) \
                         and open the API's origin once in the browser: a fetch cannot show the certificate warning";
    Ok(match seen.error {
        None => finding("tls.certificate", Status::Pass, format!("{host}: the certificate is valid and trusted"), None),
        Some(rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        )) => finding(
            "tls.expired",
            Status::Fail,
            format!("{host}: the certificate has expired; browsers refuse the connection and every fetch fails"),
            Some("Renew the certificate (and automate renewal, e.g. with ACME)"),
        ),
        Some(rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        )) => finding(
            "tls.wrong_name",
            Status::Fail,
            format!("{host}: the certificate is for another name; browsers refuse the connection"),
            Some(&format!("Issue the certificate for {host} (in its subjectAltName)")),
        ),
        Some(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)) if is_self_signed(&host, &seen) => {
            finding(
                "tls.self_signed",
                Status::Fail,
                format!("{host}: the certificate is self-signed; browsers refuse it, and a fetch fails silently"),
                Some(untrusted_fix),
            )
        }
        Some(other) => finding(
            "tls.untrusted",
            Status::Fail,
            format!("{host}: the certificate is not trusted: {other}"),
            Some(untrusted_fix),
        ),
    })
}
