"""The bureau's follow-up rules (seed article 17): which finding leads to which action.

The health regulations mostly order correction within a time limit and punish only when the order
is not met (《医疗废物管理条例》第四十五条、第四十六条, 《消毒管理办法》, 《中华人民共和国职业病防治法》
第七十一条、第七十二条): those findings order correction and file a case when overdue. Practising or
trading without a licence, and harm to patients, are punished at once: those file a case. A person
practising medicine without a physician's qualification may commit the offence of illegal medical
practice, which goes to the judicial organs. Findings another member unit supervises are
transferred to it.
"""

from __future__ import annotations

from spotcheck.plugin_api import FollowUpActionDef, FollowUpRuleDef

FILE_CASE = FollowUpActionDef(kind="file_case")

ECOLOGY_ENVIRONMENT = "STHJ"  # trade in medical waste, unlicensed disposal (医疗废物条例 第五十三条)
HUMAN_RESOURCES = "RSJ"  # work injury insurance (职业病防治法 第七条)
CULTURE_TOURISM = "WLJ"  # entertainment licences (《娱乐场所管理条例》)


def _order(working_days: int) -> FollowUpActionDef:
    return FollowUpActionDef(kind="order_correction", working_days=working_days)


def _transfer(department: str) -> FollowUpActionDef:
    return FollowUpActionDef(kind="transfer", department=department)


FOLLOWUP_RULES: tuple[FollowUpRuleDef, ...] = (
    FollowUpRuleDef(
        code="hygiene_licence", item="public_place_hygiene", finding="no_hygiene_licence",
        name_zh="未取得卫生许可证擅自营业的，立案查处",
        name_en="File a case on a public place operating without a hygiene licence",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="health_certificates", item="public_place_hygiene",
        finding="staff_without_health_certificate",
        name_zh="责令限期为直接为顾客服务的人员办理健康合格证明",
        name_en="Order health certificates for customer-facing staff within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="hygiene_standard", item="public_place_hygiene", finding="below_hygiene_standard",
        name_zh="责令限期整改，使卫生质量符合国家卫生标准和要求",
        name_en="Order the hygiene brought up to the national standards within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="hygiene_management", item="public_place_hygiene", finding="no_hygiene_management",
        name_zh="责令限期建立卫生责任制度并培训从业人员",
        name_en="Order a hygiene responsibility system and staff training within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="entertainment_licence", item="public_place_hygiene",
        finding="no_entertainment_licence",
        name_zh="歌舞、游艺场所无娱乐经营许可证的，移交文化和旅游部门",
        name_en="Transfer a dance or game hall without an entertainment licence to the culture bureau",
        action=_transfer(CULTURE_TOURISM)),
    FollowUpRuleDef(
        code="unlicensed_practice", item="medical_institution_practice",
        finding="unlicensed_practice",
        name_zh="未取得执业许可证或者未经备案开展诊疗活动的，立案查处",
        name_en="File a case on treatment without a practice licence or filing", action=FILE_CASE),
    FollowUpRuleDef(
        code="registered_subjects", item="medical_institution_practice",
        finding="beyond_registered_subjects",
        name_zh="超出登记或者备案范围开展诊疗活动的，立案查处",
        name_en="File a case on treatment beyond the registered or filed subjects",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="health_technicians", item="medical_institution_practice",
        finding="non_health_technicians",
        name_zh="使用非卫生技术人员从事医疗卫生技术工作的，立案查处",
        name_en="File a case on non-health-technicians doing medical technical work",
        action=FILE_CASE),
    FollowUpRuleDef(
        code="licence_display", item="medical_institution_practice",
        finding="licence_not_displayed",
        name_zh="责令限期将执业许可证、诊疗科目、诊疗时间和收费标准悬挂于明显处所",
        name_en="Order the licence, subjects, hours and fees displayed within a time limit",
        action=_order(3), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="illegal_practice_crime", item="medical_institution_practice",
        finding="suspected_illegal_practice_crime",
        name_zh="涉嫌非法行医罪的，移送司法机关",
        name_en="Refer suspected illegal medical practice to the judicial organs",
        action=FollowUpActionDef(kind="refer_judicial")),
    FollowUpRuleDef(
        code="disinfection_system", item="disinfection_management",
        finding="no_disinfection_system",
        name_zh="责令限期建立消毒管理组织和制度并开展消毒与灭菌效果检测",
        name_en="Order disinfection rules and effect tests within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="sterilisation", item="disinfection_management", finding="sterilisation_failed",
        name_zh="医疗用品未达到灭菌要求的，立案查处",
        name_en="File a case on medical items that are not sterile", action=FILE_CASE),
    FollowUpRuleDef(
        code="single_use_items", item="disinfection_management",
        finding="disposables_not_treated",
        name_zh="责令限期对一次性使用医疗用品进行无害化处理",
        name_en="Order used single-use items made harmless within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="purchase_inspection", item="disinfection_management",
        finding="no_purchase_inspection",
        name_zh="责令限期建立并执行消毒产品进货检查验收制度",
        name_en="Order the purchase inspection of disinfection products within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="waste_register", item="medical_waste", finding="waste_not_registered",
        name_zh="责令限期对医疗废物进行登记并保存登记资料",
        name_en="Order a medical waste register within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="waste_sorting", item="medical_waste", finding="waste_not_sorted",
        name_zh="责令限期将医疗废物分类置于专用包装物或者容器",
        name_en="Order medical waste sorted into proper packaging within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="waste_storage", item="medical_waste", finding="improper_temporary_storage",
        name_zh="责令限期整改医疗废物暂时贮存设施",
        name_en="Order the temporary waste store put right within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="waste_trade", item="medical_waste", finding="waste_sold_or_handed_to_unlicensed",
        name_zh="转让、买卖医疗废物或者交无证单位处置的，移交生态环境部门",
        name_en="Transfer trade in medical waste to the ecology and environment bureau",
        action=_transfer(ECOLOGY_ENVIRONMENT)),
    FollowUpRuleDef(
        code="hazard_declaration", item="occupational_health", finding="hazards_not_declared",
        name_zh="责令限期申报职业病危害项目",
        name_en="Order the declaration of occupational hazard projects within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="notice_board", item="occupational_health", finding="no_notice_board",
        name_zh="责令限期设置公告栏和警示标识",
        name_en="Order a notice board and warning signs within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="hazard_testing", item="occupational_health", finding="hazards_not_tested",
        name_zh="责令限期对工作场所职业病危害因素进行检测、评价",
        name_en="Order workplace hazard factors tested and evaluated within a time limit",
        action=_order(20), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="health_examinations", item="occupational_health",
        finding="no_health_examinations",
        name_zh="责令限期组织职业健康检查并书面告知劳动者",
        name_en="Order occupational health examinations within a time limit",
        action=_order(20), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="work_injury_insurance", item="occupational_health",
        finding="no_work_injury_insurance",
        name_zh="未参加工伤保险的，移交人力资源和社会保障部门",
        name_en="Transfer a missing work injury insurance to the human resources bureau",
        action=_transfer(HUMAN_RESOURCES)),
    FollowUpRuleDef(
        code="refused_inspection", finding="refused_entry",
        name_zh="拒绝卫生监督检查的，立案查处",
        name_en="File a case on refusing a health inspection", action=FILE_CASE),
)
