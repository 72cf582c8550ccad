"""Names: the real ones the seed gives, and pools from which synthetic names are drawn.

Real names appear only in the Qibin district (district 0). Every name drawn from a pool belongs
to a node marked ``synthetic: True``; any likeness to a real place or person is chance.
"""

from __future__ import annotations

import random

# -- named in the seed (real) ------------------------------------------------------------------
DISTRICT_NAME = "淇滨区"
DISTRICT_ALIASES = ("鹤壁市淇滨区", "淇滨")
LEADING_GROUP_NAME = "淇滨区网格化社会治理领导小组"
GRID_BUREAU_NAME = "淇滨区城市社会治理和社区服务局"
UNIVERSITY_NAME = "河南师范大学社会事业学院"
UNIVERSITY_ALIASES = ("河南师大社会事业学院",)

# Real communities: (name, honours, demonstration projects, aliases)
LIYANG = "黎阳社区"
DONGFANG = "东方社区"
GUANJING = "观景社区"
REAL_COMMUNITIES: dict[str, dict[str, tuple[str, ...]]] = {
    LIYANG: {"honours": (), "projects": (), "aliases": ()},
    DONGFANG: {
        "honours": ("全国综合减灾示范点",),
        "projects": ("全国综合减灾示范点",),
        "aliases": (),
    },
    GUANJING: {"honours": (), "projects": ("光影小巷",), "aliases": ()},
}
NINE_COURTYARDS = ("黎阳九大院", ("九院合一", "九大院"))  # 黎阳社区: 打破藩篱、九院合一

FIVE_ELDERS = ("王诚", "刘宪章", "杜光华")  # 46 five-elder branch secretaries, three named
VANGUARD_TEAMS = ("红肩章", "雷锋车队", "七老巡河队")
VOLUNTEER_TEAMS = ("暖阳", "红动九州", "长江红")
BRANDS = ("四合同心", "海棠书巷", "红领巾驿站")  # co-construction brands, agreement topics

HONOUR_FIVE_STAR = "省级五星支部"
HONOUR_FIVE_EXCELLENT = "市级五优社区"

# -- pools for synthetic names -----------------------------------------------------------------
# fmt: off
URBAN_SUBDISTRICTS = ("淇水街道", "朝歌街道", "湘江街道", "珠江街道", "嵩山街道")
TOWNS = ("淇河镇", "太行镇", "鹿台镇", "云梦乡", "桃园乡")
COMMUNITY_WORDS = (
    "春华", "明珠", "枫林", "和平", "兴华", "锦绣", "康乐", "阳光", "翠园", "书香", "华泰", "金桂",
    "向阳", "福苑", "天汇", "新村", "朝阳", "鹿鸣", "丽景", "淇澳", "映月", "嘉禾", "松涛", "瑞丰",
    "龙湖", "星海", "海棠", "宏图", "安泰", "长青", "育才", "柳岸", "文昌", "光明", "惠民", "泰和",
    "德馨", "荷塘", "聚贤", "桂园", "永安", "欣荣", "迎宾", "华夏", "凤凰", "淇源", "东苑", "西苑",
    "南湖", "北城", "平安", "和顺", "如意", "金山", "银湖", "竹园", "梅园", "兰亭", "瑞祥", "祥和",
)
VILLAGE_WORDS = (
    "王庄", "李营", "张湾", "刘寨", "赵屯", "郭庄", "孙村", "杨堤", "马庄", "高庄", "宋营", "何屯",
    "许湾", "韩庄", "冯村", "曹营", "彭庄", "蒋屯", "谢庄", "董村",
)
COMPOUND_SUFFIXES = ("小区", "家园", "花园", "苑", "公寓", "新城", "佳苑", "华府", "家属院", "雅居")
COMPOUND_WORDS = (
    "金色", "滨河", "御景", "书香", "颐和", "泰和", "翡翠", "紫荆", "水岸", "铂悦", "东湖", "西湖",
    "盛世", "幸福", "学府", "怡景", "未来", "阳光", "凤栖", "锦华", "碧桂", "绿城", "青年", "电力",
    "煤业", "税务", "供销", "邮电", "教育", "粮食", "交通", "卫生", "建工", "水利", "银行", "医药",
)
FIRM_WORDS = (
    "安居", "鑫源", "恒泰", "佳和", "瑞安", "金盾", "宏业", "祥瑞", "嘉诚", "华顺", "德润", "中晟",
    "正和", "信达", "永盛", "联创", "康泰", "润泽", "万家", "新纪元", "安泰", "汇通", "兴业",
    "明德", "锦程", "福瑞", "怡家", "乐居", "盛邦", "天和", "弘远", "益民", "诚信", "金鼎", "华庭",
    "佳美", "泰安", "长盛",
)
GOVERNMENT_WORDS = (
    "税务", "统计", "档案", "气象", "供电", "烟草专卖", "公积金管理", "不动产登记", "人防", "地震",
    "邮政管理", "机关事务", "住房保障", "水文", "测绘", "粮食储备",
)
INSTITUTION_WORDS = (
    "第一中学", "实验小学", "人民医院", "中医院", "妇幼保健院", "图书馆", "文化馆", "职业技术学院",
    "疾控中心", "青少年宫", "博物馆", "科技馆", "特殊教育学校", "第二中学", "外国语中学",
)
TOPICS = (
    "文明创建", "爱心帮扶", "宣传走访", "环境整治", "助老服务", "法律援助", "义诊健康", "文化活动",
    "就业帮扶", "平安巡防", "青少年托管", "垃圾分类", "党员共建", "防汛应急",
)
PROJECT_WORDS = (
    "睦邻客厅", "一刻钟便民圈", "红色楼院", "老街坊议事会", "邻里食堂", "口袋公园", "共享菜园",
    "助老驿站", "四点半课堂", "楼道微更新", "红色驿站", "邻里节", "百姓大舞台", "微心愿墙",
    "安全社区", "绿色家园",
)
TEAM_WORDS = (
    "夕阳红", "爱心", "红马甲", "银发", "阳光", "巾帼", "青春", "邻里守望", "绿色环保", "助残",
    "文明劝导", "平安", "关爱", "书香", "暖心", "亲情", "义剪", "护河", "学雷锋", "党员先锋",
)
TEAM_SUFFIXES = ("志愿服务队", "志愿队", "服务队")
SOCIAL_ORG_WORDS = (
    "养老", "助残", "青少年发展", "社区营造", "心理健康", "家庭教育", "慈善", "志愿者", "书法",
    "摄影", "舞蹈", "戏曲", "体育健身", "环保", "调解", "法律服务", "邻里互助", "妇女儿童",
)
COMMUNITY_ORG_FORMS = ("{}队", "{}协会", "{}之家", "{}小组", "{}俱乐部")
SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚",
)
GIVEN_MALE = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "建国", "建华", "志强",
    "国庆", "海军", "振华", "立新", "文博", "子轩", "浩然", "宏伟", "德胜", "长江", "庆丰", "新民",
)
GIVEN_FEMALE = (
    "芳", "娜", "敏", "静", "丽", "艳", "霞", "娟", "颖", "婷", "秀英", "桂兰", "玉兰", "淑珍",
    "红梅", "丽华", "春燕", "晓燕", "雪梅", "海燕", "秀梅", "文静", "雅琴", "美玲", "欣怡",
)
# fmt: on


def person_name(rng: random.Random, gender: str) -> str:
    """A plausible Chinese name; never one of the real five elders."""
    while True:
        given = GIVEN_MALE if gender == "male" else GIVEN_FEMALE
        name = rng.choice(SURNAMES) + rng.choice(given)
        if name not in FIVE_ELDERS:
            return name


def unique_names(
    rng: random.Random,
    words: tuple[str, ...],
    count: int,
    form: str = "{}",
    taken: set[str] | None = None,
) -> list[str]:
    """``count`` distinct names ``form.format(word)``, numbering words once the pool runs out."""
    taken = set() if taken is None else taken
    pool = list(words)
    rng.shuffle(pool)
    out: list[str] = []
    round_ = 0
    while len(out) < count:
        for word in pool:
            candidate = form.format(word if round_ == 0 else f"{word}{round_ + 1}")
            if candidate not in taken:
                taken.add(candidate)
                out.append(candidate)
                if len(out) == count:
                    break
        round_ += 1
    return out
