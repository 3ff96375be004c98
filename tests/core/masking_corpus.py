"""A corpus of decision texts written the way county and city bureaus write them, each with what
the masking service must hide and what it must leave as written.

The texts are our own, modelled on the shapes of published 行政处罚决定书, 现场处理措施决定书 and
责令限期整改指令书: units and their legal representatives, individual parties, 个体工商户 named
after their owners, workers, witnesses, the dead and injured of accidents, addresses written as
field labels and as running text (家住…, 居住于…, 现居…), ID numbers valid, mistyped and of the
old 15-digit form, phone numbers of every shape, bank accounts. `hidden` lists strings that must
not survive; `shown` lists strings that must survive exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stdnum.cn import ric, uscc


def _id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def _uscc(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


@dataclass(frozen=True)
class Sample:
    name: str
    text: str
    hidden: tuple[str, ...]
    shown: tuple[str, ...]
    persons: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    keep: tuple[str, ...] = field(default=())


ID_A = _id("14060319790211301")  # 平鲁区, 1979
ID_B = _id("14022219880917202")  # 天镇县, 1988
ID_C = _id("14052519950330161")  # 泽州县, 1995
ID_D = _id("14010619721205003")  # 太原迎泽区, 1972
ID_X = "14060219800101108X"  # check character X
assert ric.calc_check_digit(ID_X) == "X", "the corpus's X-ended ID number must be valid"
ID_OLD = "140603790211301"  # 15 digits, born 1979-02-11
# Eighteen digits that form a valid credit code but not a valid ID number (a mistyped ID number).
ID_LOOKS_LIKE_USCC = "140602198605211044"
assert uscc.is_valid(ID_LOOKS_LIKE_USCC)
assert ric.calc_check_digit(ID_LOOKS_LIKE_USCC) != ID_LOOKS_LIKE_USCC[-1]
ID_MISTYPED = "14060319790211"  # 14 digits, typed short
USCC_MINE = _uscc("91140603MA0JX4B7Y")
USCC_CHEM = _uscc("91140500MA0GRT2K8")
USCC_SHOP = _uscc("92140603MA0LB1D2Q")  # 个体工商户 (92)
USCC_BUREAU = _uscc("11140603012345678")

SAMPLES: list[Sample] = [
    Sample(
        "unit decision with legal representative and domicile",
        f"当事人：朔州市平鲁区恒泰煤业有限公司\n统一社会信用代码：{USCC_MINE}\n"
        "住所：山西省朔州市平鲁区井坪镇下水头村\n法定代表人：郭振华\n"
        "违法事实：2026年4月8日检查发现，你单位未如实记录安全生产教育和培训情况。",
        hidden=(),
        shown=(USCC_MINE, "郭振华", "山西省朔州市平鲁区井坪镇下水头村", "2026年4月8日"),
        keep=("朔州市平鲁区恒泰煤业有限公司",),
    ),
    Sample(
        "individual party with ID, home address and phone",
        f"当事人：杜建军，男，1979年2月11日出生，身份证号码：{ID_A}，"
        "住址：山西省朔州市平鲁区凤凰城镇南街社区5号楼2单元301室，联系电话：13934961234。",
        hidden=(ID_A, "杜建军", "南街社区5号楼", "13934961234"),
        shown=("山西省朔州市平鲁区", "1979年2月11日"),
    ),
    Sample(
        "home address after 家住",
        "经查，当事人王红梅家住山西省大同市天镇县玉泉镇西关村二组18号，系该加油站站长。",
        hidden=("玉泉镇西关村二组18号", "王红梅"),
        shown=("山西省大同市天镇县", "加油站站长"),
        persons=("王红梅",),
    ),
    Sample(
        "home address after 居住于",
        "被询问人李志强，居住于山西省晋城市泽州县巴公镇东四义村368号，现在该公司任安全员。",
        hidden=("巴公镇东四义村368号", "李志强"),
        shown=("山西省晋城市泽州县",),
    ),
    Sample(
        "home address after 现居",
        "违法行为人马国庆，汉族，现居太原市小店区坞城路东一巷17号，户籍地山西省朔州市平鲁区陶村乡。",
        hidden=("坞城路东一巷17号", "陶村乡", "马国庆"),
        shown=("太原市小店区",),
    ),
    Sample(
        "home address after 暂住",
        "当事人赵文斌暂住于朔州市朔城区北旺庄街道张辛村，无固定职业。",
        hidden=("北旺庄街道张辛村", "赵文斌"),
        shown=("朔州市朔城区",),
    ),
    Sample(
        "home address after 家庭住址 with colon",
        "姓名：孙丽，性别：女，家庭住址：山西省长治市潞州区英雄南路158号院，手机：15235601234。",
        hidden=("英雄南路158号院", "孙丽", "15235601234"),
        shown=("山西省长治市潞州区",),
    ),
    Sample(
        "address after 住在 in a statement",
        "证人刘海平称其住在平鲁区白堂乡白堂村，事发当日在井口值班。",
        hidden=("白堂乡白堂村", "刘海平"),
        shown=("事发当日在井口值班",),
    ),
    Sample(
        "ID number that happens to be a valid credit code, after its label",
        f"被处罚人：陈永福，公民身份号码：{ID_LOOKS_LIKE_USCC}，系个体经营者。",
        hidden=(ID_LOOKS_LIKE_USCC, "陈永福"),
        shown=("系个体经营者",),
    ),
    Sample(
        "ID number that is a valid credit code, after 身份证号",
        f"当事人高志远（身份证号{ID_LOOKS_LIKE_USCC}）未取得烟花爆竹经营许可证。",
        hidden=(ID_LOOKS_LIKE_USCC, "高志远"),
        shown=("烟花爆竹经营许可证",),
    ),
    Sample(
        "mistyped short ID after its label",
        f"作业人员韩小东，身份证号码：{ID_MISTYPED}，未持证从事电工作业。",
        hidden=(ID_MISTYPED, "韩小东"),
        shown=("未持证从事电工作业",),
    ),
    Sample(
        "ID number with X check character",
        f"焊工张建设（身份证{ID_X}）无特种作业操作证进行焊接作业。",
        hidden=(ID_X, "张建设"),
        shown=("焊接作业",),
    ),
    Sample(
        "old 15-digit ID number",
        f"死者刘德胜，身份证号{ID_OLD}，系该矿掘进工。",
        hidden=(ID_OLD, "刘德胜"),
        shown=("掘进工",),
    ),
    Sample(
        "ID number with spaces between groups",
        f"当事人冯建国 身份证号码 {ID_B[:6]} {ID_B[6:14]} {ID_B[14:]} 于2026年5月经营。",
        hidden=(ID_B[6:14], "冯建国"),
        shown=("2026年5月",),
    ),
    Sample(
        "ID number with no label in running text",
        f"经查，{ID_C}号公民持有的特种作业操作证已过期。",
        hidden=(ID_C,),
        shown=("特种作业操作证已过期",),
    ),
    Sample(
        "special-operations certificate numbered T + ID",
        f"特种作业操作证号T{ID_D}，有效期至2025年12月31日。",
        hidden=(ID_D,),
        shown=("2025年12月31日",),
    ),
    Sample(
        "credit code of a unit without a label",
        f"对{USCC_CHEM}号企业（晋城市泽州县润丰化工有限公司）的检查中发现储罐区未设置可燃气体报警装置。",
        hidden=(),
        shown=(USCC_CHEM, "晋城市泽州县润丰化工有限公司"),
    ),
    Sample(
        "个体工商户 named after its owner",
        f"当事人：平鲁区王建平烟花爆竹零售店（统一社会信用代码：{USCC_SHOP}），经营者：王建平，"
        f"身份证号码：{ID_A}，经营场所：平鲁区井坪镇新建路12号。",
        hidden=(ID_A,),
        shown=("平鲁区王建平烟花爆竹零售店", USCC_SHOP, "平鲁区井坪镇新建路12号"),
        persons=("王建平",),
        keep=("平鲁区王建平烟花爆竹零售店",),
    ),
    Sample(
        "witness list with 、",
        "证人张三、李四、王五证实，事发时带班矿长不在井下。",
        hidden=("张三", "李四", "王五"),
        shown=("带班矿长不在井下",),
    ),
    Sample(
        "workers list in running text",
        "作业人员郝永强、田志明、乔新民未经安全培训上岗作业。",
        hidden=("郝永强", "田志明", "乔新民"),
        shown=("未经安全培训上岗作业",),
    ),
    Sample(
        "workers named by the caller",
        "经调查，井下电钳工苗文龙、段志刚在未停电的情况下检修设备。",
        hidden=("苗文龙", "段志刚"),
        shown=("在未停电的情况下检修设备",),
        persons=("苗文龙", "段志刚"),
    ),
    Sample(
        "compound surname",
        "被调查人欧阳建华未按规定佩戴自救器下井。",
        hidden=("欧阳建华",),
        shown=("自救器",),
    ),
    Sample(
        "ethnic-minority name with middle dot",
        "作业人员阿依古丽·买买提未持证上岗。",
        hidden=("阿依古丽·买买提",),
        shown=("未持证上岗",),
    ),
    Sample(
        "the dead and injured of an accident",
        "事故造成1人死亡、2人受伤。死者郭平安，伤者韩冬梅、魏国强已送医救治。",
        hidden=("郭平安", "韩冬梅", "魏国强"),
        shown=("1人死亡、2人受伤",),
    ),
    Sample(
        "reporter named in the text",
        "2026年3月2日，举报人宋晓燕（联系电话：18635001234）反映该厂夜间违规生产。",
        hidden=("宋晓燕", "18635001234"),
        shown=("夜间违规生产",),
    ),
    Sample(
        "mobile number with +86 and dashes",
        "联系人：彭丽华，手机+86-139-3496-5678。",
        hidden=("彭丽华", "3496-5678", "139-3496"),
        shown=("联系人",),
    ),
    Sample(
        "mistyped mobile after 联系电话",
        "当事人侯建勇，联系电话：1393496123，未按时提交整改报告。",
        hidden=("1393496123", "侯建勇"),
        shown=("未按时提交整改报告",),
    ),
    Sample(
        "landline with area code",
        "被询问人常玉明，电话（0349）6021234，系库管员。",
        hidden=("6021234", "常玉明"),
        shown=("库管员",),
    ),
    Sample(
        "landline without area code after label",
        "联系人赵志勇，联系电话：6012345。",
        hidden=("6012345", "赵志勇"),
        shown=(),
    ),
    Sample(
        "bank account of an individual",
        "当事人白建军，开户银行：中国农业银行朔州分行，卡号：6228 4801 2345 6789 012。",
        hidden=("6228 4801 2345 6789", "白建军"),
        shown=("中国农业银行朔州分行",),
    ),
    Sample(
        "the bureau's account and fine amount stay",
        "请于收到本决定书之日起十五日内，将罚款人民币叁万元整（¥30,000.00）缴至朔州市平鲁区财政局"
        "非税收入汇缴账户。",
        hidden=(),
        shown=("叁万元整", "¥30,000.00", "朔州市平鲁区财政局"),
    ),
    Sample(
        "decision number, articles and dates stay",
        "依据《中华人民共和国安全生产法》第九十七条第（七）项，（晋朔平）应急罚〔2026〕12号决定书于"
        "2026年6月3日送达。",
        hidden=(),
        shown=("第九十七条第（七）项", "（晋朔平）应急罚〔2026〕12号", "2026年6月3日"),
    ),
    Sample(
        "a large fine in yuan is not an account",
        "对当事人处上一年年收入百分之四十的罚款，计人民币138200元。",
        hidden=(),
        shown=("138200元",),
    ),
    Sample(
        "tonnage is not a phone number",
        "该库房存放硝酸铵13812345678吨的记录明显错误。",
        hidden=(),
        shown=("13812345678吨",),
    ),
    Sample(
        "party label followed by a mine",
        "当事人：山西朔州平鲁区茂华白芦煤业有限公司，住所：朔州市平鲁区白堂乡。",
        hidden=(),
        shown=("山西朔州平鲁区茂华白芦煤业有限公司", "朔州市平鲁区白堂乡"),
    ),
    Sample(
        "individual party with 住所 (a person's domicile)",
        "当事人：石海龙，男，住所：山西省忻州市五寨县砚城镇北街19号。",
        hidden=("砚城镇北街19号", "石海龙"),
        shown=("山西省忻州市五寨县",),
    ),
    Sample(
        "principal person of a unit fined personally",
        f"当事人：蔡文华，系太原市迎泽区安泰商贸有限公司（统一社会信用代码{USCC_CHEM}）主要负责人，"
        f"身份证号码：{ID_D}，家住太原市迎泽区桥东街道双塔寺街66号。",
        hidden=(ID_D, "蔡文华", "双塔寺街66号"),
        shown=("太原市迎泽区安泰商贸有限公司", USCC_CHEM, "太原市迎泽区"),
    ),
    Sample(
        "agent for the party",
        "委托代理人：贾少华，山西某律师事务所律师，电话：0351-7021234。",
        hidden=("贾少华", "7021234"),
        shown=("律师事务所",),
    ),
    Sample(
        "driver of a hazardous-chemicals vehicle",
        "驾驶员魏宏伟驾驶晋F12345号危险货物运输车辆未按规定路线行驶。",
        hidden=("魏宏伟",),
        shown=("晋F12345号", "危险货物运输车辆"),
    ),
    Sample(
        "supervisor on shift",
        "带班人员闫志刚未随班入井，当班作业人员共计43人。",
        hidden=("闫志刚",),
        shown=("共计43人",),
    ),
    Sample(
        "gas inspector",
        "瓦检员贺东升空班漏检，瓦斯检查手册填写不实。",
        hidden=("贺东升",),
        shown=("瓦斯检查手册填写不实",),
    ),
    Sample(
        "legal representative of a unit stays",
        "法定代表人：牛建平，职务：董事长。公司住所：山西省吕梁市柳林县庄上镇。",
        hidden=(),
        shown=("牛建平", "山西省吕梁市柳林县庄上镇"),
    ),
    Sample(
        "caller-known home address anywhere",
        "经查，该仓库实际位于朔州市平鲁区凤凰城镇东关村87号院内，系私人住宅。",
        hidden=("凤凰城镇东关村87号",),
        shown=("系私人住宅",),
        addresses=("朔州市平鲁区凤凰城镇东关村87号",),
    ),
    Sample(
        "several phones and IDs in one statement",
        f"询问笔录记载：被询问人胡国栋（身份证号码：{ID_C}，手机：13703561234），"
        f"证人谭建华（身份证号码：{ID_B}，手机：15803491234）。",
        hidden=(ID_C, ID_B, "13703561234", "15803491234", "胡国栋", "谭建华"),
        shown=("询问笔录记载",),
    ),
    Sample(
        "full-width colon and 为",
        "姓名为：严冬青；现住址为：大同市云冈区口泉乡杨家窑村。",
        hidden=("严冬青", "口泉乡杨家窑村"),
        shown=("大同市云冈区",),
    ),
    Sample(
        "household registration",
        "户籍所在地：山西省临汾市尧都区屯里镇东芦村，现暂住平鲁区井坪镇。",
        hidden=("屯里镇东芦村", "井坪镇"),
        shown=("山西省临汾市尧都区",),
    ),
    Sample(
        "correction order to a unit keeps its address",
        f"朔州市平鲁区金鑫加油站（统一社会信用代码{USCC_MINE}）：\n"
        "经查，你单位位于平鲁区井坪镇迎宾街的储罐区防雷检测已过期，责令于2026年7月10日前整改完毕。",
        hidden=(),
        shown=("朔州市平鲁区金鑫加油站", "平鲁区井坪镇迎宾街", "2026年7月10日"),
    ),
    Sample(
        "the bureau's own contact line",
        f"朔州市平鲁区应急管理局（统一社会信用代码{USCC_BUREAU}），地址：平鲁区井坪镇府前街1号。",
        hidden=(),
        shown=("朔州市平鲁区应急管理局", "平鲁区井坪镇府前街1号"),
    ),
    Sample(
        "safety officer in charge",
        "安全员曹永红未对作业现场进行安全确认。",
        hidden=("曹永红",),
        shown=("未对作业现场进行安全确认",),
    ),
    Sample(
        "operator of a fireworks shop",
        "经营者：齐桂兰，经营场所：朔州市朔城区南榆林乡西影寺村，手机号码：139 0349 6688。",
        hidden=("齐桂兰", "0349 6688"),
        shown=("朔州市朔城区南榆林乡西影寺村",),
    ),
    Sample(
        "address after 家住 ending at a full stop",
        "当事人蒋德明家住左云县店湾镇旧高山村。其未取得许可擅自储存烟花爆竹。",
        hidden=("店湾镇旧高山村", "蒋德明"),
        shown=("左云县", "擅自储存烟花爆竹"),
    ),
    Sample(
        "monitoring substation facts keep numbers",
        "KJ90X型安全监控系统分站电源断电，3号传感器读数为0.86%，超过0.8%报警值。",
        hidden=(),
        shown=("KJ90X", "0.86%", "0.8%"),
    ),
    Sample(
        "revocation reason typed by an officer",
        f"文书送达对象填写错误，应为孟庆丰（身份证号码{ID_A}，电话13834901234），重新制发。",
        hidden=(ID_A, "13834901234"),
        shown=("重新制发",),
        persons=("孟庆丰",),
    ),
    Sample(
        "an extension after a landline",
        "联系电话：0349-6012345转8012，联系人：武海燕。",
        hidden=("6012345", "武海燕"),
        shown=(),
    ),
]
