"""The office's HTTPS certificate for the field service (self-signed, made here).

Browsers give a page the phone's position only in a secure context: HTTPS,
or ``localhost``.  A phone on the office Wi-Fi reaches the PC by its LAN
address, so the field service serves HTTPS with a certificate GridApp makes
once per computer with ``cryptography``: an ECDSA P-256 key, valid for ten
years (phones refuse longer), naming ``localhost`` and every address the
server is asked to listen on.  The files live in the configuration folder
(``field/cert.pem`` and ``field/key.pem``, the key readable by the owner
only); a new address means a new certificate (with the same key, so a phone
that trusted the old one is asked again, and the fingerprint shown beside
the QR code says which one is right).

The fingerprint is SHA-256 over the certificate (DER), as Android, iOS and
Chrome show it: ``AB:CD:…``.  :data:`TRUST_STEPS_ZH` says how to trust it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from gridapp.domain.timeutil import now_utc
from gridapp.storage.keystore import config_dir

VALID_DAYS = 825  # the longest validity iOS accepts for a TLS server certificate

TRUST_STEPS_ZH = (
    "安卓：用手机浏览器打开二维码地址，出现“您的连接不是私密连接”时，点“高级”→“继续前往”，"
    "并核对证书指纹与电脑上显示的一致。也可把 cert.pem 传到手机，在“设置→安全→加密与凭据→"
    "安装证书→CA 证书”中安装。\n"
    "iOS：用 Safari 打开地址，点“显示详细信息”→“访问此网站”；或把 cert.pem 用隔空投送/邮件"
    "发到手机，在“设置→已下载描述文件”中安装，再到“设置→通用→关于本机→证书信任设置”中打开"
    "对它的完全信任。安装前核对指纹。")
TRUST_STEPS_EN = (
    "Android: open the QR code's address in the phone's browser; at \"Your connection is "
    "not private\" tap Advanced → Proceed, after checking that the certificate's fingerprint "
    "matches the one shown on the PC. Or copy cert.pem to the phone and install it under "
    "Settings → Security → Encryption & credentials → Install a certificate → CA "
    "certificate.\n"
    "iOS: open the address in Safari, tap Show Details → visit this website; or AirDrop/mail "
    "cert.pem to the phone, install it under Settings → Profile Downloaded, then turn on full "
    "trust under Settings → General → About → Certificate Trust Settings. Check the "
    "fingerprint first.")


@dataclass(frozen=True)
class OfficeCertificate:
    cert_path: Path
    key_path: Path
    fingerprint: str  # SHA-256 of the DER certificate, AB:CD:...
    names: tuple[str, ...]  # the addresses and host names it is valid for


def certificate_folder() -> Path:
    return config_dir() / "field"


def fingerprint_of(cert: x509.Certificate) -> str:
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2)).upper()


def _names(cert: x509.Certificate) -> set[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {str(v) for v in san.get_values_for_type(x509.IPAddress)} | set(
        san.get_values_for_type(x509.DNSName))


def office_certificate(hosts: list[str], folder: Path | None = None) -> OfficeCertificate:
    """The certificate for *hosts* (IP addresses or names), made or reused.

    Reused while it names every one of *hosts* and has more than 30 days
    left; otherwise a new one is written (the key is kept).
    """
    folder = folder or certificate_folder()
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    wanted = {"localhost", "127.0.0.1", *[h for h in hosts if h not in ("0.0.0.0", "::")]}
    now = now_utc()
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        if wanted <= _names(cert) and cert.not_valid_after_utc - now > timedelta(days=30) \
                and cert.not_valid_before_utc <= now:
            return OfficeCertificate(cert_path, key_path, fingerprint_of(cert),
                                     tuple(sorted(_names(cert))))
    key = _key(key_path)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "GridApp 外勤服务"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "GridApp office")])
    alt: list[x509.GeneralName] = []
    for host in sorted(wanted):
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt.append(x509.DNSName(host))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return OfficeCertificate(cert_path, key_path, fingerprint_of(cert), tuple(sorted(wanted)))


def _key(path: Path) -> ec.EllipticCurvePrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key
