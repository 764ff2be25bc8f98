"""Every user-facing text, one dict per language. Values are HTML (parse_mode=HTML):
anything coming from a user or a vacancy must be escaped before it is formatted in."""

from __future__ import annotations

from recommender.data.cities import city_by_id

# Experience and schedule names are the library's (the chart and the CLI table show the same);
# named here too because every screen of the bot takes its words from this module.
from recommender.data.models import EXPERIENCE_LABELS as EXPERIENCE_LABELS
from recommender.data.models import SCHEDULE_LABELS as SCHEDULE_LABELS
from recommender.data.money import RUSSIAN_PAY, PayWords

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"

RU: dict[str, str] = {
    "greeting": (
        "Привет! Я помогаю студентам найти работу по навыкам.\n"
        "По нескольким навыкам я скажу, какая специализация вам ближе, покажу подходящие вакансии hh.ru "
        "(какие навыки у вас есть, а каких не хватает), что стоит изучить и сколько можно зарабатывать."
    ),
    "ask_skills": "Перечислите навыки через запятую, например: <code>python, sql, excel</code>",
    "ask_city": "В каком городе ищете работу?",
    "ask_city_text": "Напишите название города:",
    "ask_experience": "Какой у вас опыт работы?",
    "ask_schedule": "Какой график подходит?",
    "city_again": (
        "Не нашёл такой город. Выберите кнопкой или напишите название: <code>спб</code>, "
        "<code>в Казани</code>. Навыки меняются командой /skills."
    ),
    "city_text_again": "Не похоже на название города. Напишите его буквами, например: <code>Тверь</code>.",
    "experience_again": (
        "Не понял, какой опыт. Выберите кнопкой или напишите: <code>без опыта</code>, <code>1-3 года</code>, "
        "<code>больше 6</code>. Навыки меняются командой /skills."
    ),
    "schedule_again": (
        "Не понял, какой график. Выберите кнопкой или напишите: <code>удалёнка</code>, <code>офис</code>, "
        "<code>сменный</code>. Навыки меняются командой /skills."
    ),
    "setting_typed": "Сохранил в настройках: {what}. Навыки прежние, их меняет /skills.",
    "any_city": "Любой город",
    "other_city": "Другой…",
    "any": "Не важно",
    "skip": "Пропустить",
    "empty_input": (
        "Не вижу текста. Перечислите навыки через запятую, например: <code>python, sql, excel</code>"
    ),
    "not_text": (
        "Я понимаю только текст. Перечислите навыки через запятую, например: <code>python, sql, excel</code>"
    ),
    "too_long_note": "Текст длинный — я прочитал первые {limit} символов.",
    "model_missing": "Модель ещё обучается — попробуйте через несколько минут.",
    "model_broken": "Модель недоступна, администратор уведомлён. Попробуйте позже.",
    "skills_kept": "Ваши навыки я сохранил: отвечу на них, как только модель заработает.",
    "admin_model_broken": (
        "⚠️ Модель не загружается, пользователи получают «модель недоступна»:\n<code>{problem}</code>"
    ),
    "admin_disk_full": (
        "⚠️ На диске базы данных кончилось место: ответы идут, но ничего не сохраняется "
        "(навыки, настройки, /forget), пока место не освободят:\n<code>{problem}</code>"
    ),
    "storage_full": (
        "Не удалось сохранить: на сервере закончилось место. Ничего не изменилось; "
        "попробуйте позже, администратор уже знает."
    ),
    "answer_not_stored": (
        "<i>На сервере кончилось место: этот ответ и навыки из него не сохранены, "
        "поэтому кнопок под ним нет.</i>"
    ),
    "thinking": "Подбираю…",
    "recognized": "<b>Распознал навыки:</b> {skills}",
    "unknown": "<b>Не знаю:</b> {terms}",
    "did_you_mean": "{term} — может быть, {suggestions}?",
    "nothing_recognized": (
        "Я не узнал ни одного навыка. Попробуйте назвать их как в вакансиях, через запятую, например: "
        "<code>python, sql, excel</code> или <code>figma, photoshop, ux</code>."
    ),
    "specialization": "<b>Ваша специализация:</b> {label}",
    "specialization_skills": "Чаще всего в ней спрашивают: {skills}",
    "sector_thin": "<i>Вакансий в области «{sector}» в наших данных мало ({count}): ответ приблизительный, "
    "смотрите и свежие вакансии по ссылкам ниже.</i>",
    "vacancies_header": "<b>Вакансии</b> ({start}–{end} из {total}):",
    "no_vacancies": "Подходящих вакансий не нашлось.",
    "no_vacancies_filtered": (
        "С вашими фильтрами (город, опыт, график) вакансий не нашлось — показываю без них."
    ),
    "no_more": "Больше вакансий нет.",
    "salary_unknown": "з/п не указана",
    "salary_money_year": "(в рублях {year} г.)",
    "have": "✓ есть: {skills}",
    "lack": "✗ не хватает: {skills}",
    "learn_header": "<b>Что изучить</b> (доля вакансий, где это спрашивают):",
    "more": "Ещё вакансии ▶",
    "back": "◀ Назад",
    "salary_button": "💰 Зарплата",
    "thanks_feedback": "Спасибо за оценку!",
    "salary_header": "<b>Оценка зарплаты</b> (₽ в месяц на руки, медиана [25–75%]) для: {skills}",
    "salary_thin": "≈ — мало данных, оценка приблизительная.",
    "salary_years": "опыт, лет",
    "salary_none": "Не получилось оценить зарплату для этих навыков.",
    "salary_caption": "Оценка зарплаты: график × опыт",
    "salary_yours": "<b>Ваш опыт и график</b> ({schedule}, {experience}): {value}",
    "salary_lead": "<b>{schedule}</b>, медиана [25–75%]:",
    "salary_marks": "[ ] — ваш опыт и график.",
    "salary_calibrated": "Уровень сверен с вакансиями из списка с вашими опытом и графиком, "
    "{where}с зарплатой: {n}.",
    "salary_calibrated_city": "в вашем городе, ",
    "salary_rare": "Редко в этой области, не показаны: {names}.",
    "salary_period": "По вакансиям hh.ru ({period}), в рублях {money} г.",
    "salary_period_estimate": "По вакансиям hh.ru ({period}), пересчёт в рубли {money} г. по росту средней "
    "зарплаты (Росстат) — оценка.",
    "skills_saved_none": (
        "Навыки ещё не сохранены. Пришлите их через запятую или командой <code>/skills python, sql</code>."
    ),
    "skills_saved": "<b>Ваши навыки:</b> {skills}",
    "skills_updated": "Навыки сохранены.",
    "need_skills": "Сначала пришлите навыки через запятую, например: <code>python, sql, excel</code>",
    "digest_status_on": "Вы подписаны на подборку новых вакансий: {frequency}.",
    "digest_status_off": "Подборка новых вакансий по вашим навыкам. Как часто присылать?",
    "digest_daily": "каждый день",
    "digest_weekly": "раз в неделю",
    "digest_off": "Отписаться",
    "digest_subscribed": "Готово: подборка {frequency}.",
    "digest_unsubscribed": "Вы отписались от подборки.",
    "settings_header": (
        "<b>Настройки</b>\nЯзык: {language}\nГород: {city}\nОпыт: {experience}\nГрафик: {schedule}"
    ),
    "settings_language": "Язык",
    "settings_city": "Город",
    "settings_experience": "Опыт",
    "settings_schedule": "График",
    "settings_saved": "Сохранено.",
    "not_set": "любой",
    "forget_confirm": "Удалить всё, что я о вас храню (навыки, настройки, историю запросов, подписки)?",
    "forget_yes": "Да, удалить",
    "forget_no": "Нет",
    "forget_done": "Готово: всё удалено. Чтобы начать заново, нажмите /start.",
    "forget_cancelled": "Ничего не удалил.",
    "help": (
        "<b>Что я умею</b>\n"
        "Пришлите навыки через запятую — я покажу специализацию, вакансии, что изучить и зарплату.\n\n"
        "/start — начать сначала\n/skills — мои навыки (или <code>/skills python, sql</code> — заменить)\n"
        "/jobs — вакансии по моим навыкам\n/salary — оценка зарплаты\n/digest — подписка на новые вакансии\n"
        "/saved — сохранённые вакансии\n"
        "/settings — язык, город, опыт, график\n/forget — удалить мои данные\n/cancel — отменить текущий шаг"
    ),
    "cancelled": "Отменено. Пришлите навыки, когда будете готовы.",
    "unknown_command": "Не знаю такой команды. Список команд — /help",
    "stale_button": "Эта кнопка устарела. Начните заново: /start",
    "rate_limited": "Слишком много сообщений подряд — подождите несколько секунд.",
    "error": "Извините, что-то пошло не так. Попробуйте ещё раз чуть позже.",
    "stats": (
        "<b>Статистика</b>\nПользователей: {users} (активных за 7 дней: {active}, заблокировали: {blocked})\n"
        "Подписок: {subscriptions}\nОценки: 👍 {likes} / 👎 {dislikes}\nЗапросы по дням:\n{per_day}\n"
        "Модель: {model}\n{metrics}"
    ),
    "stats_gate": "Гейт качества: {gate}",
    "stats_sources": "\nСбор вакансий:\n{lines}",
    "strong_count": "сильных совпадений: {count}",
    "weaker_header": "<i>Дальше — слабее: есть только часть ваших навыков.</i>",
    "senior_mark": "⚠️ <i>для опытных</i>",
    "published_today": "сегодня",
    "published_yesterday": "вчера",
    "published_days_ago": "{days} {word} назад",
    "data_period": "<i>Вакансии опубликованы с {first} по {last}.</i>",
    "stale_vacancies": "<b>Вакансии собраны до {date} — многие уже закрыты.</b> Свежие — по ссылкам внизу.",
    "live_links": 'Свежие вакансии: <a href="{hh}">hh.ru</a> · <a href="{trudvsem}">Работа России</a>',
    "posted_on": "🔗 Опубликована: {links}",
    "site_hh": "hh.ru",
    "site_trudvsem": "Работа России",
    "relaxed_min_salary": "С зарплатой от {minimum} таких нет — показываю без минимума.",
    "relaxed_with_salary": "С указанной зарплатой таких нет — показываю и без неё.",
    "relaxed_employment": "С занятостью «{employment}» таких нет — показываю любую.",
    "relaxed_remote": "{city}: таких нет — показываю удалённые по всей России.",
    "relaxed_area": "{city}: таких нет — показываю по всей России.",
    "relaxed_schedule": "С графиком «{schedule}» таких нет — показываю любой график.",
    "relaxed_experience": "С опытом «{experience}» таких нет — показываю любой опыт.",
    "sort_relevance": "По совпадению",
    "sort_salary": "По зарплате",
    "sort_date": "Сначала новые",
    "sort_date_old": "По дате",
    "filters_button": "⚙️ Фильтры",
    "actions_button": "⭐ Скрыть / сохранить",
    "filter_with_salary": "только с зарплатой",
    "filter_min_salary_value": "от {value}",
    "filter_min_salary": "Мин. зарплата: {value}",
    "filter_employment": "Занятость: {value}",
    "filter_any": "любая",
    "filter_done": "✓ Готово",
    "action_hide": "🙈 {n}",
    "action_save": "⭐ {n}",
    "action_reject": "👎 {n}",
    "actions_help": "🙈 — скрыть навсегда, ⭐ — сохранить (/saved), 👎 — не подходит",
    "hidden_done": "Скрыл — больше не покажу.",
    "saved_done": "Сохранил: список — /saved",
    "rejected_done": "Учту: не подходит.",
    "already_done": "Уже отмечено.",
    "saved_header": "<b>Сохранённые вакансии</b> ({count}):",
    "saved_none": "Сохранённых вакансий пока нет: нажмите ⭐ под вакансией в ответе.",
    "saved_published": "опубликована {date}",
    "saved_on": "сохранена {date}",
    "saved_remove_help": "✖ N — убрать вакансию N из списка.",
    "unsave_button": "✖ {n}",
    "unsaved_done": "Убрал из сохранённых.",
    "digest_header": "<b>Новые вакансии по вашим навыкам</b> ({skills}):",
    "digest_criteria": "<b>Критерии:</b> навыки — {skills}; фильтры — {filters}.",
    "digest_next_at": "Следующая подборка — не раньше {when}, когда появятся новые подходящие вакансии.",
    "zone_moscow": "МСК",
    "zone_local": "МСК{diff}, местное время",
    "digest_preview_empty": "Пока в ней ничего нет: новых подходящих вакансий не появилось.",
    "digest_example": "<b>Пример:</b> за последнюю неделю пришло бы:",
    "digest_edit_skills": "✏️ Навыки",
    "digest_edit_filters": "⚙️ Город, опыт, график",
    "back_to_digest": "◀ К подборке",
    "ask_new_skills": "Пришлите новые навыки командой, например: <code>/skills python, sql</code>",
    "welcome": (
        "Привет! Пришлите навыки через запятую — покажу специализацию, вакансии hh.ru, что изучить "
        "и сколько платят. Можно спросить и про профессию: <code>сколько получает тестировщик?</code>\n"
        "Или попробуйте пример:"
    ),
    "corrected": "Понял «{term}» как {skill}.",
    "title_as_field": "Понял «{title}» как профессию: её вакансии чаще всего просят {skills}.",
    "cmd_start": "начать",
    "cmd_skills": "мои навыки",
    "cmd_jobs": "вакансии по навыкам",
    "cmd_salary": "оценка зарплаты",
    "cmd_digest": "подписка на вакансии",
    "cmd_saved": "сохранённые вакансии",
    "cmd_settings": "настройки",
    "cmd_forget": "удалить мои данные",
    "cmd_help": "помощь",
    "cmd_cancel": "отменить",
}

EN: dict[str, str] = {
    "greeting": (
        "Hi! I help students find a job by their skills.\n"
        "From a few skills I tell you which specialization fits you, show matching hh.ru vacancies "
        "(with the skills you have and lack), what to learn next and what you can earn."
    ),
    "ask_skills": "List your skills separated by commas, e.g. <code>python, sql, excel</code>",
    "ask_city": "Which city are you looking in?",
    "ask_city_text": "Type the city name:",
    "ask_experience": "How much work experience do you have?",
    "ask_schedule": "Which schedule suits you?",
    "city_again": (
        "I don't know that city. Press a button or type its name: <code>Moscow</code>, "
        "<code>spb</code>. Skills are changed with /skills."
    ),
    "city_text_again": "That does not look like a city name. Type it in letters, e.g. <code>Tver</code>.",
    "experience_again": (
        "I did not get your experience. Press a button or type: <code>no experience</code>, "
        "<code>1-3 years</code>, <code>more than 6</code>. Skills are changed with /skills."
    ),
    "schedule_again": (
        "I did not get the schedule. Press a button or type: <code>remote</code>, <code>office</code>, "
        "<code>shifts</code>. Skills are changed with /skills."
    ),
    "setting_typed": "Saved to your settings: {what}. Your skills stay; /skills changes them.",
    "any_city": "Any city",
    "other_city": "Other…",
    "any": "Doesn't matter",
    "skip": "Skip",
    "empty_input": (
        "I see no text. List your skills separated by commas, e.g. <code>python, sql, excel</code>"
    ),
    "not_text": (
        "I understand text only. List your skills separated by commas, e.g. <code>python, sql, excel</code>"
    ),
    "too_long_note": "That is long: I read the first {limit} characters.",
    "model_missing": "The model is still training: try again in a few minutes.",
    "model_broken": "The model is unavailable; the administrator has been notified. Please try later.",
    "skills_kept": "I saved your skills and will use them as soon as the model works.",
    "admin_model_broken": (
        "⚠️ The model does not load; users are told it is unavailable:\n<code>{problem}</code>"
    ),
    "admin_disk_full": (
        "⚠️ The database's disk is full: answers go out but nothing is saved "
        "(skills, settings, /forget) until space is freed:\n<code>{problem}</code>"
    ),
    "storage_full": (
        "Could not save this: the server is out of disk space. Nothing changed; "
        "please try again later, the admin has been told."
    ),
    "answer_not_stored": (
        "<i>The server is out of disk space: this answer and its skills were not saved, "
        "so it has no buttons.</i>"
    ),
    "thinking": "Working on it…",
    "recognized": "<b>Skills recognized:</b> {skills}",
    "unknown": "<b>Unknown:</b> {terms}",
    "did_you_mean": "{term}: did you mean {suggestions}?",
    "nothing_recognized": (
        "I did not recognize any skill. Name them as vacancies do, separated by commas, e.g. "
        "<code>python, sql, excel</code> or <code>figma, photoshop, ux</code>."
    ),
    "specialization": "<b>Your specialization:</b> {label}",
    "specialization_skills": "Most asked for in it: {skills}",
    "sector_thin": "<i>Our data holds few vacancies in {sector} ({count}): the answer is approximate; "
    "see the fresh vacancies through the links below too.</i>",
    "vacancies_header": "<b>Vacancies</b> ({start}–{end} of {total}):",
    "no_vacancies": "No matching vacancies found.",
    "no_vacancies_filtered": (
        "Nothing matched your filters (city, experience, schedule): showing vacancies without them."
    ),
    "no_more": "No more vacancies.",
    "salary_unknown": "salary not stated",
    "salary_money_year": "(in {year} roubles)",
    "have": "✓ you have: {skills}",
    "lack": "✗ you lack: {skills}",
    "learn_header": "<b>Skills to learn</b> (share of vacancies asking for each):",
    "more": "More vacancies ▶",
    "back": "◀ Back",
    "salary_button": "💰 Salary",
    "thanks_feedback": "Thanks for the feedback!",
    "salary_header": "<b>Salary estimate</b> (RUB per month after tax, median [25–75%]) for: {skills}",
    "salary_thin": "≈ marks thin data: a rough estimate.",
    "salary_years": "years",
    "salary_none": "Could not estimate a salary for these skills.",
    "salary_caption": "Salary estimate: schedule × experience",
    "salary_yours": "<b>Your experience and schedule</b> ({schedule}, {experience}): {value}",
    "salary_lead": "<b>{schedule}</b>, median [middle 50%]:",
    "salary_marks": "[ ] marks your experience and schedule.",
    "salary_calibrated": "Level calibrated on {n} listed vacancies with a salary for your experience "
    "and schedule{where}.",
    "salary_calibrated_city": " in your city",
    "salary_rare": "Rare in this field, not shown: {names}.",
    "salary_period": "From hh.ru vacancies ({period}), in {money} roubles.",
    "salary_period_estimate": "From hh.ru vacancies ({period}), converted to {money} roubles by "
    "average wage growth (Rosstat): an estimate.",
    "skills_saved_none": (
        "No skills saved yet. Send them separated by commas or as <code>/skills python, sql</code>."
    ),
    "skills_saved": "<b>Your skills:</b> {skills}",
    "skills_updated": "Skills saved.",
    "need_skills": "First send your skills separated by commas, e.g. <code>python, sql, excel</code>",
    "digest_status_on": "You are subscribed to new vacancies: {frequency}.",
    "digest_status_off": "A digest of new vacancies for your skills. How often?",
    "digest_daily": "daily",
    "digest_weekly": "weekly",
    "digest_off": "Unsubscribe",
    "digest_subscribed": "Done: digest {frequency}.",
    "digest_unsubscribed": "You have unsubscribed from the digest.",
    "settings_header": (
        "<b>Settings</b>\nLanguage: {language}\nCity: {city}\nExperience: {experience}\nSchedule: {schedule}"
    ),
    "settings_language": "Language",
    "settings_city": "City",
    "settings_experience": "Experience",
    "settings_schedule": "Schedule",
    "settings_saved": "Saved.",
    "not_set": "any",
    "forget_confirm": "Delete everything I store about you (skills, settings, query history, subscriptions)?",
    "forget_yes": "Yes, delete",
    "forget_no": "No",
    "forget_done": "Done: everything is deleted. Press /start to begin again.",
    "forget_cancelled": "Nothing deleted.",
    "help": (
        "<b>What I do</b>\n"
        "Send your skills separated by commas: I show your specialization, "
        "vacancies, what to learn and salary.\n\n"
        "/start: start over\n/skills: my skills (or <code>/skills python, sql</code> to replace them)\n"
        "/jobs: vacancies for my skills\n/salary: salary estimate\n/digest: new vacancies subscription\n"
        "/saved: saved vacancies\n"
        "/settings: language, city, experience, schedule\n/forget: delete my data\n/cancel: cancel this step"
    ),
    "cancelled": "Cancelled. Send your skills when you are ready.",
    "unknown_command": "I don't know that command. See /help",
    "stale_button": "This button is out of date. Start again: /start",
    "rate_limited": "Too many messages in a row: please wait a few seconds.",
    "error": "Sorry, something went wrong. Please try again a bit later.",
    "stats": (
        "<b>Stats</b>\nUsers: {users} (active in 7 days: {active}, blocked: {blocked})\n"
        "Subscriptions: {subscriptions}\nFeedback: 👍 {likes} / 👎 {dislikes}\nQueries per day:\n{per_day}\n"
        "Model: {model}\n{metrics}"
    ),
    "stats_gate": "Quality gate: {gate}",
    "stats_sources": "\nCollection:\n{lines}",
    "strong_count": "strong matches: {count}",
    "weaker_header": "<i>Weaker matches from here: only some of your skills.</i>",
    "senior_mark": "⚠️ <i>for experienced</i>",
    "published_today": "today",
    "published_yesterday": "yesterday",
    "published_days_ago": "{days} {word} ago",
    "data_period": "<i>Vacancies published from {first} to {last}.</i>",
    "stale_vacancies": (
        "<b>Vacancies collected up to {date} — many are closed by now.</b> Fresh ones: links below."
    ),
    "live_links": 'Today\'s vacancies: <a href="{hh}">hh.ru</a> · <a href="{trudvsem}">Rabota Rossii</a>',
    "posted_on": "🔗 Posted on: {links}",
    "site_hh": "hh.ru",
    "site_trudvsem": "Rabota Rossii",
    "relaxed_min_salary": "Nothing paying {minimum} or more: showing without the minimum.",
    "relaxed_with_salary": "Nothing with a stated salary: showing those without one too.",
    "relaxed_employment": "Nothing with employment “{employment}”: showing any.",
    "relaxed_remote": "{city}: nothing found, showing remote vacancies anywhere in Russia.",
    "relaxed_area": "{city}: nothing found, showing vacancies anywhere in Russia.",
    "relaxed_schedule": "Nothing with schedule “{schedule}”: showing any schedule.",
    "relaxed_experience": "Nothing for experience “{experience}”: showing any experience.",
    "sort_relevance": "Best match",
    "sort_salary": "By salary",
    "sort_date": "Newest first",
    "sort_date_old": "By date",
    "filters_button": "⚙️ Filters",
    "actions_button": "⭐ Hide / save",
    "filter_with_salary": "salary stated",
    "filter_min_salary_value": "from {value}",
    "filter_min_salary": "Min. salary: {value}",
    "filter_employment": "Employment: {value}",
    "filter_any": "any",
    "filter_done": "✓ Done",
    "action_hide": "🙈 {n}",
    "action_save": "⭐ {n}",
    "action_reject": "👎 {n}",
    "actions_help": "🙈 hide for good, ⭐ save (/saved), 👎 not for me",
    "hidden_done": "Hidden: I won't show it again.",
    "saved_done": "Saved: see /saved",
    "rejected_done": "Noted: not for you.",
    "already_done": "Already done.",
    "saved_header": "<b>Saved vacancies</b> ({count}):",
    "saved_none": "No saved vacancies yet: press ⭐ under a vacancy in an answer.",
    "saved_published": "published {date}",
    "saved_on": "saved {date}",
    "saved_remove_help": "✖ N removes vacancy N from the list.",
    "unsave_button": "✖ {n}",
    "unsaved_done": "Removed from saved.",
    "digest_header": "<b>New vacancies for your skills</b> ({skills}):",
    "digest_criteria": "<b>Criteria:</b> skills: {skills}; filters: {filters}.",
    "digest_next_at": "Next digest: not before {when}, once new matching vacancies appear.",
    "zone_moscow": "Moscow time",
    "zone_local": "local time, UTC{utc}",
    "digest_preview_empty": "Nothing in it yet: no new matching vacancies so far.",
    "digest_example": "<b>Example:</b> the last week would have brought:",
    "digest_edit_skills": "✏️ Skills",
    "digest_edit_filters": "⚙️ City, experience, schedule",
    "back_to_digest": "◀ Back to the digest",
    "ask_new_skills": "Send your new skills as a command, e.g. <code>/skills python, sql</code>",
    "welcome": (
        "Hi! Send your skills separated by commas: I show your specialization, hh.ru vacancies, what to "
        "learn and what it pays. You can ask about a job too: <code>how much does a tester earn?</code>\n"
        "Or try an example:"
    ),
    "corrected": "Read “{term}” as {skill}.",
    "title_as_field": "Read “{title}” as a job: its vacancies ask most for {skills}.",
    "cmd_start": "start",
    "cmd_skills": "my skills",
    "cmd_jobs": "vacancies for my skills",
    "cmd_salary": "salary estimate",
    "cmd_digest": "new vacancies subscription",
    "cmd_saved": "saved vacancies",
    "cmd_settings": "settings",
    "cmd_forget": "delete my data",
    "cmd_help": "help",
    "cmd_cancel": "cancel",
}

TEXTS: dict[str, dict[str, str]] = {"ru": RU, "en": EN}

EMPLOYMENT_LABELS: dict[str, dict[str, str]] = {
    "ru": {"full": "полная", "part": "частичная", "probation": "стажировка", "project": "проектная"},
    "en": {"full": "full-time", "part": "part-time", "probation": "internship", "project": "project"},
}
MONTHS = {
    "ru": ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
# hh's salary_range.mode other than a month, as said after the amount.
# How published pay is written (recommender.data.money.format_pay): Russian is the library's own.
PAY_WORDS = {
    "ru": RUSSIAN_PAY,
    "en": PayWords(
        from_amount="from {amount}",
        up_to_amount="up to {amount}",
        gross="(before tax)",
        periods={
            "HOUR": "per hour", "SHIFT": "per shift", "SERVICE": "per job", "FLY_IN_FLY_OUT": "per rotation"
        },
        thousands=",",
        russian_symbols=False,
    ),
}
_PLURALS = {"day": {"ru": ("день", "дня", "дней"), "en": ("day", "days", "days")}}
LANGUAGE_LABELS = {"ru": "Русский", "en": "English"}
# The cities offered as buttons, the corpus's most common: (hh area id, Russian name, English name).
CITY_BUTTONS = ("1", "2", "4", "3", "88", "66")
CITIES: tuple[tuple[str, str, str], ...] = tuple(
    (c.area_id, c.name, c.name_en) for c in map(city_by_id, CITY_BUTTONS) if c is not None
)


def language_for(telegram_code: str | None) -> str:
    """Russian for Russian-language Telegram clients (and when unknown), English otherwise."""
    if not telegram_code:
        return DEFAULT_LANGUAGE
    return "ru" if telegram_code.lower().startswith("ru") else "en"


def t(lang: str, key: str, **values: object) -> str:
    table = TEXTS.get(lang, RU)
    template = table.get(key) or RU[key]
    return template.format(**values) if values else template


def plural(lang: str, n: int, word: str) -> str:
    """The word's form for the number: 1 день, 2 дня, 5 дней; 1 day, 2 days."""
    one, few, many = _PLURALS[word].get(lang, _PLURALS[word]["ru"])
    if lang != "ru":
        return one if n == 1 else few
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


def city_label(lang: str, city_id: str) -> str | None:
    city = city_by_id(city_id)
    return None if city is None else city.label(lang)


def city_name_ru(city_id: str) -> str | None:
    city = city_by_id(city_id)
    return None if city is None else city.name
