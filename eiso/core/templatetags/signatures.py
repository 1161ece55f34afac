"""``{% signature_check field_file %}``: what the digital signatures of an uploaded file say
(eiso.core.signatures) — "Đã ký số bởi … lúc …", why a signature is not valid, or a scan of a
paper signature. ``{% signature_result data %}`` shows a result a service stored."""

from __future__ import annotations

from django import template

from eiso.core import signatures

register = template.Library()


@register.inclusion_tag("core/includes/signature.html")
def signature_check(field_file):
    return {"check": signatures.check_file(field_file)}


@register.inclusion_tag("core/includes/signature.html")
def signature_result(data):
    return {"check": signatures.FileCheck.from_dict(data)}
