"""Deterministic demo data: Shanxi market entities, their licences and filings, as import CSVs.

`demo_entity_files_write(directory, entities=n, seed=s)` writes entities.csv, licences.csv and
filings.csv in the layout of docs/import-format.md (canonical Chinese headers, UTF-8 with BOM).
The same (entities, seed) always gives byte-identical files: all randomness comes from
`random.Random(seed)`, consumed in a fixed order, and nothing depends on the clock or on the
iteration order of sets. Entity i depends only on the seed and entities 0..i-1, so a small run is
a prefix of a large one. Credit grades and risk levels come from a second stream seeded from the
same seed, so adding them left every other value of a given seed as it was.

Proportions (share of all entities, from `_PROFILES`; tuned to look like a provincial register
of supervised enterprises rather than all market entities):
- commerce & trade, light industry, machinery, building materials, textiles, tobacco ~62 %;
- hazardous chemicals ~15 % (of which fuel stations ~6 %, wholesale ~4 %, coking ~1.3 %);
- coal mines ~7 %, non-coal mines ~6 %, metallurgy + non-ferrous ~6 %, fireworks ~3 %
  (mostly 个体 retail shops).

Geography (11 cities, 117 county-level regions that are not statistics-only, from
core/data/regions_140000.csv): general trade and manufacturing follow population, skewed to
太原; coal follows the producing cities (大同, 朔州, 长治, 晋城, 吕梁 ~78 %, then 临汾, 忻州,
晋中, 阳泉, few in 太原) and within them the mining counties (平鲁, 左云, 柳林, 沁水 ...);
coking is strongest in 吕梁 (孝义), 晋中 (介休), 临汾, 长治, 运城; iron and steel in 太原,
临汾, 运城, 长治; aluminium in 运城, 吕梁, 忻州; magnesium in 运城 (闻喜) and 忻州 (五台);
refractories in 阳泉; liquor in 汾阳. The weights are informed estimates, not statistics.

Licences and filings follow the supervision rules: every coal mine, non-coal mine, chemical
producer, explosives and fireworks maker holds a 安全生产许可证 (issued by 山西省应急管理厅);
hazchem wholesalers and fuel stations a 危险化学品经营许可证 and fireworks traders a wholesale or
retail licence (city or county bureau). Expiry dates are spread around DEMO_TODAY so that some
licences have lapsed and some expire within 30/60/90 days. About 15 % of the entities that must
file an emergency plan have not, so the "operating without filing" check has findings.

Credit grades (信用等级, set by hand or import until the credit capability computes them): most
B, some A, fewer C, few D, worse for suspended, closed and revoked entities; an entity founded
within the last two years has no record to grade yet (empty). Risk levels (风险等级) follow
the industry (coal mines high, commerce mostly low) and are raised by key supervision and by a
major hazard source.

Standardisation grades (安全生产标准化等级), from a third stream of their own (so every other
value of a seed is unchanged): mines, hazardous chemicals, metallurgy and non-ferrous works
mostly 三级 (about half), some 二级 (about a sixth), 一级 rare (about 1 %), the rest not up to
standard or not rated (empty); other industries mostly not rated, a tenth 三级, a few 二级;
individual businesses (个体) never rated. Written in the forms bureau sheets use (二级, 三级企业,
一级达标, 3级 …), which the import reads.
"""

from __future__ import annotations

import csv
import datetime
import zlib
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from operator import mul
from pathlib import Path
from random import Random
from typing import Any, NamedTuple

from anjian.core.choices import Industry
from anjian.entities.sectors import SUB_SECTORS

# The date the demo is "seen" on: licence expiries and filing dates are placed relative to it.
DEMO_TODAY = datetime.date(2026, 11, 24)

REGIONS_FILE = Path(__file__).resolve().parent.parent / "core" / "data" / "regions_140000.csv"

# Canonical headers (the first column of each table in docs/import-format.md), in that order.
ENTITY_HEADERS: tuple[str, ...] = (
    "统一社会信用代码",
    "企业名称",
    "行业类别",
    "所属区县",
    "曾用名",
    "行业代码",
    "注册地址",
    "法定代表人",
    "经营状态",
    "企业规模",
    "成立日期",
    "重点监管",
    "新业态",
    "观察期开始",
    "观察期结束",
    "重大危险源",
    "信用等级",
    "风险等级",
    "安全生产标准化等级",
)
LICENCE_HEADERS: tuple[str, ...] = (
    "统一社会信用代码",
    "许可证类型",
    "许可证编号",
    "发证机关",
    "许可范围",
    "有效期起",
    "有效期至",
    "许可证状态",
)
FILING_HEADERS: tuple[str, ...] = (
    "统一社会信用代码",
    "备案事项",
    "备案编号",
    "备案机关",
    "备案日期",
    "有效期至",
)

INDUSTRY_LABELS: dict[str, str] = {
    Industry.COAL_MINE: "煤矿",
    Industry.NON_COAL_MINE: "非煤矿山",
    Industry.HAZARDOUS_CHEMICALS: "危险化学品",
    Industry.FIREWORKS: "烟花爆竹",
    Industry.METALLURGY: "冶金",
    Industry.NON_FERROUS: "有色",
    Industry.BUILDING_MATERIALS: "建材",
    Industry.MACHINERY: "机械",
    Industry.LIGHT_INDUSTRY: "轻工",
    Industry.TEXTILES: "纺织",
    Industry.TOBACCO: "烟草",
    Industry.COMMERCE_TRADE: "商贸",
}
# Industries whose entities must file an emergency plan (应急预案备案).
FILING_INDUSTRIES: frozenset[str] = frozenset(
    INDUSTRY_LABELS[i]
    for i in (
        Industry.COAL_MINE,
        Industry.NON_COAL_MINE,
        Industry.HAZARDOUS_CHEMICALS,
        Industry.FIREWORKS,
        Industry.METALLURGY,
        Industry.NON_FERROUS,
    )
)

SAFETY_LICENCE = "安全生产许可证"
HAZCHEM_OPERATION = "危险化学品经营许可证"
HAZCHEM_SAFE_USE = "危险化学品安全使用许可证"
FIREWORKS_WHOLESALE = "烟花爆竹经营（批发）许可证"
FIREWORKS_RETAIL = "烟花爆竹经营（零售）许可证"
PRECURSOR_LICENCE = "第一类非药品类易制毒化学品生产/经营许可证"
EMERGENCY_PLAN = "应急预案备案"
MAJOR_HAZARD = "重大危险源备案"
PRECURSOR_FILING = "第二类、第三类非药品类易制毒化学品备案"
PROVINCE_BUREAU = "山西省应急管理厅"

OPERATING, SUSPENDED, CLOSED, REVOKED = "在营", "停业", "注销", "吊销"
_STATUSES = (OPERATING, SUSPENDED, CLOSED, REVOKED)
_SCALES = ("大型", "中型", "小型", "微型")
_GRADES = ("A级", "B级", "C级", "D级")
_RISKS = ("重大风险", "较大风险", "一般风险", "低风险")
# Cumulative shares of 一级, 二级, 三级 (the rest: not rated), and the ways sheets write them.
_STANDARDISED = frozenset({"煤矿", "非煤矿山", "危险化学品", "冶金", "有色"})
_STANDARDISATION_CUM = {True: (0.01, 0.17, 0.67), False: (0.001, 0.03, 0.13)}
_STANDARDISATION_FORMS = (
    ("一级", "一级企业", "一级达标", "1级"),
    ("二级", "二级企业", "二级达标", "2级"),
    ("三级", "三级企业", "三级达标", "3级"),
)
YES, NO = "是", "否"

# --------------------------------------------------------------------------------------------
# Vocabulary pools. Plain strings so that the order (and so the output) is fixed.


def _words(spec: str) -> tuple[str, ...]:
    return tuple(spec.split())


# Characters common in Chinese trade names (字号).
_TRADE_CHARS = (
    "鑫泰昌源华宏兴盛隆晋恒通达永福金瑞祥丰利德鹏飞宇汇海安广正天龙凯博新远诚信和顺发荣康"
    "明光辉耀嘉佳润泽森峰岳川东中美宝富强胜民益众合万乾坤旺鸿运腾豪伟俊杰英锦星辰阳晨元亨"
    "鼎盈聚泓浩茂晟煜琪亿铭晖峻骏汾祺裕旭升欣诺航卓越泉"
)
# Weighted surnames (≈ frequency in Shanxi; 郭, 贾, 阎/闫, 武, 牛, 薛 over-represented there).
_SURNAMES = (
    "王7 李7 张6.5 刘5.5 陈2.5 杨3 赵3 黄1 周1.5 吴1.2 徐1 孙1.5 胡1.2 朱1 高2 林0.5 何0.7 "
    "郭3 马1.5 罗0.5 梁1.5 宋1.2 郑0.8 谢0.6 韩1.2 唐0.6 冯1.2 于0.7 董1 萧0.1 程1 曹1 袁0.6 "
    "邓0.4 许0.8 傅0.3 沈0.4 曾0.2 彭0.6 吕0.8 苏0.7 卢0.5 蒋0.3 蔡0.4 贾2 丁0.7 魏1.2 薛1.5 "
    "叶0.3 阎1.2 余0.3 潘0.4 杜1 戴0.3 夏0.4 钟0.2 汪0.3 田1 任1.2 姜0.6 范0.8 方0.4 石0.8 "
    "姚0.6 谭0.2 廖0.1 邹0.2 熊0.2 金0.4 陆0.3 郝1.5 孔0.4 白1 崔0.8 康0.8 毛0.5 邱0.2 秦0.8 "
    "江0.3 史0.8 顾0.2 侯1 邵0.4 孟0.8 龙0.2 万0.3 段1 雷0.6 钱0.3 汤0.2 尹0.5 黎0.1 易0.1 "
    "常1 武2 乔1 贺0.8 赖0.1 龚0.1 文0.3 牛1.5 闫1.5 温0.8 申0.6 霍0.6 裴0.5 柴0.5 樊0.6"
)
_GIVEN_MALE = (
    "建国华明军伟强平志勇斌海峰兵刚涛磊波宇浩亮东林春云学忠德福生龙宝成永新利庆俊杰鹏飞超鑫晓文辉"
)
_GIVEN_FEMALE = "丽霞燕芳敏静玲娟英梅兰凤艳萍琴雪慧婷丹娜璐芬红晓"
_ROADS = _words(
    "建设 解放 人民 和平 新华 中心 胜利 友谊 文化 迎宾 滨河 朝阳 振兴 开发 育才 东风 府前 学府 "
    "长青 光明 幸福 团结 兴华 富民 工业 创业 科技 顺城 环城 体育 新建 太行 吕梁 汾河 北城 南城"
)
_ROAD_SUFFIXES = ("路", "路", "街", "大街", "东路", "西路", "南路", "北路", "中路")
_TOWNS = _words(
    "城关 东关 西关 南关 北关 新城 古城 河底 后沟 前进 王庄 石门 龙泉 清泉 柳树 杏花 桃园 "
    "大峪 小峪 南庄 北庄 西社 东社 下社 上庄 水峪 石窑 马坊 龙门 金沙 白土 红崖 苏村 李村"
)
_VILLAGE_ENDS = ("庄", "沟", "岭", "峪", "坪", "湾", "堡", "窑", "河", "寨", "坡", "塔")
_PARKS = ("工业园区", "经济技术开发区", "循环经济园区", "工业集聚区", "产业园")
_SHOP_ENDS = ("百货商店", "百货超市", "便利店", "超市", "商店", "商行", "经营部", "门市部")
_FIREWORKS_SHOP_ENDS = ("烟花爆竹零售店", "烟花爆竹零售店", "烟花爆竹经营部", "烟花爆竹门市部")
_BRANCH_NUMERALS = "一二三四五六七八九十"

# Coal and coking groups that name their subsidiaries after themselves, by city.
_COAL_GROUPS: dict[str, tuple[str, ...]] = {
    "太原": ("山西焦煤西山煤电集团", "山西焦煤集团"),
    "大同": ("大同煤矿集团", "晋能控股煤业集团", "同煤集团"),
    "阳泉": ("华阳新材料科技集团", "阳泉煤业集团"),
    "长治": ("山西潞安集团", "潞安化工集团", "山西焦煤集团"),
    "晋城": ("晋城无烟煤矿业集团", "山西兰花科技创业", "晋能控股装备制造集团"),
    "朔州": ("中煤平朔集团", "晋能控股煤业集团", "大同煤矿集团"),
    "晋中": ("山西焦煤集团", "山西焦煤汾西矿业集团", "华阳新材料科技集团"),
    "运城": ("山西焦煤集团",),
    "忻州": ("晋能控股煤业集团", "山西煤炭运销集团"),
    "临汾": ("山西焦煤集团", "山西焦煤霍州煤电集团", "山西焦煤汾西矿业集团"),
    "吕梁": ("山西焦煤集团", "山西焦煤集团", "华润联盛", "山西煤炭运销集团"),
}
_COKING_GROUPS = ("山西焦煤", "山西潞安", "山西焦化集团", "晋能控股", "山西美锦", "山西焦煤集团")

# City abbreviations used in licence numbers (晋朔危化经字…).
_CITY_ABBR: dict[str, str] = {
    "太原": "并",
    "大同": "同",
    "阳泉": "阳",
    "长治": "长",
    "晋城": "城",
    "朔州": "朔",
    "晋中": "中",
    "运城": "运",
    "忻州": "忻",
    "临汾": "临",
    "吕梁": "吕",
}

# --------------------------------------------------------------------------------------------
# Where entities are. City weights are keyed by city short name (unlisted: weight 0); county
# boosts multiply a county's weight within its city (names are unique county names).


def _weights(spec: str) -> dict[str, float]:
    """Parse "大同17 朔州14 …" (name immediately followed by its weight)."""
    result = {}
    for token in spec.split():
        name = token.rstrip("0123456789.")
        result[name] = float(token[len(name) :])
    return result


# ≈ resident population (millions, 2020 census): where people live, shops and fuel stations are.
_POP = _weights(
    "太原5.3 大同3.1 阳泉1.3 长治3.2 晋城2.2 朔州1.6 晋中3.4 运城4.8 忻州2.7 临汾4 吕梁3.4"
)
# Economic weight: population skewed towards the larger cities and the capital.
_URBAN = {**{c: w**1.25 for c, w in _POP.items()}, "太原": 5.3**1.25 * 1.6}
_COAL = _weights("大同17 朔州14 长治16 晋城16 吕梁15 临汾8 忻州5 晋中5 阳泉3 太原1")
_COKING = _weights("吕梁30 晋中14 长治14 临汾16 运城9 太原5 晋城5 阳泉2 大同2 忻州2 朔州1")
_CHEMICALS = _weights("太原14 长治14 运城14 吕梁12 临汾12 晋城12 晋中8 大同5 阳泉4 忻州4 朔州3")
_STEEL = _weights("太原16 临汾18 运城14 长治16 晋中9 吕梁9 晋城6 忻州4 阳泉3 大同3 朔州2")
_ALUMINIUM = _weights("运城35 吕梁25 忻州18 阳泉6 晋中6 临汾5 太原3")
_MAGNESIUM = _weights("运城40 忻州15 太原10 吕梁10 阳泉5 晋中5 大同3")
_COPPER = _weights("运城65 临汾25 太原10")
_IRON_ORE = _weights("忻州30 吕梁20 临汾15 运城8 长治8 晋中5 大同5")
_BAUXITE = _weights("吕梁30 忻州20 阳泉15 运城10 晋中10 临汾10 太原5")
_GOLD = _weights("忻州40 运城30 大同20 临汾10")
_QUARRY = {**_POP, "太原": 2.5, "大同": 4, "长治": 4, "晋城": 3}
_REFRACTORY = {**_POP, "阳泉": 12, "吕梁": 5, "晋城": 3}
_MINING_MACHINERY = {**_URBAN, "太原": 20, "晋城": 6, "长治": 6, "大同": 6, "朔州": 3}
_AUTO_PARTS = {**_URBAN, "运城": 9, "晋中": 6}
_TEXTILES = {**_POP, "运城": 10, "晋中": 8, "太原": 7}
_GRAIN = {**_POP, "运城": 9, "临汾": 6, "忻州": 4}
_LIQUOR = {**_POP, "吕梁": 12}

# The mining counties of each coal city (平鲁, 左云, 沁水, 柳林, 乡宁, 古交 …).
_COAL_COUNTIES = _weights(
    "古交市6 万柏林区0.5 云冈区3 左云县3 新荣区1 浑源县0.6 盂县2 平定县2 郊区1.5 襄垣县2 "
    "屯留区2 沁源县3 长子县1.5 武乡县1.5 潞城区1.5 上党区1.5 沁水县3 阳城县2.5 高平市3 "
    "泽州县3 陵川县1 平鲁区5 朔城区1.5 山阴县2 怀仁市1.5 右玉县1 灵石县3 介休市2 寿阳县2 "
    "和顺县1.5 昔阳县1.5 左权县1 宁武县2 河曲县2 保德县2 原平市1.5 静乐县1 神池县1 乡宁县3 "
    "霍州市2 蒲县2 古县2 安泽县1.5 洪洞县1.5 汾西县1.5 柳林县3 孝义市2 中阳县1.5 交口县1.5 "
    "离石区1.5 兴县1 临县1 方山县1"
)
# Coking and coal chemicals: 孝义, 介休, 清徐, 河津, 洪洞, 潞城 …
_COKING_COUNTIES = _weights(
    "孝义市8 介休市6 交城县3 汾阳市2 文水县2 柳林县2 灵石县3 平遥县2 洪洞县3 襄汾县3 "
    "尧都区1.5 古县2 河津市4 稷山县3 新绛县2 潞城区3 襄垣县2 屯留区1.5 清徐县6 阳城县2 泽州县2"
)
# Iron and steel, ferroalloys, aluminium, magnesium, ore: 太钢 (尖草坪), 闻喜 magnesium …
_HEAVY_COUNTIES = _weights(
    "尖草坪区6 清徐县3 翼城县3 侯马市3 曲沃县2 襄汾县2 河津市4 闻喜县5 新绛县2 垣曲县3 "
    "潞城区3 长子县2 上党区2 介休市3 寿阳县2 文水县2 交城县3 中阳县2 孝义市3 交口县2 兴县2 "
    "原平市3 五台县3 代县3 繁峙县2 阳城县2 定襄县2"
)

# --------------------------------------------------------------------------------------------
# Profiles: one kind of entity each (a GB/T 4754 class, sometimes split by trade).

_DEFAULT_STATUS = (0.90, 0.03, 0.05, 0.02)
_MINE_STATUS = (0.80, 0.12, 0.06, 0.02)
_SHOP_STATUS = (0.86, 0.02, 0.09, 0.03)

# Credit grade weights (A, B, C, D) by business status: a suspended, closed or revoked entity
# usually got there through violations, which lower its grade.
_GRADE_BY_STATUS = {
    OPERATING: (0.18, 0.64, 0.14, 0.04),
    SUSPENDED: (0.05, 0.50, 0.30, 0.15),
    CLOSED: (0.03, 0.45, 0.32, 0.20),
    REVOKED: (0.0, 0.25, 0.40, 0.35),
}
# Risk level weights (major, significant, general, low) by industry, before the raise below.
_RISK_BY_INDUSTRY = {
    "煤矿": (0.20, 0.40, 0.35, 0.05),
    "非煤矿山": (0.05, 0.25, 0.55, 0.15),
    "危险化学品": (0.04, 0.16, 0.50, 0.30),
    "烟花爆竹": (0.02, 0.08, 0.35, 0.55),  # mostly retail shops; factories are key supervision
    "冶金": (0.05, 0.25, 0.50, 0.20),
    "有色": (0.05, 0.25, 0.50, 0.20),
    "建材": (0.01, 0.07, 0.42, 0.50),
    "机械": (0.0, 0.04, 0.36, 0.60),
    "轻工": (0.0, 0.04, 0.36, 0.60),
    "纺织": (0.0, 0.03, 0.37, 0.60),
    "烟草": (0.0, 0.02, 0.28, 0.70),
    "商贸": (0.0, 0.01, 0.09, 0.90),
}
# Key supervision and a major hazard source each multiply the weights so: more major and
# significant, fewer low.
_RISK_RAISE = (3.0, 2.0, 1.0, 0.25)


@dataclass(frozen=True)
class _Profile:
    key: str
    sector: str  # GB/T 4754 class in sectors.SUB_SECTORS; decides the 行业类别
    share: float  # per cent of all entities
    cities: Mapping[str, float]
    words: tuple[str, ...]  # industry words for names (煤业, 焦化 …)
    style: str = "company"  # naming style, see _Generator.styled_name
    counties: str = "urban"  # "urban": districts heavier; "rural": the countryside
    boosts: Mapping[str, float] = field(default_factory=dict)
    address: str = "street"  # "street", "village" (mines) or "park" (heavy industry)
    individual: float = 0.0  # share registered as 个体工商户 (USCC 92…)
    scale: tuple[float, float, float, float] = (0.02, 0.12, 0.50, 0.36)
    status: tuple[float, float, float, float] = _DEFAULT_STATUS
    founded: tuple[int, int, int] = (1985, 2025, 2014)  # low, high, mode year
    key_supervision: float = 0.05
    major_hazard: float = 0.0
    safety: str = ""  # 安全生产许可证 number code (MK, FM, WH, YH, MB); empty: none
    operation: str = ""  # operation licence type held; empty: none
    operation_share: float = 1.0
    safe_use: float = 0.0  # share holding a 危险化学品安全使用许可证
    precursor_licence: float = 0.0
    precursor_filing: float = 0.0
    scope: str = ""  # 许可范围
    new_form: tuple[str, ...] = ()  # name words of 新业态 entities in this profile
    new_form_share: float = 0.0


def _producer(
    key: str,
    sector: str,
    share: float,
    cities: Mapping[str, float],
    words: tuple[str, ...],
    **options: Any,
) -> _Profile:
    """A hazardous-chemicals producer: mostly key supervision, 安全生产许可证 (WH), in a park."""
    defaults: dict[str, Any] = {"key_supervision": 0.85, "safety": "WH", "address": "park"}
    return _Profile(key, sector, share, cities, words, **{**defaults, **options})


def _mine(
    key: str,
    sector: str,
    share: float,
    cities: Mapping[str, float],
    words: tuple[str, ...],
    scope: str,
    **options: Any,
) -> _Profile:
    """A non-coal mine: in the countryside, small, 安全生产许可证 (FM)."""
    defaults: dict[str, Any] = {
        "counties": "rural",
        "address": "village",
        "scale": (0.01, 0.10, 0.55, 0.34),
        "status": _MINE_STATUS,
        "safety": "FM",
        "scope": scope,
    }
    return _Profile(key, sector, share, cities, words, **{**defaults, **options})


def _metal(
    key: str,
    sector: str,
    share: float,
    cities: Mapping[str, float],
    words: tuple[str, ...],
    **options: Any,
) -> _Profile:
    """A metallurgy or non-ferrous works: outside the centres, in industrial parks."""
    defaults: dict[str, Any] = {"counties": "rural", "boosts": _HEAVY_COUNTIES, "address": "park"}
    return _Profile(key, sector, share, cities, words, **{**defaults, **options})


_SHOP: dict[str, Any] = {
    "style": "shop",
    "individual": 0.45,
    "scale": (0.01, 0.04, 0.35, 0.60),
    "status": _SHOP_STATUS,
}

_PROFILES: tuple[_Profile, ...] = (
    # Coal mines ≈ 7 %: all under key supervision, more of them suspended.
    _Profile(
        "coal",
        "0610",
        6.4,
        _COAL,
        ("煤业", "煤业", "煤业", "煤业", "矿业", "能源", "焦煤"),
        style="coal",
        counties="rural",
        boosts=_COAL_COUNTIES,
        address="village",
        scale=(0.22, 0.38, 0.36, 0.04),
        status=(0.78, 0.14, 0.06, 0.02),
        founded=(1985, 2021, 2010),  # most companies date from the 2009–2011 consolidation
        key_supervision=1.0,
        safety="MK",
        scope="煤炭开采",
    ),
    _Profile(
        "coal_washing",
        "0690",
        0.6,
        _COAL,
        ("洗煤", "煤炭洗选", "煤业"),
        counties="rural",
        boosts=_COAL_COUNTIES,
        address="village",
        scale=(0.03, 0.25, 0.55, 0.17),
        status=(0.78, 0.14, 0.06, 0.02),
        key_supervision=1.0,
        safety="MK",
        scope="煤炭洗选加工",
    ),
    # Non-coal mines ≈ 6 %
    _mine("limestone", "1011", 1.6, _QUARRY, ("矿业", "石料", "石灰石"), "石灰岩露天开采"),
    _mine("stone", "1012", 0.8, _QUARRY, ("石材", "矿业", "石业"), "建筑石料用灰岩露天开采"),
    _mine("sand", "1019", 1.8, _QUARRY, ("砂石", "矿业", "砂石料"), "砂石、粘土露天开采"),
    _mine(
        "iron_ore",
        "0810",
        1.2,
        _IRON_ORE,
        ("矿业", "铁矿", "选矿"),
        "铁矿地下开采",
        boosts=_HEAVY_COUNTIES,
    ),
    _mine("bauxite", "0916", 0.4, _BAUXITE, ("矿业", "铝矾土"), "铝土矿露天开采"),
    _mine("copper_ore", "0911", 0.1, _COPPER, ("矿业", "铜矿"), "铜矿地下开采"),
    _mine(
        "gold", "0921", 0.1, _GOLD, ("矿业", "黄金", "金矿"), "金矿地下开采", boosts=_HEAVY_COUNTIES
    ),
    # Hazardous chemicals ≈ 15 %: fuel stations and wholesale, then the producers.
    _Profile(
        "fuel_station",
        "5265",
        6.0,
        _POP,
        ("加油站",),
        style="fuel",
        individual=0.25,
        scale=(0.0, 0.02, 0.38, 0.60),
        founded=(1993, 2025, 2012),
        key_supervision=0.02,
        operation=HAZCHEM_OPERATION,
        scope="汽油、柴油（闭杯闪点≤60℃）零售",
        new_form=("加氢站", "综合能源站"),
        new_form_share=0.03,
    ),
    _Profile(
        "oil_wholesale",
        "5162",
        1.0,
        _URBAN,
        ("石油", "石化", "能源", "油品"),
        key_supervision=0.15,
        major_hazard=0.3,  # oil depots
        operation=HAZCHEM_OPERATION,
        scope="汽油、柴油、石脑油批发（带储存）",
    ),
    _Profile(
        "hazchem_wholesale",
        "5168",
        2.5,
        _URBAN,
        ("化工", "化工", "化工", "化工贸易", "化学品", "气体"),
        key_supervision=0.1,
        major_hazard=0.08,
        operation=HAZCHEM_OPERATION,
        precursor_licence=0.03,
        precursor_filing=0.08,
        scope="硫酸、盐酸、氢氧化钠、甲醇、液氨等批发（不带储存）",
        new_form=("氢能", "新能源"),
        new_form_share=0.03,
    ),
    _Profile(
        "fertiliser_wholesale",
        "5166",
        0.8,
        _GRAIN,
        ("农资", "化肥", "农业生产资料"),
        counties="rural",
        operation=HAZCHEM_OPERATION,
        operation_share=0.3,  # only those trading ammonium nitrate need the licence
        scope="硝酸铵、尿素批发",
    ),
    _producer(
        "coking",
        "2521",
        1.3,
        _COKING,
        ("焦化", "焦化", "焦化", "煤化工", "煤焦", "能源"),
        style="coking",
        counties="rural",
        boosts=_COKING_COUNTIES,
        scale=(0.25, 0.45, 0.25, 0.05),
        status=(0.82, 0.10, 0.06, 0.02),  # capacity cuts closed many small plants
        founded=(1985, 2022, 2006),
        major_hazard=0.7,
        scope="焦炭、煤焦油、粗苯、焦炉煤气生产",
    ),
    _producer(
        "coal_gas",
        "2522",
        0.2,
        _CHEMICALS,
        ("煤化工", "化工", "气体"),
        counties="rural",
        boosts=_COKING_COUNTIES,
        scale=(0.30, 0.40, 0.25, 0.05),
        major_hazard=0.85,
        scope="合成气、甲醇、液氨生产",
    ),
    _producer(
        "coal_to_liquid",
        "2523",
        0.1,
        _CHEMICALS,
        ("煤化工", "煤制油", "能源化工"),
        counties="rural",
        scale=(0.50, 0.35, 0.15, 0.0),
        major_hazard=0.85,
        scope="柴油、石脑油、液化石油气生产",
    ),
    _producer(
        "refinery",
        "2511",
        0.1,
        _CHEMICALS,
        ("石化", "石油化工", "炼化"),
        scale=(0.40, 0.40, 0.20, 0.0),
        major_hazard=0.85,
        scope="汽油、柴油、液化石油气生产",
    ),
    _producer(
        "organic_chemicals",
        "2614",
        0.8,
        _CHEMICALS,
        ("化工", "化工", "精细化工", "化学", "新材料"),
        boosts=_COKING_COUNTIES,
        scale=(0.08, 0.30, 0.45, 0.17),
        major_hazard=0.55,
        precursor_licence=0.05,
        precursor_filing=0.15,
        scope="甲醇、甲醛、苯、甲苯生产",
    ),
    _producer(
        "basic_chemicals",
        "2619",
        0.7,
        _CHEMICALS,
        ("化工", "化工", "化学", "气体", "碳素"),
        scale=(0.08, 0.30, 0.45, 0.17),
        major_hazard=0.55,
        precursor_filing=0.15,
        scope="硫酸、盐酸、氢氧化钠、氧（压缩的）生产",
        new_form=("氢能", "氢能科技", "新能源"),
        new_form_share=0.12,
    ),
    _producer(
        "nitrogen_fertiliser",
        "2621",
        0.3,
        _CHEMICALS,
        ("化肥", "化工", "煤化工"),
        scale=(0.20, 0.40, 0.35, 0.05),
        major_hazard=0.6,
        scope="液氨、尿素、硝酸铵生产",
    ),
    _producer(
        "pesticides",
        "2631",
        0.2,
        _CHEMICALS,
        ("农药", "化工", "生物化工"),
        major_hazard=0.3,
        scope="农药原药及制剂生产",
    ),
    _producer(
        "reagents",
        "2661",
        0.4,
        _CHEMICALS,
        ("化工", "化学试剂", "助剂", "新材料"),
        major_hazard=0.3,
        precursor_licence=0.08,
        precursor_filing=0.2,
        scope="化学试剂、助剂生产",
        new_form=("锂电材料", "储能材料", "新能源材料"),
        new_form_share=0.1,
    ),
    _producer(
        "explosives",
        "2671",
        0.1,
        _COAL,  # they supply the mines
        ("民爆", "爆破器材", "化工"),
        scale=(0.15, 0.45, 0.35, 0.05),
        major_hazard=0.6,
        safety="MB",
        scope="工业炸药、工业雷管生产",
    ),
    _Profile(
        "hazchem_storage",
        "5942",
        0.4,
        _URBAN,
        ("仓储", "物流", "危险品仓储", "化工仓储"),
        address="park",
        key_supervision=0.6,
        major_hazard=0.6,
        operation=HAZCHEM_OPERATION,
        scope="危险化学品储存、批发（带储存）",
    ),
    # Fireworks ≈ 3 %, mostly 个体 retail shops
    _Profile(
        "fireworks_retail",
        "5149",
        2.3,
        _POP,
        ("烟花爆竹",),
        style="fireworks_retail",
        individual=0.9,
        scale=(0.0, 0.0, 0.08, 0.92),
        status=_SHOP_STATUS,
        founded=(2005, 2025, 2021),
        operation=FIREWORKS_RETAIL,
        scope="烟花爆竹零售",
    ),
    _Profile(
        "fireworks_wholesale",
        "5149",
        0.4,
        _POP,
        ("烟花爆竹", "烟花爆竹专营", "花炮"),
        scale=(0.0, 0.15, 0.55, 0.30),
        key_supervision=0.3,
        operation=FIREWORKS_WHOLESALE,
        scope="烟花爆竹批发（带储存）",
    ),
    _Profile(
        "fireworks_factory",
        "2672",
        0.3,
        _POP,
        ("烟花爆竹", "花炮", "烟花"),
        counties="rural",
        address="village",
        scale=(0.0, 0.10, 0.60, 0.30),
        key_supervision=0.5,
        safety="YH",
        scope="烟花爆竹生产（C级、D级）",
    ),
    # Metallurgy ≈ 3.7 %: blast furnaces and converters are key supervision, gas holders hazards.
    _metal(
        "ironmaking",
        "3110",
        0.5,
        _STEEL,
        ("钢铁", "铁业", "冶炼"),
        scale=(0.35, 0.40, 0.20, 0.05),
        key_supervision=0.9,
        major_hazard=0.4,
        safe_use=0.1,
    ),
    _metal(
        "steelmaking",
        "3120",
        0.6,
        _STEEL,
        ("钢铁", "特钢", "钢业"),
        scale=(0.40, 0.35, 0.20, 0.05),
        key_supervision=0.9,
        major_hazard=0.4,
        safe_use=0.1,
    ),
    _metal(
        "rolling",
        "3130",
        1.8,
        _STEEL,
        ("钢铁", "型钢", "轧钢", "铸造", "钢材"),
        scale=(0.08, 0.30, 0.45, 0.17),
        key_supervision=0.1,
    ),
    _metal(
        "ferroalloy",
        "3140",
        0.8,
        _STEEL,
        ("铁合金", "冶炼", "硅业"),
        scale=(0.05, 0.30, 0.50, 0.15),
        key_supervision=0.3,
        major_hazard=0.05,
    ),
    # Non-ferrous ≈ 1.8 %
    _metal(
        "aluminium",
        "3216",
        0.9,
        _ALUMINIUM,
        ("铝业", "铝业", "氧化铝", "有色金属"),
        scale=(0.20, 0.35, 0.35, 0.10),
        key_supervision=0.5,
        major_hazard=0.2,
        safe_use=0.2,
    ),
    _metal(
        "magnesium",
        "3218",
        0.7,
        _MAGNESIUM,
        ("镁业", "金属镁", "镁合金"),
        scale=(0.05, 0.30, 0.50, 0.15),
        key_supervision=0.3,
        major_hazard=0.15,
        safe_use=0.2,
    ),
    _metal(
        "copper",
        "3211",
        0.2,
        _COPPER,
        ("铜业", "有色金属", "冶炼"),
        counties="urban",
        scale=(0.25, 0.35, 0.30, 0.10),
        key_supervision=0.5,
        major_hazard=0.2,
    ),
    # Building materials ≈ 13 %
    _Profile(
        "cement",
        "3011",
        1.5,
        _POP,
        ("水泥", "水泥", "建材"),
        counties="rural",
        address="park",
        scale=(0.15, 0.35, 0.40, 0.10),
    ),
    _Profile("concrete", "3021", 4.0, _URBAN, ("建材", "混凝土", "商砼", "水泥制品")),
    _Profile(
        "bricks",
        "3031",
        4.0,
        _POP,
        ("建材", "砖业", "新型建材", "墙材"),
        counties="rural",
        address="village",
    ),
    _Profile(
        "glass",
        "3041",
        0.5,
        _URBAN,
        ("玻璃", "玻璃制品", "建材"),
        address="park",
        scale=(0.10, 0.30, 0.45, 0.15),
    ),
    _Profile(
        "refractory",
        "3089",
        3.0,
        _REFRACTORY,
        ("耐火材料", "耐材", "耐火", "陶瓷"),
        boosts={"郊区": 3, "平定县": 3, "盂县": 2, "孝义市": 3},
        address="park",
    ),
    # Machinery ≈ 13 %
    _Profile(
        "steel_structures",
        "3311",
        6.0,
        _URBAN,
        ("机械", "钢结构", "金属结构", "重工", "机电"),
        new_form=("储能", "光伏", "新能源"),
        new_form_share=0.05,
    ),
    _Profile(
        "mining_machinery",
        "3511",
        4.0,
        _MINING_MACHINERY,
        ("机械", "矿山机械", "重工", "机电", "煤机"),
    ),
    _Profile(
        "auto_parts",
        "3670",
        3.0,
        _AUTO_PARTS,
        ("汽车配件", "机械", "汽车零部件", "机电"),
        new_form=("新能源汽车", "新能源"),
        new_form_share=0.06,
    ),
    # Light industry ≈ 7 %
    _Profile(
        "grain_mill",
        "1310",
        3.0,
        _GRAIN,
        ("食品", "面业", "粮油", "杂粮"),
        counties="rural",
        individual=0.2,
    ),
    _Profile(
        "liquor", "1512", 2.5, _LIQUOR, ("酒业", "酒业", "酿酒", "酒厂"), boosts={"汾阳市": 12}
    ),
    _Profile("paper", "2221", 1.5, _POP, ("纸业", "纸业", "包装")),
    # Textiles ≈ 3.5 %
    _Profile("cotton", "1711", 2.5, _TEXTILES, ("纺织", "纺织", "棉纺", "纺织品")),
    _Profile("dyeing", "1713", 1.0, _TEXTILES, ("印染", "纺织印染", "纺织")),
    # Tobacco ≈ 0.7 %: the monopoly's branches, and its logistics companies
    _Profile("cigarettes", "1620", 0.02, {"太原": 1}, ("烟草",), scale=(0.6, 0.4, 0.0, 0.0)),
    _Profile(
        "tobacco_wholesale",
        "5127",
        0.7,
        _POP,
        ("烟草", "烟草物流", "烟草配送"),
        style="tobacco",
    ),
    # Commerce & trade ≈ 22 %, about half of it 个体 shops
    _Profile(
        "department_store",
        "5211",
        10.0,
        _URBAN,
        ("商贸", "商贸", "商贸", "百货", "贸易", "商业"),
        founded=(1990, 2025, 2019),
        **_SHOP,
    ),
    _Profile(
        "supermarket",
        "5212",
        8.0,
        _URBAN,
        ("超市", "连锁超市", "商贸", "购物广场"),
        founded=(1995, 2025, 2019),
        **_SHOP,
    ),
    _Profile(
        "warehousing", "5941", 4.0, _URBAN, ("物流", "仓储", "物流", "供应链"), address="park"
    ),
)

# --------------------------------------------------------------------------------------------
# USCC construction (GB 32100-2015 with an embedded GB 11714-1997 organisation code).

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Old organisation codes were eight digits, in practice starting 1–7: 7 × 10⁷ values.
_OLD_SPACE = 70_000_000
_OLD_STEP = 43_262_379
# New codes (2015-10 onwards): "MA" + six characters of the USCC alphabet.
_NEW_SPACE = 31**6
_NEW_STEP = 548_507_439
# Entity i gets code (i·step + offset) mod space: a bijection because step is coprime to the
# space, so codes are unique by construction; a step near 0.618·space scatters neighbours.


_ORG_VALUE = {c: int(c, 36) for c in _USCC_ALPHABET}  # GB 11714: 0–9, then A=10 … Z=35
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}  # GB 32100: position in alphabet
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Six base-31 digits as two table look-ups of three: much cheaper than six divmods per entity.
_BASE31_TRIPLES = tuple(
    a + b + c for a in _USCC_ALPHABET for b in _USCC_ALPHABET for c in _USCC_ALPHABET
)


def org_code_check(body: str) -> str:
    """GB 11714 check character of an eight-character organisation code body."""
    total = sum(map(mul, map(_ORG_VALUE.__getitem__, body), _ORG_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


@cache
def _uscc_head_sum(head: str) -> int:
    """Weighted sum of the first eight characters (kind and region), the same for many codes."""
    return sum(map(mul, map(_USCC_VALUE.__getitem__, head), _USCC_WEIGHTS))


def uscc_check(number: str) -> str:
    """GB 32100 check character of a 17-character code.

    The arithmetic of `stdnum.cn.uscc.calc_check_digit`, which the tests compare it with; the
    stdnum function cleans its input and searches the alphabet on every call, which would be a
    fifth of the time of a million-entity run.
    """
    tail = sum(map(mul, map(_USCC_VALUE.__getitem__, number[8:]), _USCC_WEIGHTS[8:]))
    return _USCC_ALPHABET[-(_uscc_head_sum(number[:8]) + tail) % 31]


def _new_body(n: int) -> str:
    high, low = divmod(n, 31**3)
    return "MA" + _BASE31_TRIPLES[high] + _BASE31_TRIPLES[low]


def uscc_build(kind: str, region: str, body: str) -> str:
    """USCC from kind ("91", "92"), six-digit region and eight-character organisation body."""
    head = f"{kind}{region}{body}{org_code_check(body)}"
    return head + uscc_check(head)


# --------------------------------------------------------------------------------------------
# Regions


@dataclass(frozen=True)
class _County:
    code: str
    name: str  # 平鲁区
    city: str  # 朔州 (short)
    label: str  # how names and bureaus call it: 太原市晋源区 for a district, else 孝义市
    stem: str  # 平鲁, 孝义; 应县 (too short to cut); 阳泉 for 阳泉市郊区
    address: str  # 山西省朔州市平鲁区
    district: bool
    seat: bool  # one of the city's central districts


# The central districts of each city: shops crowd there, mines and heavy industry avoid them.
_CITY_CENTRES = frozenset(
    _words(
        "140105 140106 140107 140109 140213 140302 140403 140502 140602 140702 140802 140902 "
        "141002 141102"
    )
)


@cache
def _counties() -> tuple[_County, ...]:
    """County-level regions that are not statistics-only, in file order."""
    with REGIONS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    city_names = {r["code"]: r["name"] for r in rows if r["level"] == "city"}
    result = []
    for r in rows:
        if r["level"] != "county" or r["statistical_only"] == "1":
            continue
        city = city_names[r["parent_code"]]
        name = r["name"]
        district = name.endswith("区")
        # 平鲁区 → 平鲁, 应县 stays; 城区/郊区/矿区 say nothing alone, so they use the city.
        stem = name[:-1] if len(name) >= 3 else city[:-1] if district else name
        result.append(
            _County(
                code=r["code"],
                name=name,
                city=city.removesuffix("市"),
                label=f"{city}{name}" if district else name,
                stem=stem,
                address=f"山西省{city}{name}",
                district=district,
                seat=r["code"] in _CITY_CENTRES,
            )
        )
    return tuple(result)


def _county_weights(profile: _Profile, counties: Sequence[_County]) -> list[float]:
    """Weight of each county for a profile: city weight shared out over the city's counties."""
    by_city: dict[str, list[float]] = {}
    raw: list[float] = []
    for c in counties:
        if profile.counties == "urban":
            w = 3.0 if c.seat else 2.0 if c.district else 1.5 if c.name.endswith("市") else 1.0
        else:  # mines and heavy industry avoid the city centres
            w = 0.15 if c.seat else 1.0
        w *= profile.boosts.get(c.name, 1.0 if not profile.boosts else 0.4)
        raw.append(w)
        by_city.setdefault(c.city, []).append(w)
    totals = {city: sum(ws) for city, ws in by_city.items()}
    return [
        profile.cities.get(c.city, 0.0) * w / totals[c.city]
        for c, w in zip(counties, raw, strict=True)
    ]


# --------------------------------------------------------------------------------------------
# Generation


class DemoEntity(NamedTuple):
    """One entity row and the licence and filing rows that belong to it (header order)."""

    entity: tuple[str, ...]
    licences: list[tuple[str, ...]]
    filings: list[tuple[str, ...]]


@dataclass(frozen=True)
class _Plan:
    """A profile compiled for sampling."""

    profile: _Profile
    industry: str  # Chinese label
    counties: tuple[_County, ...]
    county_cum: list[float]
    scale_cum: list[float]
    status_cum: list[float]


def _cum(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


@cache
def _plans() -> tuple[tuple[_Plan, ...], list[float]]:
    counties = _counties()
    plans = []
    for p in _PROFILES:
        weights = _county_weights(p, counties)
        keep = [(c, w) for c, w in zip(counties, weights, strict=True) if w > 0]
        plans.append(
            _Plan(
                profile=p,
                industry=INDUSTRY_LABELS[SUB_SECTORS[p.sector][1]],
                counties=tuple(c for c, _w in keep),
                county_cum=_cum([w for _c, w in keep]),
                scale_cum=_cum(p.scale),
                status_cum=_cum(p.status),
            )
        )
    return tuple(plans), _cum([p.share for p in _PROFILES])


def _weighted(spec: str) -> tuple[tuple[str, ...], list[float]]:
    """Parse "王7 李7 …" into items and cumulative weights."""
    items, weights = [], []
    for token in spec.split():
        items.append(token[0])
        weights.append(float(token[1:]))
    return tuple(items), _cum(weights)


_SURNAME_ITEMS, _SURNAME_CUM = _weighted(_SURNAMES)


@cache
def _grade_cum(status: str) -> list[float]:
    return _cum(_GRADE_BY_STATUS[status])


@cache
def _risk_cum(industry: str, key: bool, hazard: bool) -> list[float]:
    weights: tuple[float, ...] = _RISK_BY_INDUSTRY[industry]
    for raised in (key, hazard):
        if raised:
            weights = tuple(w * r for w, r in zip(weights, _RISK_RAISE, strict=True))
    return _cum(weights)


def _iso(ordinal: int) -> str:
    return datetime.date.fromordinal(ordinal).isoformat()


def _add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (negative: earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


_TODAY = DEMO_TODAY.toordinal()
_FIRST_MA_CODE = datetime.date(2015, 10, 1).toordinal()  # USCC reform: new codes begin "MA"
_NAME_BITS = 1 << 27


class _Generator:
    """Draws entities one by one from a seeded Random; holds the few counters that need memory."""

    def __init__(self, seed: int) -> None:
        self.rng = Random(seed)
        self.rand = self.rng.random
        self.plans, self.plan_cum = _plans()
        self.old_offset = self.rng.randrange(_OLD_SPACE)
        self.new_offset = self.rng.randrange(_NEW_SPACE)
        # Names seen, as a 16 MB bitmap of CRC-32 values rather than a set of every name (which
        # would be ~150 MB at a million). A false hit (<1 % at a million) only makes us draw
        # another name, so names stay unique. The size is fixed, not scaled to `entities`, so a
        # smaller run is exactly a prefix of a larger one.
        self.names_seen = bytearray(_NAME_BITS >> 3)
        self.serials: dict[tuple[str, ...], int] = {}
        # A stream of its own (a string seed is hashed with SHA-512, the same on every run).
        self.grading = Random(f"anjian-demo-grades:{seed}").random
        self.standardising = Random(f"anjian-demo-standardisation:{seed}").random

    # -- small helpers ---------------------------------------------------------------------

    def one(self, items: Sequence[str]) -> str:
        return items[int(self.rand() * len(items))]

    def pick(self, cum: list[float]) -> int:
        return bisect_right(cum, self.rand() * cum[-1])

    def chance(self, p: float) -> bool:
        return self.rand() < p

    def serial(self, *key: str) -> int:
        n = self.serials.get(key, 0) + 1
        self.serials[key] = n
        return n

    def trade_name(self) -> str:
        """A 字号 of two to four characters; two is the most common."""
        rand = self.rand
        chars = _TRADE_CHARS
        n = len(chars)
        name = chars[int(rand() * n)] + chars[int(rand() * n)]
        r = rand()
        if r < 0.38:
            name += chars[int(rand() * n)]
            if r < 0.15:
                name += chars[int(rand() * n)]
        return name

    def person(self) -> str:
        surname = _SURNAME_ITEMS[self.pick(_SURNAME_CUM)]
        pool = _GIVEN_MALE if self.chance(0.78) else _GIVEN_FEMALE
        if self.chance(0.25):
            return surname + self.one(pool)
        return surname + self.one(pool) + self.one(pool)

    def claim(self, name: str) -> bool:
        """Record the name; False if it (probably) was used already."""
        h = zlib.crc32(name.encode()) & (_NAME_BITS - 1)
        byte, bit = h >> 3, 1 << (h & 7)
        if self.names_seen[byte] & bit:
            return False
        self.names_seen[byte] |= bit
        return True

    # -- names -----------------------------------------------------------------------------

    def place(self, county: _County, large: bool) -> str:
        r = self.rand()
        if large:
            return "山西" if r < 0.45 else f"{county.city}市" if r < 0.75 else county.label
        if r < 0.12:
            return "山西"
        if r < 0.22:
            return "山西" + county.stem
        if r < 0.34:
            return f"{county.city}市"
        if r < 0.48 and county.district:
            return county.name  # 平鲁区… without the city, as many registrations read
        return county.label

    def form(self, large: bool) -> str:
        r = self.rand()
        if large and r < 0.3:
            return "股份有限公司"
        return "有限公司" if r < 0.65 else "有限责任公司"

    def company(self, plan: _Plan, county: _County, large: bool, word: str) -> str:
        return f"{self.place(county, large)}{self.trade_name()}{word}{self.form(large)}"

    def styled_name(
        self, plan: _Plan, county: _County, large: bool, individual: bool, word: str
    ) -> str:
        """A name in the profile's style (the style may also decide it is a group subsidiary)."""
        style = plan.profile.style
        r = self.rand()
        if style == "coal" and r < 0.38:
            group = self.one(_COAL_GROUPS[county.city])
            middle = county.stem if self.chance(0.4) else ""
            return f"{group}{middle}{self.trade_name()}煤业{self.form(False)}"
        if style == "coking" and r < 0.25:
            return f"{self.one(_COKING_GROUPS)}{self.trade_name()}{word}{self.form(large)}"
        if style == "fuel":  # word: 加油站, or 加氢站 / 综合能源站 for a new business form
            if individual:
                return f"{county.label}{self.trade_name()}{word}"
            if r < 0.4:
                return f"中国石化销售股份有限公司山西{county.city}{self.trade_name()}{word}"
            if r < 0.7:
                return (
                    f"中国石油天然气股份有限公司山西{county.city}销售分公司"
                    f"{self.trade_name()}{word}"
                )
            return f"{self.place(county, False)}{self.trade_name()}{word}{self.form(False)}"
        if style == "fireworks_retail":
            if individual:
                return f"{county.label}{self.trade_name()}{self.one(_FIREWORKS_SHOP_ENDS)}"
            return f"{county.label}{self.trade_name()}烟花爆竹销售{self.form(False)}"
        if style == "shop" and individual:
            return f"{county.label}{self.trade_name()}{self.one(_SHOP_ENDS)}"
        if style == "tobacco" and r < 0.3:
            return f"山西省烟草公司{county.city}市公司{county.name}分公司"
        if individual:
            return f"{county.label}{self.trade_name()}{word}{self.one(('经营部', '门市部', '厂'))}"
        return self.company(plan, county, large, word)

    def name(self, plan: _Plan, county: _County, large: bool, individual: bool, word: str) -> str:
        for _ in range(6):
            name = self.styled_name(plan, county, large, individual, word)
            if self.claim(name):
                return name
        # A crowded pattern: register a branch of the last name tried.
        n = 2
        while True:
            suffix = _BRANCH_NUMERALS[n - 1] if n <= 10 else str(n)
            candidate = f"{name}第{suffix}分公司"
            if self.claim(candidate):
                return candidate
            n += 1

    def former_names(
        self, plan: _Plan, county: _County, individual: bool, current: str, word: str
    ) -> str:
        """One or two earlier names: an older style (…煤矿, …厂, 有限公司) or another 字号."""
        names: list[str] = []
        for _ in range(1 if self.chance(0.75) else 2):
            r = self.rand()
            if plan.industry == "煤矿" and r < 0.5:
                old = f"{county.label}{self.trade_name()}煤矿"  # before the 2009 consolidation
            elif r < 0.3 and current.endswith("有限责任公司"):
                old = current.removesuffix("有限责任公司") + "有限公司"
            elif r < 0.45 and not individual:
                old = f"{county.label}{self.trade_name()}{word}厂"
            else:
                old = self.styled_name(plan, county, False, individual, word)
            if old != current and old not in names:
                names.append(old)
        return "；".join(names)

    def address(self, plan: _Plan, county: _County, individual: bool) -> str:
        style = "street" if individual else plan.profile.address
        if style == "village" or (style == "park" and self.chance(0.35)):
            town = self.one(_TOWNS) + ("镇" if self.chance(0.75) else "乡")
            village = self.one(_SURNAME_ITEMS[:40]) + "家" + self.one(_VILLAGE_ENDS)
            return f"{county.address}{town}{village}村"
        road = self.one(_ROADS) + self.one(_ROAD_SUFFIXES)
        number = 1 + int(self.rand() * (300 if self.chance(0.8) else 999))
        if style == "park":
            return f"{county.address}{county.stem}{self.one(_PARKS)}{road}{number}号"
        return f"{county.address}{road}{number}号"

    # -- the entity ----------------------------------------------------------------------------

    def uscc(self, index: int, county: _County, individual: bool, founded: int) -> str:
        if individual or founded >= _FIRST_MA_CODE:
            body = _new_body((index * _NEW_STEP + self.new_offset) % _NEW_SPACE)
        else:
            body = str(10_000_000 + (index * _OLD_STEP + self.old_offset) % _OLD_SPACE)
        return uscc_build("92" if individual else "91", county.code, body)

    def founded(self, profile: _Profile) -> int:
        low, high, mode = profile.founded
        start = datetime.date(low, 1, 1).toordinal()
        span = datetime.date(high, 12, 31).toordinal() - start
        mode_at = datetime.date(mode, 7, 1).toordinal() - start
        return start + int(self.rng.triangular(0, span, mode_at))

    def entity(self, index: int) -> DemoEntity:
        plan = self.plans[self.pick(self.plan_cum)]
        p = plan.profile
        county = plan.counties[self.pick(plan.county_cum)]
        individual = self.chance(p.individual)
        scale = 3 if individual and self.chance(0.9) else self.pick(plan.scale_cum)
        status = _STATUSES[self.pick(plan.status_cum)]
        founded = self.founded(p)
        new_form = bool(p.new_form) and not individual and self.chance(p.new_form_share)
        word = self.one(p.new_form if new_form else p.words)
        name = self.name(plan, county, scale == 0, individual, word)
        former = (
            self.former_names(plan, county, individual, name, word) if self.chance(0.05) else ""
        )
        observation = ("", "")
        if new_form:
            start = self.rng.randint(datetime.date(2025, 1, 1).toordinal(), _TODAY)
            founded = min(founded, start - self.rng.randint(30, 1500))
            years = 1 if self.chance(0.5) else 2
            end = _add_years(datetime.date.fromordinal(start), years).toordinal() - 1
            observation = (_iso(start), _iso(end))
        key = self.chance(p.key_supervision)
        hazard = self.chance(p.major_hazard)
        code = self.uscc(index, county, individual, founded)
        grade, risk = self.grade_and_risk(plan.industry, status, key, hazard, founded)
        row = (
            code,
            name,
            plan.industry,
            county.code,
            former,
            p.sector,
            self.address(plan, county, individual),
            self.person(),
            status,
            _SCALES[scale],
            _iso(founded),
            YES if key else NO,
            YES if new_form else NO,
            *observation,
            YES if hazard else NO,
            grade,
            risk,
            self.standardisation(plan.industry, individual),
        )
        licences = self.licences(plan, county, code, status, founded)
        filings = self.filings(plan, county, code, hazard, scale == 0, founded)
        return DemoEntity(row, licences, filings)

    def grade_and_risk(
        self, industry: str, status: str, key: bool, hazard: bool, founded: int
    ) -> tuple[str, str]:
        """A credit grade and a risk level, from the grading stream (two draws per entity)."""
        grade_at = self.grading()
        risk_at = self.grading()
        risk_cum = _risk_cum(industry, key, hazard)
        risk = _RISKS[bisect_right(risk_cum, risk_at * risk_cum[-1])]
        if founded > _TODAY - 730:
            return "", risk  # registered within two years: no record to grade yet
        grade_cum = _grade_cum(status)
        return _GRADES[bisect_right(grade_cum, grade_at * grade_cum[-1])], risk

    def standardisation(self, industry: str, individual: bool) -> str:
        """A standardisation grade as a sheet writes it, or "" (two draws per entity, always)."""
        at, form = self.standardising(), self.standardising()
        if individual:
            return ""
        for level, bound in enumerate(_STANDARDISATION_CUM[industry in _STANDARDISED]):
            if at < bound:
                forms = _STANDARDISATION_FORMS[level]
                return forms[int(form * len(forms))]
        return ""

    # -- licences and filings --------------------------------------------------------------

    def expiry(self, term_years: int, stressed: bool) -> int:
        """Ordinal of a valid-until date: mostly valid, some lapsed, some expiring soon."""
        r = self.rand()
        randint = self.rng.randint
        if r < (0.25 if stressed else 0.07):
            return _TODAY - randint(1, 500)
        if r < 0.11:
            return _TODAY + randint(0, 30)
        if r < 0.15:
            return _TODAY + randint(31, 60)
        if r < 0.19:
            return _TODAY + randint(61, 90)
        return _TODAY + randint(91, 365 * term_years - 1)

    def licence_number(self, kind: str, year: int, county: _County, safety: str) -> str:
        """A number in the style of the licence type; unique by a serial per type and year."""
        y = str(year)
        abbr = _CITY_ABBR[county.city]
        if kind == SAFETY_LICENCE:
            return f"（晋）{safety}安许证字〔{y}〕{self.serial(safety, y):04d}号"
        if kind == HAZCHEM_OPERATION:
            return f"晋{abbr}危化经字〔{y}〕{self.serial(kind, abbr, y):06d}"
        if kind == HAZCHEM_SAFE_USE:
            return f"晋{abbr}危化使字〔{y}〕{self.serial(kind, abbr, y):06d}"
        if kind == FIREWORKS_WHOLESALE:
            return f"（晋）YHJ〔{y}〕{self.serial(kind, y):06d}"
        if kind == FIREWORKS_RETAIL:
            return f"（晋）YHL〔{y}〕{county.code}{self.serial(kind, county.code, y):04d}"
        return f"（晋）1J{y}{self.serial(kind, y):05d}"

    def licence(
        self,
        code: str,
        kind: str,
        county: _County,
        profile: _Profile,
        authority: str,
        status: str,
        founded: int,
    ) -> tuple[str, ...] | None:
        if status == CLOSED and self.chance(0.4):
            return None  # closed long ago: the licence was never carried into the register
        term = 1 if kind == FIREWORKS_RETAIL else 3  # retail permits are yearly
        until = datetime.date.fromordinal(self.expiry(term, status in (SUSPENDED, CLOSED)))
        since = _add_years(until, -term)
        if since.toordinal() < founded:  # a young entity: its first licence came after it
            since = datetime.date.fromordinal(min(founded + self.rng.randint(30, 180), _TODAY))
            until = _add_years(since, term)
        if status == OPERATING:
            state = "暂扣" if self.chance(0.02) else "有效"
        elif status == SUSPENDED:
            state = "暂扣" if self.chance(0.3) else "有效"
        else:
            state = status  # a 注销 / 吊销 entity's licence went with it
        scope = "第一类易制毒化学品" if kind == PRECURSOR_LICENCE else profile.scope
        return (
            code,
            kind,
            self.licence_number(kind, since.year, county, profile.safety),
            authority,
            scope,
            since.isoformat(),
            until.isoformat(),
            state,
        )

    def licences(
        self, plan: _Plan, county: _County, code: str, status: str, founded: int
    ) -> list[tuple[str, ...]]:
        p = plan.profile
        city_bureau = f"{county.city}市应急管理局"
        wanted: list[tuple[str, str]] = []  # (licence type, issuing authority)
        if p.safety:
            wanted.append((SAFETY_LICENCE, PROVINCE_BUREAU))
        if p.operation == FIREWORKS_RETAIL:
            # Retail permits come from the county bureau (烟花爆竹安全管理条例 第十九条).
            wanted.append((FIREWORKS_RETAIL, f"{county.label}应急管理局"))
        elif p.operation and self.chance(p.operation_share):
            wanted.append((p.operation, city_bureau))
        if self.chance(p.safe_use):
            wanted.append((HAZCHEM_SAFE_USE, city_bureau))
        if self.chance(p.precursor_licence):
            wanted.append((PRECURSOR_LICENCE, PROVINCE_BUREAU))
        out = []
        for kind, authority in wanted:
            row = self.licence(code, kind, county, p, authority, status, founded)
            if row is not None:
                out.append(row)
        return out

    def filing(
        self,
        code: str,
        activity: str,
        tag: str,
        county: _County,
        authority: str,
        days: int,
        founded: int,
    ) -> tuple[str, ...]:
        """A filing made within `days` before DEMO_TODAY (not before the entity existed)."""
        earliest = min(max(_TODAY - days, founded + 30), _TODAY)
        filed = datetime.date.fromordinal(self.rng.randint(earliest, _TODAY))
        until = _add_years(filed, 3)
        year = str(filed.year)
        number = f"{county.code}{year}{tag}{self.serial(tag, county.code, year):04d}"
        return (code, activity, number, authority, filed.isoformat(), until.isoformat())

    def filings(
        self, plan: _Plan, county: _County, code: str, hazard: bool, large: bool, founded: int
    ) -> list[tuple[str, ...]]:
        p = plan.profile
        county_bureau = f"{county.label}应急管理局"
        city_bureau = f"{county.city}市应急管理局"
        out = []
        # ~15 % deliberately missing; ~12 % of those filed are older than 3 years, i.e. lapsed.
        if plan.industry in FILING_INDUSTRIES and self.chance(0.85):
            bureau = city_bureau if large else county_bureau
            out.append(self.filing(code, EMERGENCY_PLAN, "YA", county, bureau, 1250, founded))
        if hazard and self.chance(0.9):
            out.append(self.filing(code, MAJOR_HAZARD, "ZD", county, county_bureau, 1095, founded))
        if self.chance(p.precursor_filing):
            out.append(
                self.filing(code, PRECURSOR_FILING, "YZ", county, city_bureau, 1095, founded)
            )
        return out


def demo_entities(entities: int, seed: int) -> Iterator[DemoEntity]:
    """The entities one at a time, each with its licence and filing rows (tuples, header order)."""
    generator = _Generator(seed)
    for index in range(entities):
        yield generator.entity(index)


def demo_entity_rows(
    entities: int, seed: int
) -> Iterator[tuple[dict[str, str], list[dict[str, str]], list[dict[str, str]]]]:
    """As `demo_entities`, but rows as dicts keyed by the Chinese headers."""
    for row, licences, filings in demo_entities(entities, seed):
        yield (
            dict(zip(ENTITY_HEADERS, row, strict=True)),
            [dict(zip(LICENCE_HEADERS, x, strict=True)) for x in licences],
            [dict(zip(FILING_HEADERS, x, strict=True)) for x in filings],
        )


def demo_entity_files_write(directory: Path, *, entities: int, seed: int) -> dict[str, Path]:
    """Write entities.csv, licences.csv, filings.csv into directory; return the three paths.

    The result is {"entities": path, "licences": path, "filings": path}. Rows are streamed: the
    memory used (about 60 MB, most of it a fixed name bitmap) does not grow with `entities`.
    """
    directory.mkdir(parents=True, exist_ok=True)
    paths = {kind: directory / f"{kind}.csv" for kind in ("entities", "licences", "filings")}
    buffer = 1 << 20
    with (
        paths["entities"].open("w", encoding="utf-8-sig", newline="", buffering=buffer) as ef,
        paths["licences"].open("w", encoding="utf-8-sig", newline="", buffering=buffer) as lf,
        paths["filings"].open("w", encoding="utf-8-sig", newline="", buffering=buffer) as ff,
    ):
        entity_writer, licence_writer, filing_writer = (
            csv.writer(ef),
            csv.writer(lf),
            csv.writer(ff),
        )
        entity_writer.writerow(ENTITY_HEADERS)
        licence_writer.writerow(LICENCE_HEADERS)
        filing_writer.writerow(FILING_HEADERS)
        for row, licences, filings in demo_entities(entities, seed):
            entity_writer.writerow(row)
            licence_writer.writerows(licences)
            filing_writer.writerows(filings)
    return paths
