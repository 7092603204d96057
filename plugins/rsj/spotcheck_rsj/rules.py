"""The bureau's follow-up rules (seed article 17): which finding leads to which action.

Labour inspection orders correction first for contracts, wages, hours, registration and the
safeguards of migrant workers' wages (劳动保障监察条例 第二十四条 to 第二十六条, 保障农民工工资支付条例
第五十四条 to 第五十六条): those findings order correction and file a case when overdue. Unpaid
wages still unpaid after the order are the offence of refusing to pay labour remuneration
(《中华人民共和国刑法》第二百七十六条之一; 保障农民工工资支付条例 第四十一条), so that order's next step
is the judicial organs; so is the gravest child labour (禁止使用童工规定 第十一条). Child labour,
concealed wages and unlicensed dispatch are punished at once. Unlicensed employers, work safety
and occupational health are for the member units that supervise them (劳动保障监察条例 第三十三条、
第三十五条).
"""

from __future__ import annotations

from spotcheck.plugin_api import FollowUpActionDef, FollowUpRuleDef

FILE_CASE = FollowUpActionDef(kind="file_case")
REFER_JUDICIAL = FollowUpActionDef(kind="refer_judicial")

MARKET_REGULATION = "SCJG"  # employers without a business licence (监察条例 第三十三条)
EMERGENCY_MANAGEMENT = "YJGL"  # work safety (监察条例 第三十五条)
HEALTH = "WSJK"  # occupational health (监察条例 第三十五条)


def _order(working_days: int) -> FollowUpActionDef:
    return FollowUpActionDef(kind="order_correction", working_days=working_days)


def _transfer(department: str) -> FollowUpActionDef:
    return FollowUpActionDef(kind="transfer", department=department)


FOLLOWUP_RULES: tuple[FollowUpRuleDef, ...] = (
    FollowUpRuleDef(
        code="labour_contracts", item="labour_contracts", finding="no_written_contracts",
        name_zh="责令限期与劳动者订立书面劳动合同",
        name_en="Order written labour contracts within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="staff_roster", item="labour_contracts", finding="no_staff_roster",
        name_zh="责令限期建立职工名册", name_en="Order a staff roster within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="unlicensed_employer", item="labour_contracts", finding="unlicensed_employer",
        name_zh="无照用工的，通报市场监督管理部门查处取缔",
        name_en="Transfer an employer without a business licence to the market regulation bureau",
        action=_transfer(MARKET_REGULATION)),
    FollowUpRuleDef(
        code="workplace_safety", item="labour_contracts", finding="workplace_safety_hazard",
        name_zh="安全生产事故隐患移交应急管理部门",
        name_en="Transfer work safety hazards to the emergency management bureau",
        action=_transfer(EMERGENCY_MANAGEMENT)),
    FollowUpRuleDef(
        code="occupational_health", item="labour_contracts", finding="occupational_hazard",
        name_zh="职业病危害问题移交卫生健康部门",
        name_en="Transfer occupational hazards to the health bureau", action=_transfer(HEALTH)),
    FollowUpRuleDef(
        code="wage_arrears", finding="wage_arrears",
        name_zh="责令限期支付劳动报酬；逾期仍不支付，涉嫌拒不支付劳动报酬罪的，移送司法机关",
        name_en="Order the wages paid; still unpaid, refer to the judicial organs",
        action=_order(5), on_overdue=REFER_JUDICIAL),
    FollowUpRuleDef(
        code="minimum_wage", item="wage_payment", finding="below_minimum_wage",
        name_zh="责令限期补足低于当地最低工资标准的差额",
        name_en="Order the shortfall below the minimum wage paid within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="working_hours", item="wage_payment", finding="unlawful_overtime",
        name_zh="责令限期改正违法延长工作时间的行为",
        name_en="Order working hours brought within the law within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="child_labour", item="child_labour", finding="child_labour_used",
        name_zh="使用童工的，立案查处并责令限期将童工送交其父母或者其他监护人",
        name_en="File a case on child labour and order the children returned to their guardians",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="hiring_records", item="child_labour", finding="hiring_records_missing",
        name_zh="未保存或者伪造录用登记材料的，立案查处",
        name_en="File a case on missing or forged hiring records", action=FILE_CASE),
    FollowUpRuleDef(
        code="child_labour_crime", item="child_labour", finding="suspected_child_labour_crime",
        name_zh="涉嫌雇用童工从事危重劳动罪等犯罪的，移送司法机关",
        name_en="Refer suspected crimes of child labour to the judicial organs",
        action=REFER_JUDICIAL),
    FollowUpRuleDef(
        code="insurance_registration", item="social_insurance_registration",
        finding="staff_not_registered",
        name_zh="责令限期为职工办理社会保险登记",
        name_en="Order social insurance registration of the staff within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="concealed_wages", item="social_insurance_registration",
        finding="wages_under_declared",
        name_zh="瞒报工资总额或者职工人数的，立案查处",
        name_en="File a case on a concealed wage total or headcount", action=FILE_CASE),
    FollowUpRuleDef(
        code="unlicensed_dispatch", item="labour_dispatch", finding="unlicensed_dispatch",
        name_zh="未经许可经营劳务派遣业务的，立案查处",
        name_en="File a case on labour dispatch without a licence", action=FILE_CASE),
    FollowUpRuleDef(
        code="dispatch_limits", item="labour_dispatch", finding="dispatch_beyond_limits",
        name_zh="责令限期将劳务派遣用工调整至规定岗位和比例",
        name_en="Order dispatched labour brought within the permitted posts and share",
        action=_order(20), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="wage_account", item="migrant_worker_wages", finding="no_dedicated_wage_account",
        name_zh="责令限期开设并使用农民工工资专用账户",
        name_en="Order a dedicated wage account opened and used within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="wage_deposit", item="migrant_worker_wages", finding="no_wage_deposit",
        name_zh="责令限期存储工资保证金或者提供金融机构保函",
        name_en="Order the wage deposit or a bank guarantee within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="real_name_registration", item="migrant_worker_wages",
        finding="no_real_name_registration",
        name_zh="责令限期实行劳动用工实名制管理",
        name_en="Order real-name registration of the workers within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="rights_notice_board", item="migrant_worker_wages", finding="no_rights_notice_board",
        name_zh="责令限期设立维权信息告示牌",
        name_en="Order a rights notice board on site within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="refused_inspection", finding="refused_entry",
        name_zh="无理抗拒、阻挠劳动保障监察的，立案查处",
        name_en="File a case on resisting or obstructing labour inspection", action=FILE_CASE),
)
