"""Sub-sectors (GB/T 4754-2017 classes) under the work-safety industry categories.

The industry category (GLOSSARY.md) decides which division supervises an entity; the GB/T 4754
class is what the registration data and the statistics carry. Only the classes that matter for
work-safety supervision in Shanxi are listed; an import may still name any four-digit class, and
the category is then taken from its own column.
"""

from __future__ import annotations

from anjian.core.choices import Industry

# code -> (Chinese name as in GB/T 4754-2017, category)
SUB_SECTORS: dict[str, tuple[str, Industry]] = {
    "0610": ("烟煤和无烟煤开采洗选", Industry.COAL_MINE),
    "0620": ("褐煤开采洗选", Industry.COAL_MINE),
    "0690": ("其他煤炭采选", Industry.COAL_MINE),
    "0810": ("铁矿采选", Industry.NON_COAL_MINE),
    "0911": ("铜矿采选", Industry.NON_COAL_MINE),
    "0916": ("铝矿采选", Industry.NON_COAL_MINE),
    "0921": ("金矿采选", Industry.NON_COAL_MINE),
    "1011": ("石灰石、石膏开采", Industry.NON_COAL_MINE),
    "1012": ("建筑装饰用石开采", Industry.NON_COAL_MINE),
    "1019": ("粘土及其他土砂石开采", Industry.NON_COAL_MINE),
    "2511": ("原油加工及石油制品制造", Industry.HAZARDOUS_CHEMICALS),
    "2521": ("炼焦", Industry.HAZARDOUS_CHEMICALS),
    "2522": ("煤制合成气生产", Industry.HAZARDOUS_CHEMICALS),
    "2523": ("煤制液体燃料生产", Industry.HAZARDOUS_CHEMICALS),
    "2614": ("有机化学原料制造", Industry.HAZARDOUS_CHEMICALS),
    "2619": ("其他基础化学原料制造", Industry.HAZARDOUS_CHEMICALS),
    "2621": ("氮肥制造", Industry.HAZARDOUS_CHEMICALS),
    "2631": ("化学农药制造", Industry.HAZARDOUS_CHEMICALS),
    "2661": ("化学试剂和助剂制造", Industry.HAZARDOUS_CHEMICALS),
    "2671": ("炸药及火工产品制造", Industry.HAZARDOUS_CHEMICALS),
    "5162": ("石油及制品批发", Industry.HAZARDOUS_CHEMICALS),
    "5166": ("化肥批发", Industry.HAZARDOUS_CHEMICALS),
    "5168": ("危险化学品批发", Industry.HAZARDOUS_CHEMICALS),
    "5265": ("机动车燃油零售", Industry.HAZARDOUS_CHEMICALS),
    "5942": ("危险化学品仓储", Industry.HAZARDOUS_CHEMICALS),
    "2672": ("焰火、鞭炮产品制造", Industry.FIREWORKS),
    "5149": ("其他日用品批发（烟花爆竹）", Industry.FIREWORKS),
    "3110": ("炼铁", Industry.METALLURGY),
    "3120": ("炼钢", Industry.METALLURGY),
    "3130": ("钢压延加工", Industry.METALLURGY),
    "3140": ("铁合金冶炼", Industry.METALLURGY),
    "3216": ("铝冶炼", Industry.NON_FERROUS),
    "3211": ("铜冶炼", Industry.NON_FERROUS),
    "3218": ("镁冶炼", Industry.NON_FERROUS),
    "3011": ("水泥制造", Industry.BUILDING_MATERIALS),
    "3021": ("水泥制品制造", Industry.BUILDING_MATERIALS),
    "3031": ("粘土砖瓦及建筑砌块制造", Industry.BUILDING_MATERIALS),
    "3041": ("平板玻璃制造", Industry.BUILDING_MATERIALS),
    "3089": ("耐火陶瓷制品及其他耐火材料制造", Industry.BUILDING_MATERIALS),
    "3311": ("金属结构制造", Industry.MACHINERY),
    "3511": ("矿山机械制造", Industry.MACHINERY),
    "3670": ("汽车零部件及配件制造", Industry.MACHINERY),
    "1310": ("谷物磨制", Industry.LIGHT_INDUSTRY),
    "1512": ("白酒制造", Industry.LIGHT_INDUSTRY),
    "2221": ("机制纸及纸板制造", Industry.LIGHT_INDUSTRY),
    "1711": ("棉纺纱加工", Industry.TEXTILES),
    "1713": ("棉印染精加工", Industry.TEXTILES),
    "1620": ("卷烟制造", Industry.TOBACCO),
    "5127": ("烟草制品批发", Industry.TOBACCO),
    "5211": ("百货零售", Industry.COMMERCE_TRADE),
    "5212": ("超级市场零售", Industry.COMMERCE_TRADE),
    "5941": ("通用仓储", Industry.COMMERCE_TRADE),
}


def sub_sector_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, (name, _i) in SUB_SECTORS.items()]
