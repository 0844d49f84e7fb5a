"""Rules issued by a decree (…人民政府令 第7号, then 《X办法》 and its articles), on a corpus written for these tests:
the day they take effect, the items of the article that introduces the asked things (禁止下列行为：), the
purpose article for why they were made and never for what they require."""

from __future__ import annotations

import pytest

from policyqa.answer.analysis import Attribute, analyze
from policyqa.answer.compose import states_number
from policyqa.answer.consequences import CITED, cited_numbers
from policyqa.text import normalize, strip_marks

DECREE = """丁市人民政府令
第7号

《丁市养犬管理办法》已经2026年11月2日市人民政府第18次常务会议审议通过，现予公布，自2027年1月1日起施行。

市长  方志远
2026年11月9日

丁市养犬管理办法

第一章 总则

第一条 为了规范养犬行为，保障公民人身安全，维护市容环境卫生和社会公共秩序，根据有关法律、法规，结合本市实际，制定本办法。
第二条 本办法适用于本市城镇建成区内犬只的饲养、登记及其监督管理活动。

第二章 养犬管理

第三条 市公安机关是养犬管理的主管部门，负责犬只登记和违法养犬行为的查处。
第四条 个人饲养犬只的，应当在取得犬只之日起30日内到居住地公安派出所办理养犬登记。办理养犬登记应当提交下列材料：
（一）养犬人的居民身份证；
（二）犬只狂犬病免疫证明；
（三）犬只正面彩色照片一张。
第五条 犬只登记应当符合以下要求：犬只已接种狂犬病疫苗并植入电子标识；养犬人具有完全民事行为能力；每户饲养犬只不超过1只。

第三章 养犬行为规范

第六条 养犬人应当履行下列义务：
（一）携犬出户时为犬只佩戴犬牌并束犬链，犬链长度不得超过一点五米；
（二）及时清除犬只在户外排泄的粪便；
（三）定期为犬只接种狂犬病疫苗；犬只死亡的，送交无害化处理场所处理；
（四）犬只伤害他人时立即将受害人送医并承担费用。
第七条 禁止下列行为：
（一）携犬进入学校、医院、商场等公共场所；
（二）携犬乘坐公共汽车、地铁等公共交通工具；
（三）虐待、遗弃所饲养的犬只；
（四）在住宅小区内饲养烈性犬。

第四章 法律责任

第八条 违反本办法第七条第（一）项规定的，由公安机关责令改正，对个人处200元以上500元以下罚款。
第九条 养犬人未按规定为犬只接种狂犬病疫苗的，由卫生健康部门责令限期改正。
第十条 违反本办法第七条第（二）项规定，携犬乘坐公共交通工具的，由交通运输部门责令改正；拒不改正的，对个人处100元以上300元以下罚款。
第十一条 本办法自2027年1月1日起施行。
"""


@pytest.fixture(scope="module")
def rules(small_assistant):
    return small_assistant({"decree.txt": DECREE})


def _lines(answer) -> list[str]:
    return [normalize(strip_marks(line)) for line in answer.answer.split("\n") if line.strip()]


def test_the_day_rules_take_effect_is_their_own_attribute():
    assert analyze("丁市养犬管理办法从哪天开始施行？").attribute is Attribute.EFFECTIVE
    assert analyze("养犬办法啥时候生效？").attribute is Attribute.EFFECTIVE
    assert analyze("养犬办法是什么时候发布的？").attribute is Attribute.DATE  # issued, not in effect


def test_the_effective_day_is_quoted_from_the_rules_named_in_the_decree(rules):
    ans = rules.ask("丁市养犬管理办法从哪天开始施行？")
    assert not ans.refused, ans.answer
    assert "自2027年1月1日起施行" in normalize(strip_marks(ans.answer)), ans.answer


def test_a_list_of_bans_is_the_items_of_the_article_that_introduces_them(rules):
    ans = rules.ask("丁市养犬管理办法禁止哪些行为？")
    lines = _lines(ans)
    assert lines[0].startswith("共4项"), ans.answer
    assert any("公共交通工具" in line for line in lines) and any("烈性犬" in line for line in lines), ans.answer
    assert not any(line.startswith("第三条") or "主管部门" in line for line in lines), ans.answer


def test_a_partys_duties_are_the_items_of_its_article(rules):
    ans = rules.ask("按照养犬管理办法，养犬人应当履行哪些义务？")
    lines = _lines(ans)
    assert lines[0].startswith("共4项"), ans.answer
    assert any("犬牌" in line for line in lines) and any("送医" in line for line in lines), ans.answer


def test_why_the_rules_were_made_is_their_purpose_article_not_a_chapter_named_like_them(rules):
    """第二章 养犬管理 shares every word with the rules' name (丁市养犬管理办法): it names the rules, not a part."""
    ans = rules.ask("丁市为什么要制定养犬管理办法？")
    first = normalize(strip_marks(ans.answer.split("\n")[0]))
    assert "为了规范养犬行为" in first, ans.answer
    assert "第三条" not in ans.answer, ans.answer


def test_what_a_rule_requires_is_not_its_purpose_article(rules):
    ans = rules.ask("养犬登记有哪些要求？")
    first = normalize(strip_marks(ans.answer.split("\n")[0]))
    assert "狂犬病疫苗" in normalize(strip_marks(ans.answer)), ans.answer
    assert "制定本办法" not in first, ans.answer


def test_a_rule_names_the_body_by_its_function(rules):
    """由卫生健康部门责令限期改正 names who handles it, though no place or 局 stands in the name."""
    ans = rules.ask("养犬人未按规定为犬只接种狂犬病疫苗的，由哪个部门处理？")
    assert not ans.refused, ans.answer
    assert "卫生健康部门" in normalize(strip_marks(ans.answer.split("。")[0])), ans.answer


def test_a_fine_in_the_next_clause_of_the_deeds_article_answers_how_much(rules):
    """…的，由交通运输部门责令改正；拒不改正的，对个人处100元…罚款: the deed's clause states no figure, the next
    clause of its article does."""
    ans = rules.ask("携犬乘坐公共交通工具，会被罚吗？罚多少钱？")
    assert not ans.refused, ans.answer
    assert "100元以上300元以下" in normalize(strip_marks(ans.answer.split("\n")[0])), ans.answer


def test_what_to_bring_in_lay_words_is_the_materials_an_article_lists(rules):
    """给狗上户口要带哪些东西: 上户口 is 登记 in the rules' words, and what one brings is the 下列材料 of the article."""
    assert analyze("在丁市给狗上户口，要带哪些东西去派出所？").target == "材料"
    assert analyze("调研报告分析了产业带哪些劣势？").target == "劣势"  # 产业带 is no 带
    lines = _lines(rules.ask("在丁市给狗上户口，要带哪些东西去派出所？"))
    assert lines[0].startswith("共3项") and any("狂犬病免疫证明" in line for line in lines), lines


def test_an_item_of_several_clauses_is_quoted_whole(rules):
    """（三）接种疫苗；犬只死亡的，送交无害化处理场所处理；: the item is both clauses, not the first."""
    lines = _lines(rules.ask("丁市养犬管理办法规定养犬人应当履行哪些义务？"))
    assert lines[0].startswith("共4项") and any("无害化处理" in line for line in lines), lines


def test_a_figure_written_in_chinese_numerals_answers_how_much(rules):
    """Rules write figures in words (一点五米, 三十日内): they are figures all the same."""
    assert states_number("犬链长度不得超过一点五米") and not states_number("第七条第（二）项")
    ans = rules.ask("丁市养犬管理办法规定携犬出户时犬链长度不得超过多少？")
    assert not ans.refused and "一点五米" in _lines(ans)[0], ans.answer


def test_items_cited_without_brackets_are_items():
    """违反本办法第二十条第三项 cites item （三） as 第（三）项 does; a range spells out the items between."""
    assert cited_numbers(CITED.search("违反本办法第二十条第三项规定").group(2)) == ["（三）"]
    assert cited_numbers(CITED.search("违反本办法第九条第一款第二项规定").group(2)) == ["（二）"]
    assert sorted(cited_numbers(CITED.search("违反第六条第（三）项至第（五）项").group(2))) == ["（三）", "（五）", "（四）"]
