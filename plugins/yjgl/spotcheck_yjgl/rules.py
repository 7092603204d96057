"""The bureau's follow-up rules (seed article 17): which finding leads to which action.

《中华人民共和国安全生产法》 orders correction within a time limit for most failings of management
(第九十七条, 第一百零一条), and allows a fine at once. The bureau orders correction where a paper
or system is missing, since a first, minor breach corrected in time is not punished
(《中华人民共和国行政处罚法》第三十三条), and files a case when the order is overdue; it files a case
at once where lives are exposed: unqualified special operators, unlicensed or unsafe hazardous
chemicals. A major hazard left in place after an order is the offence of dangerous operations
(《中华人民共和国刑法》第一百三十四条之一), so that order's next step is the judicial organs.
Findings another member unit supervises are transferred to it.
"""

from __future__ import annotations

from spotcheck.plugin_api import FollowUpActionDef, FollowUpRuleDef

FILE_CASE = FollowUpActionDef(kind="file_case")
REFER_JUDICIAL = FollowUpActionDef(kind="refer_judicial")

MARKET_REGULATION = "SCJG"  # special equipment (《中华人民共和国特种设备安全法》)
HUMAN_RESOURCES = "RSJ"  # work injury insurance (《中华人民共和国社会保险法》)
ECOLOGY_ENVIRONMENT = "STHJ"  # disposal of waste hazardous chemicals (危化条例 第六条第四项)


def _order(working_days: int) -> FollowUpActionDef:
    return FollowUpActionDef(kind="order_correction", working_days=working_days)


def _transfer(department: str) -> FollowUpActionDef:
    return FollowUpActionDef(kind="transfer", department=department)


FOLLOWUP_RULES: tuple[FollowUpRuleDef, ...] = (
    FollowUpRuleDef(
        code="responsibility_system", item="safety_responsibility",
        finding="no_responsibility_system",
        name_zh="责令限期建立健全并落实全员安全生产责任制",
        name_en="Order a work safety responsibility system within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="safety_managers", item="safety_responsibility", finding="no_safety_managers",
        name_zh="责令限期设置安全生产管理机构或者配备安全生产管理人员",
        name_en="Order a safety management body or safety managers within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="managers_assessment", item="safety_responsibility",
        finding="managers_not_assessed",
        name_zh="责令限期组织主要负责人和安全生产管理人员考核",
        name_en="Order the assessment of the principal person and safety managers",
        action=_order(20), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="work_injury_insurance", item="safety_responsibility",
        finding="no_work_injury_insurance",
        name_zh="未参加工伤保险的，移交人力资源和社会保障部门",
        name_en="Transfer a missing work injury insurance to the human resources bureau",
        action=_transfer(HUMAN_RESOURCES)),
    FollowUpRuleDef(
        code="special_equipment", item="safety_responsibility",
        finding="special_equipment_concern",
        name_zh="特种设备安全问题移交市场监督管理部门",
        name_en="Transfer special equipment problems to the market regulation bureau",
        action=_transfer(MARKET_REGULATION)),
    FollowUpRuleDef(
        code="training", item="safety_training", finding="training_not_given",
        name_zh="责令限期对从业人员进行安全生产教育和培训",
        name_en="Order safety training of the staff within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="training_records", item="safety_training", finding="training_not_recorded",
        name_zh="责令限期建立安全生产教育和培训档案并如实记录",
        name_en="Order truthful training records within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="special_operators", item="safety_training",
        finding="unqualified_special_operators",
        name_zh="特种作业人员无证上岗的，立案查处",
        name_en="File a case on special operators at work without qualification",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="hazard_system", item="hazard_management", finding="no_hazard_system",
        name_zh="责令限期建立安全风险分级管控和事故隐患排查治理制度",
        name_en="Order risk grading and hazard investigation systems within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="hazard_removal", item="hazard_management", finding="hazard_not_removed",
        name_zh="责令限期消除事故隐患", name_en="Order the hazards removed within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="major_hazard", item="hazard_management", finding="major_hazard",
        name_zh="责令限期排除重大事故隐患；拒不执行的，涉嫌危险作业罪，移送司法机关",
        name_en="Order a major hazard removed; refusal is referred to the judicial organs",
        action=_order(3), on_overdue=REFER_JUDICIAL),
    FollowUpRuleDef(
        code="gas_alarm", item="hazard_management", finding="gas_alarm_missing",
        name_zh="责令限期安装可燃气体报警装置",
        name_en="Order a combustible gas alarm within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="escape_routes", item="hazard_management", finding="exits_blocked",
        name_zh="责令立即清理疏散通道、打开安全出口",
        name_en="Order exits and escape routes cleared at once",
        action=_order(1), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="emergency_plan", item="emergency_plan", finding="no_emergency_plan",
        name_zh="责令限期制定生产安全事故应急救援预案",
        name_en="Order an emergency rescue plan within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="emergency_drills", item="emergency_plan", finding="no_drills",
        name_zh="责令限期组织应急救援演练", name_en="Order an emergency drill within a time limit",
        action=_order(20), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="rescue_equipment", item="emergency_plan", finding="no_rescue_equipment",
        name_zh="责令限期配备应急救援器材、设备和物资",
        name_en="Order rescue equipment and supplies within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="unlicensed_chemicals", item="hazardous_chemicals_business",
        finding="unlicensed_chemicals_business",
        name_zh="无证经营危险化学品的，立案查处",
        name_en="File a case on hazardous chemicals sold without a licence", action=FILE_CASE),
    FollowUpRuleDef(
        code="safety_data_sheets", item="hazardous_chemicals_business",
        finding="no_safety_data_sheet",
        name_zh="责令限期改正，不得经营无安全技术说明书或者安全标签的危险化学品",
        name_en="Order chemicals without data sheets or labels off sale",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="chemicals_storage", item="hazardous_chemicals_business",
        finding="improper_storage",
        name_zh="危险化学品储存不符合规定的，立案查处",
        name_en="File a case on hazardous chemicals stored in breach of the rules",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="waste_chemicals", item="hazardous_chemicals_business",
        finding="waste_chemicals_disposal",
        name_zh="废弃危险化学品处置移交生态环境部门",
        name_en="Transfer the disposal of waste chemicals to the ecology and environment bureau",
        action=_transfer(ECOLOGY_ENVIRONMENT)),
    FollowUpRuleDef(
        code="refused_inspection", finding="refused_entry",
        name_zh="拒绝、阻碍安全生产监督检查的，立案查处",
        name_en="File a case on refusing or obstructing a work safety inspection",
        action=FILE_CASE),
)
