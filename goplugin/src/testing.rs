//! A go-plugin host in Rust, for tests and benchmarks of plugins served with this crate
//! (feature `test-support`): launches a plugin binary the way go-plugin's client does, parses
//! the handshake line as go-plugin 1.0.1 would and connects with AutoMTLS using a client
//! certificate made like go-plugin's (self-signed ECDSA P-521 with the CA flag).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::PluginSpec;

/// The host's AutoMTLS identity.
pub struct ClientIdentity {
    pub cert_pem: String,
    pub cert_der: Vec<u8>,
    pub key_der: Vec<u8>,
}

/// go-plugin's client template (mtls.go): P-521, CN=localhost, O=HashiCorp, SAN localhost,
/// CA, key usages incl. certSign, EKU client+server auth.
pub fn go_plugin_client_identity() -> ClientIdentity {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
        IsCa, KeyPair, KeyUsagePurpose,
    };
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("P-521 key");
    let mut p = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "localhost");
    dn.push(DnType::OrganizationName, "HashiCorp");
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    p.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ClientAuth,
        ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = p.self_signed(&key).unwrap();
    ClientIdentity {
        cert_pem: cert.pem(),
        cert_der: cert.der().to_vec(),
        key_der: key.serialize_der(),
    }
}

#[derive(Debug, Clone)]
pub struct Handshake {
    pub core: u32,
    pub app: u32,
    pub network: String,
    pub address: String,
    pub protocol: String,
    pub cert_der: Option<Vec<u8>>,
}

/// Parses the line as go-plugin 1.0.1 does (six fields, cert decoded with RawStdEncoding),
/// and rejects what it would reject.
pub fn parse_handshake(line: &str) -> Result<Handshake, String> {
    let line = line
        .strip_suffix('\n')
        .ok_or("the handshake line must end in a newline")?;
    let parts: Vec<&str> = line.split('|').collect();
    if parts.len() != 6 {
        return Err(format!("expected 6 fields, got {}: {line:?}", parts.len()));
    }
    let cert_der = if parts[5].is_empty() {
        None
    } else {
        if parts[5].contains('=') {
            return Err("the certificate must be base64 without padding".into());
        }
        Some(
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(parts[5])
                .map_err(|e| format!("certificate is not RawStd base64: {e}"))?,
        )
    };
    Ok(Handshake {
        core: parts[0].parse().map_err(|_| "core version")?,
        app: parts[1].parse().map_err(|_| "app version")?,
        network: parts[2].to_string(),
        address: parts[3].to_string(),
        protocol: parts[4].to_string(),
        cert_der,
    })
}

/// A launched plugin. Dropping it kills the process if it is still running.
pub struct PluginProcess {
    pub child: Child,
    pub handshake: Handshake,
    pub raw_line: String,
    /// stdout after the handshake line, filled until the process closes it.
    pub rest_of_stdout: Arc<Mutex<Vec<u8>>>,
    pub stderr: Arc<Mutex<String>>,
    stdout_done: mpsc::Receiver<()>,
}

/// The command a go-plugin host runs for a plugin of `spec`: its magic cookie,
/// `PLUGIN_PROTOCOL_VERSIONS=protocol_versions` (e.g. `"5,6"`), go-plugin's default port
/// range, and `PLUGIN_CLIENT_CERT` when `identity` is given (AutoMTLS). Whatever in the
/// test's own environment could change the outcome (the handshake variables, the spec's log
/// and transport variables) is removed first; add more with `Command::env`.
pub fn host_command(
    program: &Path,
    spec: &PluginSpec,
    protocol_versions: &str,
    identity: Option<&ClientIdentity>,
) -> Command {
    let mut cmd = Command::new(program);
    for k in [
        spec.cookie_key,
        "PLUGIN_PROTOCOL_VERSIONS",
        "PLUGIN_MIN_PORT",
        "PLUGIN_MAX_PORT",
        "PLUGIN_CLIENT_CERT",
        "PLUGIN_UNIX_SOCKET_DIR",
        "PLUGIN_UNIX_SOCKET_GROUP",
        spec.transport_env,
        spec.log_level_env,
        spec.log_format_env,
    ] {
        cmd.env_remove(k);
    }
    cmd.env(spec.cookie_key, spec.cookie_value)
        .env("PLUGIN_PROTOCOL_VERSIONS", protocol_versions)
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000");
    if let Some(id) = identity {
        cmd.env("PLUGIN_CLIENT_CERT", &id.cert_pem);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Launches and waits (up to a minute, go-plugin's default) for the handshake line.
pub fn launch(cmd: Command) -> Result<PluginProcess, String> {
    let mut cmd = cmd;
    let mut child = cmd.spawn().map_err(|e| format!("spawn: {e}"))?;
    let stderr = Arc::new(Mutex::new(String::new()));
    {
        let mut err = child.stderr.take().unwrap();
        let stderr = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                stderr
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
    }
    let out = child.stdout.take().unwrap();
    let rest = Arc::new(Mutex::new(Vec::new()));
    let (line_tx, line_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    {
        let rest = rest.clone();
        std::thread::spawn(move || {
            let mut r = BufReader::new(out);
            let mut line = String::new();
            let _ = r.read_line(&mut line);
            let _ = line_tx.send(line);
            let mut tail = Vec::new();
            let _ = r.read_to_end(&mut tail);
            rest.lock().unwrap().extend(tail);
            let _ = done_tx.send(());
        });
    }
    let line = match line_rx.recv_timeout(Duration::from_secs(60)) {
        Ok(l) if !l.is_empty() => l,
        _ => {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            return Err(format!(
                "no handshake line; stderr: {}",
                stderr.lock().unwrap()
            ));
        }
    };
    let handshake = parse_handshake(&line)?;
    Ok(PluginProcess {
        child,
        handshake,
        raw_line: line,
        rest_of_stdout: rest,
        stderr,
        stdout_done: done_rx,
    })
}

impl PluginProcess {
    /// Waits up to `limit` for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(s)) = self.child.try_wait() {
                let _ = self.stdout_done.recv_timeout(Duration::from_secs(5));
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for PluginProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Accepts exactly the certificate from the handshake line, as go-plugin's client does
/// (it makes that certificate its only root), and checks handshake signatures with the
/// aws-lc-rs algorithms.
#[derive(Debug)]
struct PinnedServer {
    der: Vec<u8>,
    algs: rustls::crypto::WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.der.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.algs)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.algs)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}

fn client_tls(
    server_der: &[u8],
    identity: Option<&ClientIdentity>,
) -> Result<rustls::ClientConfig, String> {
    // Go's crypto/tls offers AES-128-GCM first on CPUs with AES instructions; so does this
    // host, so the connection is the one a go-plugin host would make.
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    provider
        .cipher_suites
        .sort_by_key(|s| s.suite() != rustls::CipherSuite::TLS13_AES_128_GCM_SHA256);
    let provider = Arc::new(provider);
    let verifier = Arc::new(PinnedServer {
        der: server_der.to_vec(),
        algs: provider.signature_verification_algorithms,
    });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut cfg = match identity {
        Some(id) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(id.cert_der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(id.key_der.clone())),
            )
            .map_err(|e| e.to_string())?,
        None => builder.with_no_client_auth(),
    };
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    Ok(cfg)
}

/// Connects to the plugin as the handshake says: TLS when the line carries a certificate
/// (presenting `identity`, if any), plaintext otherwise.
pub async fn connect(
    h: &Handshake,
    identity: Option<&ClientIdentity>,
) -> Result<tonic::transport::Channel, String> {
    let tls = match &h.cert_der {
        Some(der) => Some(tokio_rustls::TlsConnector::from(Arc::new(client_tls(
            der, identity,
        )?))),
        None => None,
    };
    let network = h.network.clone();
    let address = h.address.clone();
    let connector = tower::service_fn(move |_uri: tonic::transport::Uri| {
        let tls = tls.clone();
        let network = network.clone();
        let address = address.clone();
        async move {
            let io: Box<dyn IoStream> = match network.as_str() {
                "unix" => Box::new(tokio::net::UnixStream::connect(&address).await?),
                _ => Box::new(tokio::net::TcpStream::connect(&address).await?),
            };
            let io: Box<dyn IoStream> = match tls {
                Some(c) => Box::new(
                    c.connect(ServerName::try_from("localhost").unwrap(), io)
                        .await?,
                ),
                None => io,
            };
            Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(io))
        }
    });
    tonic::transport::Endpoint::from_static("http://localhost")
        .connect_with_connector(connector)
        .await
        .map_err(|e| format!("connect: {e:?}"))
}

/// The byte stream a host would speak HTTP/2 on, without speaking it: the socket, under TLS
/// when the handshake line carries a certificate (the TLS handshake done, presenting
/// `identity`). For tests of what the plugin does with a peer that goes quiet.
pub async fn connect_io(
    h: &Handshake,
    identity: Option<&ClientIdentity>,
) -> Result<Box<dyn IoStream>, String> {
    let io: Box<dyn IoStream> = match h.network.as_str() {
        "unix" => Box::new(
            tokio::net::UnixStream::connect(&h.address)
                .await
                .map_err(|e| format!("connect: {e}"))?,
        ),
        _ => Box::new(
            tokio::net::TcpStream::connect(&h.address)
                .await
                .map_err(|e| format!("connect: {e}"))?,
        ),
    };
    let Some(der) = &h.cert_der else {
        return Ok(io);
    };
    let tls = tokio_rustls::TlsConnector::from(Arc::new(client_tls(der, identity)?));
    let stream = tls
        .connect(ServerName::try_from("localhost").unwrap(), io)
        .await
        .map_err(|e| format!("TLS: {e}"))?;
    Ok(Box::new(stream))
}

pub trait IoStream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static> IoStream for T {}
