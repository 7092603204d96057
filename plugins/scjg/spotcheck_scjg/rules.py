"""The bureau's follow-up rules (seed article 17): which finding leads to which action.

Where a law first orders correction and punishes only a refusal to correct, the rule orders
correction and files a case when the order is overdue; where the law punishes at once, the rule
files a case. Kept in Python rather than YAML to show both ways a plugin may hand over definitions.
"""

from __future__ import annotations

from spotcheck.plugin_api import FollowUpActionDef, FollowUpRuleDef

FILE_CASE = FollowUpActionDef(kind="file_case")

HOUSING_BUREAU = "ZJJ"  # 住房和城乡建设局: supervises cranes and vehicles on construction sites


def _order(working_days: int) -> FollowUpActionDef:
    return FollowUpActionDef(kind="order_correction", working_days=working_days)


FOLLOWUP_RULES: tuple[FollowUpRuleDef, ...] = (
    FollowUpRuleDef(
        code="disclosure_not_publicised", item="enterprise_disclosure", finding="not_publicised",
        name_zh="责令限期履行公示义务", name_en="Order to publicise within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="disclosure_false_information", item="enterprise_disclosure",
        finding="false_information",
        name_zh="公示信息弄虚作假的，立案查处", name_en="File a case on falsified information",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="food_no_licence", item="food_business", finding="no_licence",
        name_zh="无证经营食品的，立案查处", name_en="File a case on unlicensed food business",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="food_health_certificates", item="food_business",
        finding="staff_health_certificate_missing",
        name_zh="责令限期为从业人员办理健康证明",
        name_en="Order health certificates for staff within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="food_purchase_records", item="food_business", finding="purchase_records_missing",
        name_zh="责令限期建立并执行进货查验记录制度",
        name_en="Order purchase inspection and records within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="food_expired", item="food_business", finding="expired_food",
        name_zh="经营超过保质期食品的，立案查处", name_en="File a case on expired food on sale",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="food_crime", item="food_business", finding="suspected_food_crime",
        name_zh="涉嫌食品安全犯罪的，移送公安机关",
        name_en="Refer a suspected food safety crime to the public security organs",
        action=FollowUpActionDef(kind="refer_judicial")),
    FollowUpRuleDef(
        code="food_refused_entry", item="food_business", finding="refused_entry",
        name_zh="拒绝、阻挠食品安全监督检查的，立案查处",
        name_en="File a case on obstruction of a food safety inspection",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="equipment_unregistered", item="special_equipment_use",
        finding="unregistered_equipment",
        name_zh="责令限期办理使用登记", name_en="Order registration of use within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="equipment_inspection_overdue", item="special_equipment_use",
        finding="overdue_periodic_inspection",
        name_zh="使用未经检验或者检验不合格特种设备的，立案查处",
        name_en="File a case on equipment used without a valid inspection",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="equipment_operators", item="special_equipment_use", finding="unqualified_operators",
        name_zh="责令限期配备具有相应资格的作业人员",
        name_en="Order qualified operators within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="equipment_technical_file", item="special_equipment_use",
        finding="no_technical_file",
        name_zh="责令限期建立安全技术档案",
        name_en="Order a safety technical file within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="equipment_construction_site", item="special_equipment_use",
        finding="construction_site_equipment",
        name_zh="工地用起重机械、场（厂）内专用机动车辆移交住房和城乡建设部门",
        name_en="Transfer construction-site cranes and vehicles to the housing bureau",
        action=FollowUpActionDef(kind="transfer", department=HOUSING_BUREAU)),
    FollowUpRuleDef(
        code="metrology_unverified", item="measuring_instruments", finding="unverified_instrument",
        name_zh="责令限期送检或者停止使用",
        name_en="Order verification or withdrawal within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="metrology_accuracy_impaired", item="measuring_instruments",
        finding="accuracy_impaired",
        name_zh="破坏计量器具准确度的，立案查处",
        name_en="File a case on impaired instrument accuracy",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="product_unqualified", item="product_quality_sampling", finding="unqualified_product",
        name_zh="抽查不合格的，责令限期改正", name_en="Order correction of a product that failed",
        action=_order(30), on_overdue=FILE_CASE),
)
