"""Documents of the genre generated from templates (en, zh, ru), for batch tests.

Each call gives a distinct text: the place, the dates and the numbered items
vary, so every file has its own bytes and is its own document.
"""

from __future__ import annotations

import random
from pathlib import Path

CITIES = [
    ("Astana", "阿斯塔纳", "Астане"),
    ("Bishkek", "比什凯克", "Бишкеке"),
    ("Dushanbe", "杜尚别", "Душанбе"),
    ("Tashkent", "塔什干", "Ташкенте"),
    ("Moscow", "莫斯科", "Москве"),
    ("Beijing", "北京", "Пекине"),
    ("New Delhi", "新德里", "Нью-Дели"),
    ("Islamabad", "伊斯兰堡", "Исламабаде"),
]
EN_MONTHS = (
    "January February March April May June July August September October November December".split()
)
RU_MONTHS = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
)
TOPICS = [
    ("regional security", "地区安全", "региональной безопасности"),
    ("trade and investment", "贸易和投资", "торговли и инвестиций"),
    ("energy cooperation", "能源合作", "энергетического сотрудничества"),
    ("combating terrorism", "打击恐怖主义", "борьбы с терроризмом"),
    ("transport links", "交通互联互通", "транспортных связей"),
]


def document(n: int, rng: random.Random) -> tuple[str, str]:
    """(language, text) of the ``n``-th generated document."""
    lang = ("en", "zh", "ru")[n % 3]
    city = rng.choice(CITIES)
    topic = rng.choice(TOPICS)
    year = rng.randint(2001, 2024)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    items = rng.randint(2, 6)
    if lang == "en":
        lines = [
            f"JOINT COMMUNIQUE No. {n}",
            f"The Council of Foreign Ministers of the Member States met in {city[0]} on "
            f"{day} {EN_MONTHS[month - 1]} {year}.",
        ]
        lines += [
            f"{i}. The ministers discussed {topic[0]} and agreed on measure {n}-{i}. "
            f"They will report to the Council before the end of {year + 1}."
            for i in range(1, items + 1)
        ]
    elif lang == "zh":
        lines = [
            f"联合公报第{n}号",
            f"成员国外交部长理事会于{year}年{month}月{day}日在{city[1]}举行会议。",
        ]
        lines += [
            f"{i}．外长们讨论了{topic[1]}问题，商定了第{n}-{i}项措施。成员国将在{year + 1}年底前向理事会报告。"
            for i in range(1, items + 1)
        ]
    else:
        lines = [
            f"СОВМЕСТНОЕ КОММЮНИКЕ № {n}",
            f"Совет министров иностранных дел государств-членов провел заседание в {city[2]} "
            f"{day} {RU_MONTHS[month - 1]} {year} года.",
        ]
        lines += [
            f"{i}. Министры обсудили вопросы {topic[2]} и согласовали меру {n}-{i}. "
            f"Они доложат Совету до конца {year + 1} года."
            for i in range(1, items + 1)
        ]
    return lang, "\n\n".join(lines) + "\n"


def write_batch(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """``count`` documents as ``.txt`` and ``.md`` files in ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        lang, text = document(n, rng)
        path = folder / f"{n:04d}_{lang}{'.md' if n % 5 == 0 else '.txt'}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
