"""The bureau's follow-up rules (seed article 17): which finding leads to which action.

Unlicensed business, minors in dance halls and internet cafes, forbidden content and the abuses of
the tourism law are punished at once (娱乐场所管理条例 第四十一条、第四十八条, 互联网上网服务营业场所
管理条例 第二十七条、第三十一条, 旅游法 第九十五条 to 第一百零二条): those file a case. Where the
regulations order correction and warn first (娱乐场所管理条例 第四十九条 to 第五十一条), the rule
orders correction and files a case when overdue. Drugs, gambling and prostitution are for the
police (第四十三条); minors employed are for the labour bureau (第五十二条); prices, special
equipment and work safety belong to the member units that supervise them.
"""

from __future__ import annotations

from spotcheck.plugin_api import FollowUpActionDef, FollowUpRuleDef

FILE_CASE = FollowUpActionDef(kind="file_case")

MARKET_REGULATION = "SCJG"  # marked prices (价格法), amusement devices and ropeways (特种设备)
EMERGENCY_MANAGEMENT = "YJGL"  # work safety at tourist attractions (旅游法 第七十九条)
HUMAN_RESOURCES = "RSJ"  # minors employed, guides' labour contracts and social insurance


def _order(working_days: int) -> FollowUpActionDef:
    return FollowUpActionDef(kind="order_correction", working_days=working_days)


def _transfer(department: str) -> FollowUpActionDef:
    return FollowUpActionDef(kind="transfer", department=department)


FOLLOWUP_RULES: tuple[FollowUpRuleDef, ...] = (
    FollowUpRuleDef(
        code="entertainment_licence", item="entertainment_venue",
        finding="no_entertainment_licence",
        name_zh="擅自从事娱乐场所经营活动的，立案查处",
        name_en="File a case on an entertainment business without a licence", action=FILE_CASE),
    FollowUpRuleDef(
        code="venue_minors", item="entertainment_venue", finding="minors_admitted",
        name_zh="歌舞娱乐场所接纳未成年人的，立案查处",
        name_en="File a case on minors admitted to an entertainment venue", action=FILE_CASE),
    FollowUpRuleDef(
        code="forbidden_content", item="entertainment_venue", finding="prohibited_content",
        name_zh="含有禁止内容或者联接境外曲库的，立案查处",
        name_en="File a case on forbidden content or a foreign song library", action=FILE_CASE),
    FollowUpRuleDef(
        code="venue_hours", item="entertainment_venue", finding="open_in_forbidden_hours",
        name_zh="责令改正，凌晨2时至上午8时停止营业",
        name_en="Order the venue closed from 2 to 8 a.m.", action=_order(1), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="register_and_log", item="entertainment_venue", finding="no_staff_register_or_log",
        name_zh="责令限期建立从业人员名簿和营业日志",
        name_en="Order a staff register and business log within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="warning_signs", item="entertainment_venue", finding="no_warning_signs",
        name_zh="责令限期悬挂警示标志和未成年人禁入或者限入标志",
        name_en="Order warning and no-minors signs within a time limit",
        action=_order(3), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="minors_employed", item="entertainment_venue", finding="minors_employed",
        name_zh="招用未成年人的，移交人力资源和社会保障部门",
        name_en="Transfer minors employed to the human resources bureau",
        action=_transfer(HUMAN_RESOURCES)),
    FollowUpRuleDef(
        code="venue_prices", item="entertainment_venue", finding="prices_not_marked",
        name_zh="未明码标价的，移交市场监督管理部门",
        name_en="Transfer unmarked prices to the market regulation bureau",
        action=_transfer(MARKET_REGULATION)),
    FollowUpRuleDef(
        code="vice", item="entertainment_venue", finding="drugs_gambling_or_prostitution",
        name_zh="涉毒、涉赌、涉黄的，移送公安机关",
        name_en="Refer drugs, gambling or prostitution to the public security organs",
        action=FollowUpActionDef(kind="refer_judicial")),
    FollowUpRuleDef(
        code="internet_cafe_licence", item="internet_cafe", finding="unlicensed_internet_cafe",
        name_zh="擅自从事互联网上网服务经营活动的，立案查处",
        name_en="File a case on an internet cafe without a licence", action=FILE_CASE),
    FollowUpRuleDef(
        code="internet_cafe_minors", item="internet_cafe", finding="minors_admitted",
        name_zh="互联网上网服务营业场所接纳未成年人的，立案查处",
        name_en="File a case on minors admitted to an internet cafe", action=FILE_CASE),
    FollowUpRuleDef(
        code="internet_cafe_hours", item="internet_cafe", finding="open_outside_hours",
        name_zh="责令改正，限于8时至24时营业",
        name_en="Order opening limited to 8 a.m. to midnight",
        action=_order(1), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="internet_cafe_signs", item="internet_cafe", finding="licence_or_sign_not_displayed",
        name_zh="责令限期悬挂《网络文化经营许可证》和未成年人禁入标志",
        name_en="Order the licence and no-minors sign displayed within a time limit",
        action=_order(3), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="identity_registration", item="internet_cafe", finding="identity_not_registered",
        name_zh="责令限期核对、登记上网消费者有效身份证件并记录上网信息",
        name_en="Order customers' identity checked and registered within a time limit",
        action=_order(5), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="travel_licence", item="travel_agency", finding="unlicensed_travel_business",
        name_zh="未经许可经营旅行社业务的，立案查处",
        name_en="File a case on travel agency business without a licence", action=FILE_CASE),
    FollowUpRuleDef(
        code="quality_deposit", item="travel_agency", finding="deposit_not_paid",
        name_zh="责令限期交纳旅游服务质量保证金",
        name_en="Order the quality deposit paid within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="cheap_tours", item="travel_agency", finding="unreasonably_cheap_tours",
        name_zh="以不合理的低价组织旅游活动的，立案查处",
        name_en="File a case on unreasonably cheap tours", action=FILE_CASE),
    FollowUpRuleDef(
        code="liability_insurance", item="travel_agency", finding="no_liability_insurance",
        name_zh="未投保旅行社责任保险的，立案查处",
        name_en="File a case on a travel agency without liability insurance", action=FILE_CASE),
    FollowUpRuleDef(
        code="tour_contracts", item="travel_agency", finding="no_written_contracts",
        name_zh="责令限期改正，与旅游者订立书面包价旅游合同",
        name_en="Order written package tour contracts within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="guides_employment", item="travel_agency",
        finding="guides_without_labour_contracts",
        name_zh="未与导游订立劳动合同、缴纳社会保险费的，移交人力资源和社会保障部门",
        name_en="Transfer guides without labour contracts to the human resources bureau",
        action=_transfer(HUMAN_RESOURCES)),
    FollowUpRuleDef(
        code="guide_certificate", item="tour_guide_practice",
        finding="guiding_without_certificate",
        name_zh="未取得导游证从事导游活动的，立案查处",
        name_en="File a case on guiding without a certificate", action=FILE_CASE),
    FollowUpRuleDef(
        code="private_guiding", item="tour_guide_practice", finding="private_business",
        name_zh="导游私自承揽业务的，立案查处",
        name_en="File a case on a guide working on their own account", action=FILE_CASE),
    FollowUpRuleDef(
        code="tips_and_shopping", item="tour_guide_practice", finding="tips_or_forced_shopping",
        name_zh="索取小费或者强迫购物的，立案查处",
        name_en="File a case on tips demanded or forced shopping", action=FILE_CASE),
    FollowUpRuleDef(
        code="wear_certificate", item="tour_guide_practice", finding="certificate_not_worn",
        name_zh="责令改正，从事业务活动佩戴导游证",
        name_en="Order the guide certificate worn at work", action=_order(1), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="capacity", item="tourist_attraction", finding="capacity_not_published",
        name_zh="责令限期公布最大承载量并制定、实施流量控制方案",
        name_en="Order the capacity published and a flow control plan within a time limit",
        action=_order(10), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="over_capacity", item="tourist_attraction", finding="over_capacity",
        name_zh="责令改正，按照最大承载量控制接待人数",
        name_en="Order admissions kept within the maximum capacity",
        action=_order(1), on_overdue=FILE_CASE),
    FollowUpRuleDef(
        code="attraction_prices", item="tourist_attraction", finding="prices_not_displayed",
        name_zh="门票等价格未公示的，移交市场监督管理部门",
        name_en="Transfer undisplayed prices to the market regulation bureau",
        action=_transfer(MARKET_REGULATION)),
    FollowUpRuleDef(
        code="amusement_devices", item="tourist_attraction", finding="amusement_device_unsafe",
        name_zh="大型游乐设施、客运索道问题移交市场监督管理部门",
        name_en="Transfer amusement devices and ropeways to the market regulation bureau",
        action=_transfer(MARKET_REGULATION)),
    FollowUpRuleDef(
        code="attraction_safety", item="tourist_attraction", finding="safety_hazard",
        name_zh="安全生产事故隐患移交应急管理部门",
        name_en="Transfer work safety hazards to the emergency management bureau",
        action=_transfer(EMERGENCY_MANAGEMENT)),
    FollowUpRuleDef(
        code="refused_inspection", finding="refused_entry",
        name_zh="拒绝、阻挠文化市场和旅游监督检查的，立案查处",
        name_en="File a case on refusing a culture or tourism inspection", action=FILE_CASE),
)
