//! AutoMTLS, plugin side (plugin-protocol.md §1.3). When the host passes its client
//! certificate in `PLUGIN_CLIENT_CERT`, the plugin makes its own certificate with go-plugin's
//! template, requires a client certificate and accepts exactly the one the host passed.
//!
//! Why a custom verifier: go-plugin's client certificate is a self-signed P-521 certificate
//! with the CA flag set. rustls' stock `WebPkiClientVerifier` rejects a CA used as an end
//! entity, and the *ring* provider cannot verify P-521 at all (so Go would send no
//! certificate). Pinning the exact DER with the aws-lc-rs provider's signature algorithms is
//! the set-up measured to work against Terraform.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SerialNumber,
};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName as TlsDn, SignatureScheme};

use crate::error::{Error, Result};

/// go-plugin's certificate lifetime: 262980 hours (about 30 years).
const LIFETIME: time::Duration = time::Duration::hours(262_980);
/// go-plugin backdates by 30 s to absorb clock skew between host and plugin.
const BACKDATE: time::Duration = time::Duration::seconds(30);

/// The server side of AutoMTLS: our certificate and the rustls configuration.
pub struct AutoMtls {
    cert_der: CertificateDer<'static>,
    config: Arc<rustls::ServerConfig>,
}

impl AutoMtls {
    /// From the PEM in `PLUGIN_CLIENT_CERT`.
    pub fn from_client_pem(pem: &str) -> Result<AutoMtls> {
        let client = CertificateDer::from_pem_slice(pem.as_bytes()).map_err(|e| {
            Error::setup(format!(
                "PLUGIN_CLIENT_CERT does not hold a PEM certificate ({e}): the host must pass its AutoMTLS client certificate"
            ))
        })?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let (cert_der, key) = generate_cert(&provider)?;
        let verifier = Arc::new(PinnedClientCert {
            pinned: client.into_owned(),
            algorithms: provider.signature_verification_algorithms,
        });
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(rustls::ALL_VERSIONS)
            .map_err(tls_err)?
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![cert_der.clone()], key)
            .map_err(tls_err)?;
        // grpc-go ≥ 1.67 refuses TLS servers that do not negotiate h2.
        config.alpn_protocols = vec![b"h2".to_vec()];
        Ok(AutoMtls {
            cert_der,
            config: Arc::new(config),
        })
    }

    /// Our certificate, for the handshake line.
    pub fn cert_der(&self) -> &[u8] {
        self.cert_der.as_ref()
    }

    pub fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(self.config.clone())
    }
}

fn tls_err(e: rustls::Error) -> Error {
    Error::setup(format!("cannot set up TLS for the plugin server: {e}"))
}

/// A certificate with go-plugin's template (mtls.go `generateCert`): CN=localhost,
/// O=HashiCorp, DNS SAN localhost, CA flag, key usages digitalSignature, keyEncipherment,
/// keyAgreement and certSign, EKU client and server auth, a random 128-bit serial. The host
/// trusts it as its own root, so it must be usable as a CA and for server auth. P-256 keys
/// are accepted by every go-plugin host and are quicker to sign with than go-plugin's P-521.
fn generate_cert(
    provider: &CryptoProvider,
) -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>)> {
    let err =
        |e: rcgen::Error| Error::setup(format!("cannot create the plugin's TLS certificate: {e}"));
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(err)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).map_err(err)?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "localhost");
    dn.push(DnType::OrganizationName, "HashiCorp");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ClientAuth,
        ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let mut serial = [0u8; 16];
    provider
        .secure_random
        .fill(&mut serial)
        .map_err(|_| Error::setup("cannot draw a random certificate serial number"))?;
    // Positive and non-zero as X.509 asks.
    serial[0] = (serial[0] & 0x7f) | 0x01;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - BACKDATE;
    params.not_after = now + LIFETIME;
    let cert = params.self_signed(&key).map_err(err)?;
    Ok((cert.der().clone(), PrivateKeyDer::from(key)))
}

/// Accepts exactly one client certificate (byte for byte) and nothing else.
#[derive(Debug)]
struct PinnedClientCert {
    pinned: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[TlsDn] {
        // An empty list makes clients send their certificate whatever its issuer.
        &[]
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.pinned.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go_style_client_pem() -> String {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
        let mut p = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn server_cert_follows_go_plugin_template() {
        let m = AutoMtls::from_client_pem(&go_style_client_pem()).unwrap();
        let der = m.cert_der();
        // Cheap structural checks on the DER: the SAN and the organisation are present.
        let has = |needle: &[u8]| der.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"localhost"));
        assert!(has(b"HashiCorp"));
        assert_eq!(m.config.alpn_protocols, vec![b"h2".to_vec()]);
    }

    #[test]
    fn verifier_pins_exact_certificate() {
        let pem = go_style_client_pem();
        let der = CertificateDer::from_pem_slice(pem.as_bytes()).unwrap();
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let v = PinnedClientCert {
            pinned: der.clone(),
            algorithms: provider.signature_verification_algorithms,
        };
        assert!(v.client_auth_mandatory());
        assert!(v.verify_client_cert(&der, &[], UnixTime::now()).is_ok());
        let other = CertificateDer::from_pem_slice(go_style_client_pem().as_bytes()).unwrap();
        assert!(v.verify_client_cert(&other, &[], UnixTime::now()).is_err());
        assert!(v
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn bad_pem_is_a_clear_error() {
        let e = AutoMtls::from_client_pem("not a cert").err().unwrap();
        assert!(e.to_string().starts_with("PLUGIN_CLIENT_CERT"));
    }
}
