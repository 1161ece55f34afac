"""A certificate made in the test (cryptography) and a PDF signed with it (pyHanko), as an
agency's head signs a report digitally; a tampered copy; a scan without a signature."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


@dataclass
class Signer:
    key: object
    certificate: object

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def asn1(self):
        from asn1crypto import keys
        from asn1crypto import x509 as asn1x509

        der_key = self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        der_cert = self.certificate.public_bytes(serialization.Encoding.DER)
        return keys.PrivateKeyInfo.load(der_key), asn1x509.Certificate.load(der_cert)


def make_signer(name: str = "Đặng Văn Hải", organisation: str = "Sở Tư pháp tỉnh Phú An") -> Signer:
    """A self-signed certificate of ``name`` in ``organisation`` (its own trust anchor)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Signer(key, certificate)


def plain_pdf(text: str = "Báo cáo năm") -> bytes:
    import weasyprint

    return weasyprint.HTML(string=f"<p>{text}</p>").write_pdf()


def sign(pdf: bytes, signer: Signer) -> bytes:
    """``pdf`` signed by ``signer`` (PAdES, pyHanko)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, certificate = signer.asn1()
    simple = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(
        writer, signers.PdfSignatureMetadata(field_name="ChuKySo"), signer=simple
    )
    return out.getvalue()


def tamper(signed: bytes) -> bytes:
    """The signed PDF with one byte of its signed content changed."""
    changed = bytearray(signed)
    position = signed.index(b"stream") + 20  # inside the first content stream
    changed[position] = (changed[position] + 1) % 256
    return bytes(changed)


def png_scan() -> bytes:
    """A tiny PNG: a scan of a paper signature."""
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
