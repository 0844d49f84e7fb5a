"""A parking rule and a heating-grant notice, written for these tests:
- 消防通道 is 消防车通道 said short: the fine for the deed is found and answered;
- a follow-on 会罚多少 after a yes/no part (…装了个地锁，有人管吗？) is about that part's story;
- 怎么收费 is answered by the sentence that says 收费, over one on the car park that does not."""

from __future__ import annotations

import pytest

PARKING = """申市机动车停车条例

第三十条 禁止下列停车行为：
（一）在人行道上停放机动车；
（二）占用、堵塞、封闭消防车通道停放机动车；
（三）在道路上擅自设置地锁、桩柱等障碍物。
第四十五条 违反本条例第三十条第（二）项规定的，由消防救援机构责令改正，对个人处警告或者五百元以下罚款，对单位处五千元以上五万元以下罚款。
第四十六条 违反本条例第三十条第（三）项规定，在道路上擅自设置地锁、桩柱等障碍物的，由城市管理部门责令限期改正，并予以拆除；对个人处五百元以上二千元以下罚款，对单位处五千元以上二万元以下罚款。
第四十七条 违反本条例第三十条第（一）项规定的，由公安机关交通管理部门处二百元罚款。
"""

HEATING = """申市关于开展冬季清洁取暖补贴申领工作的通知

一、补贴标准
（一）空气源热泵按照设备购置价格的70%给予补贴，每户最高不超过1.2万元。
（二）电采暖设备按照设备购置价格的50%给予补贴，每户最高不超过3000元。
二、申请时间
2026年11月1日至11月30日，居民向所在社区提交申请。
"""

NEWS = """申州日报

北站立体停车楼投用

本报讯 11月15日，北站立体停车楼正式投入使用，新增停车泊位600个。
北站立体停车楼投用后，北站片区公共停车泊位总数达到1800余个，基本能够满足日常停车需求。
运营公司负责人介绍，北站立体停车楼实行“首30分钟免费”，停车超过30分钟的，每小时收费2元，24小时内最高收费20元。
北站立体停车楼由申州城投集团投资建设，总投资1.2亿元，地上6层、地下1层。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"parking.txt": PARKING, "heating.txt": HEATING, "news.txt": NEWS})


def test_a_term_said_short_finds_its_fine(corpus, answered):
    text = answered(corpus, "把车停在小区消防通道上，会被罚多少钱？")
    assert "五百元以下" in text.split("。")[0], text


def test_a_follow_on_fine_is_about_the_yes_no_parts_story(corpus, answered):
    text = answered(corpus, "邻居在门口道路上装了个地锁，有人管吗？会罚多少？")
    assert "五百元以上二千元以下" in text, text


def test_how_it_is_charged_is_the_sentence_on_the_charge(corpus, answered):
    text = answered(corpus, "北站片区那个立体停车楼怎么收费？")
    assert "每小时收费2元" in text.split("。")[0], text
