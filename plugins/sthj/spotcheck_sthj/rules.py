"""The branch's follow-up rules (seed article 17): which finding leads to which action.

Discharging without a permit or above it, building before approval, using facilities not
accepted, and mishandling hazardous waste are punished at once (排污许可管理条例 第三十三条、
第三十四条, 环境影响评价法 第三十一条, 固体废物污染环境防治法 第一百一十二条): those file a case. Records,
reports, signs and monitors are ordered put right first, since a first, minor breach corrected in
time is not punished (《中华人民共和国行政处罚法》第三十三条); a case is filed when the order is
overdue. Two findings are declared by more than one item, so their rules name no item. Leads of
the crime of polluting the environment go to the judicial organs; findings another member unit
supervises are transferred to it.
"""

from __future__ import annotations

from spotcheck.plugin_api import FollowUpActionDef, FollowUpRuleDef

FILE_CASE = FollowUpActionDef(kind="file_case")

MARKET_REGULATION = "SCJG"  # VOC content of products on sale (大气污染防治法 第一百零三条)
HEALTH = "WSJK"  # medical waste inside medical institutions (医疗废物管理条例 第五条)


def _order(working_days: int) -> FollowUpActionDef:
    return FollowUpActionDef(kind="order_correction", working_days=working_days)


def _transfer(department: str) -> FollowUpActionDef:
    return FollowUpActionDef(kind="transfer", department=department)


FOLLOWUP_RULES: tuple[FollowUpRuleDef, ...] = (
    FollowUpRuleDef(
        code="no_permit", item="discharge_permit", finding="discharging_without_permit",
        name_zh="未取得排污许可证排放污染物的，立案查处",
        name_en="File a case on discharge without a permit", action=FILE_CASE),
    FollowUpRuleDef(
        code="over_limits", item="discharge_permit", finding="exceeding_permitted_limits",
        name_zh="超过许可排放浓度、许可排放量排放污染物的，立案查处",
        name_en="File a case on discharge above the permitted limits", action=FILE_CASE),
    FollowUpRuleDef(
        code="self_monitoring", item="discharge_permit", finding="self_monitoring_missing",
        name_zh="责令限期按照排污许可证规定开展自行监测并保存原始监测记录",
        name_en="Order self-monitoring and its records within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="ledger", item="discharge_permit", finding="ledger_missing",
        name_zh="责令限期建立环境管理台账记录制度并如实记录",
        name_en="Order an environmental management ledger within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="execution_report", item="discharge_permit", finding="execution_report_missing",
        name_zh="责令限期提交排污许可证执行报告",
        name_en="Order the permit execution report within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="evasion", finding="evading_supervision",
        name_zh="以逃避监管的方式违法排放污染物的，立案查处（直接责任人员依法移送公安机关拘留）",
        name_en="File a case on discharge evading supervision (those responsible go to the police)",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="pollution_crime", finding="suspected_pollution_crime",
        name_zh="涉嫌污染环境罪的，移送司法机关",
        name_en="Refer a suspected crime of polluting the environment to the judicial organs",
        action=FollowUpActionDef(kind="refer_judicial")),
    FollowUpRuleDef(
        code="eia_not_approved", item="construction_project_eia",
        finding="built_without_eia_approval",
        name_zh="环境影响评价文件未经批准擅自开工建设的，立案查处",
        name_en="File a case on construction without an approved impact assessment",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="facilities_not_accepted", item="construction_project_eia",
        finding="facilities_not_accepted",
        name_zh="环境保护设施未经验收即投入生产或者使用的，立案查处",
        name_en="File a case on use before the environmental facilities were accepted",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="acceptance_report", item="construction_project_eia",
        finding="acceptance_report_not_public",
        name_zh="责令限期公开环境保护设施验收报告",
        name_en="Order the acceptance report published within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="identification_signs", item="hazardous_waste", finding="no_identification_signs",
        name_zh="责令限期设置危险废物识别标志",
        name_en="Order hazardous waste identification signs within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="plan_and_ledger", item="hazardous_waste", finding="no_management_plan_or_ledger",
        name_zh="责令限期制定危险废物管理计划、建立管理台账并申报",
        name_en="Order a hazardous waste plan, ledger and declaration within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="waste_storage", item="hazardous_waste", finding="improper_storage",
        name_zh="未按照国家环境保护标准贮存危险废物的，立案查处",
        name_en="File a case on hazardous waste stored below standard", action=FILE_CASE),
    FollowUpRuleDef(
        code="unlicensed_handler", item="hazardous_waste", finding="handed_to_unlicensed",
        name_zh="将危险废物提供或者委托给无许可证单位的，立案查处",
        name_en="File a case on hazardous waste handed to an unlicensed party", action=FILE_CASE),
    FollowUpRuleDef(
        code="transfer_manifest", item="hazardous_waste", finding="no_transfer_manifest",
        name_zh="未填写、运行危险废物转移联单的，立案查处",
        name_en="File a case on hazardous waste moved without a manifest", action=FILE_CASE),
    FollowUpRuleDef(
        code="medical_waste", item="hazardous_waste", finding="medical_waste_in_institution",
        name_zh="医疗卫生机构内医疗废物管理问题移交卫生健康部门",
        name_en="Transfer medical waste handling inside a medical institution to the health bureau",
        action=_transfer(HEALTH)),
    FollowUpRuleDef(
        code="enclosed_processes", item="voc_control", finding="process_not_enclosed",
        name_zh="责令限期在密闭空间或者设备中进行并安装、使用污染防治设施",
        name_en="Order VOC-emitting work enclosed and treated within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="coating_ledger", item="voc_control", finding="coating_ledger_missing",
        name_zh="责令限期使用低挥发性有机物含量涂料并建立台账",
        name_en="Order low-VOC coatings and a ledger within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="vapour_recovery", item="voc_control", finding="vapour_recovery_missing",
        name_zh="责令限期安装并正常使用油气回收装置",
        name_en="Order working vapour recovery within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="voc_products", item="voc_control", finding="noncompliant_voc_products",
        name_zh="挥发性有机物含量不符合质量标准的产品移交市场监督管理部门",
        name_en="Transfer products above the VOC content standards to the market regulation bureau",
        action=_transfer(MARKET_REGULATION)),
    FollowUpRuleDef(
        code="monitor_connection", item="automatic_monitoring", finding="monitoring_not_connected",
        name_zh="责令限期安装、使用自动监测设备并与监控设备联网",
        name_en="Order automatic monitors installed and connected within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="abnormal_data", item="automatic_monitoring", finding="abnormal_data_not_reported",
        name_zh="责令限期报告异常情况并检查、修复自动监测设备",
        name_en="Order abnormal data reported and the monitors repaired within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="discharge_information", item="automatic_monitoring",
        finding="information_not_public",
        name_zh="责令限期如实公开污染物排放信息",
        name_en="Order discharge information published truthfully within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="monitor_tampering", item="automatic_monitoring",
        finding="monitoring_equipment_tampered",
        name_zh="损毁或者擅自改变自动监测设备的，立案查处",
        name_en="File a case on damaged or altered automatic monitors", action=FILE_CASE),
    FollowUpRuleDef(
        code="refused_inspection", finding="refused_entry",
        name_zh="拒不配合生态环境监督检查的，立案查处",
        name_en="File a case on refusing an environmental inspection", action=FILE_CASE),
)
