"""Regenerate ``common/states.tsv`` from CLDR (babel) and ISO 3166 (pycountry).

Run once after upgrading babel or pycountry::

    python -m communique.knowledge.build

The generated file is committed; the loader never imports babel or pycountry.
Hand-curated names (variants, adjectives, demonyms, Chinese and Russian short
forms used in official texts) live beside it in ``states_curated.tsv`` and are
merged by the loader, so regenerating never loses them.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

# The 193 member states of the United Nations, ISO 3166-1 alpha-2.
UN_MEMBERS = """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH
CM CA CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ
FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI
KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MC MN ME MA MZ MM NA NR
NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR MD RO RU RW KN LC VC WS SM ST
SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG
UA AE GB TZ US UY UZ VU VE VN YE ZM ZW
""".split()
# Non-member observer states.
UN_OBSERVERS = ["VA", "PS"]

# CLDR short names that are not usable as written (a disambiguating suffix, a
# territory rather than a state); the curated file carries the right forms.
_SKIP = {
    ("en", "CD"),
    ("en", "CG"),
    ("en", "PS"),
    ("ru", "CD"),
    ("ru", "CG"),
    ("ru", "PS"),
    ("zh", "PS"),
    # Russian "Того" is also the pronoun "того" and cannot be told apart by lemma.
    ("ru", "TG"),
}

HEADER = "code\tkind\tparent\tlang\tform\tname\tflags\n"
OUT = Path(__file__).resolve().parent / "common" / "states.tsv"


def _clean(name: str) -> list[str]:
    """One CLDR/ISO name -> the usable names in it ("Myanmar (Burma)" -> both)."""
    # Stress marks (U+0301) appear in a few Russian catalogue entries; texts never carry them.
    name = name.replace("\u2019", "'").replace("\u0301", "").strip()
    name = re.sub(r"^the\s+", "", name)
    if "," in name:  # ISO's inverted "Korea, Republic of": never written that way in prose
        return []
    m = re.fullmatch(r"(.+?)\s*[(（](.+)[)）]", name)
    if m and not re.fullmatch(r"[金布]", m.group(2)):
        return [m.group(1).strip(), m.group(2).strip()]
    return [name]


def build() -> list[tuple[str, str, str, str]]:
    """(code, lang, form, name) rows for every UN member and observer state."""
    import pycountry
    from babel import Locale

    rows: list[tuple[str, str, str, str]] = []
    cldr = {lang: Locale.parse(lang).territories for lang in ("en", "zh", "ru")}
    iso_tr = {
        "zh": gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"]),
        "ru": gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"]),
    }
    for code in UN_MEMBERS + UN_OBSERVERS:
        country = pycountry.countries.get(alpha_2=code)
        assert country is not None, code
        iso_names = [("name", country.name)]
        official = getattr(country, "official_name", None)
        if official:
            iso_names.append(("long", official))
        for lang in ("en", "zh", "ru"):
            seen: set[str] = set()

            def add(
                form: str, name: str, lang: str = lang, seen: set[str] = seen, code: str = code
            ) -> None:
                for n in _clean(name):
                    if n and n not in seen:
                        seen.add(n)
                        rows.append((code, lang, form, n))

            if (lang, code) not in _SKIP:
                add("name", cldr[lang][code])
            for form, name in iso_names:
                if lang == "en":
                    add(form, name)
                else:
                    translated = iso_tr[lang].gettext(name)
                    if translated != name:  # untranslated: an English name, not this language's
                        add(form, translated)
    return rows


def main(argv: list[str] | None = None) -> None:
    import argparse

    # argparse so that `--help` explains instead of rewriting the committed table
    argparse.ArgumentParser(
        prog="python -m communique.knowledge.build",
        description=f"Regenerate {OUT.name} (states' names in en/zh/ru) from CLDR and ISO 3166.",
    ).parse_args(argv)
    rows = build()
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for code, lang, form, name in rows:
            fh.write(f"{code}\tstate\t\t{lang}\t{form}\t{name}\t\n")
    print(f"{OUT}: {len(rows)} names, {len({r[0] for r in rows})} states")


if __name__ == "__main__":
    main()
