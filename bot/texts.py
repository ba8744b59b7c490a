"""UI strings in Kazakh, Russian and English, looked up by key."""

from __future__ import annotations

import html
from typing import Final

LANGUAGE_NAMES: Final = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_TEXTS: Final[dict[str, dict[str, str]]] = {
    "welcome": {
        "kk": (
            "Сәлем, {name}! Мен — <b>Sayasat Digest</b>.\n"
            "Қазақстан саясатының күнделікті дайджестін жіберемін: Kazinform, Egemen, "
            "Tengrinews және басқа басылымдардан.\n\n"
            "Сіз жазылдыңыз. Тілді төменде таңдаңыз; /help — барлық командалар."
        ),
        "ru": (
            "Здравствуйте, {name}! Я — <b>Sayasat Digest</b>.\n"
            "Присылаю ежедневный дайджест политики Казахстана: Kazinform, Egemen, "
            "Tengrinews и другие издания.\n\n"
            "Вы подписаны. Выберите язык ниже; /help — все команды."
        ),
        "en": (
            "Hello, {name}! I am <b>Sayasat Digest</b>.\n"
            "I send a daily digest of Kazakhstan's politics from Kazinform, Egemen, "
            "Tengrinews and other outlets.\n\n"
            "You are subscribed. Pick a language below; /help lists every command."
        ),
    },
    "welcome_back": {
        "kk": "Қайта келгеніңізге қуаныштымын, {name}! Жазылымыңыз белсенді.",
        "ru": "С возвращением, {name}! Подписка снова активна.",
        "en": "Welcome back, {name}! Your subscription is active again.",
    },
    "choose_language": {
        "kk": "Интерфейс тілін таңдаңыз:",
        "ru": "Выберите язык интерфейса:",
        "en": "Choose the interface language:",
    },
    "language_set": {
        "kk": "Тіл таңдалды: {language}.",
        "ru": "Язык выбран: {language}.",
        "en": "Language set: {language}.",
    },
    "help": {
        "kk": (
            "<b>Sayasat Digest</b> — Қазақстан саясаты туралы жаңалықтар.\n\n"
            "/start — жазылу\n"
            "/language — интерфейс тілі\n"
            "/help — осы анықтама"
        ),
        "ru": (
            "<b>Sayasat Digest</b> — новости политики Казахстана.\n\n"
            "/start — подписаться\n"
            "/language — язык интерфейса\n"
            "/help — эта справка"
        ),
        "en": (
            "<b>Sayasat Digest</b> — news on Kazakhstan's politics.\n\n"
            "/start — subscribe\n"
            "/language — interface language\n"
            "/help — this help"
        ),
    },
    "unknown_command": {
        "kk": "Мұндай команда жоқ. Барлық командалар: /help",
        "ru": "Такой команды нет. Все команды: /help",
        "en": "I don't know that command. Every command: /help",
    },
    "error": {
        "kk": "Кешіріңіз, қате шықты. Сәлден соң қайталап көріңіз.",
        "ru": "Извините, произошла ошибка. Попробуйте чуть позже.",
        "en": "Sorry, something went wrong. Please try again in a moment.",
    },
    "digest_header": {
        "kk": "<b>Sayasat Digest</b> · {date}\nСаясат жаңалықтары: {count}",
        "ru": "<b>Sayasat Digest</b> · {date}\nНовости политики: {count}",
        "en": "<b>Sayasat Digest</b> · {date}\nPolitics stories: {count}",
    },
    "digest_empty": {
        "kk": "Соңғы дайджесттен бері жаңа саяси жаңалық жоқ.",
        "ru": "С прошлого дайджеста новых политических новостей нет.",
        "en": "No new politics stories since your last digest.",
    },
    "also": {"kk": "сондай-ақ", "ru": "также", "en": "also"},
    "not_subscribed": {
        "kk": "Сіз әлі жазылмағансыз. Жазылу үшін: /start",
        "ru": "Вы ещё не подписаны. Чтобы подписаться: /start",
        "en": "You are not subscribed yet. To subscribe: /start",
    },
    "stopped": {
        "kk": "Жазылым тоқтатылды: дайджест пен ескертулер енді келмейді. Қайта бастау: /start",
        "ru": "Подписка остановлена: дайджест и оповещения больше не придут. Снова: /start",
        "en": "Unsubscribed: no more digests or alerts. To come back: /start",
    },
    "forget_confirm": {
        "kk": "Сіз туралы сақталған барлық дерек (баптаулар, кілт сөздер) өшіріледі. Сенімдісіз бе?",
        "ru": "Все данные о вас (настройки, ключевые слова) будут удалены. Вы уверены?",
        "en": "Everything stored about you (settings, keywords) will be deleted. Are you sure?",
    },
    "forget_yes": {"kk": "Иә, өшіру", "ru": "Да, удалить", "en": "Yes, delete"},
    "forget_no": {"kk": "Жоқ", "ru": "Нет", "en": "No"},
    "forget_done": {
        "kk": "Дайын: сіз туралы ештеңе сақталмаған.",
        "ru": "Готово: о вас ничего не хранится.",
        "en": "Done: nothing about you is stored any more.",
    },
    "forget_cancelled": {
        "kk": "Ештеңе өшірілмеді.",
        "ru": "Ничего не удалено.",
        "en": "Nothing was deleted.",
    },
    "settings": {
        "kk": (
            "<b>Баптаулар</b>\n"
            "Дайджест уақыты: {time} ({tz})\n"
            "Мақала тілдері: {languages}\n"
            "Дереккөздер: {sources}\n"
            "Дайджест көлемі: {size}\n"
            "Күйі: {status}\n"
            "Бос дайджестті жібермеу: {skip}"
        ),
        "ru": (
            "<b>Настройки</b>\n"
            "Время дайджеста: {time} ({tz})\n"
            "Языки статей: {languages}\n"
            "Источники: {sources}\n"
            "Размер дайджеста: {size}\n"
            "Статус: {status}\n"
            "Не присылать пустой дайджест: {skip}"
        ),
        "en": (
            "<b>Settings</b>\n"
            "Digest time: {time} ({tz})\n"
            "Article languages: {languages}\n"
            "Sources: {sources}\n"
            "Digest size: {size}\n"
            "Status: {status}\n"
            "Skip empty digests: {skip}"
        ),
    },
    "all_sources": {"kk": "барлығы", "ru": "все", "en": "all"},
    "status_active": {"kk": "белсенді", "ru": "активна", "en": "active"},
    "status_paused": {"kk": "кідіртілген", "ru": "на паузе", "en": "paused"},
    "yes": {"kk": "иә", "ru": "да", "en": "yes"},
    "no": {"kk": "жоқ", "ru": "нет", "en": "no"},
    "btn_time": {"kk": "🕗 Уақыт", "ru": "🕗 Время", "en": "🕗 Time"},
    "btn_tz": {"kk": "🌍 Уақыт белдеуі", "ru": "🌍 Часовой пояс", "en": "🌍 Time zone"},
    "btn_languages": {"kk": "🗣 Тілдер", "ru": "🗣 Языки", "en": "🗣 Languages"},
    "btn_sources": {"kk": "📰 Дереккөздер", "ru": "📰 Источники", "en": "📰 Sources"},
    "btn_size": {"kk": "🔢 Көлемі", "ru": "🔢 Размер", "en": "🔢 Size"},
    "btn_pause": {"kk": "⏸ Кідірту", "ru": "⏸ Пауза", "en": "⏸ Pause"},
    "btn_resume": {"kk": "▶ Жалғастыру", "ru": "▶ Продолжить", "en": "▶ Resume"},
    "btn_skip": {
        "kk": "Бос дайджест: {state}",
        "ru": "Пустой дайджест: {state}",
        "en": "Empty digest: {state}",
    },
    "btn_back": {"kk": "◀ Артқа", "ru": "◀ Назад", "en": "◀ Back"},
    "btn_custom": {"kk": "✏ Басқа…", "ru": "✏ Другое…", "en": "✏ Other…"},
    "btn_both": {"kk": "Екеуі де", "ru": "Оба", "en": "Both"},
    "skip_state_skip": {"kk": "жіберілмейді", "ru": "не присылать", "en": "skip"},
    "skip_state_send": {"kk": "жіберіледі", "ru": "присылать", "en": "send"},
    "ask_time": {
        "kk": "Уақытты СС:ММ түрінде жіберіңіз, мысалы 07:30.",
        "ru": "Пришлите время в формате ЧЧ:ММ, например 07:30.",
        "en": "Send the time as HH:MM, for example 07:30.",
    },
    "ask_tz": {
        "kk": "Уақыт белдеуін IANA атауымен жіберіңіз, мысалы Asia/Almaty немесе Europe/Moscow.",
        "ru": "Пришлите часовой пояс в формате IANA, например Asia/Almaty или Europe/Moscow.",
        "en": "Send the time zone as an IANA name, for example Asia/Almaty or Europe/Moscow.",
    },
    "bad_time": {
        "kk": "«{value}» — уақыт емес. СС:ММ түрінде жіберіңіз, мысалы 07:30.",
        "ru": "«{value}» — не время. Пришлите ЧЧ:ММ, например 07:30.",
        "en": "“{value}” is not a time. Send HH:MM, for example 07:30.",
    },
    "bad_tz": {
        "kk": "«{value}» деген уақыт белдеуі жоқ. Мысалы: Asia/Almaty.",
        "ru": "Часового пояса «{value}» нет. Например: Asia/Almaty.",
        "en": "There is no time zone “{value}”. For example: Asia/Almaty.",
    },
    "saved_next": {
        "kk": "Сақталды. Келесі дайджест: {when}.",
        "ru": "Сохранено. Следующий дайджест: {when}.",
        "en": "Saved. Next digest: {when}.",
    },
    "alert_usage": {
        "kk": (
            "Кілт сөз бойынша жедел хабарлама:\n"
            "/alerts add Мәжіліс — қосу\n/alerts remove Мәжіліс — өшіру\n/alerts — тізім"
        ),
        "ru": (
            "Оповещения по ключевым словам:\n"
            "/alerts add Мажилис — добавить\n/alerts remove Мажилис — удалить\n/alerts — список"
        ),
        "en": (
            "Keyword alerts:\n"
            "/alerts add Mazhilis — add\n/alerts remove Mazhilis — remove\n/alerts — list"
        ),
    },
    "alert_too_long": {
        "kk": "Кілт сөз тым ұзын: 100 таңбадан аспасын.",
        "ru": "Ключевое слово слишком длинное: не больше 100 символов.",
        "en": "That keyword is too long: 100 characters at most.",
    },
    "alert_only_stopwords": {
        "kk": "Бұл тек көмекші сөздерден тұрады: мағыналы сөз жазыңыз.",
        "ru": "Здесь только служебные слова: напишите значимое слово.",
        "en": "That has only stop words: write a meaningful word.",
    },
    "alert_too_many": {
        "kk": "Кілт сөздер 20-дан аспайды. Алдымен біреуін өшіріңіз.",
        "ru": "Не больше 20 ключевых слов. Сначала удалите одно.",
        "en": "20 keywords at most. Remove one first.",
    },
    "alert_added": {
        "kk": "Қосылды: «{keyword}». Сәйкес саяси жаңалық шыққанда бірден хабарлаймын.",
        "ru": "Добавлено: «{keyword}». Сообщу сразу, как выйдет подходящая новость политики.",
        "en": "Added “{keyword}”. I will tell you at once when a matching politics story appears.",
    },
    "alert_removed": {
        "kk": "Өшірілді: «{keyword}».",
        "ru": "Удалено: «{keyword}».",
        "en": "Removed “{keyword}”.",
    },
    "alert_not_found": {
        "kk": "«{keyword}» деген кілт сөз жоқ.",
        "ru": "Ключевого слова «{keyword}» нет.",
        "en": "There is no keyword “{keyword}”.",
    },
    "alert_list": {
        "kk": "Сіздің кілт сөздеріңіз (өшіру үшін басыңыз):",
        "ru": "Ваши ключевые слова (нажмите, чтобы удалить):",
        "en": "Your keywords (tap one to remove it):",
    },
    "alert_header": {
        "kk": "🔔 «{keyword}» бойынша жаңалық",
        "ru": "🔔 Новость по запросу «{keyword}»",
        "en": "🔔 News for “{keyword}”",
    },
    "button_expired": {
        "kk": "Бұл батырма ескірген.",
        "ru": "Эта кнопка устарела.",
        "en": "This button has expired.",
    },
}

# The command menu (setMyCommands) per language.
COMMANDS: Final[dict[str, list[tuple[str, str]]]] = {
    "kk": [("start", "Жазылу"), ("language", "Тілді өзгерту"), ("help", "Анықтама")],
    "ru": [("start", "Подписаться"), ("language", "Сменить язык"), ("help", "Справка")],
    "en": [("start", "Subscribe"), ("language", "Change language"), ("help", "Help")],
}


def text(key: str, lang: str, **values: object) -> str:
    """The UI string `key` in `lang` (Kazakh when unknown), values HTML-escaped."""
    variants = _TEXTS[key]
    template = variants.get(lang) or variants["kk"]
    return template.format(**{k: html.escape(str(v)) for k, v in values.items()})


def all_keys() -> list[str]:
    return list(_TEXTS)
