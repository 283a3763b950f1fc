"""A synthetic scale corpus in the genre's shape, for benchmarks only.

Run: PYTHONPATH=src .venv/bin/python bench/corpus.py OUT_DIR --docs 10000 [--seed 7]

Writes ``--docs`` plain-text documents (English, Chinese, Russian; joint
communiqués, declarations and press releases of the organizations in the
knowledge pack) under OUT_DIR in folders of 1000 files, plus ``.manifest.tsv``
(hidden, so ``communique ingest OUT_DIR`` skips it) with what each document is
meant to say: language, type, date, place, organization, chair.

Every document ends with a line saying it is a SYNTHETIC BENCHMARK DOCUMENT
(not the first line: that is where the genre puts its heading).
The names of states, cities, organizations and offices come from
``communique.knowledge.load()``; persons are made of syllables and exist
nowhere. Document ``i`` depends only on ``(seed, i)``: a corpus of 1k documents
is the first thousand of one of 100k, and any run gives the same bytes.
Nothing here is ingested unless a benchmark (or a person) asks for it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MARKER = "SYNTHETIC BENCHMARK DOCUMENT"
MANIFEST = ".manifest.tsv"
PER_FOLDER = 1000
LANGS = ("en", "zh", "ru")
TYPES = ("communique", "declaration", "press_release")

EN_MONTHS = (
    "January February March April May June July August September October November December"
).split()
RU_MONTHS_GEN = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
).split()

# Organizations whose names the pack holds in all three languages.
ORGS = ("SCO", "CSTO", "CIS", "CICA", "EAEU", "BRICS", "ASEAN")

# (office code, body in en, ru genitive, zh) of the meeting a document reports.
MEETINGS = (
    ("FOREIGN_MINISTER", "Council of Ministers of Foreign Affairs",
     "Совета министров иностранных дел", "外交部长理事会"),
    ("PRESIDENT", "Council of Heads of State", "Совета глав государств", "元首理事会"),
    ("PRIME_MINISTER", "Council of Heads of Government", "Совета глав правительств",
     "政府首脑理事会"),
    ("DEFENCE_MINISTER", "Council of Defence Ministers", "Совета министров обороны",
     "国防部长会议"),
)  # fmt: skip

# Syllables of made-up surnames, in parallel: (Latin, Cyrillic, Chinese).
SYLLABLES = (
    ("Ka", "Ка", "卡"), ("Ra", "Ра", "拉"), ("To", "То", "托"), ("Mi", "Ми", "米"),
    ("Na", "На", "纳"), ("Za", "За", "扎"), ("Lo", "Ло", "洛"), ("Sa", "Са", "萨"),
    ("Di", "Ди", "迪"), ("Mu", "Му", "穆"), ("Ba", "Ба", "巴"), ("Te", "Те", "特"),
    ("Ri", "Ри", "里"), ("Go", "Го", "戈"), ("Ta", "Та", "塔"), ("Ni", "Ни", "尼"),
)  # fmt: skip
ENDINGS = (("rov", "ров", "罗夫"), ("tiev", "тиев", "季耶夫"), ("lin", "лин", "林"),
           ("bekov", "беков", "别科夫"), ("senko", "сенко", "先科"), ("mov", "мов", "莫夫"))  # fmt: skip
INITIALS = (("A", "А"), ("B", "Б"), ("D", "Д"), ("E", "Е"), ("K", "К"), ("M", "М"),
            ("N", "Н"), ("R", "Р"), ("S", "С"), ("T", "Т"), ("V", "В"), ("Zh", "Ж"))  # fmt: skip

# Fields of cooperation: (en, ru genitive, zh).
TOPICS = (
    ("trade and investment", "торговли и инвестиций", "贸易和投资"),
    ("energy", "энергетики", "能源"),
    ("transport and logistics", "транспорта и логистики", "交通和物流"),
    ("agriculture", "сельского хозяйства", "农业"),
    ("education", "образования", "教育"),
    ("public health", "здравоохранения", "卫生"),
    ("culture and tourism", "культуры и туризма", "文化和旅游"),
    ("science and technology", "науки и техники", "科技"),
    ("customs procedures", "таможенных процедур", "海关程序"),
    ("disaster relief", "ликвидации последствий стихийных бедствий", "救灾"),
    ("the digital economy", "цифровой экономики", "数字经济"),
    ("environmental protection", "охраны окружающей среды", "环境保护"),
    ("finance and banking", "финансов и банковской деятельности", "金融和银行"),
    ("youth exchanges", "молодёжных обменов", "青年交流"),
)
# Tasks with a deadline: (en, ru infinitive phrase, zh).
TASKS = (
    ("prepare a draft programme of multilateral cooperation",
     "подготовить проект программы многостороннего сотрудничества", "制定多边合作纲要草案"),
    ("submit proposals on improving the work of the permanent bodies",
     "представить предложения по совершенствованию работы постоянных органов",
     "提交完善常设机构工作的建议"),
    ("complete the internal procedures for the entry into force of the agreement",
     "завершить внутригосударственные процедуры для вступления соглашения в силу",
     "完成协定生效所需的国内程序"),
    ("draw up an action plan on countering terrorism",
     "разработать план действий по противодействию терроризму", "制定打击恐怖主义行动计划"),
    ("hold consultations of experts on customs cooperation",
     "провести консультации экспертов по таможенному сотрудничеству", "举行海关合作专家磋商"),
    ("finalize the feasibility study of the development fund",
     "завершить технико-экономическое обоснование фонда развития", "完成发展基金可行性研究"),
    ("agree on the regulations of the joint working group",
     "согласовать положение о совместной рабочей группе", "商定联合工作组条例"),
)  # fmt: skip
# Generic sentences of the body, in parallel; {t} a topic, {o} the organization.
FILLER = (
    ("The parties noted with satisfaction the progress made in cooperation in the field of {t} "
     "within the framework of the {o}.",
     "Стороны с удовлетворением отметили прогресс в сотрудничестве в области {t} "
     "в рамках {o}.",
     "各方满意地指出，{o}框架内{t}领域合作取得进展。"),
    ("The ministers exchanged views on the state and prospects of cooperation in {t} and "
     "agreed to continue close coordination.",
     "Министры обменялись мнениями о состоянии и перспективах сотрудничества в сфере {t} "
     "и договорились продолжить тесную координацию.",
     "部长们就{t}合作现状和前景交换了意见，同意继续密切协调。"),
    ("It was emphasized that practical cooperation in {t} serves the interests of all member "
     "states and the prosperity of the region.",
     "Подчёркнуто, что практическое сотрудничество в сфере {t} отвечает интересам всех "
     "государств-членов и процветанию региона.",
     "会议强调，{t}务实合作符合所有成员国的利益，有利于地区繁荣。"),
    ("The member states reaffirmed their commitment to the purposes and principles of the "
     "Charter of the {o} and to the norms of international law.",
     "Государства-члены подтвердили приверженность целям и принципам Устава {o} и нормам "
     "международного права.",
     "成员国重申恪守{o}宪章的宗旨和原则以及国际法准则。"),
    ("The parties welcomed the results of the meetings of senior officials on {t} held since "
     "the previous session.",
     "Стороны приветствовали итоги совещаний старших должностных лиц по вопросам {t}, "
     "состоявшихся после предыдущего заседания.",
     "各方欢迎上次会议以来举行的{t}问题高官会议的成果。"),
    ("The meeting stressed the importance of expanding contacts between business communities "
     "in the sphere of {t}.",
     "На заседании была подчёркнута важность расширения контактов между деловыми кругами в "
     "сфере {t}.",
     "会议强调扩大{t}领域工商界交往的重要性。"),
)  # fmt: skip
# What a member state says about an issue: (en, ru with {i} in the genitive, zh).
STANCES = (
    ("The member states reaffirmed their position on {i}.",
     "Государства-члены подтвердили свою позицию в отношении {i}.",
     "成员国重申在{i}上的立场。"),
    ("The parties expressed concern over the situation regarding {i}.",
     "Стороны выразили обеспокоенность ситуацией в отношении {i}.",
     "各方对{i}局势表示关切。"),
    ("The ministers called for joint efforts on {i} on the basis of international law.",
     "Министры призвали к совместным усилиям в отношении {i} на основе международного права.",
     "部长们呼吁在国际法基础上就{i}共同努力。"),
)  # fmt: skip
ISSUES = (
    "TERRORISM", "DRUGS", "AFGHANISTAN", "INFORMATION_SECURITY", "ORGANIZED_CRIME",
    "MIDDLE_EAST", "KOREAN_PENINSULA", "NON_PROLIFERATION", "UN_REFORM",
)  # fmt: skip
HEADINGS = {
    "en": {"communique": "JOINT COMMUNIQUE", "declaration": "DECLARATION",
           "press_release": "PRESS RELEASE"},
    "ru": {"communique": "СОВМЕСТНОЕ КОММЮНИКЕ", "declaration": "ДЕКЛАРАЦИЯ",
           "press_release": "ИНФОРМАЦИОННОЕ СООБЩЕНИЕ"},
    "zh": {"communique": "联合公报", "declaration": "宣言", "press_release": "新闻公报"},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Truth:
    """What a generated document states, for checks and for the manifest."""

    index: int
    file: str  # relative to the corpus folder
    language: str
    type: str
    date: str  # ISO day of the meeting
    place: str  # city code of the knowledge pack
    organization: str
    chair: str  # the chair's name as written


@dataclass(frozen=True, slots=True)
class _Names:
    """Pack names prepared for writing: every tuple is (en, ru, zh)."""

    states: tuple[tuple[str, str, str, str], ...]  # (code, en with article, ru gen, zh)
    cities: tuple[tuple[str, str, str, str, str], ...]  # (code, country, en, ru loct, zh)
    orgs: tuple[tuple[str, str, str, str, str, str], ...]  # (code, en, abbr, ru gen, ru abbr, zh)
    offices: dict[str, tuple[str, str, str]]
    issues: tuple[tuple[str, str, str], ...]  # (en, ru gen, zh)
    state_by_code: dict[str, tuple[str, str, str, str]]


def _restore_case(original: str, word: str) -> str:
    if original[:1].isupper():
        return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
    return word


def _inflect(phrase: str, case: str) -> str:
    """``phrase`` with its words up to the first noun put in ``case`` (pymorphy3).

    That is how Russian declines a name: "Российская Федерация" -> "Российской
    Федерации", "Республика Казахстан" -> "Республики Казахстан".
    """
    morph = _morph()
    out: list[str] = []
    words = phrase.split(" ")
    for i, w in enumerate(words):
        if w.isupper() or (not w.isalpha() and "-" not in w):
            out.append(w)
            continue
        parses = [p for p in morph.parse(w.lower()) if "nomn" in p.tag]
        form = parses[0].inflect({case}) if parses else None
        out.append(_restore_case(w, form.word) if form else w)
        if parses and parses[0].tag.POS == "NOUN":
            out.extend(words[i + 1 :])
            break
    return " ".join(out)


@cache
def _morph():  # type: ignore[no-untyped-def]
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _long(names: Sequence[str]) -> str:
    """The state's formal name when the pack has one (a longer capitalized name)."""
    for n in names[1:3]:
        if len(n.split()) > len(names[0].split()) and n[:1].isupper() and names[0] in n:
            return n
    return names[0]


@cache
def _names() -> _Names:
    from communique.knowledge import load

    kb = load()
    states = []
    for code, e in sorted(kb.states.items()):
        if not all(e.names.get(lang) for lang in LANGS):
            continue
        if any(ch in n for lang in LANGS for n in e.names[lang][:2] for ch in ".&()"):
            continue  # abbreviated forms ("о-вов", "&") read badly in running text
        en = _long(e.names["en"])
        en = f"the {en}" if en != e.names["en"][0] or en.startswith("United") else en
        ru = _inflect(_long(e.names["ru"]), "gent")
        zh = e.names["zh"][1] if len(e.names["zh"]) > 1 and "国" in e.names["zh"][1] else ""
        states.append((code, en, ru, zh or e.names["zh"][0]))
    by_code = {s[0]: s for s in states}
    cities = [
        (
            code,
            e.attrs["country"],
            e.names["en"][0],
            _inflect(e.names["ru"][0], "loct"),
            e.names["zh"][0],
        )
        for code, e in sorted(kb.cities.items())
        if all(e.names.get(lang) for lang in LANGS) and e.attrs.get("country") in by_code
    ]
    orgs = []
    for code in ORGS:
        e = kb.organizations[code]
        full_ru = next((n for n in e.names["ru"] if " " in n), e.names["ru"][0])
        abbr_ru = next((n for n in e.names["ru"] if n.isupper() and " " not in n), code)
        orgs.append(
            (code, e.names["en"][0], code, _inflect(full_ru, "gent"), abbr_ru, e.names["zh"][0])
        )
    offices = {
        code: (e.names["en"][0], e.names["ru"][0], e.names["zh"][0])
        for code, e in kb.offices.items()
        if all(e.names.get(lang) for lang in LANGS)
    }
    issues = tuple(
        (
            kb.issues[c].names["en"][0],
            _inflect(kb.issues[c].names["ru"][0], "gent"),
            kb.issues[c].names["zh"][0],
        )
        for c in ISSUES
        if c in kb.issues
    )
    return _Names(tuple(states), tuple(cities), tuple(orgs), offices, issues, by_code)


def _person(rng: random.Random) -> tuple[str, str, str]:
    parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2))] + [rng.choice(ENDINGS)]
    en = "".join(p[0] for p in parts)
    ru = "".join(p[1] for p in parts)
    zh = "".join(p[2] for p in parts)
    en, ru = en[0] + en[1:].lower(), ru[0] + ru[1:].lower()
    ini = rng.choice(INITIALS)
    return f"{ini[0]}. {en}", f"{ini[1]}. {ru}", zh


def _date(lang: str, y: int, m: int, d: int, rng: random.Random) -> str:
    if lang == "zh":
        return f"{y}年{m}月{d}日"
    if lang == "ru":
        return f"{d} {RU_MONTHS_GEN[m - 1]} {y} года"
    if rng.random() < 0.5:
        return f"{EN_MONTHS[m - 1]} {d}, {y}"
    return f"{d} {EN_MONTHS[m - 1]} {y}"


def _deadline(lang: str, year: int, rng: random.Random) -> str:
    y = year + rng.randint(1, 2)
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    kind = rng.randrange(3)
    if lang == "en":
        return (
            f"by the end of {y}",
            f"by {_date('en', y, m, d, rng)}",
            f"before {EN_MONTHS[m - 1]} {y}",
        )[kind]
    if lang == "ru":
        return (f"до конца {y} года", f"к {_date('ru', y, m, d, rng)}", f"до {d} {RU_MONTHS_GEN[m - 1]} {y} года")[kind]  # fmt: skip
    return (f"在{y}年底前", f"于{y}年{m}月{d}日前", f"在{y}年{m}月前")[kind]


def document(seed: int, index: int, target_bytes: int = 10_000) -> tuple[str, Truth]:
    """The text of document ``index`` of the corpus ``seed``, and what it states."""
    rng = random.Random(f"communique-bench:{seed}:{index}")
    names = _names()
    li = {"en": 0, "ru": 1, "zh": 2}
    lang = rng.choice(LANGS)
    k = li[lang]
    typ = rng.choice(TYPES)
    org_code, org_en, abbr, org_ru, abbr_ru, org_zh = rng.choice(names.orgs)
    org = (org_en, org_ru, org_zh)[k]
    office, body_en, body_ru, body_zh = (
        MEETINGS[1] if typ == "declaration" else rng.choice(MEETINGS)
    )
    off = names.offices[office]
    # The host city lies in a member state, as it does in the genre.
    city_code, host, *city = rng.choice(names.cities)
    year, month, day = rng.randint(2001, 2025), rng.randint(1, 12), rng.randint(1, 28)
    when = _date(lang, year, month, day, rng)
    members = rng.sample(names.states, rng.randint(4, 9))
    if host not in {m[0] for m in members}:
        members[rng.randrange(len(members))] = names.state_by_code[host]
    people = [_person(rng) for _ in members]
    chair_i = rng.randrange(len(members))

    def attendee(i: int) -> str:
        st, p = members[i], people[i]
        if lang == "en":
            return f"{off[0]} of {st[1]} {p[0]}"
        if lang == "ru":
            return f"{off[1]} {st[2]} {p[1]}"
        return f"{st[3]}{off[2]}{p[2]}"

    lines: list[str] = []
    if lang == "en":
        lines += [HEADINGS["en"][typ], ""]
        if typ == "declaration":
            lines += [f"BY THE HEADS OF THE MEMBER STATES OF THE {org_en.upper()}", ""]
            opening = (
                f"The heads of the member states of the {org_en} ({abbr}) met on {when} in "
                f"{city[0]} at a session of the {body_en} and declare the following."
            )
        else:
            lines += [
                f"MEETING OF THE {body_en.upper()} OF THE MEMBER STATES OF THE {org_en.upper()}",
                "",
            ]
            opening = (
                f"A meeting of the {body_en} of the member states of the {org_en} ({abbr}) "
                f"was held on {when} in {city[0]}."
            )
        listed = [attendee(i) for i in range(len(members))]
        attendance = f"It was attended by {', '.join(listed[:-1])} and {listed[-1]}."
        chair = f"The meeting was chaired by {attendee(chair_i)}."
        closing = f"The next meeting of the {body_en} will be held in {year + 1} in {rng.choice(names.cities)[2]}."
    elif lang == "ru":
        lines += [HEADINGS["ru"][typ], ""]
        if typ == "declaration":
            lines += [f"ГЛАВ ГОСУДАРСТВ-ЧЛЕНОВ {org_ru.upper()}", ""]
            opening = (
                f"Главы государств-членов {org_ru} ({abbr_ru}), собравшись {when} в "
                f"{city[1]} на заседании {body_ru}, заявляют следующее."
            )
        else:
            lines += [f"ЗАСЕДАНИЕ {body_ru.upper()} ГОСУДАРСТВ-ЧЛЕНОВ {org_ru.upper()}", ""]
            opening = (
                f"{when[0].upper()}{when[1:]} в {city[1]} состоялось заседание {body_ru} "
                f"государств-членов {org_ru} ({abbr_ru})."
            )
        listed = [attendee(i) for i in range(len(members))]
        attendance = f"В заседании приняли участие {', '.join(listed[:-1])} и {listed[-1]}."
        chair = f"Председательствовал на заседании {attendee(chair_i)}."
        closing = f"Очередное заседание {body_ru} состоится в {year + 1} году в {rng.choice(names.cities)[3]}."
    else:
        lines += [f"{org_zh}成员国{body_zh}会议{HEADINGS['zh'][typ]}", ""]
        if typ == "declaration":
            opening = f"{org_zh}成员国元首于{when}在{city[2]}举行{body_zh}会议，并声明如下。"
        else:
            opening = f"{org_zh}成员国{body_zh}会议于{when}在{city[2]}举行。"
        listed = [attendee(i) for i in range(len(members))]
        attendance = f"出席会议的有{'、'.join(listed[:-1])}和{listed[-1]}。"
        chair = f"会议由{attendee(chair_i)}主持。"
        closing = f"{body_zh}下次会议将于{year + 1}年在{rng.choice(names.cities)[4]}举行。"
    lines += [("" if lang == "zh" else " ").join((opening, attendance)), "", chair, ""]

    size = sum(len(s.encode()) for s in lines)
    paragraph: list[str] = []
    goal = target_bytes * rng.uniform(0.8, 1.2)
    while size < goal:
        roll = rng.random()
        if roll < 0.6:
            topic = rng.choice(TOPICS)
            t = (topic[0], topic[1], topic[2])[k]
            sentence = rng.choice(FILLER)[k].format(t=t, o=org)
        elif roll < 0.8:
            task = rng.choice(TASKS)[k]
            due = _deadline(lang, year, rng)
            sentence = (
                f"The parties agreed to {task} {due}.",
                f"Стороны договорились {due} {task}.",
                f"各方商定{due}{task}。",
            )[k]
        else:
            issue = rng.choice(names.issues)
            sentence = rng.choice(STANCES)[k].format(i=issue[k])
        paragraph.append(sentence)
        size += len(sentence.encode()) + 1
        if len(paragraph) >= rng.randint(2, 5):
            lines += [(" " if lang != "zh" else "").join(paragraph), ""]
            paragraph = []
    if paragraph:
        lines += [(" " if lang != "zh" else "").join(paragraph), ""]
    # The marker closes the document: a line above the heading would stand where
    # the genre puts its title and type, and change what extraction reads there.
    lines += [closing, "", f"{MARKER} (communique bench/corpus.py, seed {seed}, no. {index})."]
    text = "\n".join(lines) + "\n"
    folder = f"d{index // PER_FOLDER:04d}"
    truth = Truth(
        index=index,
        file=f"{folder}/{index:07d}_{lang}.txt",
        language=lang,
        type=typ,
        date=f"{year:04d}-{month:02d}-{day:02d}",
        place=city_code,
        organization=org_code,
        chair=people[chair_i][("en", "ru", "zh").index(lang)],
    )
    return text, truth


def _write_range(args: tuple[str, int, int, int, int]) -> list[Truth]:
    out, seed, start, stop, target = args
    root = Path(out)
    truths = []
    made: set[str] = set()
    for i in range(start, stop):
        text, truth = document(seed, i, target)
        folder = truth.file.split("/", 1)[0]
        if folder not in made:
            (root / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        (root / truth.file).write_text(text, encoding="utf-8")
        truths.append(truth)
    return truths


def generate(
    out: str | Path, docs: int, *, seed: int = 7, target_bytes: int = 10_000, jobs: int = 1
) -> list[Truth]:
    """Write ``docs`` documents under ``out`` and its manifest; the truths, in order."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    step = 500
    ranges = [(str(root), seed, s, min(s + step, docs), target_bytes) for s in range(0, docs, step)]
    truths: list[Truth] = []
    if jobs > 1 and len(ranges) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for part in pool.map(_write_range, ranges):
                truths.extend(part)
    else:
        for r in ranges:
            truths.extend(_write_range(r))
    with (root / MANIFEST).open("w", encoding="utf-8") as fh:
        fh.write("file\tlanguage\ttype\tdate\tplace\torganization\tchair\n")
        for t in truths:
            fh.write(
                f"{t.file}\t{t.language}\t{t.type}\t{t.date}\t{t.place}\t{t.organization}\t{t.chair}\n"
            )
    return truths


def iter_documents(
    docs: int, seed: int = 7, target_bytes: int = 10_000
) -> Iterator[tuple[str, Truth]]:
    """The documents without writing them (the search benchmark's bulk path)."""
    for i in range(docs):
        yield document(seed, i, target_bytes)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to write into (created)")
    ap.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--kb", type=float, default=10.0, help="mean document size in KB (default 10)")
    ap.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: all CPUs)"
    )
    args = ap.parse_args(argv)
    started = time.perf_counter()
    truths = generate(
        args.out, args.docs, seed=args.seed, target_bytes=int(args.kb * 1000), jobs=args.jobs
    )
    seconds = time.perf_counter() - started
    size = sum((args.out / t.file).stat().st_size for t in truths)
    print(
        f"{len(truths)} documents, {size / 1e6:.1f} MB ({size / max(1, len(truths)) / 1e3:.1f} KB each)"
        f" in {seconds:.1f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
