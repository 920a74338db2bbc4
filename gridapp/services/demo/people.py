"""Names, phones and texts for the generated demo street (all fictitious)."""

from __future__ import annotations

import numpy as np

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏宇浩凯晨欣怡婷雪梅琳丹慧颖佳俊峰波")

COMMUNITY_NAMES = ["青云社区", "翠微社区", "南湖社区", "明珠社区", "花果社区", "兴关社区",
                   "松柏社区", "沙河社区", "云岩社区", "龙泉社区", "观山社区", "金竹社区"]
STREET_NAMES = ["青云路街道", "翠微街道", "南湖街道", "兴关街道", "沙河街道", "龙泉街道",
                "观山街道", "金竹街道", "松柏街道", "明珠街道"]
ROADS = ["青云路", "翠微巷", "南湖路", "明珠大道", "花果园街", "兴关路", "松柏巷", "沙河街",
         "解放路", "中华南路", "文昌南路", "富水南路"]
SPECIAL_KINDS = [("学校", "第{n}小学"), ("医院", "社区卫生服务中心{n}"), ("市场", "农贸市场{n}"),
                 ("园区", "创业园{n}")]

DESCRIPTIONS = {
    "0101": "路边垃圾桶满溢，垃圾散落地面", "0102": "空地堆积建筑垃圾和生活垃圾",
    "0103": "路面油污、泥土较多", "0104": "河道漂浮垃圾", "0105": "有人在空地焚烧树叶垃圾",
    "0106": "餐馆油烟直排，居民反映气味大", "0107": "夜间商铺音响噪声扰民",
    "0201": "电线杆、墙面张贴小广告", "0202": "违规悬挂宣传横幅", "0203": "人行道摆放广告牌",
    "0204": "门头牌匾破损有坠落风险", "0301": "工地夜间施工噪声", "0302": "工地未覆盖，扬尘严重",
    "0303": "渣土车沿路遗撒", "0304": "楼顶搭建彩钢房", "0305": "未经许可开挖路面",
    "0401": "摊贩占用人行道经营", "0402": "商户在店外摆放商品经营", "0403": "流动摊贩聚集叫卖",
    "0404": "机动车占用消防通道停放", "0405": "共享单车堆放堵塞人行道",
    "0406": "夜间露天烧烤，油烟扰民", "0407": "无营业执照经营", "0501": "路面出现塌陷坑洞",
    "0502": "供水管道破裂漏水", "0503": "闻到燃气味，疑似泄漏", "0504": "降雨后路面积水",
    "0505": "窨井盖缺失", "0601": "楼道堆放杂物堵塞消防通道", "0602": "电动车在楼道内充电",
    "0603": "出租屋隔断群租", "0604": "小餐饮店卫生条件差", "0605": "遛狗未牵绳",
    "0606": "积水孳生蚊虫", "0607": "邻里因漏水发生纠纷", "0608": "废弃车辆无人认领",
}


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    """*n* distinct plausible Chinese names."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        s = SURNAMES[int(rng.integers(len(SURNAMES)))]
        g = "".join(GIVEN[int(i)] for i in rng.integers(len(GIVEN), size=int(rng.integers(1, 3))))
        name = s + g
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def mobile_numbers(rng: np.random.Generator, n: int) -> list[str]:
    """*n* distinct 11-digit mobile numbers with real carrier prefixes."""
    prefixes = ["133", "135", "136", "138", "139", "150", "151", "158", "176", "180", "186", "189"]
    # a dict, not a set: its order is the order of the draws, so the shuffle below
    # is the same in every process (a set of str follows the process's hash seed)
    out: dict[str, None] = {}
    while len(out) < n:
        out[prefixes[int(rng.integers(len(prefixes)))] + f"{int(rng.integers(10**8)):08d}"] = None
    return sorted(out, key=lambda _: rng.random())


def community_name(i: int) -> str:
    return COMMUNITY_NAMES[i] if i < len(COMMUNITY_NAMES) else f"第{i + 1}社区"


def street_name(i: int) -> str:
    return STREET_NAMES[i] if i < len(STREET_NAMES) else f"第{i + 1}街道"
