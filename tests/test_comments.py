"""Customers' own words: the redaction corpus, theme counts worked by hand, suppression and the
publishable mark."""

import math
import subprocess
import sys

import pytest

from qmdoc.compute.comments import (
    KINDS, NON_ANSWERS, PUBLISHABLE_SPELLINGS, Comment, PublishableError, Redacted, _jieba, _tokenizer,
    comment_themes, compile_themes, parse_publishable, personal_values, redact, wave_comments,
)

# The values of the columns an instrument declares personal (contact name, company, order number),
# over the whole export. "42" (too short a number) and "A" (one character) are never matched.
PERSONAL = personal_values([
    "Anna Becker", "Tom Reyes", "Ross", "Acme Parts GmbH", "Northwind", "SO-2025-0042", "PO 778812",
    "王伟", "李娜", "华东精密机械有限公司", "华东精密", "DD20250314001", "42", "A", None, math.nan, "  ",
])

R = "[redacted]"

# (comment, expected text, redactions per kind)
CORPUS = [
    # ---- English
    ("Delivery was late twice. Call me on +49 30 1234567 if you need details.",
     f"Delivery was late twice. Call me on {R} if you need details.", {"phone": 1}),
    ("Great support from Anna Becker, she solved it in 2 days.",
     f"Great support from {R}, she solved it in 2 days.", {"personal": 1}),
    ("anna becker answered within 24 hours", f"{R} answered within 24 hours", {"personal": 1}),
    ("Ross was helpful; the shipment across the border took 3 weeks.",
     f"{R} was helpful; the shipment across the border took 3 weeks.", {"personal": 1}),
    ("Send the corrected invoice to j.smith@northwind-traders.com please.",
     f"Send the corrected invoice to {R} please.", {"email": 1}),
    ("Our portal https://portal.acme-parts.de/orders?id=42 keeps timing out.",
     f"Our portal {R} keeps timing out.", {"url": 1}),
    ("See www.example.org/faq, it was outdated.", f"See {R}, it was outdated.", {"url": 1}),
    ("Visit http://acme-parts.de.", f"Visit {R}.", {"url": 1}),
    ("Order SO-2025-0042 arrived with 500 pcs instead of 600 pcs.",
     f"Order {R} arrived with 500 pcs instead of 600 pcs.", {"personal": 1}),
    ("Order PO 778812 is still open.", f"Order {R} is still open.", {"personal": 1}),
    ("Phone: +1 (555) 123-4567, ask for Tom Reyes.", f"Phone: {R}, ask for {R}.", {"phone": 1, "personal": 1}),
    ("Reach me at 555-123-4567 or (555) 987-6543.", f"Reach me at {R} or {R}.", {"phone": 2}),
    ("Tel. 0049 30 1234567 (office hours 9-17).", f"Tel. {R} (office hours 9-17).", {"phone": 1}),
    ("Contact: tom.reyes@acme-parts.de / +44 20 7946 0958", f"Contact: {R} / {R}", {"email": 1, "phone": 1}),
    ("Acme Parts GmbH should fix the labels; ACME PARTS GMBH labels peel off at 40 °C.",
     f"{R} should fix the labels; {R} labels peel off at 40 °C.", {"personal": 2}),
    ("Northwind's driver was polite; the Northwinds brand is another company.",
     f"{R}'s driver was polite; the Northwinds brand is another company.", {"personal": 1}),
    ("Our buyer's mobile is 13812345678 (she is in Shanghai).",
     f"Our buyer's mobile is {R} (she is in Shanghai).", {"phone": 1}),
    ("Fax 0755-8888 8888 does not work, use e-mail instead.", f"Fax {R} does not work, use e-mail instead.",
     {"phone": 1}),
    ("Call +86 138 1234 5678 after 6 pm, or phone 6234 5678.", f"Call {R} after 6 pm, or phone {R}.", {"phone": 2}),
    ("Her ID 44030119851225001X is printed on the delivery note!",
     f"Her ID {R} is printed on the delivery note!", {"id_number": 1}),
    ("Prices rose 12% in 2025; the 1,200,000 units contract is still at ¥12.50 per unit.",
     "Prices rose 12% in 2025; the 1,200,000 units contract is still at ¥12.50 per unit.", {}),
    ("I gave 9 out of 10, lead time was 3 weeks, 42 parts short.",
     "I gave 9 out of 10, lead time was 3 weeks, 42 parts short.", {}),
    ("Delivery on 2025-03-14 was two days late, model AX-2040 only, +12% on last year.",
     "Delivery on 2025-03-14 was two days late, model AX-2040 only, +12% on last year.", {}),
    ("Batch 20250314 had 0.5% defects, 2 of 400 parts; scored you 7/10 for 2019-2025.",
     "Batch 20250314 had 0.5% defects, 2 of 400 parts; scored you 7/10 for 2019-2025.", {}),
    ("I typed [redacted] myself, A grade.", "I typed [redacted] myself, A grade.", {}),
    # ---- Chinese
    ("到货准时，包装也很好，给了9分。", "到货准时，包装也很好，给了9分。", {}),
    ("有问题请打我手机13812345678，谢谢。", f"有问题请打我手机{R}，谢谢。", {"phone": 1}),
    ("联系电话：139-1234-5678（工作日）", f"联系电话：{R}（工作日）", {"phone": 1}),
    ("我的号码是138 1234 5678，下午方便。", f"我的号码是{R}，下午方便。", {"phone": 1}),
    ("请拨+86 138 1234 5678或+86-138-1234-5678找采购部。", f"请拨{R}或{R}找采购部。", {"phone": 2}),
    ("座机021-62345678转801。", f"座机{R}。", {"phone": 1}),
    ("深圳办公室0755-8888 8888，周末无人。", f"深圳办公室{R}，周末无人。", {"phone": 1}),
    ("上海总部 (021) 6234 5678 请找王伟。", f"上海总部 {R} 请找{R}。", {"phone": 1, "personal": 1}),
    ("+86 (0)21 6234 5678是上海办公室", f"{R}是上海办公室", {"phone": 1}),
    ("传真 010-8765 4321", f"传真 {R}", {"phone": 1}),
    ("电话号码是62345678，找李娜", f"电话号码是{R}，找{R}", {"phone": 1, "personal": 1}),
    ("身份证号110105199003071234，请勿外泄", f"身份证号{R}，请勿外泄", {"id_number": 1}),
    ("旧身份证110105900307123已登记。", f"旧身份证{R}已登记。", {"id_number": 1}),
    ("邮箱li.na@huadong-jm.cn，发票请寄这里。", f"邮箱{R}，发票请寄这里。", {"email": 1}),
    ("网址www.huadong-jm.cn上的价格表过期了", f"网址{R}上的价格表过期了", {"url": 1}),
    ("请看https://example.cn/order?no=7788说明", f"请看{R}说明", {"url": 1}),
    ("李娜的服务态度很好，2025年我们会继续合作。", f"{R}的服务态度很好，2025年我们会继续合作。", {"personal": 1}),
    ("华东精密机械有限公司的交货期太长", f"{R}的交货期太长", {"personal": 1}),
    ("订单DD20250314001少了3000件中的200件。", f"订单{R}少了3000件中的200件。", {"personal": 1}),
    ("客服王伟强很耐心", f"客服{R}强很耐心", {"personal": 1}),
    ("价格上涨了15%，单价¥12.50，年用量1,200,000件。", "价格上涨了15%，单价¥12.50，年用量1,200,000件。", {}),
    ("2025-03-14那批货延误了三天，8/10分。", "2025-03-14那批货延误了三天，8/10分。", {}),
    ("型号AX-2040的螺丝，500 pcs装一箱，2025年第3季度。", "型号AX-2040的螺丝，500 pcs装一箱，2025年第3季度。", {}),
    ("第3季度投诉减少了40%，满意度从78分升到85分。", "第3季度投诉减少了40%，满意度从78分升到85分。", {}),
    ("全角号码１３８１２３４５６７８也要隐去", f"全角号码{R}也要隐去", {"phone": 1}),
    ("邮箱ｗａｎｇ＠ｑｑ．ｃｏｍ，电话　０２１－６２３４５６７８", f"邮箱{R}，电话　{R}", {"email": 1, "phone": 1}),
    ("王伟13812345678", f"{R}{R}", {"personal": 1, "phone": 1}),
    ("回访请打+86 (0) 138 1234 5678或8613912345678", f"回访请打{R}或{R}", {"phone": 2}),
    ("Mobile (as the form stored it): 8613812345678, thanks", f"Mobile (as the form stored it): {R}, thanks",
     {"phone": 1}),
    # ---- digits glued to Latin letters or digits are no phone number (hashes, order and serial numbers)
    ("Attachment a3f13812345678bc9d (sha a3f1381234567890bc) was corrupted.",
     "Attachment a3f13812345678bc9d (sha a3f1381234567890bc) was corrupted.", {}),
    ("Order PO13812345678X is late; call 13812345678 instead.",
     f"Order PO13812345678X is late; call {R} instead.", {"phone": 1}),
    ("Serial SN021-62345678B and ticket INC0755-8888 8888 are closed.",
     "Serial SN021-62345678B and ticket INC0755-8888 8888 are closed.", {}),
    ("Build 555-123-4567a failed; reach me at 555-123-4567.", f"Build 555-123-4567a failed; reach me at {R}.",
     {"phone": 1}),
    ("Code +49 30 1234 5678ab is a part label, phone 6234 5678x a typo.",
     "Code +49 30 1234 5678ab is a part label, phone 6234 5678x a typo.", {}),
    ("电话13812345678联系", f"电话{R}联系", {"phone": 1}),
    ("文件校验码a3f13812345678bc，订单号PO13812345678X。", "文件校验码a3f13812345678bc，订单号PO13812345678X。", {}),
    ("订单号PO13812345678X，手机13912345678。", f"订单号PO13812345678X，手机{R}。", {"phone": 1}),
    ("批次号B021-62345678C已发货，设备编号SN8613812345678请核对", "批次号B021-62345678C已发货，设备编号SN8613812345678请核对",
     {}),
    ("王经理座机021-62345678转801，订单号021-62345678A", f"王经理座机{R}，订单号021-62345678A", {"phone": 1}),
]

# one number of each phone shape: glued to a Latin letter or digit it is kept, between Chinese characters
# (or spaces) it is redacted
PHONE_SHAPES = ["13812345678", "139-1234-5678", "8613812345678", "021-62345678", "0755-8888 8888",
                "555-123-4567", "+49 30 1234567", "0049 30 1234567"]
GLUE = ["a", "Z", "é", "ｘ"]  # a full-width letter folds to a Latin one


@pytest.mark.parametrize("number", PHONE_SHAPES)
def test_a_phone_number_glued_to_latin_letters_or_digits_is_kept(number):
    assert redact(f"电话{number}联系", PERSONAL).text == f"电话{R}联系"
    assert redact(f"call me on {number} today", PERSONAL).text == f"call me on {R} today"
    for glue in GLUE:
        for text in (f"{glue}{number}", f"{number}{glue}", f"ref {glue}{number}{glue} ok", f"订单{glue}{number}号"):
            assert redact(text, PERSONAL).text == text, text
    before = f"7{number}"  # a digit before: part of a longer number (a digit after may extend a phone number)
    assert redact(before, PERSONAL).text == before


def test_corpus_size():
    assert len(CORPUS) >= 40
    assert sum(1 for text, *_ in CORPUS if any("\u4e00" <= c <= "\u9fff" for c in text)) >= 20


@pytest.mark.parametrize(("text", "expected", "counts"), CORPUS, ids=[c[0][:30] for c in CORPUS])
def test_redaction_corpus(text, expected, counts):
    result = redact(text, PERSONAL)
    assert result.text == expected
    assert result.counts == {kind: counts.get(kind, 0) for kind in KINDS}


def test_every_kind_is_caught_somewhere():
    caught = {kind for _, _, counts in CORPUS for kind in counts}
    assert caught == set(KINDS)


def test_the_marker_is_the_page_languages():
    result = redact("请联系王伟，手机13812345678。", PERSONAL)
    assert result.pieces == ("请联系", "，手机", "。")
    assert result.kinds == ("personal", "phone")
    assert result.render("[已隐去]") == "请联系[已隐去]，手机[已隐去]。"


def test_a_typed_marker_is_not_a_redaction():
    assert redact("I typed [redacted] myself") == Redacted(("I typed [redacted] myself",), ())


def test_overlapping_spans_are_one_redaction_of_the_first_kind():
    # the name "Ross" inside the address is part of the e-mail redaction
    result = redact("write to ross@acme.de", PERSONAL)
    assert (result.pieces, result.kinds) == (("write to ", ""), ("email",))


def test_personal_values_drop_what_is_too_short_to_be_safe():
    values = personal_values(["42", "A", "Li Na", None, math.nan, "  ", "20250", "2025", "Li  Na"])
    assert values.values == ("20250", "Li Na")
    assert personal_values([]).values == ()
    assert redact("Li\tNa paid 2025 and 20250", values).text == f"{R} paid 2025 and {R}"


# --------------------------------------------------------------------------- themes

THEMES = compile_themes({
    "交付": ["准时", "延误", "到货", "包装破损", "delivery", "late"],
    "price": ["price", "cost", "invoice", "价格", "发票"],
    "service": ["support", "客服", "售后服务", "lead time", "ERP系统"],
})


def test_jieba_keeps_a_declared_multi_character_keyword_whole():
    assert _jieba().lcut("这次包装破损严重", HMM=False) == ["这次", "包装", "破损", "严重"]
    assert _tokenizer(THEMES.words).lcut("这次包装破损严重", HMM=False) == ["这次", "包装破损", "严重"]
    assert comment_themes("这次包装破损严重", THEMES) == {"交付"}
    assert _jieba().lcut("erp系统经常卡顿", HMM=False)[:2] == ["erp", "系统"]
    # the default dictionary is untouched: another theme dictionary segments as before
    assert _jieba().lcut("这次包装破损严重", HMM=False) == ["这次", "包装", "破损", "严重"]


@pytest.mark.parametrize(("text", "themes"), [
    ("到货准时，价格也合理", {"交付", "price"}),
    ("标准时间内完成了安装", set()),  # 标准|时间: 准时 lies across a word boundary
    ("售后服务很及时，客服态度好", {"service"}),
    ("开票速度慢，发票经常错", {"price"}),
    ("物流延误三天，延误两次", {"交付"}),  # once per theme however often
    ("Prices too high, invoices late", {"price", "交付"}),
    ("Invoicing costs us a day; deliveries delayed", {"price"}),  # "deliveries" is not delivery+s
    ("The pricey option was ok", set()),
    ("Lead  time too long, support slow", {"service"}),
    ("发票invoice晚了", {"price"}),  # a Latin keyword directly between Chinese characters
    ("Chocolate was late", {"交付"}),  # "late" as a word, not inside "chocolate"
    ("Erp系统经常卡顿", {"service"}),  # a keyword of Latin and Chinese, any case
    ("", set()),
])
def test_comment_themes(text, themes):
    assert comment_themes(text, THEMES) == themes


def test_jieba_loads_quietly_and_without_warnings():
    code = ("from qmdoc.compute.comments import comment_themes, compile_themes;"
            "print(sorted(comment_themes('到货准时', compile_themes({'d': ['准时']}))))")
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "['d']\n", "")


# --------------------------------------------------------------------------- one wave

WAVE = [
    Comment("到货准时，价格合理。联系王伟13812345678", True),   # 交付, price; published
    Comment("物流延误，客服没回复", False),                     # 交付, service
    Comment("Delivery was late, call +49 30 1234567", True),  # 交付; published
    Comment("Price went up again", False),                     # price
    Comment("包装破损", False),                                 # 交付
    Comment("  无 ", True),                                     # not a comment
    Comment("None", False),                                     # not a comment
    Comment("   ", True),                                       # not a comment
    Comment("Nice people", True),                               # no theme; published
]


def test_wave_counts_themes_of_every_comment_and_suppresses_small_cells():
    wave = wave_comments(WAVE, THEMES, PERSONAL, min_cell_n=3)
    assert (wave.n, wave.published) == (6, 3)
    assert wave.themes == {"交付": 4, "price": None, "service": None}  # price 2, service 1: under 3
    assert [t.text for t in wave.texts] == [
        f"到货准时，价格合理。联系{R}{R}", f"Delivery was late, call {R}", "Nice people",
    ]
    assert wave.redactions == {"email": 0, "url": 0, "id_number": 0, "phone": 2, "personal": 1}
    assert wave.as_json() == {"n": 6, "published": 3, "themes": {"交付": 4, "price": None, "service": None}}
    assert wave.shares == {"交付": 100 * 4 / 6, "price": None, "service": None}  # 4 of the 6 comments


def test_wave_with_a_low_threshold_and_none_publishable():
    wave = wave_comments([Comment(c.text, False) for c in WAVE], THEMES, PERSONAL, min_cell_n=1)
    assert wave.as_json() == {"n": 6, "published": 0, "themes": {"交付": 4, "price": 2, "service": 1}}
    assert wave.texts == ()
    assert wave.shares == {"交付": 100 * 4 / 6, "price": 100 * 2 / 6, "service": 100 * 1 / 6}
    zero = wave_comments([Comment("Nice people", False)], THEMES, PERSONAL, min_cell_n=1)
    assert zero.themes == {"交付": None, "price": None, "service": None}  # 0 < 1: suppressed too


def test_non_answers_are_lower_case():
    assert all(a == a.strip().lower() for a in NON_ANSWERS)


# --------------------------------------------------------------------------- publishable

@pytest.mark.parametrize(("value", "expected"), [
    ("yes", True), ("YES", True), (" True ", True), ("1", True), ("是", True), (1, True), (1.0, True), (True, True),
    ("no", False), ("False", False), ("0", False), ("否", False), (0, False), (0.0, False), (False, False),
    ("", False), ("  ", False), (None, False), (math.nan, False),
])
def test_parse_publishable(value, expected):
    assert parse_publishable(value) is expected


@pytest.mark.parametrize(("value", "shown"), [("maybe", "'maybe'"), ("y", "'y'"), (2, "'2'"), ("是的", "'是的'")])
def test_parse_publishable_rejects_other_spellings(value, shown):
    with pytest.raises(PublishableError) as error:
        parse_publishable(value)
    assert str(error.value) == f"publishable must be one of yes, no, true, false, 1, 0, 是, 否, not {shown}"
    assert error.value.accepted == tuple(PUBLISHABLE_SPELLINGS) == ("yes", "no", "true", "false", "1", "0", "是", "否")
    assert error.value.value == value
