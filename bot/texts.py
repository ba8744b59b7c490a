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
            "<b>Дайджест</b>\n"
            "/start — жазылу (күнделікті дайджест, әдепкі 08:00, Астана уақыты)\n"
            "/digest — дайджестті қазір алу\n"
            "/settings — уақыт, уақыт белдеуі, мақала тілдері, басылымдар, көлем, үзіліс\n"
            "/alerts add сөз — кілт сөз бойынша жедел хабар; /alerts — тізім\n"
            "/stop — жазылымнан шығу; /forget — мен туралы бәрін өшіру\n\n"
            "<b>Іздеу</b>\n"
            "/search сөздер — немесе жай ғана сөзді жазыңыз. Сөздің кез келген түрі табылады "
            "(Қазақстанның, Qazaqstan → Қазақстан).\n"
            '"тырнақшадағы сөздер" — дәл осы ретпен\n'
            "source:egemen — басылым бойынша; lang:kk | lang:ru — тіл бойынша; "
            "since:2026-11-01 — осы күннен бері\n"
            "Кез келген чатта: @{bot} сөздер\n\n"
            "/language — интерфейс тілі; /help — осы анықтама"
        ),
        "ru": (
            "<b>Sayasat Digest</b> — новости политики Казахстана.\n\n"
            "<b>Дайджест</b>\n"
            "/start — подписаться (ежедневный дайджест, по умолчанию в 08:00 по Астане)\n"
            "/digest — дайджест сейчас\n"
            "/settings — время, часовой пояс, языки статей, издания, размер, пауза\n"
            "/alerts add слово — мгновенные уведомления по ключевым словам; /alerts — список\n"
            "/stop — отписаться; /forget — удалить всё, что хранится обо мне\n\n"
            "<b>Поиск</b>\n"
            "/search слова — или просто напишите слова. Находит любые формы слова "
            "(Казахстана, Қазақстанның, Qazaqstan).\n"
            '"слова в кавычках" — именно в этом порядке\n'
            "source:egemen — по изданию; lang:kk | lang:ru — по языку; "
            "since:2026-11-01 — начиная с даты\n"
            "В любом чате: @{bot} слова\n\n"
            "/language — язык интерфейса; /help — эта справка"
        ),
        "en": (
            "<b>Sayasat Digest</b> — news on Kazakhstan's politics.\n\n"
            "<b>Digest</b>\n"
            "/start — subscribe (a daily digest, 08:00 Astana time by default)\n"
            "/digest — the digest now\n"
            "/settings — time, time zone, article languages, outlets, size, pause\n"
            "/alerts add word — instant alerts for keywords; /alerts — the list\n"
            "/stop — unsubscribe; /forget — delete everything stored about me\n\n"
            "<b>Search</b>\n"
            "/search words — or just type the words. Any form of a word matches "
            "(Қазақстанның, Qazaqstan → Қазақстан; Казахстана → Казахстан).\n"
            '"words in quotes" — in that order\n'
            "source:egemen — one outlet; lang:kk | lang:ru — one language; "
            "since:2026-11-01 — from that date on\n"
            "In any chat: @{bot} words\n\n"
            "/language — interface language; /help — this help"
        ),
    },
    "unsupported_message": {
        "kk": "Мен мәтін мен командаларды түсінемін: іздеу үшін сөз жазыңыз. Барлық командалар: /help",
        "ru": "Я понимаю текст и команды: напишите слово для поиска. Все команды: /help",
        "en": "I understand text and commands: send a word to search. Every command: /help",
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
    "search_usage": {
        "kk": (
            "Іздеу: /search сөздер — немесе жай ғана сөзді жазыңыз.\n"
            "Мысалы: <code>/search Мәжіліс сайлау source:egemen since:2026-11-01</code>"
        ),
        "ru": (
            "Поиск: /search слова — или просто напишите слова.\n"
            "Например: <code>/search выборы мажилис lang:ru since:2026-11-01</code>"
        ),
        "en": (
            "Search: /search words — or just type the words.\n"
            "For example: <code>/search Mazhilis election since:2026-11-01</code>"
        ),
    },
    "search_too_long": {
        "kk": "Сұрау тым ұзын: {length} таңба. Ең көбі — {limit}. Бірнеше негізгі сөз жазыңыз.",
        "ru": "Запрос слишком длинный: {length} символов при пределе {limit}. Оставьте ключевые слова.",
        "en": "That query is too long: {length} characters, the limit is {limit}. Keep the key words.",
    },
    "search_stop_words": {
        "kk": "«{words}» — тым жалпы сөздер, олар бойынша іздемеймін. Нақтырақ сөз қосыңыз.",
        "ru": "«{words}» — слишком общие слова, по ним я не ищу. Добавьте более точное слово.",
        "en": "“{words}” are too common to search for. Add a more specific word.",
    },
    "search_bad_filter": {
        "kk": (
            "«{filter}» сүзгісін түсінбедім. Мысалдар: source:egemen, lang:kk, since:2026-11-01."
        ),
        "ru": "Не понял фильтр «{filter}». Примеры: source:egemen, lang:ru, since:2026-11-01.",
        "en": "I don't understand the filter “{filter}”. Examples: source:egemen, lang:kk, since:2026-11-01.",
    },
    "search_header": {
        "kk": "🔎 «{query}»: {total} мақала · {page}/{pages} бет",
        "ru": "🔎 «{query}»: статей — {total} · стр. {page}/{pages}",
        "en": "🔎 “{query}”: {total} articles · page {page}/{pages}",
    },
    "search_partial": {
        "kk": "Барлық сөзі бар мақала жоқ; кейбір сөздері барлары көрсетілді.",
        "ru": "Статей со всеми словами нет; показаны статьи с частью слов.",
        "en": "No article has every word; these have some of them.",
    },
    "search_unknown_words": {
        "kk": "Бұл сөздер ешбір мақалада жоқ: {words}",
        "ru": "Эти слова не встречаются ни в одной статье: {words}",
        "en": "These words are in no stored article: {words}",
    },
    "search_none": {
        "kk": "«{query}» бойынша ештеңе табылмады.",
        "ru": "По запросу «{query}» ничего не найдено.",
        "en": "Nothing found for “{query}”.",
    },
    "search_did_you_mean": {
        "kk": "Мүмкін, сіз мұны іздедіңіз: {words}",
        "ru": "Возможно, вы искали: {words}",
        "en": "Did you mean: {words}",
    },
    "search_other_dates": {
        "kk": "Бұл сөздер басқа күндері кездеседі: {dates}",
        "ru": "Эти слова встречаются в другие дни: {dates}",
        "en": "These words appear on other dates: {dates}",
    },
    "search_unknown_source": {
        "kk": "«{source}» деген басылым жоқ. Басылымдар: {sources}",
        "ru": "Издания «{source}» нет. Издания: {sources}",
        "en": "There is no outlet “{source}”. Outlets: {sources}",
    },
    "search_expired": {
        "kk": "Бұл іздеу ескірді — сұрауды қайта жіберіңіз.",
        "ru": "Этот поиск устарел — отправьте запрос заново.",
        "en": "This search has expired — please send it again.",
    },
    "search_inline_hint": {
        "kk": "Іздеу үшін сөз жазыңыз",
        "ru": "Напишите слова для поиска",
        "en": "Type words to search",
    },
    # --- admins (issue 7) ---------------------------------------------------------------
    "admin_only": {
        "kk": "Кешіріңіз, бұл команда тек бот әкімшілеріне арналған.",
        "ru": "Извините, эта команда только для администраторов бота.",
        "en": "Sorry, this command is only for the bot's administrators.",
    },
    "owner_only": {
        "kk": "Кешіріңіз, әкімшілерді тек бот иелері қосып, өшіре алады.",
        "ru": "Извините, добавлять и удалять администраторов могут только владельцы бота.",
        "en": "Sorry, only the bot's owners can add or remove administrators.",
    },
    "help_admin": {
        "kk": (
            "<b>Әкімшіге</b>\n"
            "/feeds — дереккөздер және олардың күйі\n"
            "/addfeed URL [kk|ru|en] [politics] — дереккөз қосу\n"
            "/removefeed, /pausefeed, /resumefeed ID — өшіру, кідірту, жалғастыру\n"
            "/opml — тізімді OPML файлымен алу; .opml файлын жіберсеңіз — импорт\n"
            "/channels — бот жариялайтын арналар мен топтар\n"
            "/stats — статистика\n"
            "/broadcast МӘТІН — барлық жазылушыға хабарлама\n"
            "/audit — кім не істеді\n"
            "/admins — әкімшілер"
        ),
        "ru": (
            "<b>Администраторам</b>\n"
            "/feeds — источники и их состояние\n"
            "/addfeed URL [kk|ru|en] [politics] — добавить источник\n"
            "/removefeed, /pausefeed, /resumefeed ID — удалить, приостановить, возобновить\n"
            "/opml — список файлом OPML; пришлите файл .opml — импорт\n"
            "/channels — каналы и группы, куда пишет бот\n"
            "/stats — статистика\n"
            "/broadcast ТЕКСТ — сообщение всем подписчикам\n"
            "/audit — кто что сделал\n"
            "/admins — администраторы"
        ),
        "en": (
            "<b>For administrators</b>\n"
            "/feeds — sources and their health\n"
            "/addfeed URL [kk|ru|en] [politics] — add a source\n"
            "/removefeed, /pausefeed, /resumefeed ID — remove, pause, resume\n"
            "/opml — the list as an OPML file; send an .opml file to import one\n"
            "/channels — channels and groups the bot posts to\n"
            "/stats — statistics\n"
            "/broadcast TEXT — a message to every subscriber\n"
            "/audit — who did what\n"
            "/admins — administrators"
        ),
    },
    "admins_list": {
        "kk": (
            "<b>Иелер</b> (ADMIN_IDS): {owners}\n<b>Әкімшілер</b>: {admins}\n\n"
            "/admins add ID — қосу\n/admins remove ID — өшіру (тек иелер)"
        ),
        "ru": (
            "<b>Владельцы</b> (ADMIN_IDS): {owners}\n<b>Администраторы</b>: {admins}\n\n"
            "/admins add ID — добавить\n/admins remove ID — удалить (только владельцы)"
        ),
        "en": (
            "<b>Owners</b> (ADMIN_IDS): {owners}\n<b>Administrators</b>: {admins}\n\n"
            "/admins add ID — add\n/admins remove ID — remove (owners only)"
        ),
    },
    "none": {"kk": "жоқ", "ru": "нет", "en": "none"},
    "admin_bad_id": {
        "kk": "«{value}» — Telegram пайдаланушы идентификаторы емес (сан керек).",
        "ru": "«{value}» — не идентификатор пользователя Telegram (нужно число).",
        "en": "“{value}” is not a Telegram user id (a number is needed).",
    },
    "admin_added": {
        "kk": "{user_id} енді әкімші.",
        "ru": "{user_id} теперь администратор.",
        "en": "{user_id} is now an administrator.",
    },
    "admin_already": {
        "kk": "{user_id} әкімші болып тұр.",
        "ru": "{user_id} уже администратор.",
        "en": "{user_id} already is an administrator.",
    },
    "admin_is_owner": {
        "kk": "{user_id} — бот иесі: иелер чатта емес, ADMIN_IDS баптауында өзгертіледі.",
        "ru": "{user_id} — владелец бота: владельцы меняются в настройке ADMIN_IDS, не в чате.",
        "en": "{user_id} is an owner: owners are changed in the ADMIN_IDS setting, not in chat.",
    },
    "admin_removed": {
        "kk": "{user_id} енді әкімші емес.",
        "ru": "{user_id} больше не администратор.",
        "en": "{user_id} is no longer an administrator.",
    },
    "admin_not_found": {
        "kk": "{user_id} әкімші емес.",
        "ru": "{user_id} не администратор.",
        "en": "{user_id} is not an administrator.",
    },
    "audit_header": {
        "kk": "<b>Әкімшілер әрекеттері</b> (соңғы {count}):",
        "ru": "<b>Действия администраторов</b> (последние {count}):",
        "en": "<b>Admin actions</b> (latest {count}):",
    },
    "audit_empty": {
        "kk": "Әкімшілер әрекеттері әлі жазылмаған.",
        "ru": "Действий администраторов пока нет.",
        "en": "No admin actions recorded yet.",
    },
    # --- feeds ----------------------------------------------------------------------------
    "feeds_header": {
        "kk": (
            "<b>Дереккөздер</b>: {count} (сау {healthy}, ақаулы {unhealthy}, кідіртілген {paused})"
        ),
        "ru": (
            "<b>Источники</b>: {count} (исправны {healthy}, со сбоями {unhealthy}, "
            "на паузе {paused})"
        ),
        "en": (
            "<b>Sources</b>: {count} ({healthy} healthy, {unhealthy} unhealthy, {paused} paused)"
        ),
    },
    "feeds_empty": {
        "kk": "Дереккөз жоқ. Қосу: /addfeed URL [kk|ru|en] [politics]",
        "ru": "Источников нет. Добавить: /addfeed URL [kk|ru|en] [politics]",
        "en": "No sources yet. Add one: /addfeed URL [kk|ru|en] [politics]",
    },
    "feed_entry": {
        "kk": (
            "<b>{name}</b> · {language}{politics}\n<code>{id}</code> {url}\n"
            "Соңғы сәтті оқу: {success} · тәулігіне {per_day} жаңалық\n"
            "Соңғы қате: {error}\nКүйі: {state}"
        ),
        "ru": (
            "<b>{name}</b> · {language}{politics}\n<code>{id}</code> {url}\n"
            "Последний успех: {success} · новостей в сутки: {per_day}\n"
            "Последняя ошибка: {error}\nСостояние: {state}"
        ),
        "en": (
            "<b>{name}</b> · {language}{politics}\n<code>{id}</code> {url}\n"
            "Last success: {success} · items per day: {per_day}\n"
            "Last error: {error}\nState: {state}"
        ),
    },
    "feed_politics_tag": {
        "kk": " · бәрі саясат",
        "ru": " · всё — политика",
        "en": " · all politics",
    },
    "never": {"kk": "ешқашан", "ru": "никогда", "en": "never"},
    "feed_error_at": {"kk": "{when}: {error}", "ru": "{when}: {error}", "en": "{when}: {error}"},
    "feed_state_ok": {"kk": "✅ сау", "ru": "✅ исправен", "en": "✅ healthy"},
    "feed_state_backoff": {
        "kk": "⚠ қатарынан {failures} қате, келесі әрекет {next}",
        "ru": "⚠ {failures} ошибок подряд, следующая попытка {next}",
        "en": "⚠ {failures} failures in a row, backing off until {next}",
    },
    "feed_state_unhealthy": {
        "kk": "❌ ақаулы: қатарынан {failures} қате, келесі әрекет {next}",
        "ru": "❌ неисправен: {failures} ошибок подряд, следующая попытка {next}",
        "en": "❌ unhealthy: {failures} failures in a row, backing off until {next}",
    },
    "feed_state_paused": {
        "kk": "⏸ кідіртілген (/resumefeed {id})",
        "ru": "⏸ на паузе (/resumefeed {id})",
        "en": "⏸ paused (/resumefeed {id})",
    },
    "addfeed_usage": {
        "kk": (
            "Қолданылуы: /addfeed URL [kk|ru|en] [politics]\n"
            "Тіл — жаңалықтардың тілі (көрсетілмесе, өзім анықтаймын); politics — "
            "дереккөздің барлық жаңалығы саясат."
        ),
        "ru": (
            "Использование: /addfeed URL [kk|ru|en] [politics]\n"
            "Язык — язык новостей (если не указан, определю сам); politics — все новости "
            "источника о политике."
        ),
        "en": (
            "Usage: /addfeed URL [kk|ru|en] [politics]\n"
            "The language is the items' language (detected when left out); politics means "
            "every item of the source is about politics."
        ),
    },
    "addfeed_bad_url": {
        "kk": "«{detail}» — http(s) мекенжайы емес. Ештеңе сақталмады.",
        "ru": "«{detail}» — не адрес http(s). Ничего не сохранено.",
        "en": "“{detail}” is not an http(s) address. Nothing was saved.",
    },
    "addfeed_exists": {
        "kk": "Бұл дереккөз тізімде бар: {detail}.",
        "ru": "Этот источник уже в списке: {detail}.",
        "en": "This source is already in the list: {detail}.",
    },
    "addfeed_failed": {
        "kk": "Арнаны оқу мүмкін болмады ({detail}). Ештеңе сақталмады.",
        "ru": "Не удалось прочитать ленту ({detail}). Ничего не сохранено.",
        "en": "Could not read the feed ({detail}). Nothing was saved.",
    },
    "addfeed_unavailable": {
        "kk": "Дереккөздерді қазір тексере алмаймын (бот әлі іске қосылып жатыр). Кейінірек.",
        "ru": "Сейчас не могу проверить источник (бот ещё запускается). Попробуйте позже.",
        "en": "I cannot try feeds right now (the bot is still starting). Try again later.",
    },
    "addfeed_done": {
        "kk": (
            "Қосылды: <b>{title}</b> — {count} жаңалық, тілі {language}, бәрі саясат: "
            "{politics}.\nID: <code>{id}</code>"
        ),
        "ru": (
            "Добавлено: <b>{title}</b> — новостей: {count}, язык {language}, всё — "
            "политика: {politics}.\nID: <code>{id}</code>"
        ),
        "en": (
            "Added <b>{title}</b>: {count} items, language {language}, all politics: "
            "{politics}.\nID: <code>{id}</code>"
        ),
    },
    "feed_ref_usage": {
        "kk": "Дереккөзді ID-мен, мекенжайымен немесе атымен көрсетіңіз: /{command} ID (/feeds)",
        "ru": "Укажите источник по ID, адресу или названию: /{command} ID (/feeds)",
        "en": "Name the source by its ID, address or name: /{command} ID (see /feeds)",
    },
    "feed_not_found": {
        "kk": "«{ref}» деген дереккөз жоқ. Тізім: /feeds",
        "ru": "Источника «{ref}» нет. Список: /feeds",
        "en": "There is no source “{ref}”. The list: /feeds",
    },
    "feed_removed": {
        "kk": "Өшірілді: {name}.",
        "ru": "Удалено: {name}.",
        "en": "Removed {name}.",
    },
    "feed_paused": {
        "kk": "Кідіртілді: {name}. /resumefeed-ке дейін оқылмайды.",
        "ru": "Приостановлено: {name}. Не читается до /resumefeed.",
        "en": "Paused {name}: it is not read until /resumefeed.",
    },
    "feed_already_paused": {
        "kk": "{name} кідіртіліп қойған.",
        "ru": "{name} уже на паузе.",
        "en": "{name} already is paused.",
    },
    "feed_resumed": {
        "kk": "Жалғастырылды: {name}. Бір минут ішінде оқылады.",
        "ru": "Возобновлено: {name}. Будет прочитан в течение минуты.",
        "en": "Resumed {name}: it is read again within a minute.",
    },
    "feed_not_paused": {
        "kk": "{name} кідіртілмеген.",
        "ru": "{name} не на паузе.",
        "en": "{name} is not paused.",
    },
    "opml_caption": {
        "kk": "Дереккөздер: {count}. Бұл файлды маған жіберсеңіз, тізімге қосамын.",
        "ru": "Источников: {count}. Пришлите мне этот файл — добавлю их в список.",
        "en": "{count} sources. Send this file back to me to import it.",
    },
    "opml_imported": {
        "kk": "OPML импорты: {added} қосылды, {skipped} бұрыннан бар, {invalid} жарамсыз.",
        "ru": "Импорт OPML: добавлено {added}, уже были {skipped}, негодных {invalid}.",
        "en": "OPML import: {added} added, {skipped} already there, {invalid} not valid.",
    },
    "opml_bad": {
        "kk": "Бұл файл OPML тізімі ретінде оқылмайды: {reason}. Ештеңе импортталмады.",
        "ru": "Этот файл не читается как список OPML: {reason}. Ничего не импортировано.",
        "en": "This file is not a usable OPML list: {reason}. Nothing was imported.",
    },
    "opml_too_big": {
        "kk": "Файл тым үлкен ({limit} КБ-тан асады). Ештеңе импортталмады.",
        "ru": "Файл слишком большой (больше {limit} КБ). Ничего не импортировано.",
        "en": "The file is too large (over {limit} KB). Nothing was imported.",
    },
    # --- stats and broadcast --------------------------------------------------------------
    "stats": {
        "kk": (
            "<b>Статистика</b>\n"
            "Жазылушылар: белсенді {active}, кідіртілген {paused}, бұғаттаған {blocked}, "
            "жазылымнан шыққан {stopped}\n"
            "Арналар мен топтар: {channels}\n"
            "Бүгін жіберілді (UTC): дайджест хабарламалары {digests}, ескертулер {alerts}, "
            "таратылымдар {broadcasts}\n"
            "Бүгінгі жеткізу қателері: {failures}\n"
            "Қайталанған әрекеттер: {retries}\n"
            "Дереккөздер: сау {healthy}, ақаулы {unhealthy}, кідіртілген {feeds_paused}\n"
            "Сақталған мақалалар: {articles}, оның саясат — {share}%\n"
            "Кезекте: {queued}"
        ),
        "ru": (
            "<b>Статистика</b>\n"
            "Подписчики: активных {active}, на паузе {paused}, заблокировали {blocked}, "
            "отписались {stopped}\n"
            "Каналы и группы: {channels}\n"
            "Отправлено сегодня (UTC): сообщений дайджеста {digests}, оповещений {alerts}, "
            "рассылок {broadcasts}\n"
            "Сбои доставки сегодня: {failures}\n"
            "Повторные попытки: {retries}\n"
            "Источники: исправны {healthy}, со сбоями {unhealthy}, на паузе {feeds_paused}\n"
            "Статей хранится: {articles}, из них политика — {share}%\n"
            "В очереди: {queued}"
        ),
        "en": (
            "<b>Statistics</b>\n"
            "Subscribers: {active} active, {paused} paused, {blocked} blocked, "
            "{stopped} unsubscribed\n"
            "Channels and groups: {channels}\n"
            "Sent today (UTC): {digests} digest messages, {alerts} alerts, "
            "{broadcasts} broadcasts\n"
            "Delivery failures today: {failures}\n"
            "Retried attempts: {retries}\n"
            "Sources: {healthy} healthy, {unhealthy} unhealthy, {feeds_paused} paused\n"
            "Articles stored: {articles}, politics {share}%\n"
            "Waiting in the outbox: {queued}"
        ),
    },
    "broadcast_usage": {
        "kk": "Мәтінді командадан кейін жазыңыз: /broadcast Хабарландыру мәтіні",
        "ru": "Напишите текст после команды: /broadcast Текст объявления",
        "en": "Write the text after the command: /broadcast The announcement",
    },
    "broadcast_too_long": {
        "kk": "Мәтін тым ұзын: {limit} таңбадан аспасын.",
        "ru": "Текст слишком длинный: не больше {limit} символов.",
        "en": "The text is too long: {limit} characters at most.",
    },
    "broadcast_confirm": {
        "kk": "Бұл хабарлама {count} жазылушыға кетеді. Жіберейін бе?",
        "ru": "Это сообщение получат подписчиков: {count}. Отправить?",
        "en": "This message goes to {count} subscribers. Send it?",
    },
    "btn_broadcast_send": {
        "kk": "✅ Жіберу ({count})",
        "ru": "✅ Отправить ({count})",
        "en": "✅ Send ({count})",
    },
    "btn_cancel": {"kk": "✕ Бас тарту", "ru": "✕ Отмена", "en": "✕ Cancel"},
    "broadcast_queued": {
        "kk": "Кезекке қойылды: {count} жазылушы алады.",
        "ru": "Поставлено в очередь: получат подписчиков — {count}.",
        "en": "Queued: {count} subscribers will get it.",
    },
    "broadcast_cancelled": {
        "kk": "Таратылым тоқтатылды, ештеңе жіберілмеді.",
        "ru": "Рассылка отменена, ничего не отправлено.",
        "en": "Broadcast cancelled; nothing was sent.",
    },
    # --- channels -------------------------------------------------------------------------
    "channels_usage": {
        "kk": (
            "<b>Арналар мен топтар</b>\n"
            "/channels list — тізім\n"
            "/channels add @атау [тақырып ID] — қосу (бот пен сіз сол чаттың әкімшісі "
            "болуыңыз керек)\n"
            "/channels set ID баптау мән — time 08:00 · tz Asia/Almaty · lang kk,ru · "
            "sources all · size 10 · topic ID|none · ui kk|ru|en\n"
            "/channels test ID — дайджестті қазір жариялау\n"
            "/channels remove ID — ажырату"
        ),
        "ru": (
            "<b>Каналы и группы</b>\n"
            "/channels list — список\n"
            "/channels add @имя [ID темы] — подключить (бот и вы должны быть "
            "администраторами этого чата)\n"
            "/channels set ID настройка значение — time 08:00 · tz Asia/Almaty · "
            "lang kk,ru · sources all · size 10 · topic ID|none · ui kk|ru|en\n"
            "/channels test ID — опубликовать дайджест сейчас\n"
            "/channels remove ID — отключить"
        ),
        "en": (
            "<b>Channels and groups</b>\n"
            "/channels list — the list\n"
            "/channels add @name [topic ID] — connect (the bot and you must be "
            "administrators of that chat)\n"
            "/channels set ID setting value — time 08:00 · tz Asia/Almaty · lang kk,ru · "
            "sources all · size 10 · topic ID|none · ui kk|ru|en\n"
            "/channels test ID — post a digest now\n"
            "/channels remove ID — disconnect"
        ),
    },
    "channels_empty": {
        "kk": "Бот әзірге ешбір арнаға не топқа жарияламайды. Қосу: /channels add @атау",
        "ru": "Бот пока не публикует ни в один канал или группу. Добавить: /channels add @имя",
        "en": "The bot posts to no channel or group yet. Add one: /channels add @name",
    },
    "channel_entry": {
        "kk": (
            "<b>{title}</b> · {ref} · <code>{id}</code>\n"
            "Дайджест: {time} ({tz}), тілдер {languages}, дереккөздер {sources}, "
            "көлемі {size}, тақырып {topic}, интерфейс {ui}\n"
            "Келесі: {next} · {status}"
        ),
        "ru": (
            "<b>{title}</b> · {ref} · <code>{id}</code>\n"
            "Дайджест: {time} ({tz}), языки {languages}, источники {sources}, "
            "размер {size}, тема {topic}, интерфейс {ui}\n"
            "Следующий: {next} · {status}"
        ),
        "en": (
            "<b>{title}</b> · {ref} · <code>{id}</code>\n"
            "Digest: {time} ({tz}), languages {languages}, sources {sources}, "
            "size {size}, topic {topic}, UI {ui}\n"
            "Next: {next} · {status}"
        ),
    },
    "channel_status_ok": {"kk": "белсенді", "ru": "активен", "en": "active"},
    "channel_status_blocked": {
        "kk": "⚠ Telegram жеткізбейді (бот шығарылған ба?)",
        "ru": "⚠ Telegram не доставляет (бота удалили?)",
        "en": "⚠ Telegram refuses delivery (was the bot removed?)",
    },
    "channel_bad_ref": {
        "kk": "«{ref}» — чат емес: @атау немесе сандық ID жазыңыз.",
        "ru": "«{ref}» — не чат: укажите @имя или числовой ID.",
        "en": "“{ref}” is not a chat: give its @name or numeric id.",
    },
    "channel_not_found": {
        "kk": "Telegram {ref} чатын білмейді немесе бот онда жоқ. Ештеңе сақталмады.",
        "ru": "Telegram не знает чат {ref}, или бота в нём нет. Ничего не сохранено.",
        "en": "Telegram does not know the chat {ref}, or the bot is not in it. Nothing was saved.",
    },
    "channel_private": {
        "kk": "{ref} — жеке чат; тек арналар мен топтар. Ештеңе сақталмады.",
        "ru": "{ref} — личный чат; только каналы и группы. Ничего не сохранено.",
        "en": "{ref} is a private chat; channels and groups only. Nothing was saved.",
    },
    "channel_user_not_admin": {
        "kk": "Сіз «{title}» әкімшісі емессіз, сондықтан оны қоса алмайсыз. Ештеңе сақталмады.",
        "ru": "Вы не администратор «{title}», поэтому не можете его подключить. Ничего не сохранено.",
        "en": "You are not an administrator of “{title}”, so you cannot connect it. Nothing was saved.",
    },
    "channel_bot_not_admin": {
        "kk": (
            "Бот «{title}» арнасының әкімшісі емес. Оны хабарлама жариялау құқығымен әкімші "
            "етіп, қайталаңыз. Ештеңе сақталмады."
        ),
        "ru": (
            "Бот не администратор канала «{title}». Сделайте его администратором с правом "
            "публиковать сообщения и повторите. Ничего не сохранено."
        ),
        "en": (
            "The bot is not an administrator of “{title}”. Make it one with the right to post "
            "messages, then try again. Nothing was saved."
        ),
    },
    "channel_bot_cannot_post": {
        "kk": (
            "Бот «{title}» әкімшісі, бірақ хабарлама жариялай алмайды. Бұл құқықты беріп, "
            "қайталаңыз. Ештеңе сақталмады."
        ),
        "ru": (
            "Бот — администратор «{title}», но не может публиковать сообщения. Дайте ему это "
            "право и повторите. Ничего не сохранено."
        ),
        "en": (
            "The bot is an administrator of “{title}” but may not post messages. Give it that "
            "right, then try again. Nothing was saved."
        ),
    },
    "group_bot_not_member": {
        "kk": "Бот «{title}» тобында жоқ. Оны топқа қосып, қайталаңыз. Ештеңе сақталмады.",
        "ru": "Бота нет в группе «{title}». Добавьте его и повторите. Ничего не сохранено.",
        "en": "The bot is not a member of “{title}”. Add it, then try again. Nothing was saved.",
    },
    "group_bot_cannot_send": {
        "kk": (
            "Бот «{title}» тобында хабарлама жаза алмайды. Рұқсат беріп, қайталаңыз. "
            "Ештеңе сақталмады."
        ),
        "ru": (
            "Бот не может писать в группе «{title}». Разрешите и повторите. Ничего не сохранено."
        ),
        "en": (
            "The bot may not send messages in “{title}”. Allow it, then try again. "
            "Nothing was saved."
        ),
    },
    "channel_no_topics": {
        "kk": "«{title}» чатында тақырыптар жоқ: тақырып ID-сын көрсетпеңіз. Ештеңе сақталмады.",
        "ru": "В «{title}» нет тем: не указывайте ID темы. Ничего не сохранено.",
        "en": "“{title}” has no topics: leave the topic id out. Nothing was saved.",
    },
    "channel_added": {
        "kk": (
            "Қосылды: «{title}». Дайджест {time} ({tz}) сайын.\n"
            "Баптау: /channels set {id} time 08:00 · қазір көру: /channels test {id}"
        ),
        "ru": (
            "Подключено: «{title}». Дайджест каждый день в {time} ({tz}).\n"
            "Настроить: /channels set {id} time 08:00 · проверить сейчас: /channels test {id}"
        ),
        "en": (
            "Connected “{title}”. A digest every day at {time} ({tz}).\n"
            "Change: /channels set {id} time 08:00 · try it now: /channels test {id}"
        ),
    },
    "channel_unknown": {
        "kk": "{ref} бот жариялайтын чаттардың арасында жоқ. Тізім: /channels list",
        "ru": "{ref} нет среди чатов, куда пишет бот. Список: /channels list",
        "en": "{ref} is not among the chats the bot posts to. The list: /channels list",
    },
    "channel_removed": {
        "kk": "Ажыратылды: «{title}». Онда енді дайджест болмайды.",
        "ru": "Отключено: «{title}». Дайджестов там больше не будет.",
        "en": "Disconnected “{title}”: no more digests there.",
    },
    "channel_test_queued": {
        "kk": "«{title}» үшін дайджест кезекте, сәлден соң жарияланады.",
        "ru": "Дайджест для «{title}» в очереди и скоро будет опубликован.",
        "en": "A digest for “{title}” is queued and will be posted in a moment.",
    },
    "channel_set_usage": {
        "kk": (
            "/channels set ID баптау мән: time 08:00 · tz Asia/Almaty · lang kk,ru · "
            "sources all|Атау, Атау · size 5|10|20 · topic ID|none · ui kk|ru|en"
        ),
        "ru": (
            "/channels set ID настройка значение: time 08:00 · tz Asia/Almaty · lang kk,ru · "
            "sources all|Имя, Имя · size 5|10|20 · topic ID|none · ui kk|ru|en"
        ),
        "en": (
            "/channels set ID setting value: time 08:00 · tz Asia/Almaty · lang kk,ru · "
            "sources all|Name, Name · size 5|10|20 · topic ID|none · ui kk|ru|en"
        ),
    },
    "channel_set_bad": {
        "kk": "«{value}» — {what} үшін жарамсыз мән. Ештеңе өзгермеді.",
        "ru": "«{value}» — неподходящее значение для {what}. Ничего не изменено.",
        "en": "“{value}” is not a valid {what}. Nothing was changed.",
    },
    "channel_unknown_source": {
        "kk": "«{value}» деген дереккөз жоқ (/feeds). Ештеңе өзгермеді.",
        "ru": "Источника «{value}» нет (/feeds). Ничего не изменено.",
        "en": "There is no source “{value}” (see /feeds). Nothing was changed.",
    },
    "channel_saved": {
        "kk": "«{title}» үшін сақталды. Келесі дайджест: {when}.",
        "ru": "Сохранено для «{title}». Следующий дайджест: {when}.",
        "en": "Saved for “{title}”. Next digest: {when}.",
    },
    "button_expired": {
        "kk": "Бұл батырма ескірген.",
        "ru": "Эта кнопка устарела.",
        "en": "This button has expired.",
    },
}

# The command menu (setMyCommands) per language.
COMMANDS: Final[dict[str, list[tuple[str, str]]]] = {
    "kk": [
        ("start", "Жазылу"),
        ("digest", "Дайджест қазір"),
        ("search", "Мақалаларды іздеу"),
        ("alerts", "Кілт сөздер"),
        ("settings", "Баптаулар"),
        ("language", "Тілді өзгерту"),
        ("help", "Анықтама"),
        ("stop", "Жазылымнан шығу"),
    ],
    "ru": [
        ("start", "Подписаться"),
        ("digest", "Дайджест сейчас"),
        ("search", "Поиск по статьям"),
        ("alerts", "Ключевые слова"),
        ("settings", "Настройки"),
        ("language", "Сменить язык"),
        ("help", "Справка"),
        ("stop", "Отписаться"),
    ],
    "en": [
        ("start", "Subscribe"),
        ("digest", "The digest now"),
        ("search", "Search articles"),
        ("alerts", "Keyword alerts"),
        ("settings", "Settings"),
        ("language", "Change language"),
        ("help", "Help"),
        ("stop", "Unsubscribe"),
    ],
}


# Added to the menu of owners and admins only (BotCommandScopeChat).
ADMIN_COMMANDS: Final[dict[str, list[tuple[str, str]]]] = {
    "kk": [
        ("feeds", "Дереккөздер және күйі"),
        ("channels", "Арналар мен топтар"),
        ("stats", "Статистика"),
        ("broadcast", "Барлық жазылушыға хабарлама"),
        ("audit", "Әкімшілер әрекеттері"),
        ("admins", "Әкімшілер"),
    ],
    "ru": [
        ("feeds", "Источники и их состояние"),
        ("channels", "Каналы и группы"),
        ("stats", "Статистика"),
        ("broadcast", "Сообщение всем подписчикам"),
        ("audit", "Действия администраторов"),
        ("admins", "Администраторы"),
    ],
    "en": [
        ("feeds", "Sources and their health"),
        ("channels", "Channels and groups"),
        ("stats", "Statistics"),
        ("broadcast", "A message to every subscriber"),
        ("audit", "Admin actions"),
        ("admins", "Administrators"),
    ],
}


def text(key: str, lang: str, **values: object) -> str:
    """The UI string `key` in `lang` (Kazakh when unknown), values HTML-escaped."""
    variants = _TEXTS[key]
    template = variants.get(lang) or variants["kk"]
    return template.format(**{k: html.escape(str(v)) for k, v in values.items()})


def all_keys() -> list[str]:
    return list(_TEXTS)
