"""The definitions a department plugin hands the core, as frozen dataclasses.

Each class mirrors one JSON Schema in ``schemas/`` (department, check item, checklist form,
follow-up rule, credit rule). A plugin may return these dataclasses or plain mappings of the same
shape (for example documents read from YAML); the core turns either into a document, validates it
against the schema, and only then builds the dataclass with :meth:`from_document`, so a bad
definition is reported with its JSON path instead of failing inside a constructor.

The vocabularies below (target kinds, methods, field types, actions) are the closed lists the
schemas enumerate; a test holds the two together.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, get_args

Document = Mapping[str, Any]
"""A definition as plain data: the JSON-shaped form a schema validates."""

TargetKind = Literal[
    "company", "enterprise_legal_person", "partnership", "sole_proprietorship",
    "farmer_cooperative", "branch", "individual_business",
    "social_organisation", "public_institution", "other_nonprofit",
    "product", "project", "behaviour",
]
# Seed article 4: for-profit market entities, non-profit entities with a unified social credit
# code, and non-market targets.
TARGET_KINDS: tuple[TargetKind, ...] = get_args(TargetKind)

Method = Literal["onsite", "documentary", "online", "sampling", "commissioned"]
# Seed article 16: 实地核查, 书面检查, 网络检查, 抽样检测, 委托专业机构检查.
METHODS: tuple[Method, ...] = get_args(Method)

Level = Literal["district", "city"]
LEVELS: tuple[Level, ...] = get_args(Level)

FieldType = Literal["text", "textarea", "integer", "decimal", "boolean", "date", "choice",
                    "multichoice"]
FIELD_TYPES: tuple[FieldType, ...] = get_args(FieldType)

ActionKind = Literal["order_correction", "transfer", "file_case", "refer_judicial"]
# Seed article 17: 责令限期改正, 移交有权管辖部门, 立案查处, 移送司法机关.
ACTION_KINDS: tuple[ActionKind, ...] = get_args(ActionKind)

NON_COOPERATION_FINDINGS: tuple[str, ...] = (
    "refused_entry",           # 拒绝、阻扰、妨碍进入检查场所
    "refused_questioning",     # 拒绝接受、阻扰、妨碍询问调查
    "refused_records",         # 拒绝提供会计资料、审计报告、许可证明等材料
    "untruthful_information",  # 不如实或不按要求提供情况或材料
    "serious_obstruction",     # 其他阻扰、妨碍检查工作情节严重的情形
)
"""Seed article 18: the findings every item can yield, so follow-up rules may name them without
an item declaring them."""


@dataclass(frozen=True)
class DepartmentDef:
    """The department a plugin is: a member unit of the joint meeting (成员单位).

    ``contract_version`` is the plugin contract the plugin was written against; write the number
    itself (not ``CONTRACT_VERSION``), so the core can refuse a plugin it does not understand.
    """

    code: str
    name_zh: str
    name_en: str
    level: Level
    contract_version: int

    @classmethod
    def from_document(cls, doc: Document) -> DepartmentDef:
        """Build from a document already validated against ``department.schema.json``."""
        return cls(code=doc["code"], name_zh=doc["name_zh"], name_en=doc["name_en"],
                   level=doc["level"], contract_version=doc["contract_version"])


@dataclass(frozen=True)
class LegalBasisDef:
    """One provision an item rests on, cited as the law reads: 《…》 and 第…条."""

    law: str
    article: str


@dataclass(frozen=True)
class FindingDef:
    """A problem an inspection of an item can record (抽查结果), which follow-up rules act on."""

    code: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class CheckItemDef:
    """One entry of the department's spot-check item list (抽查事项清单, seed article 9).

    ``form`` is the code of the checklist form (检查记录表) inspectors fill for this item;
    ``authority`` is the enforcement qualification an inspector must hold to be drawn for it;
    ``notice_forbidden`` marks items the law says must not be announced before the visit
    (seed article 16(2)); ``key_item`` marks key-supervision items, which the yearly cap of two
    random checks per target does not count (seed article 14).
    """

    code: str
    name_zh: str
    name_en: str
    legal_basis: tuple[LegalBasisDef, ...]
    target_kinds: tuple[TargetKind, ...]
    methods: tuple[Method, ...]
    notice_forbidden: bool
    form: str
    authority: str
    version: int
    key_item: bool = False
    findings: tuple[FindingDef, ...] = ()

    @classmethod
    def from_document(cls, doc: Document) -> CheckItemDef:
        """Build from a document already validated against ``check-item.schema.json``."""
        return cls(
            code=doc["code"], name_zh=doc["name_zh"], name_en=doc["name_en"],
            legal_basis=tuple(LegalBasisDef(law=b["law"], article=b["article"])
                              for b in doc["legal_basis"]),
            target_kinds=tuple(doc["target_kinds"]), methods=tuple(doc["methods"]),
            notice_forbidden=doc["notice_forbidden"], form=doc["form"],
            authority=doc["authority"], version=doc["version"],
            key_item=doc.get("key_item", False),
            findings=tuple(FindingDef(code=f["code"], label_zh=f["label_zh"],
                                      label_en=f["label_en"])
                           for f in doc.get("findings", ())),
        )


@dataclass(frozen=True)
class ChoiceDef:
    """One answer a ``choice`` or ``multichoice`` field offers."""

    value: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class FormFieldDef:
    """One question of a checklist form.

    ``min``/``max`` bound ``integer`` and ``decimal`` answers; ``pattern`` (a regular expression
    the whole answer must match) applies to ``text``; ``choices`` to ``choice`` and
    ``multichoice``.
    """

    name: str
    label_zh: str
    label_en: str
    type: FieldType
    required: bool = False
    choices: tuple[ChoiceDef, ...] = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None

    @classmethod
    def from_document(cls, doc: Document) -> FormFieldDef:
        """Build from a field of a validated checklist-form document."""
        return cls(
            name=doc["name"], label_zh=doc["label_zh"], label_en=doc["label_en"],
            type=doc["type"], required=doc.get("required", False),
            choices=tuple(ChoiceDef(value=c["value"], label_zh=c["label_zh"],
                                    label_en=c["label_en"])
                          for c in doc.get("choices", ())),
            min=doc.get("min"), max=doc.get("max"), pattern=doc.get("pattern"),
        )


@dataclass(frozen=True)
class ChecklistFormDef:
    """A checklist form (检查记录表, seed articles 7 and 16(3)): the questions of one check."""

    code: str
    title_zh: str
    title_en: str
    version: int
    fields: tuple[FormFieldDef, ...]

    @classmethod
    def from_document(cls, doc: Document) -> ChecklistFormDef:
        """Build from a document already validated against ``checklist-form.schema.json``."""
        return cls(code=doc["code"], title_zh=doc["title_zh"], title_en=doc["title_en"],
                   version=doc["version"],
                   fields=tuple(FormFieldDef.from_document(f) for f in doc["fields"]))


@dataclass(frozen=True)
class FollowUpActionDef:
    """What to do: order correction within ``working_days``, transfer to ``department``, file a
    case, or refer to judicial organs."""

    kind: ActionKind
    working_days: int | None = None
    department: str | None = None

    @classmethod
    def from_document(cls, doc: Document) -> FollowUpActionDef:
        """Build from an action of a validated follow-up-rule document."""
        return cls(kind=doc["kind"], working_days=doc.get("working_days"),
                   department=doc.get("department"))


@dataclass(frozen=True)
class FollowUpRuleDef:
    """A follow-up rule (seed article 17): a recorded finding and the action it triggers.

    ``item`` limits the rule to one check item (``None``: the finding on any of the department's
    items). An ``order_correction`` names ``on_overdue``, the next step when the deadline passes.
    """

    code: str
    name_zh: str
    name_en: str
    finding: str
    action: FollowUpActionDef
    on_overdue: FollowUpActionDef | None = None
    item: str | None = None

    @classmethod
    def from_document(cls, doc: Document) -> FollowUpRuleDef:
        """Build from a document already validated against ``followup-rule.schema.json``."""
        overdue = doc.get("on_overdue")
        return cls(code=doc["code"], name_zh=doc["name_zh"], name_en=doc["name_en"],
                   finding=doc["finding"], action=FollowUpActionDef.from_document(doc["action"]),
                   on_overdue=None if overdue is None else FollowUpActionDef.from_document(overdue),
                   item=doc.get("item"))


ResultCategoryCode = Literal[
    "no_problem", "not_disclosed", "false_disclosure", "unreachable", "corrected", "pending_followup",
    "no_activity", "non_cooperation", "closed_or_liquidating", "deregistered", "revoked", "cancelled", "moved_out",
]
# The result categories of the national enterprise credit information disclosure system, which a
# published result carries (spotcheck.inspection.models.ResultCategory; a test holds the two).
RESULT_CATEGORIES: tuple[ResultCategoryCode, ...] = get_args(ResultCategoryCode)


@dataclass(frozen=True)
class CreditRuleDef:
    """A department's own credit rule (seed article 19): what one of its published results means
    for the target's credit record, on top of the district's rule.

    The rule matches either a published ``result_category`` of a check the department took part
    in, or a ``finding`` recorded on one of the department's items (``item``: that item only). A
    match adds ``points`` to the record, once per check, and ``serious`` marks it a serious
    violation (严重违法失信): class D while it is in the window, and the joint punishment list.
    """

    code: str
    name_zh: str
    name_en: str
    points: int
    result_category: ResultCategoryCode | None = None
    finding: str | None = None
    item: str | None = None
    serious: bool = False

    @classmethod
    def from_document(cls, doc: Document) -> CreditRuleDef:
        """Build from a document already validated against ``credit-rule.schema.json``."""
        return cls(code=doc["code"], name_zh=doc["name_zh"], name_en=doc["name_en"],
                   points=doc["points"], result_category=doc.get("result_category"),
                   finding=doc.get("finding"), item=doc.get("item"), serious=doc.get("serious", False))


@dataclass(frozen=True)
class TargetRef:
    """The target of a check, as the core shows it to a plugin.

    ``identifier`` is the 18-character unified social credit code of an entity, or the
    directory's own identifier of a product, project or behaviour.
    """

    kind: TargetKind
    identifier: str
    name: str


@dataclass(frozen=True)
class OnlinePrecheckResult:
    """What a department's own systems say about a target before the visit (seed art. 16(1)).

    ``verified_fields`` names the fields of the item's checklist form the online check settled;
    the on-site check does not ask them again.
    """

    status: Literal["verified", "discrepancy", "not_found", "unavailable"]
    summary_zh: str
    summary_en: str = ""
    verified_fields: tuple[str, ...] = ()
    source_url: str | None = None


class TargetSyncSource(Protocol):
    """A department system the target directory is kept in step with (seed article 10)."""

    code: str
    name_zh: str
    name_en: str

    def fetch(self, since: datetime | None) -> Iterable[Document]:
        """Targets created or changed since ``since`` (all when ``None``), one row each, in the
        target import row format."""
        ...


def to_document(definition: Any) -> Any:
    """The plain-data form of a definition: dataclasses and mappings become dicts, tuples and
    lists become lists.

    A dataclass field left at its default is left out: the schemas give the same defaults, and
    "absent" is what ``None`` and ``()`` mean there. A ``None`` in a mapping is kept, so that a
    slip in a YAML file (``key:`` with no value) fails validation instead of vanishing.
    """
    if dataclasses.is_dataclass(definition) and not isinstance(definition, type):
        return {f.name: to_document(getattr(definition, f.name))
                for f in dataclasses.fields(definition)
                if f.default is dataclasses.MISSING or getattr(definition, f.name) != f.default}
    if isinstance(definition, Mapping):
        return {key: to_document(value) for key, value in definition.items()}
    if isinstance(definition, (list, tuple)):
        return [to_document(value) for value in definition]
    return definition
