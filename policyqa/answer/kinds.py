"""The kind of fact the sentence that answers must hold, by what is asked: a body, a date, a year, an issuer."""

from __future__ import annotations

import re

from policyqa.answer.analysis import Attribute, Intent
from policyqa.answer.wording import TIME_STATED
from policyqa.answer.who import COUNTED_FACILITY, GENERIC_BODY, NAMED_BODY
from policyqa.ingest.metadata import DOC_NUMBER

ORG = r"(?:委员会|人民政府|政府|办公厅|办公室|厅|局|部门|委|院|海关|法院|检察院|中心|机关|单位)"
# what the sentence that answers must hold, by what is asked
KIND_BY_INTENT = {Intent.WHO: re.compile(ORG + r"|牵头|负责|主管|领导|书记|[市县区镇乡村]长|主任|组长")}  # a body or a post

# a question for the year (哪一年开工) is answered by a year, not by a duration (2小时交通圈) or a month
YEAR_ASKED = re.compile(r"哪一?年|何年|哪个年份|什么年份")
# a question for when something began (从哪一年开始发放, 哪年起实施) is answered by a year stated as a start
START_ASKED = re.compile(r"(?:哪一?年|何年|哪个年份)[^，。？?]{0,4}?(?:开始|起|首次|启动)")
START_STATED = re.compile(r"(?:19|20)\d{2}\s*年?[^，。；]{0,8}?(?:起|开始|以来|首次|启动|始)|自(?:19|20)\d{2}")
# a question for when something ends (持续到哪一天, 什么时候截止) is answered by an end date (持续至10月31日), not a start
END_ASKED = re.compile(r"(?:到|至)(?:哪一?天|什么时候|何时|几月几[日号])|什么时候(?:结束|截止|为止)|何时(?:结束|截止)"
                       r"|截止(?:日期|时间)|截至(?:哪一?天|什么时候)|(?:最晚|最迟)(?:什么时候|哪一?天|何时|几号)")
END_STATED = re.compile(r"(?:至|到|截至|截止|止于)\s*(?:(?:19|20)\d{2}\s*年)?\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                        r"|\d{1,2}\s*月\s*\d{1,2}\s*日(?:前|止|截止|结束)")
# a question for a rank (排第几位) is answered by a place in an order (第3位, 位居全省第二), not a tier or a figure
RANK_ASKED = re.compile(r"第几(?:位|名)|排(?:名|在)?第几|排名多少|名次")
RANK_STATED = re.compile(r"第[一二三四五六七八九十\d]+(?:位|名)|(?:居|列|排名?|排在)[^，。；]{0,8}第[一二三四五六七八九十\d]+(?!梯队|档|方阵|阵营|批)|首位|榜首"
                         r"|前[一二三四五六七八九十\d]+(?:位|名)")
# a question for a target (全年目标是多少) is answered by a sentence stating one, not by a result so far (增长6.2%)
TARGET_ASKED = re.compile(r"目标(?:是|为|值)?(?:多少|几)|预期(?:目标)?(?:是|为)?多少")
TARGET_STATED = re.compile(r"目标|力争|计划|预期|预计|确保|争取|到(?:19|20)\d{2}年|左右")
# a question for what came about (实际开通了几条) is not answered by a target or a rule's floor (2025年底前…不少于10条),
# nor by a sentence under a heading of targets (（三）主要目标) or of a plan (…工作方案)
PLANNED = re.compile(TARGET_STATED.pattern + r"|年底?前|不少于|不低于|方案|规划|重点(?:工作|任务)|主要任务")
YEAR_STATED = re.compile(r"(?:19|20)\d{2}|今年|明年|去年|后年|十[一二三四五六七]五")
DATE_STATED = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}|(?:19|20)\d{2}|\d{1,2}月|[一二三四五六七八九十]{1,2}月|年底|年内|年初|年末|今年|明年|上半年|下半年"
                         r"|(?:\d+|[一二三四五六七八九十百两半]+)个?(?:年|月|日|天|小时|分钟|周|星期|工作日|季度)|" + TIME_STATED.pattern)

# the answering sentence of a who-question names a body or a post (市自然资源局, 园区管委会, 市主要领导), not only
# 有关部门 / 相关责任单位; of a date question, a date, a year or a span (2025年, 6月底, 三年内)
KIND_OK = {Intent.WHO: lambda text: bool(NAMED_BODY.search(GENERIC_BODY.sub("", COUNTED_FACILITY.sub("", text)))),
           Intent.DATE: lambda text: bool(DATE_STATED.search(text))}

KIND_BY_ATTRIBUTE = {
    Attribute.ISSUER: re.compile(ORG + r"[^。]{0,30}(?:印发|发布|制定|起草|颁布|出台|编制)|(?:印发|发布|制定|起草|颁布|编制)"
                                 r"(?:单位|部门|机关)[：:]"),
    Attribute.NUMBER: DOC_NUMBER,
    Attribute.EFFECTIVE: re.compile(r"自[^。，；]{0,20}起(?:施行|实施|生效|执行)"),
    Attribute.DATE: re.compile(r"\d{4}年\d{1,2}月|\d{4}[-./]\d{1,2}[-./]\d{1,2}|[二〇一九零]{4}年[一二三四五六七八九十]{1,2}月"),
    # a report's speaker and occasion stand in its byline (attributes.py reads it); a body sentence rarely says them
    Attribute.SPEAKER: re.compile(r"(?:长|书记|主任|主席|部长)\s*[\u4e00-\u9fff]{2,4}(?:同志)?(?:代表|作|在)"),
    Attribute.OCCASION: re.compile(r"在[^。，]{2,60}?会(?:议)?上"),
}
