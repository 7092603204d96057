"""How the item lists' closed vocabularies read on the page: check methods and target kinds.

The values are the plugin contract's (:data:`spotcheck.plugin_api.METHODS`,
:data:`spotcheck.plugin_api.TARGET_KINDS`); a test holds these labels to them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

METHOD_LABELS: dict[str, LazyString] = {
    "onsite": _l("On-site check"),                      # 实地核查
    "documentary": _l("Documentary check"),             # 书面检查
    "online": _l("Online check"),                       # 网络检查
    "sampling": _l("Sampling and testing"),             # 抽样检测
    "commissioned": _l("Commissioned institution"),     # 委托专业机构检查
}

TARGET_KIND_LABELS: dict[str, LazyString] = {
    "company": _l("Company"),
    "enterprise_legal_person": _l("Enterprise legal person"),
    "partnership": _l("Partnership"),
    "sole_proprietorship": _l("Sole proprietorship"),
    "farmer_cooperative": _l("Farmer cooperative"),
    "branch": _l("Branch"),
    "individual_business": _l("Individual business"),
    "social_organisation": _l("Social organisation"),
    "public_institution": _l("Public institution"),
    "other_nonprofit": _l("Other non-profit organisation"),
    "product": _l("Product"),
    "project": _l("Project"),
    "behaviour": _l("Behaviour"),
}

FIELD_LABELS: dict[str, LazyString] = {
    "code": _l("Code"),
    "name_zh": _l("Name (Chinese)"),
    "name_en": _l("Name (English)"),
    "legal_basis": _l("Legal basis"),
    "target_kinds": _l("Target kinds"),
    "methods": _l("Check methods"),
    "notice_forbidden": _l("Advance notice forbidden"),
    "form": _l("Checklist form"),
    "authority": _l("Authority required"),
    "key_item": _l("Key item"),
    "item_version": _l("Plugin's item version"),
    "findings": _l("Findings"),
    "enabled": _l("Enabled"),
    "withdrawn": _l("Withdrawn by the plugin"),
    "local_name_zh": _l("Local name (Chinese)"),
    "local_name_en": _l("Local name (English)"),
    "local_note": _l("Local note"),
}
"""The fields of an item version, as the version history names them."""

REASON_LABELS: dict[str, LazyString] = {
    "plugin": _l("From the department plugin"),
    "local": _l("Local adjustment"),
    "withdrawn": _l("Withdrawn by the plugin"),
}


def method_label(value: str) -> str:
    """A check method's name (the value itself when unknown)."""
    return str(METHOD_LABELS.get(value, value))


def target_kind_label(value: str) -> str:
    """A target kind's name (the value itself when unknown)."""
    return str(TARGET_KIND_LABELS.get(value, value))
