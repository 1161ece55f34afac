"""Digital signatures (ký số) in uploaded PDFs, checked offline with pyHanko.

Vietnamese agencies sign official documents with certificates issued to the agency and to its
head; the signed PDF carries PAdES signatures. ``check_pdf(data)`` says, for every signature:
whether the signed bytes are intact, whether the signature is cryptographically valid, whether
anything was added after signing, who signed (name and organisation from the certificate),
when (the time the signer's software reported), and whether the certificate chains to one of the
configured trust anchors (``settings.SIGNATURE_TRUST_ROOTS``: PEM or DER files of the root CAs;
no network is used, so revocation is not checked). A PDF without a signature, or an image, is
a scan of a paper signature: still accepted, and shown as such.

Pages show the result with ``{% load signatures %}{% signature_check obj.signed_file %}``
(cached per stored file: a replaced file has another name); services that keep the result store
``check_pdf(...).as_dict()``."""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

SIGNED = "signed"  # every signature intact and valid
INVALID = "invalid"  # at least one signature broken, or the file changed after signing
SCAN = "scan"  # no digital signature: a scan of a paper signature (or an image)
UNREADABLE = "unreadable"  # a PDF pyHanko cannot read

CACHE_SECONDS = 24 * 3600

# pyHanko logs a stack trace for every certificate it cannot chain to a trust anchor; the
# result says so in words.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class SignatureInfo:
    signer: str
    organisation: str
    signed_at: str  # ISO 8601, "" when the signature gives no time
    intact: bool
    valid: bool
    whole_file: bool
    trusted: bool
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.whole_file

    @property
    def signed_at_local(self) -> datetime.datetime | None:
        if not self.signed_at:
            return None
        return timezone.localtime(datetime.datetime.fromisoformat(self.signed_at))


@dataclass(frozen=True)
class FileCheck:
    """What a file's signatures say (see the module's docstring)."""

    kind: str
    signatures: list[SignatureInfo] = field(default_factory=list)
    checked_at: str = ""

    @property
    def signed(self) -> bool:
        return self.kind == SIGNED

    @property
    def trusted(self) -> bool:
        return self.signed and all(s.trusted for s in self.signatures)

    def summary(self) -> str:
        """One line: "Đã ký số bởi … (…) lúc …", why a signature is not valid, or a scan."""
        if self.kind == SCAN:
            return _("Scan of a paper signature (no digital signature).")
        if self.kind == UNREADABLE:
            return _("The PDF could not be read to check its signatures.")
        parts = []
        for info in self.signatures:
            if info.ok:
                when = info.signed_at_local
                text = _("Digitally signed by %(signer)s (%(organisation)s) at %(when)s") % {
                    "signer": info.signer or "?",
                    "organisation": info.organisation or "—",
                    "when": f"{when:%d/%m/%Y %H:%M}" if when else "?",
                }
                if not info.trusted:
                    text += " — " + _("certificate not among the trusted authorities")
                parts.append(text)
            else:
                parts.append(
                    _("Signature of %(signer)s NOT valid: %(problem)s")
                    % {"signer": info.signer or "?", "problem": info.problem}
                )
        return "; ".join(parts)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "checked_at": self.checked_at,
            "signatures": [asdict(s) for s in self.signatures],
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> FileCheck | None:
        if not data or "kind" not in data:
            return None
        return cls(
            kind=data["kind"],
            signatures=[SignatureInfo(**s) for s in data.get("signatures", [])],
            checked_at=data.get("checked_at", ""),
        )


def _load_certificate(path: Path):
    from asn1crypto import pem
    from asn1crypto import x509 as asn1x509

    data = path.read_bytes()
    if pem.detect(data):
        return [asn1x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [asn1x509.Certificate.load(data)]


@lru_cache(maxsize=8)
def _roots(paths: tuple[str, ...]) -> tuple:
    found = []
    for name in paths:
        path = Path(name)
        if path.is_file():
            found.extend(_load_certificate(path))
    return tuple(found)


def trust_roots() -> tuple:
    """The configured trust anchors (asn1crypto certificates)."""
    return _roots(tuple(getattr(settings, "SIGNATURE_TRUST_ROOTS", []) or []))


def _name_of(certificate) -> tuple[str, str]:
    subject = certificate.subject.native if certificate is not None else {}
    return str(subject.get("common_name", "")), str(subject.get("organization_name", ""))


def _problem(status) -> str:
    if not status.intact:
        return _("the document was changed after it was signed")
    if not status.valid:
        return _("the signature does not match the signer's certificate")
    return _("content was added to the document after it was signed")


def check_pdf(data: bytes, *, roots=None) -> FileCheck:
    """Check every signature of a PDF (offline). ``roots``: trust anchors (default: the
    configured ones)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    now = timezone.now().isoformat()
    if not data.startswith(b"%PDF-"):
        return FileCheck(SCAN, [], now)
    anchors = list(trust_roots() if roots is None else roots)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # a PDF pyHanko cannot parse is reported, never a server error
        return FileCheck(UNREADABLE, [], now)
    if not embedded:
        return FileCheck(SCAN, [], now)
    infos = []
    for signature in embedded:
        try:
            context = ValidationContext(trust_roots=anchors, allow_fetching=False)
            status = validate_pdf_signature(signature, context)
        except Exception as exc:  # a broken signature dictionary: not valid, with the reason
            infos.append(
                SignatureInfo("", "", "", False, False, False, False, problem=str(exc)[:200])
            )
            continue
        signer, organisation = _name_of(status.signing_cert)
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok
        )
        when = status.signer_reported_dt
        info = SignatureInfo(
            signer=signer,
            organisation=organisation,
            signed_at=when.isoformat() if when else "",
            intact=bool(status.intact),
            valid=bool(status.valid),
            whole_file=bool(whole),
            trusted=bool(status.trusted),
        )
        if not info.ok:
            info = SignatureInfo(**{**asdict(info), "problem": _problem(status)})
        infos.append(info)
    kind = SIGNED if all(i.ok for i in infos) else INVALID
    return FileCheck(kind, infos, now)


def check_file(field_file) -> FileCheck | None:
    """The check of a stored file (a ``FieldFile``), cached by its name and size; None when
    there is no file."""
    if not field_file:
        return None
    try:
        size = field_file.size
    except (OSError, ValueError):
        return None
    key = "signature:" + hashlib.sha256(f"{field_file.name}:{size}".encode()).hexdigest()
    stored = cache.get(key)
    found = FileCheck.from_dict(stored)
    if found is not None:
        return found
    with field_file.open("rb") as handle:
        found = check_pdf(handle.read())
    cache.set(key, found.as_dict(), CACHE_SECONDS)
    return found
