"""The site's languages, in one table, and the one fallback rule for translated content.

settings.LANGUAGES lists them (vi, en, zh-hans) and LANGUAGE_CODE names the required one
(Vietnamese). Each has three spellings: the site code Django activates (`zh-hans`), the
short form of URLs and the API (`?lang=zh`) and the suffix of model fields (`name_zh`).
Content falls back to the required language when the field in the asked one is blank.

>>> language_parse("ZH")
'zh-hans'
>>> language_parse("fr") is None
True
>>> language_short("zh-hans")
'zh'
>>> language_from_header("fr-FR,zh-TW;q=0.8,en;q=0.5")
'zh-hans'
>>> WHITESPACE == "".join(c for c in map(chr, range(0x110000)) if c.isspace())
True
"""
import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan
from django.utils import translation
from django.utils.translation import to_locale, trans_real

# Spellings people and browsers use besides the site code and its short form.
EXTRA_SPELLINGS = {"zh-cn": "zh-hans", "zh_hans": "zh-hans"}
# What str.strip() takes away (str.isspace), for the same blank test in SQL (btrim).
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
              "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


@dataclass(frozen=True)
class Language:
    code: str  # what Django activates: vi, en, zh-hans
    short: str  # ?lang= and the API: vi, en, zh
    suffix: str  # model fields: name_vi, name_en, name_zh
    tag: str  # BCP 47, for lang= and hreflang= in HTML: vi, en, zh-Hans
    label: str  # the language's own name: Tiếng Việt, English, 中文


def languages() -> list[Language]:
    """The site's languages in settings order (tests may override the setting)."""
    return list(_table(tuple(settings.LANGUAGES)))


@functools.lru_cache(maxsize=8)
def _table(setting: tuple) -> tuple[Language, ...]:
    # Kept per value of the setting: localized() asks for it twice per field, and building
    # it each time was a third of the time a page of 100 API features took.
    table = []
    for code, label in setting:
        short = code.split("-")[0]
        table.append(Language(code=code, short=short, suffix=short,
                              tag=to_locale(code).replace("_", "-"), label=str(label)))
    return tuple(table)


def language_default() -> str:
    """The required language, the one every content field has."""
    return settings.LANGUAGE_CODE


def language_parse(text: str | None) -> str | None:
    """The site code for a `?lang=` or API `lang` value in any accepted spelling, else None."""
    wanted = (text or "").strip().lower()
    if not wanted:
        return None
    wanted = EXTRA_SPELLINGS.get(wanted, wanted)
    for language in languages():
        if wanted in (language.code, language.short):
            return language.code
    return None


def language_from_header(header: str) -> str | None:
    """The first site language an Accept-Language header asks for, by its main subtag:
    en-GB is English, and any Chinese (zh-TW too) is simplified Chinese, better than none."""
    by_short = {language.short: language.code for language in languages()}
    for tag, _quality in trans_real.parse_accept_lang_header(header or ""):
        found = by_short.get(tag.lower().split("-")[0])
        if found:
            return found
    return None


def language_pick(*, asked: str | None, header: str = "") -> tuple[str, bool]:
    """(language, explicit): the asked one (`?lang=`), else Accept-Language, else the
    required language."""
    language = language_parse(asked)
    if language:
        return language, True
    return language_from_header(header) or language_default(), False


def language_short(code: str) -> str:
    """The short form of a language (zh-hans → zh), for links and the API."""
    return _find(code).short


def _find(language: str) -> Language:
    code = language_parse(language) or language_default()
    return next(entry for entry in languages() if entry.code == code)


def localized(obj, field: str, language: str) -> tuple[str, bool]:
    """(text, is_fallback): `<field>_<suffix>` of obj in the language (any spelling), else
    the required language's, when the asked one is blank or only whitespace."""
    asked, required = _find(language), _find(language_default())
    text = getattr(obj, f"{field}_{asked.suffix}", "") or ""
    if text.strip() or asked == required:
        return text, False
    return getattr(obj, f"{field}_{required.suffix}", "") or "", True


def localized_expression(field: str, language: str) -> Case | F:
    """localized()'s text in SQL, for rows PostgreSQL writes out itself: `<field>_<suffix>`
    in the language, else the required language's when it is blank or only whitespace."""
    asked, required = _find(language), _find(language_default())
    wanted = F(f"{field}_{asked.suffix}")
    if asked == required:
        return wanted
    trimmed = Func(wanted, Value(WHITESPACE), function="btrim", output_field=TextField())
    return Case(When(GreaterThan(Length(trimmed), 0), then=wanted),
                default=F(f"{field}_{required.suffix}"), output_field=TextField())


def language_links(*, query, current: str) -> list[dict]:
    """The language switch of a page: for each language, a link to the same page (a
    relative `?…` link, so the path stays) with every query parameter kept and `lang`
    set, and whether it is the one shown.

    >>> [link["href"] for link in language_links(query={"q": "chùa"}, current="vi")]
    ['?q=ch%C3%B9a&lang=vi', '?q=ch%C3%B9a&lang=en', '?q=ch%C3%B9a&lang=zh']
    """
    pairs = ([(k, v) for k, values in query.lists() for v in values] if hasattr(query, "lists")
             else list(query.items()))
    kept = [(k, v) for k, v in pairs if k != "lang"]
    return [{"language": language, "current": language.code == current,
             "href": "?" + urlencode([*kept, ("lang", language.short)])}
            for language in languages()]


def language_context(request) -> dict:
    """Template context processor: the language switch of the current page, and the
    `?lang=` to carry on in links when the visitor chose a language (views that pick the
    language themselves, like the asset page, pass their own values, which win)."""
    current = translation.get_language() or language_default()
    asked = language_parse(request.GET.get("lang"))
    param = language_short(asked) if asked else ""
    return {"lang_links": language_links(query=request.GET, current=current),
            "lang_param": param, "lang_query": f"?lang={param}" if param else ""}


class QueryLanguageMiddleware:
    """`?lang=` chooses the language of any page. After LocaleMiddleware (Accept-Language,
    then the default), so that the switch on every page is a plain link: no cookie, no
    session, no POST, and the address says which language it shows (caches key on it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_parse(request.GET.get("lang"))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
