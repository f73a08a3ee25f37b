"""Every UI string, in English and Russian. One table; ``t(key, lang, **kwargs)`` looks up and formats.

A test checks that every key has both languages and that a Russian page shows no English string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from planner.core.errors import Amount, Count, Share

LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский"}
DEFAULT_LANG = "en"

TEXT: dict[str, dict[str, str]] = {
    # --- app shell ---------------------------------------------------------------------------
    "app.title": {"en": "Influencer media planner", "ru": "Медиапланер блогеров"},
    "app.settings": {"en": "Settings", "ru": "Настройки"},
    "app.language": {"en": "Language", "ru": "Язык"},
    "app.currency": {"en": "Currency", "ru": "Валюта"},
    "app.fx_caption": {"en": "Rates used: 1 $ = {usd} ₽, 1 € = {eur} ₽ (editable assumption)",
                       "ru": "Курсы: 1 $ = {usd} ₽, 1 € = {eur} ₽ (допущение, можно изменить)"},
    "app.fx_usd": {"en": "₽ per $", "ru": "₽ за $"},
    "app.fx_eur": {"en": "₽ per €", "ru": "₽ за €"},
    "app.db_caption": {"en": "Database: {db}", "ru": "База данных: {db}"},
    "app.db_error": {"en": "The database could not be opened: {error}",
                     "ru": "Не удалось открыть базу данных: {error}"},
    # --- sign-in, workspaces and roles (pages.common.account_gate) ----------------------------------
    "role.viewer": {"en": "viewer", "ru": "наблюдатель"},
    "role.planner": {"en": "planner", "ru": "планировщик"},
    "role.owner": {"en": "owner", "ru": "владелец"},
    "access.forbidden": {"en": "Your role in workspace «{ws}» is {role}: this needs the {needed} role. An owner of "
                                 "the workspace can change your role.",
                         "ru": "Ваша роль в рабочем пространстве «{ws}» — {role}: для этого нужна роль «{needed}». "
                               "Изменить роль может владелец пространства."},
    "access.no_workspace": {"en": "You are not a member of this workspace, or there is no such workspace: nothing of "
                                  "it is shown. Choose one of your workspaces in the sidebar.",
                            "ru": "Вы не участник этого рабочего пространства (или его нет): ничего из него не "
                                  "показывается. Выберите одно из своих пространств на боковой панели."},
    "access.needs": {"en": "Needs the {needed} role (your role here: {role}).",
                     "ru": "Нужна роль «{needed}» (ваша роль здесь — «{role}»)."},
    "ws.choose": {"en": "Workspace", "ru": "Рабочее пространство"},
    "ws.pick": {"en": "Choose a workspace", "ru": "Выберите пространство"},
    "ws.signed_in_as": {"en": "Signed in as {email}", "ru": "Вы вошли как {email}"},
    "ws.none": {"en": "You are signed in as {email}, but you are not a member of any workspace yet. Ask an owner of "
                      "your team's workspace to add you; an owner does it with this command:",
                "ru": "Вы вошли как {email}, но пока не состоите ни в одном рабочем пространстве. Попросите "
                      "владельца пространства вашей команды добавить вас; владелец делает это командой:"},
    "signin.text": {"en": "Sign in to see your team's workspaces: their campaigns, plans, scenarios and results.",
                    "ru": "Войдите, чтобы увидеть рабочие пространства вашей команды: кампании, медиапланы, "
                          "сценарии и результаты."},
    "signin.button": {"en": "Sign in", "ru": "Войти"},
    "signin.button_with": {"en": "Sign in with {provider}", "ru": "Войти через {provider}"},
    "signin.sign_out": {"en": "Sign out", "ru": "Выйти"},
    "signin.misconfigured": {"en": "Sign-in is not set up completely in .streamlit/secrets.toml: {error}",
                             "ru": "Вход настроен не полностью в .streamlit/secrets.toml: {error}"},
    "signin.unreadable": {"en": "The secrets file could not be read, so the app does not open: {error}",
                          "ru": "Не удалось прочитать файл секретов, поэтому приложение не открывается: {error}"},
    "signin.refused.no_email": {"en": "Your sign-in provider gave no e-mail address, and the app knows its users by "
                                      "their address. Ask whoever set up sign-in to request the address too.",
                                "ru": "Провайдер входа не передал адрес электронной почты, а приложение узнаёт "
                                      "пользователей по адресу. Попросите того, кто настраивал вход, запрашивать "
                                      "и адрес."},
    "signin.refused.unverified": {"en": "Your sign-in provider says the address {email} is not verified. Verify it "
                                        "with the provider and sign in again.",
                                  "ru": "Провайдер входа сообщает, что адрес {email} не подтверждён. Подтвердите его "
                                        "у провайдера и войдите снова."},
    "signin.refused.local": {"en": "The address {email} is the local user's, as whom nobody signs in. Sign in with "
                                   "your own address.",
                             "ru": "Адрес {email} принадлежит локальному пользователю, под ним не входят. Войдите "
                                   "со своим адресом."},
    "nav.database": {"en": "Database", "ru": "База блогеров"},
    "nav.plan": {"en": "Plan", "ru": "Медиаплан"},
    "nav.section": {"en": "Planner", "ru": "Планирование"},
    # --- values ------------------------------------------------------------------------------
    "platform.instagram": {"en": "Instagram", "ru": "Instagram"},
    "platform.youtube": {"en": "YouTube", "ru": "YouTube"},
    "platform.tiktok": {"en": "TikTok", "ru": "TikTok"},
    "platform.telegram": {"en": "Telegram", "ru": "Telegram"},
    "platform.vk": {"en": "VK", "ru": "ВКонтакте"},
    "platform.twitch": {"en": "Twitch", "ru": "Twitch"},
    "tier.nano": {"en": "Nano", "ru": "Нано"},
    "tier.micro": {"en": "Micro", "ru": "Микро"},
    "tier.mid": {"en": "Mid", "ru": "Средний"},
    "tier.macro": {"en": "Macro", "ru": "Макро"},
    "tier.mega": {"en": "Mega", "ru": "Мега"},
    "niche.beauty": {"en": "Beauty", "ru": "Красота"},
    "niche.fashion": {"en": "Fashion", "ru": "Мода"},
    "niche.food": {"en": "Food", "ru": "Еда"},
    "niche.travel": {"en": "Travel", "ru": "Путешествия"},
    "niche.tech": {"en": "Tech", "ru": "Технологии"},
    "niche.parenting": {"en": "Parenting", "ru": "Родительство"},
    "niche.fitness": {"en": "Fitness", "ru": "Фитнес"},
    "niche.gaming": {"en": "Gaming", "ru": "Игры"},
    "niche.finance": {"en": "Finance", "ru": "Финансы"},
    "niche.auto": {"en": "Auto", "ru": "Авто"},
    "niche.lifestyle": {"en": "Lifestyle", "ru": "Лайфстайл"},
    "niche.education": {"en": "Education", "ru": "Образование"},
    "niche.music": {"en": "Music", "ru": "Музыка"},
    "niche.humor": {"en": "Humor", "ru": "Юмор"},
    "niche.health": {"en": "Health", "ru": "Здоровье"},
    "niche.pets": {"en": "Pets", "ru": "Животные"},
    "niche.home": {"en": "Home", "ru": "Дом"},
    "niche.sport": {"en": "Sport", "ru": "Спорт"},
    "niche.business": {"en": "Business", "ru": "Бизнес"},
    "niche.art": {"en": "Art", "ru": "Искусство"},
    "format.post": {"en": "Post", "ru": "Пост"},
    "format.story": {"en": "Story", "ru": "Сторис"},
    "format.short": {"en": "Short video", "ru": "Короткое видео"},
    "format.video": {"en": "Video integration", "ru": "Интеграция в видео"},
    "flag.fraud": {"en": "Suspected fraud (credibility < 75 %)", "ru": "Подозрение на накрутку (качество < 75 %)"},
    "flag.profanity": {"en": "Profanity", "ru": "Нецензурная лексика"},
    "flag.competitor_ads": {"en": "Competitor ads (90 days)", "ru": "Реклама конкурентов (90 дней)"},
    "flag.alcohol": {"en": "Advertises alcohol", "ru": "Реклама алкоголя"},
    "flag.gambling": {"en": "Advertises gambling", "ru": "Реклама азартных игр"},
    "flag.pharma": {"en": "Advertises pharma", "ru": "Реклама лекарств"},
    "flag.tobacco": {"en": "Advertises tobacco", "ru": "Реклама табака"},
    "gender.female": {"en": "Women", "ru": "Женщины"},
    "gender.male": {"en": "Men", "ru": "Мужчины"},
    "age.13_17": {"en": "13–17", "ru": "13–17"},
    "age.18_24": {"en": "18–24", "ru": "18–24"},
    "age.25_34": {"en": "25–34", "ru": "25–34"},
    "age.35_44": {"en": "35–44", "ru": "35–44"},
    "age.45_plus": {"en": "45+", "ru": "45+"},
    "basis.followers": {"en": "by followers", "ru": "от подписчиков"},
    "basis.views": {"en": "by views", "ru": "от просмотров"},
    "any": {"en": "Any", "ru": "Любая"},
    "yes": {"en": "Yes", "ru": "Да"},
    "no": {"en": "No", "ru": "Нет"},
    "unknown": {"en": "unknown", "ru": "нет данных"},
    "measured": {"en": "measured", "ru": "измерено"},
    "estimated": {"en": "estimated", "ru": "оценка"},
    # --- database page -----------------------------------------------------------------------
    "db.title": {"en": "Blogger database", "ru": "База блогеров"},
    "db.sample_badge": {"en": "Sample data: synthetic bloggers, not real people",
                        "ru": "Демо-данные: вымышленные блогеры, не реальные люди"},
    "db.empty": {"en": "The database is empty. Import your list on the Import tab, or load the sample.",
                 "ru": "База пуста. Загрузите свой список на вкладке «Импорт» или демо-данные."},
    "db.load_sample": {"en": "Load the sample database", "ru": "Загрузить демо-базу"},
    "db.tab_browse": {"en": "Browse", "ru": "Поиск"},
    "db.tab_import": {"en": "Import", "ru": "Импорт"},
    "db.tab_export": {"en": "Export", "ru": "Экспорт"},
    "db.filters": {"en": "Filters", "ru": "Фильтры"},
    "db.more_filters": {"en": "More filters", "ru": "Ещё фильтры"},
    "db.reset_filters": {"en": "Reset filters", "ru": "Сбросить фильтры"},
    "db.platform": {"en": "Platform", "ru": "Платформа"},
    "db.niche": {"en": "Niche", "ru": "Тематика"},
    "db.tier": {"en": "Tier", "ru": "Категория"},
    "db.country": {"en": "Blogger's country", "ru": "Страна блогера"},
    "db.search": {"en": "Search handle, name or city", "ru": "Поиск по нику, имени или городу"},
    "db.followers": {"en": "Followers", "ru": "Подписчики"},
    "db.followers_min": {"en": "Followers from", "ru": "Подписчиков от"},
    "db.followers_max": {"en": "Followers up to", "ru": "Подписчиков до"},
    "db.er_min": {"en": "ER from, %", "ru": "ER от, %"},
    "db.er_max": {"en": "ER up to, %", "ru": "ER до, %"},
    "db.min_credibility": {"en": "Minimum credibility (real followers), %",
                           "ru": "Минимальное качество аудитории (живые подписчики), %"},
    "db.aud_country": {"en": "Audience country", "ru": "Страна аудитории"},
    "db.aud_country_min": {"en": "Share of audience in that country at least, %",
                           "ru": "Доля аудитории из этой страны не меньше, %"},
    "db.aud_gender": {"en": "Audience gender", "ru": "Пол аудитории"},
    "db.aud_gender_min": {"en": "Share of that gender at least, %", "ru": "Доля этого пола не меньше, %"},
    "db.aud_age": {"en": "Audience age", "ru": "Возраст аудитории"},
    "db.aud_age_min": {"en": "Share of that age at least, %", "ru": "Доля этого возраста не меньше, %"},
    "db.price_format": {"en": "Price of format", "ru": "Цена формата"},
    "db.price_min": {"en": "Price from, {sym}", "ru": "Цена от, {sym}"},
    "db.price_max": {"en": "Price up to, {sym}", "ru": "Цена до, {sym}"},
    "db.barter_only": {"en": "Accepts barter", "ru": "Принимает бартер"},
    "db.exclude": {"en": "Exclude brand-safety risks", "ru": "Исключить риски для бренда"},
    "db.tier_bounds": {"en": "Tier boundaries (followers): nano < {b0} ≤ micro < {b1} ≤ mid < {b2} ≤ macro < {b3} ≤ mega",
                       "ru": "Границы категорий (подписчики): нано < {b0} ≤ микро < {b1} ≤ средний < {b2} ≤ макро < {b3} ≤ мега"},
    "db.tier_bound_n": {"en": "Boundary {n}", "ru": "Граница {n}"},
    "db.matching": {"en": "Bloggers found", "ru": "Найдено блогеров"},
    "db.of_total": {"en": "of {total}", "ru": "из {total}"},
    "db.median_er": {"en": "Median ER", "ru": "Медианный ER"},
    "db.median_cpm": {"en": "Median CPM", "ru": "Медианный CPM"},
    "db.total_reach": {"en": "Sum of reaches", "ru": "Сумма охватов"},
    "db.total_reach_help": {"en": "One regular placement with each blogger found, before deduplication.",
                            "ru": "По одному обычному размещению у каждого найденного блогера, без дедупликации."},
    "db.sort": {"en": "Sort by", "ru": "Сортировать по"},
    "db.descending": {"en": "Largest first", "ru": "По убыванию"},
    "db.page": {"en": "Page", "ru": "Страница"},
    "db.rows_shown": {"en": "Rows {start}–{end} of {total}", "ru": "Строки {start}–{end} из {total}"},
    "db.no_match": {"en": "No blogger matches these filters. Loosen one of them.",
                    "ru": "Ни один блогер не подходит под фильтры. Ослабьте какой-нибудь из них."},
    "db.select_hint": {"en": "Select a row to see the blogger's card.",
                       "ru": "Выберите строку, чтобы открыть карточку блогера."},
    "db.estimated_legend": {"en": "≈ marks an estimate from benchmarks; other figures are measured.",
                            "ru": "≈ — оценка по бенчмаркам; остальные цифры измерены."},
    # table columns
    "col.handle": {"en": "Handle", "ru": "Ник"},
    "col.name": {"en": "Name", "ru": "Имя"},
    "col.platform": {"en": "Platform", "ru": "Платформа"},
    "col.country": {"en": "Country", "ru": "Страна"},
    "col.niches": {"en": "Niches", "ru": "Тематики"},
    "col.tier": {"en": "Tier", "ru": "Категория"},
    "col.followers": {"en": "Followers", "ru": "Подписчики"},
    "col.er": {"en": "ER, %", "ru": "ER, %"},
    "col.credibility": {"en": "Credibility, %", "ru": "Качество, %"},
    "col.reach_post": {"en": "Reach of a post", "ru": "Охват поста"},
    "col.price_main": {"en": "Price of the main format", "ru": "Цена основного формата"},
    "col.cpm_main": {"en": "CPM of the main format", "ru": "CPM основного формата"},
    "col.barter": {"en": "Barter", "ru": "Бартер"},
    "col.flags": {"en": "Risks", "ru": "Риски"},
    "col.estimated": {"en": "Estimated", "ru": "Оценено"},
    # card
    "card.title": {"en": "Blogger card", "ru": "Карточка блогера"},
    "card.figures": {"en": "Figures", "ru": "Показатели"},
    "card.figure": {"en": "Figure", "ru": "Показатель"},
    "card.value": {"en": "Value", "ru": "Значение"},
    "card.source": {"en": "Source", "ru": "Источник"},
    "card.avg_views": {"en": "Average views", "ru": "Средние просмотры"},
    "card.avg_likes": {"en": "Average likes", "ru": "Средние лайки"},
    "card.avg_comments": {"en": "Average comments", "ru": "Средние комментарии"},
    "card.er": {"en": "Engagement rate ({basis})", "ru": "Вовлечённость ({basis})"},
    "card.credibility": {"en": "Credibility (real followers)", "ru": "Качество аудитории (живые подписчики)"},
    "card.reach_post": {"en": "Reach of a post", "ru": "Охват поста"},
    "card.reach_story": {"en": "Reach of a story", "ru": "Охват сторис"},
    "card.price": {"en": "Price: {fmt}", "ru": "Цена: {fmt}"},
    "card.barter": {"en": "Barter", "ru": "Бартер"},
    "card.barter_yes": {"en": "accepts, products from {value}", "ru": "принимает, продукт от {value}"},
    "card.reliability": {"en": "Deals completed / cancelled", "ru": "Сделок выполнено / отменено"},
    "card.contact": {"en": "Contact", "ru": "Контакт"},
    "card.updated": {"en": "Data updated", "ru": "Данные обновлены"},
    "card.fair_price": {"en": "Fair-price check of the {fmt} quote", "ru": "Проверка цены: {fmt}"},
    "card.fair_range": {"en": "Expected for a {tier} {platform} blogger: {low} – {high} (tier price band {band_low} – {band_high}; published CPM gives {cpm_low} – {cpm_high} for the expected impressions). This quote implies a CPM of {cpm}.",
                        "ru": "Ожидаемо для блогера категории «{tier}» в {platform}: {low} – {high} (диапазон цен категории {band_low} – {band_high}; опубликованный CPM даёт {cpm_low} – {cpm_high} за ожидаемые показы). Эта цена даёт CPM {cpm}."},
    "verdict.below": {"en": "Below the usual range: check what is included.",
                      "ru": "Ниже обычного: уточните, что входит в цену."},
    "verdict.fair": {"en": "Within the usual range.", "ru": "В пределах обычного диапазона."},
    "verdict.above": {"en": "Above the usual range: room to negotiate.",
                      "ru": "Выше обычного: есть что обсудить."},
    "verdict.unknown": {"en": "No benchmark to compare with.", "ru": "Не с чем сравнить: нет бенчмарка."},
    "verdict.far_above": {"en": "Far above its tier: more than 3× the usual price.",
                          "ru": "Сильно выше своей категории: больше чем в 3 раза."},
    "card.audience": {"en": "Audience", "ru": "Аудитория"},
    "card.age": {"en": "Age", "ru": "Возраст"},
    "card.gender": {"en": "Gender", "ru": "Пол"},
    "card.countries": {"en": "Top countries", "ru": "Топ стран"},
    "card.share": {"en": "Share, %", "ru": "Доля, %"},
    "card.no_audience": {"en": "No audience data for this blogger.", "ru": "Нет данных об аудитории."},
    "card.flags_none": {"en": "No brand-safety flags.", "ru": "Рисков для бренда не найдено."},
    "card.flags": {"en": "Brand-safety flags: {flags}", "ru": "Риски для бренда: {flags}"},
    # shortlist
    "sl.title": {"en": "Shortlist for the plan", "ru": "Шорт-лист для медиаплана"},
    "sl.add_selected": {"en": "Add selected to shortlist", "ru": "Добавить выбранных в шорт-лист"},
    "sl.add_page": {"en": "Add this page to shortlist", "ru": "Добавить страницу в шорт-лист"},
    "sl.clear": {"en": "Clear shortlist", "ru": "Очистить шорт-лист"},
    "sl.count": {"en": "{n} blogger in the shortlist|{n} bloggers in the shortlist",
                 "ru": "В шорт-листе {n} блогер|В шорт-листе {n} блогера|В шорт-листе {n} блогеров"},
    "sl.empty": {"en": "The shortlist is empty: select rows in the table and add them. The Plan page starts from it.",
                 "ru": "Шорт-лист пуст: выберите строки в таблице и добавьте их. С него начинается медиаплан."},
    "sl.remove": {"en": "Remove from shortlist", "ru": "Убрать из шорт-листа"},
    # import
    "imp.title": {"en": "Import your list", "ru": "Импорт своего списка"},
    "imp.help": {"en": "CSV or XLSX export from a spreadsheet or a tool. Russian and English headers are recognised; check the mapping before importing.",
                 "ru": "CSV или XLSX из таблицы или сервиса. Русские и английские заголовки распознаются; проверьте сопоставление перед импортом."},
    "imp.file": {"en": "File", "ru": "Файл"},
    "imp.platform": {"en": "Platform for rows without one", "ru": "Платформа для строк без неё"},
    "imp.none": {"en": "— from the file —", "ru": "— из файла —"},
    "imp.mapping": {"en": "Column mapping", "ru": "Сопоставление столбцов"},
    "imp.mapping_help": {"en": "Correct a column's field if the guess is wrong; corrections are remembered.",
                         "ru": "Исправьте поле, если догадка неверна; исправления запоминаются."},
    "imp.source_header": {"en": "Column in the file", "ru": "Столбец в файле"},
    "imp.field": {"en": "Field", "ru": "Поле"},
    "imp.ignore": {"en": "(ignore)", "ru": "(пропустить)"},
    "imp.rows_read": {"en": "Rows read", "ru": "Прочитано строк"},
    "imp.accepted": {"en": "Accepted", "ru": "Принято"},
    "imp.rejected": {"en": "Rejected", "ru": "Отклонено"},
    "imp.duplicates": {"en": "Exact duplicates dropped: {n}", "ru": "Удалено точных дублей: {n}"},
    "imp.rejected_rows": {"en": "Rejected rows", "ru": "Отклонённые строки"},
    "imp.row": {"en": "Row", "ru": "Строка"},
    "imp.column": {"en": "Column", "ru": "Столбец"},
    "imp.reason": {"en": "Reason", "ru": "Причина"},
    "imp.preview_rows": {"en": "Accepted rows (first 50)", "ru": "Принятые строки (первые 50)"},
    "imp.strict": {"en": "Strict: refuse the whole file if any row is rejected",
                   "ru": "Строго: отклонить весь файл, если отклонена хоть одна строка"},
    "imp.go": {"en": "Import {n} row|Import {n} rows",
               "ru": "Импортировать {n} строку|Импортировать {n} строки|Импортировать {n} строк"},
    "imp.done": {"en": "Imported: {inserted} new, {updated} updated.", "ru": "Импортировано: новых {inserted}, обновлено {updated}."},
    "imp.strict_refused": {"en": "Strict mode: {n} row rejected, nothing was imported.|"
                                 "Strict mode: {n} rows rejected, nothing was imported.",
                           "ru": "Строгий режим: отклонена {n} строка, ничего не импортировано.|"
                                 "Строгий режим: отклонены {n} строки, ничего не импортировано.|"
                                 "Строгий режим: отклонено {n} строк, ничего не импортировано."},
    "imp.unreadable": {"en": "This file cannot be read: {reason}", "ru": "Файл не читается: {reason}"},
    "imp.failed": {"en": "The import failed and nothing was written: {reason}",
                   "ru": "Импорт не удался, ничего не записано: {reason}"},
    "imp.remove_sample": {"en": "Remove the {n} sample blogger (keep my imported ones)|"
                                "Remove the {n} sample bloggers (keep my imported ones)",
                          "ru": "Удалить демо-данные: {n} блогер (мои импортированные останутся)|"
                                "Удалить демо-данные: {n} блогера (мои импортированные останутся)|"
                                "Удалить демо-данные: {n} блогеров (мои импортированные останутся)"},
    "imp.sample_removed": {"en": "Removed {n} sample blogger.|Removed {n} sample bloggers.",
                           "ru": "Удалён {n} демо-блогер.|Удалено {n} демо-блогера.|Удалено {n} демо-блогеров."},
    "imp.nothing": {"en": "No row can be imported.", "ru": "Нет строк для импорта."},
    # export
    "exp.title": {"en": "Export bloggers", "ru": "Экспорт блогеров"},
    "exp.help": {"en": "Canonical columns with the values as stored; figures the planner estimated go only in "
                       "estimated_* columns. Formulas in cells are neutralised.",
                 "ru": "Стандартные столбцы, значения как сохранены; оценки планировщика — только в столбцах "
                       "estimated_*. Формулы в ячейках обезврежены."},
    "exp.csv": {"en": "Download CSV", "ru": "Скачать CSV"},
    "exp.xlsx": {"en": "Download Excel", "ru": "Скачать Excel"},
    # plan page
    "plan.title": {"en": "Media plan", "ru": "Медиаплан"},
    "plan.tab_plan": {"en": "Plan", "ru": "План"},
    "plan.tab_saved": {"en": "Saved campaigns", "ru": "Сохранённые кампании"},
    "plan.source": {"en": "Plan on", "ru": "Планировать по"},
    "plan.source_shortlist": {"en": "The shortlist ({n})", "ru": "Шорт-листу ({n})"},
    "plan.source_filtered": {"en": "The filtered database", "ru": "Отфильтрованной базе"},
    "plan.source_linked": {"en": "The link's list ({n})", "ru": "Списку из ссылки ({n})"},
    "plan.link_bad": {"en": "The link's brief could not be read; the page shows its own brief instead.",
                      "ru": "Бриф из ссылки не прочитан; страница показывает свой бриф."},
    "scen.list_db": {"en": "the whole database", "ru": "всей базе"},
    "scen.list_filter": {"en": "the Database page's filtered set ({n} {n|blogger|bloggers})",
                         "ru": "отфильтрованной базе ({n} {n|блогер|блогера|блогеров})"},
    "scen.list_shortlist": {"en": "the shortlist ({n} {n|blogger|bloggers})", "ru": "шорт-листу ({n} {n|блогер|блогера|блогеров})"},
    "scen.list_upload": {"en": "the uploaded list {name} ({n} {n|blogger|bloggers})", "ru": "загруженному списку {name} ({n} {n|блогер|блогера|блогеров})"},
    "scen.list_note": {"en": "This scenario plans on {where}; bloggers locked in: {locks}, kicked out: {kicks} "
                             "(taken with the Plan page's brief).",
                       "ru": "Сценарий планируется по {where}: закреплено блогеров — {locks}, исключено — {kicks} "
                             "(взято из брифа «Медиаплана»)."},
    "scen.list_reset": {"en": "Plan on the whole database", "ru": "Планировать по всей базе"},
    "scen.no_plan_brief": {"en": "Open the Plan page first: its brief (list, locks and kick-outs included) is what "
                                 "this button takes.",
                           "ru": "Сначала откройте страницу «План»: кнопка берёт её бриф целиком (со списком, "
                                 "закреплёнными и исключёнными блогерами)."},
    "plan.budget": {"en": "Budget, {sym}", "ru": "Бюджет, {sym}"},
    "plan.budget_help": {"en": "The plan re-optimises as soon as the budget changes.",
                         "ru": "План пересчитывается сразу при изменении бюджета."},
    "plan.brief_caption": {"en": "The brief: change it and press “Build the plan”.",
                           "ru": "Бриф: измените и нажмите «Построить план»."},
    "plan.empty": {"en": "No placement fits this budget: the cheapest candidate costs {cheapest}.",
                   "ru": "Ни одно размещение не помещается в бюджет: самый дешёвый вариант стоит {cheapest}."},
    "plan.absorb": {"en": "The budget of {budget} is more than this list can take: every blogger in their dearest "
                          "placement costs {most} together, so the rest stays unspent. Widen the list or the brief "
                          "(platforms, formats, niches) to spend more.",
                    "ru": "Бюджет {budget} больше, чем может принять этот список: все блогеры в самых дорогих "
                          "размещениях стоят вместе {most}, остальное останется неизрасходованным. Расширьте список "
                          "или бриф (платформы, форматы, ниши), чтобы потратить больше."},
    "plan.pool_unknown_country": {"en": "country unknown", "ru": "страна неизвестна"},
    "plan.budget_empty": {"en": "Enter a budget to build the plan.",
                          "ru": "Введите бюджет, чтобы построить план."},
    "plan.goal": {"en": "Goal", "ru": "Цель"},
    "goal.awareness": {"en": "Awareness", "ru": "Узнаваемость"},
    "goal.engagement": {"en": "Engagement", "ru": "Вовлечённость"},
    "goal.traffic": {"en": "Traffic", "ru": "Трафик"},
    "goal.sales": {"en": "Sales", "ru": "Продажи"},
    "goal.leads": {"en": "Leads", "ru": "Лиды"},
    "plan.niches": {"en": "Niches of the brief", "ru": "Тематики брифа"},
    "plan.countries": {"en": "Target audience: countries", "ru": "Целевая аудитория: страны"},
    "plan.gender": {"en": "Target audience: gender", "ru": "Целевая аудитория: пол"},
    "plan.ages": {"en": "Target audience: age", "ru": "Целевая аудитория: возраст"},
    "plan.platforms": {"en": "Allowed platforms", "ru": "Разрешённые платформы"},
    "plan.formats": {"en": "Allowed formats", "ru": "Разрешённые форматы"},
    "plan.keywords": {"en": "Keywords (comma-separated)", "ru": "Ключевые слова (через запятую)"},
    "plan.constraints": {"en": "Constraints", "ru": "Ограничения"},
    "plan.max_share": {"en": "Maximum share of the budget on one blogger, % (0 = no limit)",
                       "ru": "Максимальная доля бюджета на одного блогера, % (0 — без ограничения)"},
    "plan.category": {"en": "Restricted product category", "ru": "Категория товара с ограничениями"},
    "plan.category_none": {"en": "None", "ru": "Нет"},
    "cat.alcohol": {"en": "Alcohol", "ru": "Алкоголь"},
    "cat.pharma": {"en": "Pharma", "ru": "Лекарства"},
    "cat.gambling": {"en": "Gambling", "ru": "Азартные игры"},
    "cat.tobacco": {"en": "Tobacco", "ru": "Табак"},
    "cat.children": {"en": "Children's goods", "ru": "Детские товары"},
    "plan.packages": {"en": "Allow several formats of one blogger (packages)",
                      "ru": "Разрешить несколько форматов у одного блогера (пакеты)"},
    "plan.platform_bounds": {"en": "Share of the budget per platform (optional bounds, %)",
                             "ru": "Доля бюджета по платформам (необязательные границы, %)"},
    "plan.min_pct": {"en": "At least, %", "ru": "Не меньше, %"},
    "plan.max_pct": {"en": "At most, %", "ru": "Не больше, %"},
    "plan.go": {"en": "Build the plan", "ru": "Построить план"},
    "plan.optimising": {"en": "Optimising the plan…", "ru": "Оптимизируем план…"},
    "plan.infeasible": {"en": "No plan fits this brief: {reason}", "ru": "Ни один план не подходит под бриф: {reason}"},
    "plan.reach_weight": {"en": "More niche fit ← → more unique reach (weight of unique reach)",
                          "ru": "Больше соответствия нише ← → больше уникального охвата (вес охвата)"},
    "plan.reach_weight_help": {"en": "Moving right weighs unique reach more: 0 = niche fit only (relevant bloggers), 1 = unique reach only (most people).",
                               "ru": "Вправо — охват весит больше: 0 — только соответствие нише, 1 — только уникальный охват."},
    "plan.w_left": {"en": "← 0: niche fit only", "ru": "← 0: только соответствие нише"},
    "plan.w_right": {"en": "1: unique reach only →", "ru": "1: только уникальный охват →"},
    "plan.cost": {"en": "Cost", "ru": "Стоимость"},
    "plan.of_budget": {"en": "of {budget}", "ru": "из {budget}"},
    "plan.unique_reach": {"en": "Unique reach", "ru": "Уникальный охват"},
    "plan.unique_reach_target": {"en": "Unique reach in the target audience", "ru": "Уникальный охват в ЦА"},
    "plan.unique_reach_help": {"en": "An estimate (≈): people of the brief's target audience reached at least once, "
                                     "with audience overlap between bloggers deduplicated by the model's pools (or the "
                                     "measured overlaps you uploaded).",
                               "ru": "Оценка (≈): люди из целевой аудитории брифа, увидевшие размещения хотя бы раз; "
                                     "пересечение аудиторий блогеров исключено по модели пулов (или по загруженным "
                                     "измеренным пересечениям)."},
    "plan.impressions": {"en": "Impressions", "ru": "Показы"},
    "plan.frequency": {"en": "frequency {f}", "ru": "частота {f}"},
    "plan.cpm_unique": {"en": "CPM on unique reach", "ru": "CPM на уникальный охват"},
    "plan.cpm": {"en": "CPM on impressions", "ru": "CPM на показы"},
    "plan.bloggers": {"en": "Bloggers", "ru": "Блогеров"},
    "plan.status_optimal": {"en": "optimal", "ru": "оптимум"},
    "plan.status_gap": {"en": "within the gap target ({target} %)", "ru": "в пределах целевого разрыва ({target} %)"},
    "plan.status_time": {"en": "stopped at the time limit (gap {gap} %)",
                         "ru": "остановлено по лимиту времени (разрыв {gap} %)"},
    "plan.status_above": {"en": "above the gap target (gap {gap} %, target {target} %)",
                          "ru": "выше целевого разрыва (разрыв {gap} %, цель {target} %)"},
    "plan.status_proving": {"en": "proving its quality (the plan may still improve a little)",
                            "ru": "доказываем качество плана (он ещё может немного улучшиться)"},
    "plan.certificate": {"en": "Objective {objective}, proven upper bound {bound}: gap {gap} %. Status: {status}. {n} candidate {n|placement|placements}, {sec} s.",
                         "ru": "Целевая функция {objective}, доказанная верхняя граница {bound}: разрыв {gap} %. Статус: {status}. Кандидатов: {n}, {sec} с."},
    "plan.on_estimates": {"en": "≈ {amount} of the plan's cost ({pct}) rests on estimated prices, not quotes.",
                          "ru": "≈ {amount} стоимости плана ({pct}) — оценки цен, а не цены блогеров."},
    "plan.skipped_estimates": {"en": "{n} {n|placement|placements} with only an estimated price {n|is|are} left out (switch “Also plan formats with estimated prices ≈” on to plan them).",
                                "ru": "Размещений только с оценочной ценой не учтено: {n} (включите «Также планировать форматы с оценочной ценой ≈»)."},
    "plan.all_quoted": {"en": "Every price in the plan is a quote.", "ru": "Все цены в плане — цены блогеров."},
    "plan.pools_raised": {"en": "Audience pools raised above the assumed size so that their largest placement fits ({n}; people in the target, assumed → used): {pools}. Check the pool sizes below.",
                          "ru": "Пулы аудитории увеличены сверх допущения, чтобы в них поместилось крупнейшее размещение ({n}; людей в целевой аудитории, допущение → в расчёте): {pools}. Проверьте размеры пулов ниже."},
    "plan.pool_raised": {"en": "Raised from the assumption", "ru": "Увеличено сверх допущения"},
    "plan.pool_raised_from": {"en": "assumed {n}", "ru": "допущение {n}"},
    "plan.frontier_lazy": {"en": "Every optimal trade-off between unique reach and niche fit (11 plans, at most {sec} s).",
                           "ru": "Все оптимальные компромиссы между охватом и нишей (11 планов, не дольше {sec} с)."},
    "plan.frontier_proof": {"en": "Certified", "ru": "Гарантия"},
    "plan.frontier_within": {"en": "within {gap} of the best plan", "ru": "в пределах {gap} от лучшего плана"},
    "plan.frontier_certified": {"en": "{n} of {m} points certified within {target} of the best plan; a hollow point is not yet (its tooltip says how close it is proven).",
                                "ru": "{n} из {m} точек гарантированно в пределах {target} от лучшего плана; полая точка — ещё нет (подсказка при наведении говорит, насколько близко доказано)."},
    "plan.frontier_go": {"en": "Compute the frontier", "ru": "Построить границу"},
    "plan.frontier_progress": {"en": "Solving plan {i} of {n}…", "ru": "Решаем план {i} из {n}…"},
    "plan.estimates": {"en": "Also plan formats with estimated prices ≈", "ru": "Также планировать форматы с оценочной ценой ≈"},
    "plan.estimates_help": {"en": "Off: only formats whose price the blogger quoted become candidates. On: formats priced from benchmarks join too, marked ≈.",
                            "ru": "Выключено: в план попадают только форматы с ценой от блогера. Включено: добавляются форматы с ценой по бенчмаркам, они помечены ≈."},
    "plan.niche_mode": {"en": "Niches", "ru": "Тематики"},
    "plan.niche_mode.prefer": {"en": "Prefer these niches", "ru": "Предпочитать эти тематики"},
    "plan.niche_mode.only": {"en": "Only these niches", "ru": "Только эти тематики"},
    "plan.niche_mode_help": {"en": "Only: bloggers outside the brief's niches are left out. Prefer: everyone may be planned, niche fit weighs bloggers of these niches up.",
                             "ru": "Только: блогеры других тематик не участвуют. Предпочитать: участвуют все, соответствие нише повышает вес блогеров этих тематик."},
    "plan.budget_shown": {"en": "Budget, {sym}: {value}", "ru": "Бюджет, {sym}: {value}"},
    "plan.reach_source": {"en": "Reach from", "ru": "Охват по"},
    "rsource.measured": {"en": "measured reach", "ru": "измеренному охвату"},
    "rsource.views": {"en": "views", "ru": "просмотрам"},
    "rsource.followers": {"en": "followers (benchmark rate)", "ru": "подписчикам (норма охвата)"},
    "rsource.benchmark": {"en": "benchmark", "ru": "бенчмарку"},
    "plan.approx_legend": {"en": "≈ marks an estimate: a price from benchmarks (not quoted) or a reach not measured.",
                           "ru": "≈ — оценка: цена по бенчмаркам (не от блогера) или неизмеренный охват."},
    "plan.status_pending": {"en": "{n} status {n|change|changes} not saved yet.", "ru": "Несохранённых изменений статусов: {n}."},
    "plan.delete_confirm": {"en": "Delete the campaign “{name}” and all its placements? This cannot be undone.",
                            "ru": "Удалить кампанию «{name}» со всеми размещениями? Это нельзя отменить."},
    "plan.delete_yes": {"en": "Yes, delete", "ru": "Да, удалить"},
    "plan.delete_no": {"en": "Cancel", "ru": "Отмена"},
    "plan.frontier": {"en": "Reach–niche frontier", "ru": "Граница «охват — ниша»"},
    "plan.frontier_help": {"en": "Every point is an optimal plan for one weight; click a point to open its plan.",
                           "ru": "Каждая точка — оптимальный план для своего веса; нажмите на точку, чтобы открыть его."},
    "plan.niche_value": {"en": "Niche value (fit × reach)", "ru": "Нишевая ценность (соответствие × охват)"},
    "plan.expected": {"en": "Expected results", "ru": "Ожидаемый результат"},
    "plan.engagements": {"en": "Engagements", "ru": "Вовлечения"},
    "plan.gross_reach": {"en": "Gross reach (sum over placements)", "ru": "Суммарный охват (без дедупликации)"},
    "plan.clicks": {"en": "Clicks", "ru": "Клики"},
    "plan.orders": {"en": "Orders", "ru": "Заказы"},
    "plan.leads": {"en": "Leads", "ru": "Лиды"},
    "plan.cpa": {"en": "Cost per order", "ru": "Стоимость заказа"},
    "plan.cpl": {"en": "Cost per lead", "ru": "Стоимость лида"},
    "plan.ctr": {"en": "Click-through rate, % of impressions", "ru": "CTR, % от показов"},
    "plan.conversion": {"en": "Conversion to order, % of clicks", "ru": "Конверсия в заказ, % от кликов"},
    "plan.lead_rate": {"en": "Conversion to lead, % of clicks", "ru": "Конверсия в лид, % от кликов"},
    "plan.rates_help": {"en": "Rates are editable assumptions, not measurements.",
                        "ru": "Конверсии — редактируемые допущения, а не измерения."},
    "plan.placements": {"en": "Placements", "ru": "Размещения"},
    "plan.format": {"en": "Format", "ru": "Формат"},
    "plan.reach": {"en": "Reach", "ru": "Охват"},
    "plan.adds": {"en": "Unique reach it adds", "ru": "Добавляет уникального охвата"},
    "plan.fit": {"en": "Fit", "ru": "Соответствие"},
    "plan.locks": {"en": "Lock in (must stay in the plan)", "ru": "Закрепить (обязательно в плане)"},
    "plan.kicks": {"en": "Kick out (never in the plan)", "ru": "Исключить (никогда в плане)"},
    "plan.none": {"en": "None", "ru": "Нет"},
    "plan.overlap": {"en": "Audience overlap between the largest placements", "ru": "Пересечение аудиторий крупнейших размещений"},
    "plan.overlap_pct": {"en": "Overlap, % of the smaller audience", "ru": "Пересечение, % меньшей аудитории"},
    "plan.overlap_help": {"en": "Bloggers sharing a niche and a country share an audience pool; above ~50 % the same people see the ad twice.",
                          "ru": "Блогеры одной тематики и страны делят общий пул аудитории; выше ~50 % одни и те же люди увидят рекламу дважды."},
    "plan.backups": {"en": "Backups: similar bloggers outside the plan", "ru": "Замены: похожие блогеры вне плана"},
    "plan.backup_1": {"en": "First backup", "ru": "Первая замена"},
    "plan.backup_2": {"en": "Second backup", "ru": "Вторая замена"},
    "plan.pools": {"en": "Audience pools (assumption)", "ru": "Пулы аудитории (допущение)"},
    "plan.pools_help": {"en": "People in each niche and country the plan can reach: online population × interest in the niche × the target's share.",
                        "ru": "Сколько людей в каждой тематике и стране может охватить план: интернет-аудитория × интерес к тематике × доля целевой аудитории."},
    "plan.pool": {"en": "Pool (niche / country)", "ru": "Пул (тематика / страна)"},
    "plan.pool_size": {"en": "People in the target (used)", "ru": "Людей в целевой аудитории (в расчёте)"},
    "plan.pool_people": {"en": "People interested in the niche (editable)", "ru": "Людей, интересующихся тематикой (можно изменить)"},
    "plan.pools_reset": {"en": "Back to the default pool sizes", "ru": "Вернуть размеры пулов по умолчанию"},
    "plan.overlaps": {"en": "Measured audience overlaps (CSV or XLSX: handle_a, handle_b, overlap as % of the smaller audience)",
                      "ru": "Измеренные пересечения аудиторий (CSV или XLSX: handle_a, handle_b, пересечение в % меньшей аудитории)"},
    "plan.overlaps_bad": {"en": "The overlap file is not used: {reason}", "ru": "Файл пересечений не использован: {reason}"},
    "plan.overlaps_used": {"en": "{n} measured {n|pair overrides|pairs override} the pool model.", "ru": "Измеренных пар, заменяющих модель пулов: {n}."},
    "plan.campaign_name": {"en": "Campaign name", "ru": "Название кампании"},
    "plan.save": {"en": "Save as a campaign", "ru": "Сохранить как кампанию"},
    "plan.name_needed": {"en": "Give the campaign a name first.", "ru": "Сначала задайте название кампании."},
    "plan.saved": {"en": "Saved campaign “{name}” (#{id}).", "ru": "Кампания «{name}» сохранена (№{id})."},
    "plan.no_campaigns": {"en": "No saved campaigns yet: build a plan and save it.",
                          "ru": "Сохранённых кампаний пока нет: постройте план и сохраните его."},
    "plan.open": {"en": "Campaign", "ru": "Кампания"},
    "plan.niche_match": {"en": "Brief's niche", "ru": "Ниша брифа"},
    "plan.secondary": {"en": "secondary", "ru": "дополнительная"},
    "plan.planned_date": {"en": "Due", "ru": "Дата выхода"},
    "plan.planned_date_help": {"en": "When the placement is due to be published: until then the Results page waits for "
                                     "it; after it, with no publication, it counts as not published.",
                               "ru": "Когда размещение должно выйти: до этой даты отчёт ждёт его, после неё без "
                                     "публикации считает, что оно не вышло."},
    "plan.pstatus": {"en": "Status", "ru": "Статус"},
    "pstatus.proposed": {"en": "Proposed", "ru": "Предложено"},
    "pstatus.agreed": {"en": "Agreed", "ru": "Согласовано"},
    "pstatus.published": {"en": "Published", "ru": "Опубликовано"},
    "pstatus.cancelled": {"en": "Cancelled", "ru": "Отменено"},
    "plan.delete": {"en": "Delete this campaign", "ru": "Удалить кампанию"},
    "plan.save_status": {"en": "Save statuses", "ru": "Сохранить статусы"},
    "plan.status_saved": {"en": "Statuses saved ({n} changed).", "ru": "Статусы сохранены (изменено: {n})."},
    # --- import: stored / refused / warnings, required columns, encodings and workbooks (ingest) ---
    "imp.help_files": {"en": "CSV, XLSX, XLS or ODS export from a spreadsheet or a tool, in any common encoding. "
                             "Russian and English headers are recognised; check the mapping before importing.",
                       "ru": "CSV, XLSX, XLS или ODS из таблицы или сервиса, в любой распространённой кодировке. "
                             "Русские и английские заголовки распознаются; проверьте сопоставление перед импортом."},
    "imp.stored": {"en": "Stored", "ru": "Будет сохранено"},
    "imp.refused": {"en": "Refused", "ru": "Отклонено"},
    "imp.warnings": {"en": "Warnings", "ru": "Предупреждения"},
    "imp.refused_rows": {"en": "Refused rows (not stored): no usable handle or platform",
                         "ru": "Отклонённые строки (не сохраняются): нет ника или платформы"},
    "imp.warning_rows": {"en": "Warnings: these cells are left blank (or a range is stored as its midpoint); "
                               "the rows are stored",
                         "ru": "Предупреждения: эти ячейки остаются пустыми (или диапазон сохранён как середина); "
                               "строки сохраняются"},
    "imp.missing_cols": {"en": "No column is mapped to the required field {fields}: choose it in the Field column "
                               "of the mapping table (marked ⚠). Nothing can be imported until then.",
                         "ru": "Ни один столбец не сопоставлен обязательному полю {fields}: выберите его в колонке "
                               "«Поле» таблицы сопоставления (отмечено ⚠). До этого импорт невозможен."},
    "imp.missing_platform": {"en": "The file has no platform column and no profile links: choose the platform "
                                   "above (Platform for rows without one).",
                             "ru": "В файле нет столбца платформы и ссылок на профили: выберите платформу выше "
                                   "(«Платформа для строк без неё»)."},
    "imp.merged": {"en": "Duplicates merged: {dropped} dropped; {superseded} of the same blogger (platform and "
                         "handle) replaced by a later row.",
                   "ru": "Дубли объединены: {dropped} — удалено; {superseded} того же блогера (платформа и ник) — "
                         "заменено более поздней строкой."},
    "imp.assumed_platform": {"en": "Platform {platform} taken from the headers or the file name; choose another "
                                   "above if it is wrong.",
                             "ru": "Платформа {platform} определена по заголовкам или имени файла; если это не так, "
                                   "выберите другую выше."},
    "imp.note": {"en": "Note", "ru": "Примечание"},
    "imp.note_content": {"en": "guessed from the cells", "ru": "определено по содержимому"},
    "imp.note_required": {"en": "⚠ required: {fields} has no column", "ru": "⚠ обязательно: для «{fields}» нет столбца"},
    "imp.sheet": {"en": "Sheet", "ru": "Лист"},
    "imp.sheet_auto": {"en": "— the sheet with the data —", "ru": "— лист с данными —"},
    "imp.sheet_read": {"en": "Sheet «{sheet}» read, of {n} {n|sheet|sheets}; choose another above.",
                       "ru": "Прочитан лист «{sheet}» из {n}; другой можно выбрать выше."},
}


# Field names of the blogger record, for the import mapping and the blogger card.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "handle": ("Handle", "Ник"),
    "name": ("Display name", "Имя"),
    "platform": ("Platform", "Платформа"),
    "country": ("Country", "Страна"),
    "city": ("City", "Город"),
    "language": ("Language", "Язык"),
    "niches": ("Niches", "Тематики"),
    "followers": ("Followers", "Подписчики"),
    "avg_views": ("Average views", "Средние просмотры"),
    "avg_reach": ("Average reach of a post", "Средний охват поста"),
    "avg_story_reach": ("Average reach of a story", "Средний охват сторис"),
    "avg_likes": ("Average likes", "Средние лайки"),
    "avg_comments": ("Average comments", "Средние комментарии"),
    "engagement_rate": ("Engagement rate, %", "Вовлечённость (ER), %"),
    "er_basis": ("ER basis (followers or views)", "База ER (подписчики или просмотры)"),
    "credibility": ("Credibility (real followers)", "Качество аудитории (живые подписчики)"),
    "audience_female": ("Audience: women share", "Аудитория: доля женщин"),
    "audience_age_13_17": ("Audience aged 13–17", "Аудитория 13–17 лет"),
    "audience_age_18_24": ("Audience aged 18–24", "Аудитория 18–24 лет"),
    "audience_age_25_34": ("Audience aged 25–34", "Аудитория 25–34 лет"),
    "audience_age_35_44": ("Audience aged 35–44", "Аудитория 35–44 лет"),
    "audience_age_45_plus": ("Audience aged 45+", "Аудитория 45+ лет"),
    "audience_countries": ("Audience countries", "Страны аудитории"),
    "price_post": ("Price of a post", "Цена поста"),
    "price_story": ("Price of a story", "Цена сторис"),
    "price_short": ("Price of a short video", "Цена короткого видео"),
    "price_video": ("Price of a video integration", "Цена интеграции в видео"),
    "currency": ("Currency", "Валюта"),
    "accepts_barter": ("Accepts barter", "Принимает бартер"),
    "barter_min_value": ("Minimum product value for barter", "Минимальная стоимость продукта для бартера"),
    "flag_profanity": ("Profanity", "Нецензурная лексика"),
    "flag_competitor_ads": ("Competitor ads (90 days)", "Реклама конкурентов (90 дней)"),
    "ad_alcohol": ("Advertises alcohol", "Реклама алкоголя"),
    "ad_gambling": ("Advertises gambling", "Реклама азартных игр"),
    "ad_pharma": ("Advertises pharma", "Реклама лекарств"),
    "ad_tobacco": ("Advertises tobacco", "Реклама табака"),
    "deals_completed": ("Deals completed", "Сделок выполнено"),
    "deals_cancelled": ("Deals cancelled", "Сделок отменено"),
    "contact": ("Contact", "Контакт"),
    "updated_at": ("Data updated", "Данные обновлены"),
}
TEXT.update({f"field.{k}": {"en": en, "ru": ru} for k, (en, ru) in FIELD_LABELS.items()})


# The Database page's counts, credibility chip, card sources and export; plural forms are separated by "|"
# (English: one|other; Russian: one|few|many), chosen by tn().
TEXT.update({
    "count.rows": {"en": "{n} row|{n} rows", "ru": "{n} строка|{n} строки|{n} строк"},
    "count.exact_copies": {"en": "{n} exact copy|{n} exact copies",
                           "ru": "{n} точная копия|{n} точные копии|{n} точных копий"},
    "db.sample_mixed": {"en": "{n} synthetic sample blogger is still in the list: remove it on the Import tab.|"
                              "{n} synthetic sample bloggers are still in the list: remove them on the Import tab.",
                        "ru": "В базе остаётся {n} вымышленный демо-блогер: удалить можно на вкладке «Импорт».|"
                              "В базе остаются {n} вымышленных демо-блогера: удалить можно на вкладке «Импорт».|"
                              "В базе остаются {n} вымышленных демо-блогеров: удалить можно на вкладке «Импорт»."},
    "db.cred_default": {"en": "Credibility ≥ {pct} % (default)", "ru": "Качество аудитории ≥ {pct} % (по умолчанию)"},
    "db.cred_set": {"en": "Credibility ≥ {pct} %", "ru": "Качество аудитории ≥ {pct} %"},
    "db.cred_hidden": {"en": "hides {n} blogger|hides {n} bloggers",
                       "ru": "скрыт {n} блогер|скрыто {n} блогера|скрыто {n} блогеров"},
    "db.cred_include_short": {"en": "+ {n} without data ≈|+ {n} without data ≈",
                              "ru": "+ {n} без данных ≈|+ {n} без данных ≈|+ {n} без данных ≈"},
    "db.cred_include_unknown": {"en": "Include {n} blogger without credibility data (≈)|Include {n} bloggers "
                                      "without credibility data (≈)",
                                "ru": "Включить {n} блогера без данных о качестве (≈)|Включить {n} блогеров без "
                                      "данных о качестве (≈)|Включить {n} блогеров без данных о качестве (≈)"},
    "plan.cred_unknown_note": {"en": "{n} blogger has no credibility data and is left out by the credibility floor "
                                     "(their credibility would only be a benchmark estimate).|{n} bloggers have no "
                                     "credibility data and are left out by the credibility floor (their credibility "
                                     "would only be a benchmark estimate).",
                               "ru": "У {n} блогера нет данных о качестве аудитории, порог качества его не "
                                     "пропускает (качество было бы лишь оценкой по бенчмарку).|У {n} блогеров нет "
                                     "данных о качестве аудитории, порог качества их не пропускает (качество было бы "
                                     "лишь оценкой по бенчмарку).|У {n} блогеров нет данных о качестве аудитории, "
                                     "порог качества их не пропускает (качество было бы лишь оценкой по бенчмарку)."},
    "db.cred_unknown": {"en": "Include bloggers without credibility data (≈)",
                        "ru": "Включать блогеров без данных о качестве (≈)"},
    "db.cred_unknown_help": {"en": "Their credibility is a benchmark estimate for their tier, not a measurement: they "
                                   "pass the floor only when this is on.",
                             "ru": "Их качество — оценка по бенчмарку для их уровня, а не измерение: они проходят "
                                   "порог, только если это включено."},
    "db.cred_clear": {"en": "Show all", "ru": "Показать всех"},
    "no_data": {"en": "no data", "ru": "нет данных"},
    "col.main_format": {"en": "Main format", "ru": "Основной формат"},
    "card.barter_accepts": {"en": "accepts", "ru": "принимает"},
    "quoted": {"en": "quoted", "ru": "цена блогера"},
    "exp.filtered": {"en": "Filtered set: {n} blogger|Filtered set: {n} bloggers",
                     "ru": "Отфильтрованные: {n} блогер|Отфильтрованные: {n} блогера|Отфильтрованные: {n} блогеров"},
    "exp.shortlist": {"en": "Shortlist: {n} blogger|Shortlist: {n} bloggers",
                      "ru": "Шорт-лист: {n} блогер|Шорт-лист: {n} блогера|Шорт-лист: {n} блогеров"},
    "exp.shortlist_empty": {"en": "The shortlist is empty.", "ru": "Шорт-лист пуст."},
})


# Reasons the importer gives (planner.ingest.reasons.REASONS), by code; the English text is the importer's own (a test
# checks they agree). Parameters (the cell as shown, ...) are filled in, never translated.
REASON_TEXT: dict[str, tuple[str, str]] = {
    "handle_missing": ("handle missing", "нет ника"),
    "bad_profile_link": ("unrecognised profile link: {value!r}", "ссылка на профиль не распознана: «{value}»"),
    "not_a_handle": ("not a handle: {value!r}", "не похоже на ник: «{value}»"),
    "unknown_platform": ("unknown platform: {value!r}", "неизвестная платформа: «{value}»"),
    "platform_link_mismatch": ("platform {value!r} does not match the profile link ({link})",
                               "платформа «{value}» не совпадает со ссылкой на профиль ({link})"),
    "platform_missing": ("platform missing", "не указана платформа"),
    "followers_missing": ("followers missing", "не указано число подписчиков"),
    "followers_zero": ("followers must be above zero: {value!r}", "подписчиков должно быть больше нуля: «{value}»"),
    "followers_out_of_range": ("implausible followers count (above {high:,.0f}): {value!r}",
                               "неправдоподобное число подписчиков (больше {high:.0f}): «{value}»"),
    "handle_too_long": ("handle longer than {max} characters", "ник длиннее {max} символов"),
    "not_a_number": ("not a number: {value!r}", "не число: «{value}»"),
    "percent_not_number": ("a percentage where a number is expected: {value!r}",
                           "процент там, где ожидается число: «{value}»"),
    "negative_number": ("negative number: {value!r}", "отрицательное число: «{value}»"),
    "range_midpoint": ("range stored as its midpoint: {value!r}", "диапазон сохранён как середина: «{value}»"),
    "share_out_of_range": ("share out of range (0-100 %): {value!r}", "доля вне диапазона (0–100 %): «{value}»"),
    "out_of_range": ("implausible value (above {high:,.0f}): {value!r}",
                     "неправдоподобное значение (больше {high:.0f}): «{value}»"),
    "rate_out_of_range": ("rate out of range (0-100 %): {value!r}", "показатель вне диапазона (0–100 %): «{value}»"),
    "text_too_long": ("longer than {max} characters: cut to {max}", "длиннее {max} символов: обрезано до {max}"),
    "control_characters": ("invisible control characters removed", "удалены невидимые управляющие символы"),
    "unknown_er_basis": ("unknown ER basis (followers or views): {value!r}",
                         "неизвестная база ER (подписчики или просмотры): «{value}»"),
    "unknown_currency": ("unknown currency (prices left blank): {value!r}",
                         "неизвестная валюта (цены оставлены пустыми): «{value}»"),
    "currency_clash": ("prices in different currencies ({price} and {column})", "цены в разных валютах ({price} и {column})"),
    "not_yes_no": ("not yes/no: {value!r}", "не «да/нет»: «{value}»"),
    "not_a_date": ("not a date: {value!r}", "не дата: «{value}»"),
    "unknown_country": ("unknown country: {value!r}", "неизвестная страна: «{value}»"),
    "unknown_language": ("unknown language: {value!r}", "неизвестный язык: «{value}»"),
    "bad_audience_countries": ("cannot read audience countries: {value!r}",
                               "не удалось прочитать страны аудитории: «{value}»"),
    "empty_file": ("empty file", "пустой файл"),
    "no_columns": ("no recognisable columns (need at least a handle column)",
                   "не найдено знакомых столбцов (нужен хотя бы столбец с ником)"),
    "not_a_table": ("not a table: {detail}", "не таблица: {detail}"),
    "binary_data": ("not a table: binary data", "не таблица: двоичные данные"),
    "image_file": ("not a table: this is a {kind} image", "не таблица: это изображение {kind}"),
    "pdf_file": ("not a table: this is a PDF document", "не таблица: это документ PDF"),
    "archive_file": ("not a table: this is a {kind} archive", "не таблица: это архив {kind}"),
    "damaged_zip": ("not a table: damaged Excel or ZIP file", "не таблица: повреждённый файл Excel или ZIP"),
    "zip_not_spreadsheet": ("not a table: a ZIP archive, not a spreadsheet",
                            "не таблица: ZIP-архив, а не электронная таблица"),
    "invalid_workbook": ("not a table: the file is not a valid Excel workbook",
                         "не таблица: файл не является корректной книгой Excel"),
    "old_xls": ("not a table: old Excel .xls (or Word .doc) file that cannot be read, save it as .xlsx or .csv",
                "не таблица: старый файл Excel .xls (или Word .doc) не читается, сохраните его как .xlsx или .csv"),
    "workbook_error": ("not a table: cannot open the workbook ({detail})", "не таблица: книга не открывается ({detail})"),
    "file_too_big": ("the file is larger than {limit_mb:,} MB: split it into smaller files",
                     "файл больше {limit_mb} МБ: разделите его на файлы поменьше"),
    "too_many_rows": ("more than {limit:,} rows: split the file", "больше {limit} строк: разделите файл"),
    "too_many_columns": ("more than {limit:,} columns: delete the unused columns or split the file",
                         "больше {limit} столбцов: удалите лишние столбцы или разделите файл"),
    "sheet_too_many_rows": ("sheet {sheet!r}: more than {limit:,} rows: split the file or save the sheet as CSV",
                            "лист «{sheet}»: больше {limit} строк: разделите файл или сохраните лист как CSV"),
    "sheet_too_many_columns": ("sheet {sheet!r}: more than {limit:,} columns (a cell far to the right?): "
                               "delete the unused columns or save the sheet as CSV",
                               "лист «{sheet}»: больше {limit} столбцов (ячейка далеко справа?): "
                               "удалите лишние столбцы или сохраните лист как CSV"),
    "sheet_too_many_cells": ("sheet {sheet!r}: more than {limit:,} cells (rows x columns): "
                             "split the sheet or save it as CSV",
                             "лист «{sheet}»: больше {limit} ячеек (строки × столбцы): "
                             "разделите лист или сохраните его как CSV"),
    "workbook_too_big": ("the workbook unpacks to more than {limit_mb:,} MB: save the sheet as CSV",
                         "книга в распакованном виде больше {limit_mb} МБ: сохраните лист как CSV"),
    "cell_too_long": ("row {row}: a cell longer than {limit:,} characters (Excel's own limit)",
                      "строка {row}: ячейка длиннее {limit} символов (предел самого Excel)"),
    "unclosed_quote": ("row {row}: a quote opened here is never closed",
                       "строка {row}: открытая здесь кавычка нигде не закрывается"),
    "unknown_sheet": ("no sheet named {sheet!r} (sheets: {sheets})", "нет листа «{sheet}» (листы: {sheets})"),
    "unexpected": ("cannot read the file (unexpected {detail})", "файл не читается (неожиданная ошибка {detail})"),
    "damaged_sheet": ("sheet {sheet!r} is damaged and cannot be read ({detail})",
                      "лист «{sheet}» повреждён и не читается ({detail})"),
}
TEXT.update({f"reason.{k}": {"en": en, "ru": ru} for k, (en, ru) in REASON_TEXT.items()})


def reason(code: str, params: Mapping[str, object] | None = None, lang: str = DEFAULT_LANG) -> str:
    """An importer's reason (planner.ingest.Rejection / UnreadableFile ``code`` and ``params``) in ``lang``.

    Built from the code, never by rewriting an English text: a cell's own words stay as they are."""
    entry = TEXT.get(f"reason.{code}")
    if entry is None:
        return code
    return (entry.get(lang) or entry[DEFAULT_LANG]).format(**(params or {}))


def plural_index(n: float, lang: str = DEFAULT_LANG) -> int:
    """Which plural form a count takes: English one|other (0, 1); Russian one|few|many (0, 1, 2)."""
    k = abs(int(n))
    if lang == "ru":
        if k % 10 == 1 and k % 100 != 11:
            return 0
        if 2 <= k % 10 <= 4 and not 12 <= k % 100 <= 14:
            return 1
        return 2
    return 0 if k == 1 else 1


def tn(key: str, count: float, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """The text for ``key`` in the plural form of ``count``: forms are separated by "|" in the table
    ("{n} blogger|{n} bloggers"; Russian one|few|many). ``n`` defaults to the count as it is; pass the
    formatted number (``n=format_number(...)``) to show it in the user's locale."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    forms = (entry.get(lang) or entry.get(DEFAULT_LANG) or key).split("|")
    text = forms[min(plural_index(count, lang if entry.get(lang) else DEFAULT_LANG), len(forms) - 1)]
    return text.format(**{"n": count, **kwargs})


# Why a plan cannot be made (planner.planning.plan.BRIEF_ERRORS and planner.planning.optimiser.INFEASIBLE, by code; the English is
# theirs, a test checks they agree). Parameters (names, amounts, shares) come formatted and are never translated.
PLAN_ERROR_RU: dict[str, str] = {
    "brief_error.niche_mode": "режим ниш должен быть «только» или «предпочитать», а не {value}",
    "brief_error.reach_weight": "вес охвата должен быть от 0 до 1",
    "brief_error.budget": "бюджет должен быть больше нуля",
    "brief_error.currency": "неизвестная валюта {value}",
    "brief_error.must_missing": "обязательных блогеров нет в базе: {names}",
    "brief_error.must_excluded": "обязательные блогеры исключены брифом (платформа, доля реальных подписчиков "
                                 "или безопасность бренда): {names}",
    "brief_error.must_unpriced": "обязательным блогерам нечего заказать (нет цены от блогера на разрешённые форматы; "
                                 "разрешите оценочные цены или другие форматы): {names}",
    "brief_error.no_candidates": "ни один блогер в базе не подходит под бриф (платформы, форматы, ниши, доля "
                                 "реальных подписчиков, безопасность)",
    "brief_error.only_estimates": "ни у одного подходящего блогера нет цены из прайса для разрешённых форматов "
                                  "({n} размещений только с оценочной ценой: разрешите оценочные цены, чтобы "
                                  "планировать на них)",
    "brief_error.max_share": "каждое размещение дороже допустимой доли бюджета",
    "brief_error.goal": "цель должна быть одной из: охват, вовлечённость, трафик, продажи, лиды, а не {value}",
    "brief_error.countries": "страна аудитории — двух- или трёхбуквенный код, а не {value}",
    "brief_error.gender": "пол аудитории — женский или мужской, а не {value}",
    "brief_error.ages": "неизвестная возрастная группа {value}",
    "brief_error.platforms": "неизвестная платформа {value}",
    "brief_error.formats": "неизвестный формат {value}",
    "brief_error.min_credibility": "минимальная доля реальных подписчиков — доля от 0 до 1, а не {value}",
    "brief_error.max_share_range": "наибольшая доля бюджета на одного блогера — от 0 (не включая) до 1, а не {value}",
    "brief_error.platform_bounds": "доля бюджета на {platform} — от 0 до 1, и минимум не больше максимума",
    "brief_error.locks_clash": "блогеры одновременно закреплены и исключены: {names}",
    "brief_error.category": "неизвестная категория товара {value}",
    "brief_error.rates": "конверсия {name} — доля от 0 до 1, а не {value}",
    "brief_error.fx": "курс {name} должен быть положительным числом, а не {value}",
    "brief_error.tier_bounds": "границы категорий блогеров — {n} возрастающих числа подписчиков больше нуля",
    "brief_error.pool_sizes": "размер аудитории {name} — положительное число людей, а не {value}",
    "brief_error.overlaps": "пересечение аудиторий называет двух разных блогеров и долю от 0 до 1",
    "brief_error.bloggers": "список блогеров неверен: {reason}",
    "infeasible.must_and_excluded": "{name} одновременно обязателен и исключён",
    "infeasible.same_blogger": "обязательные {a} и {b} — один и тот же блогер; в плане у блогера не больше одного "
                               "размещения (разрешите пакеты, чтобы взять несколько форматов вместе)",
    "infeasible.must_above_cap": "обязательный {name} стоит {cost}, больше предела {cap} на размещение ({share} "
                                 "бюджета)",
    "infeasible.budget_below_musts": "бюджет {budget} меньше стоимости обязательных блогеров ({cost})",
    "infeasible.share_min_above_max": "{platform}: минимальная доля {lo} больше максимальной {hi}",
    "infeasible.share_no_candidates": "на {platform} должно прийтись не меньше {lo} бюджета, но на этой "
                                      "платформе нет кандидатов",
    "infeasible.musts_above_platform_cap": "обязательные размещения на {platform} стоят {cost}, больше её "
                                           "предела {hi} бюджета ({cap})",
    "infeasible.share_minimums_above_100": "минимальные доли платформ в сумме дают {total} бюджета",
    "infeasible.share_min_cheap": "на {platform} должно прийтись не меньше {need} ({share} бюджета), но все "
                                  "разрешённые кандидаты на ней вместе стоят только {have}",
    "infeasible.share_min_left": "на {platform} должно прийтись не меньше {need} ({share} бюджета), но остаток "
                                 "бюджета после обязательных блогеров позволяет только {have}",
    "infeasible.share_minimums_above_left": "минимальным долям платформ нужно больше, чем остаётся от бюджета "
                                            "после обязательных блогеров",
    "infeasible.budget_and_shares": "ни один план не укладывается в бюджет и доли платформ одновременно",
    # no plan found before the deadline, none proven impossible (planner.planning.optimiser.NO_PLAN)
    "no_plan.time_limit": "план, укладывающийся в бюджет и доли платформ, не найден за отведённые {seconds} с (и не "
                          "доказано, что его нет): дайте больше времени",
}


def error_text(exc: BaseException, lang: str = DEFAULT_LANG,
               money: Callable[[float], str] | None = None, text: Callable[[str], str] | None = None) -> str:
    """The one translation of a coded error (planner.core.errors.CodedError: BriefError, Infeasible, ScenarioError,
    BarterError, ...) into ``lang``: the key is the class's ``I18N_PREFIX`` and the error's ``code``, read from
    TEXT (both languages) or PLAN_ERROR_RU (Russian; the English is the error's own template). Typed parameters
    are formatted in ``lang``: an Amount by ``money`` (the caller's currency, e.g. the page's display currency;
    without it, a number in the language's grouping), a Count as a number, a Share as a percent. Anything else,
    or a code without a translation, gives the error's own text. ``text``: applied to the parameters that are
    plain text (names, handles, file cells: data), e.g. planner.core.markdown.literal where the message is shown
    through Markdown."""
    code, params = getattr(exc, "code", None), getattr(exc, "params", None) or {}
    key = f"{getattr(exc, 'I18N_PREFIX', '')}{code}" if code else ""
    shown = {name: _param_text(value, lang, money) for name, value in params.items()}
    if text is not None:
        shown = {name: text(v) if isinstance(v, str) and not isinstance(params[name], (Amount, Count, Share)) else v
                 for name, v in shown.items()}
    try:
        if key in TEXT:
            return t(key, lang, **shown)
        if lang == "ru" and key in PLAN_ERROR_RU:
            return PLAN_ERROR_RU[key].format(**shown)
        template = getattr(exc, "MESSAGES", {}).get(code) if code else None
        if template is not None:
            return str(template).format(**shown)
    except (KeyError, IndexError, ValueError):
        pass
    return str(exc)


def _param_text(value: object, lang: str, money: Callable[[float], str] | None) -> object:
    """An error's parameter as the reader reads it (planner.core.errors: Amount, Count, Share); others as given."""
    from planner.core.money import format_number, format_percent
    if isinstance(value, Amount):
        return money(float(value)) if money is not None else format_number(float(value), lang)
    if isinstance(value, Count):
        return format_number(float(value), lang)
    if isinstance(value, Share):
        pct = 100 * float(value)
        return format_percent(pct, lang, 0 if abs(pct - round(pct)) < 0.05 else 1)
    return value


plan_error = error_text  # the names the pages have used; one function


# --- results and goals (pages/results.py, planner.campaigns.results / report) ----------------------------------
TEXT.update({
    "nav.results": {"en": "Results", "ru": "Результаты"},
    "results.title": {"en": "Campaign results against business goals", "ru": "Результаты кампании против бизнес-целей"},
    "results.no_campaigns": {"en": "No saved campaign yet: save a plan on the Plan page first.",
                             "ru": "Сохранённых кампаний пока нет: сначала сохраните план на странице «Медиаплан»."},
    "results.campaign": {"en": "Campaign", "ru": "Кампания"},
    "results.tab_report": {"en": "Report", "ru": "Отчёт"},
    "results.tab_goals": {"en": "Goals", "ru": "Цели"},
    "results.tab_results": {"en": "Results per placement", "ru": "Результаты размещений"},
    "results.tab_sales": {"en": "Daily sales", "ru": "Продажи по дням"},
    "results.computing": {"en": "Computing the report…", "ru": "Считаем отчёт…"},
    "results.no_results_yet": {"en": "No results yet: upload them or type them in on the tab «Results per placement».",
                               "ru": "Результатов пока нет: загрузите их или внесите на вкладке «Результаты размещений»."},
    "results.goal_attainment": {"en": "Goals: target against actual", "ru": "Цели: план и факт"},
    "results.no_goals": {"en": "No targets set: set them on the tab «Goals».",
                         "ru": "Целевые значения не заданы: задайте их на вкладке «Цели»."},
    "results.goals_met": {"en": "{met} of {n} {n|target|targets} met.", "ru": "Выполнено целей: {met} из {n}."},
    "results.met": {"en": "✓ met", "ru": "✓ выполнено"},
    "results.missed": {"en": "✗ missed", "ru": "✗ не выполнено"},
    "results.unknown": {"en": "no figure", "ru": "нет данных"},
    "results.source_is": {"en": "Source: {source}", "ru": "Источник: {source}"},
    "results.business": {"en": "Business figures", "ru": "Бизнес-показатели"},
    "results.uplift_used": {"en": "Orders and revenue include an uplift of {uplift} on code and link sales (codes "
                                  "under-count; an editable assumption). Measured: {orders} {orders|order|orders}, {revenue}.",
                            "ru": "Заказы и выручка включают надбавку {uplift} к продажам по промокодам и ссылкам "
                                  "(коды недосчитывают; допущение, можно изменить). Измерено: {orders} "
                                  "{orders|заказ|заказа|заказов}, {revenue}."},
    "results.orders": {"en": "Orders", "ru": "Заказы"},
    "results.revenue": {"en": "Revenue", "ru": "Выручка"},
    "results.cost": {"en": "Cost (cash + product)", "ru": "Затраты (деньги + товар)"},
    "results.roas": {"en": "ROAS (revenue / cost)", "ru": "ROAS (выручка / затраты)"},
    "results.romi": {"en": "ROMI (return on margin)", "ru": "ROMI (окупаемость по марже)"},
    "results.needs_margin": {"en": "set the margin", "ru": "задайте маржу"},
    "results.cost_per_order": {"en": "Cost per order", "ru": "Стоимость заказа"},
    "results.leads": {"en": "Leads", "ru": "Лиды"},
    "results.cost_per_lead": {"en": "Cost per lead", "ru": "Стоимость лида"},
    "results.installs": {"en": "App installs", "ru": "Установки приложения"},
    "results.cost_split": {"en": "Cost: cash {cash} + product cost of barter {product} (source: {source}).",
                           "ru": "Затраты: деньги {cash} + себестоимость бартера {product} (источник: {source})."},
    "results.roi_def.romi": {"en": "ROI in this report: ROMI = (revenue × margin − cost) / cost, cost = cash + product "
                                   "cost of barter (GRIN's basis).",
                             "ru": "ROI в этом отчёте: ROMI = (выручка × маржа − затраты) / затраты, затраты = деньги "
                                   "+ себестоимость бартера (как у GRIN)."},
    "results.roi_def.roas": {"en": "ROI in this report: ROAS = revenue / cost (HypeAuditor's definition).",
                             "ru": "ROI в этом отчёте: ROAS = выручка / затраты (определение HypeAuditor)."},
    "results.roi_def.emv": {"en": "ROI in this report: (EMV − cost) / cost (Upfluence's definition; EMV is a soft "
                                  "metric).",
                            "ru": "ROI в этом отчёте: (EMV − затраты) / затраты (определение Upfluence; EMV — "
                                  "условный показатель)."},
    "results.roi_value": {"en": " ROI = {value}.", "ru": " Итого ROI = {value}."},
    "results.emv_none": {"en": "EMV (earned media value, a soft and disputed metric): none yet, no impressions reported.",
                         "ru": "EMV (условная стоимость охвата, спорный показатель): пока нет, показы не получены."},
    "results.emv": {"en": "EMV (earned media value, a soft and disputed metric, not a result): {emv} — impressions × "
                          "published CPM (benchmark).",
                    "ru": "EMV (условная стоимость охвата, спорный показатель, не результат): {emv} — показы × "
                          "опубликованный CPM (бенчмарк)."},
    "results.likes_vs_business": {"en": "Likes against business", "ru": "Лайки против бизнеса"},
    "results.share_engagements": {"en": "Share of engagements", "ru": "Доля вовлечённости"},
    "results.share_business": {"en": "Share of {what}", "ru": "Доля: {what}"},
    "results.share_of_total": {"en": "% of the campaign's total", "ru": "% от итога кампании"},
    "results.source": {"en": "Source", "ru": "Источник"},
    "results.dis.likes_without_sales": {"en": "likes without sales", "ru": "лайки без продаж"},
    "results.dis.sales_without_likes": {"en": "sells without likes", "ru": "продаёт без лайков"},
    "results.dis_line.likes_without_sales": {"en": "{who}: {eng} of the engagements, only {biz} of {what}.",
                                             "ru": "{who}: {eng} вовлечённости, но лишь {biz} в показателе «{what}»."},
    "results.dis_line.likes_without_sales_none": {"en": "{who}: {eng} of the engagements, and none of {what}.",
                                                  "ru": "{who}: {eng} вовлечённости, но ничего в показателе «{what}»."},
    "results.dis_line.sales_without_likes": {"en": "{who}: quiet ({eng} of the engagements) but {biz} of {what}.",
                                             "ru": "{who}: тихий ({eng} вовлечённости), но {biz} в показателе «{what}»."},
    "results.no_disagreement": {"en": "Likes and business results agree for every blogger.",
                                "ru": "Лайки и бизнес-результат ни у кого не расходятся."},
    "results.biz.orders": {"en": "orders", "ru": "заказы"},
    "results.biz.promo_redemptions_offline": {"en": "offline code redemptions", "ru": "офлайн-промокоды"},
    "results.biz.leads": {"en": "leads", "ru": "лиды"},
    "results.biz.installs": {"en": "installs", "ru": "установки"},
    "results.biz.reach": {"en": "reach", "ru": "охват"},
    "results.biz.positive_mentions": {"en": "positive mentions", "ru": "позитивные упоминания"},
    "results.funnel": {"en": "The funnel", "ru": "Воронка"},
    "results.funnel_axis": {"en": "People or actions (log scale)", "ru": "Люди или действия (лог. шкала)"},
    "results.value": {"en": "Value", "ru": "Значение"},
    "results.rate_prev": {"en": "% of the step before", "ru": "% от предыдущего шага"},
    "results.stage.reach": {"en": "Reach", "ru": "Охват"},
    "results.stage.clicks": {"en": "Link clicks", "ru": "Клики по ссылке"},
    "results.stage.redemptions": {"en": "Code redemptions", "ru": "Промокоды"},
    "results.stage.orders": {"en": "Orders", "ru": "Заказы"},
    "results.stage.revenue": {"en": "Revenue (measured)", "ru": "Выручка (измерено)"},
    "results.funnel_note": {"en": "Measured code and link sales, without the uplift. Orders may exceed code "
                                  "redemptions: link sales come without a code.",
                            "ru": "Измеренные продажи по промокодам и ссылкам, без надбавки. Заказов может быть "
                                  "больше, чем промокодов: продажи по ссылке идут без кода."},
    "results.funnel_by_blogger": {"en": "The funnel per blogger", "ru": "Воронка по блогерам"},
    "results.plan_vs_actual": {"en": "Plan against actual", "ru": "План и факт"},
    "results.pva.reach": {"en": "Reach", "ru": "Охват"},
    "results.pva.engagements": {"en": "Engagements", "ru": "Вовлечённость"},
    "results.pva.orders": {"en": "Orders (measured)", "ru": "Заказы (измерено)"},
    "results.vs_forecast": {"en": "forecast {forecast}, error {error}", "ru": "прогноз {forecast}, ошибка {error}"},
    "results.forecast_help": {"en": "Forecast: the plan's own figures (reach saved with the plan, ER × reach, "
                                    "impressions × CTR × conversion). Error = actual / forecast − 1.",
                              "ru": "Прогноз — цифры самого плана (охват из плана, ER × охват, показы × CTR × "
                                    "конверсия). Ошибка = факт / прогноз − 1."},
    "results.forecast": {"en": "Forecast", "ru": "Прогноз"},
    "results.actual": {"en": "Actual", "ru": "Факт"},
    "results.pva_table": {"en": "Forecast error per blogger", "ru": "Ошибка прогноза по блогерам"},
    "results.col.reach_fc": {"en": "Reach, forecast", "ru": "Охват, прогноз"},
    "results.col.reach": {"en": "Reach, actual", "ru": "Охват, факт"},
    "results.col.reach_err": {"en": "Reach error", "ru": "Ошибка охвата"},
    "results.col.orders_fc": {"en": "Orders, forecast", "ru": "Заказы, прогноз"},
    "results.col.orders": {"en": "Orders, actual", "ru": "Заказы, факт"},
    "results.col.orders_err": {"en": "Orders error", "ru": "Ошибка заказов"},
    "results.corrections": {"en": "Suggested rates for the next plan", "ru": "Поправки к нормативам для следующего плана"},
    "results.col.rate": {"en": "Rate", "ru": "Норматив"},
    "results.col.current": {"en": "Used by this plan", "ru": "В этом плане"},
    "results.col.suggested": {"en": "Suggested", "ru": "Предлагается"},
    "results.col.basis": {"en": "Basis", "ru": "Основание"},
    "results.basis": {"en": "{n} published {n|placement|placements} (measured)", "ru": "опубликованных размещений: {n} (измерено)"},
    "results.rate.reach_factor": {"en": "Reach: factor on the benchmark estimate", "ru": "Охват: множитель к оценке"},
    "results.rate.engagement_factor": {"en": "Engagements: factor on ER × reach",
                                       "ru": "Вовлечённость: множитель к ER × охват"},
    "results.rate.ctr": {"en": "Click-through rate (clicks / impressions)", "ru": "CTR (клики / показы)"},
    "results.rate.conversion": {"en": "Conversion to order (orders / clicks)", "ru": "Конверсия в заказ (заказы / клики)"},
    "results.rate.lead_rate": {"en": "Conversion to lead (leads / clicks)", "ru": "Конверсия в лид (лиды / клики)"},
    "results.corrections_note": {"en": "Type the suggested rates into the Plan page's expected results for the next "
                                       "plan: one campaign is a small sample, so treat them as a direction.",
                                 "ru": "Перенесите предложенные нормативы в ожидаемые результаты на странице "
                                       "«Медиаплан»: одна кампания — малая выборка, это направление, а не истина."},
    "results.incrementality": {"en": "Incrementality: sales against a baseline", "ru": "Инкрементальность: продажи против базовой линии"},
    "results.inc_actual": {"en": "Sales in the window", "ru": "Продажи в окне кампании"},
    "results.inc_baseline": {"en": "Baseline forecast", "ru": "Базовый прогноз"},
    "results.inc_incremental": {"en": "Incremental sales", "ru": "Дополнительные продажи"},
    "results.inc_interval": {"en": "{level} % interval {low} … {high}", "ru": "интервал {level} %: {low} … {high}"},
    "results.inc_attributed": {"en": "Attributed by codes and links", "ru": "По промокодам и ссылкам"},
    "results.inc_uplifted": {"en": "with the uplift {value}", "ru": "с надбавкой {value}"},
    "results.inc_method": {"en": "Window {start} – {end}; the baseline learns from the {pre} {pre|day|days} before it; control "
                                 "regions: {controls}; {level} % interval.",
                           "ru": "Окно {start} – {end}; базовая линия построена по {pre} дн. до него; контрольные "
                                 "регионы: {controls}; интервал {level} %."},
    "results.inc_estimate": {"en": "Estimate: {name}. {why}", "ru": "Оценка: {name}. {why}"},
    "results.inc_estimator.did_control": {"en": "difference-in-differences against the control scaled to this region",
                                          "ru": "разность разностей с контрольным регионом, приведённым к масштабу "
                                                "этого"},
    "results.inc_estimator.forecast": {"en": "a forecast from this region's own history",
                                       "ru": "прогноз по собственной истории региона"},
    "results.inc_estimator.flat": {"en": "the sales before the window repeated (they did not vary beyond their weekday "
                                         "pattern)",
                                   "ru": "продажи до окна, повторённые (они не менялись, кроме как по дням недели)"},
    "results.inc_why.did_control": {"en": "A control region is given: a shock both regions share (a holiday, a price "
                                          "change, the weather) moves the control too, so the difference against the "
                                          "scaled control leaves it out. The control enters with a fixed scale, not a "
                                          "fitted weight: a regression shrinks a noisy control's weight and credits a "
                                          "shared shock to the campaign. The interval comes from the same estimate "
                                          "made in windows of the window's length placed among the days before it, "
                                          "where there was no campaign (placebos): how far those missed is how far "
                                          "this one may miss, whatever the two regions' difference is like (too few "
                                          "days before the window for that: from a model of the daily difference). "
                                          "Checked by a simulation study.",
                                    "ru": "Задан контрольный регион: общий для обоих регионов всплеск (праздник, смена "
                                          "цен, погода) сдвигает и контроль, поэтому разность с приведённым контролем "
                                          "его исключает. Контроль входит с фиксированным масштабом, а не с подобранным "
                                          "весом: регрессия занижает вес шумного контроля и приписывает общий всплеск "
                                          "кампании. Интервал — из той же оценки, сделанной в окнах той же длины среди "
                                          "дней до окна, где кампании не было (плацебо): насколько ошиблись они, "
                                          "настолько может ошибиться и эта, какой бы ни была разность регионов (если "
                                          "дней до окна для этого мало — из модели ежедневной разности). Проверено "
                                          "имитационным исследованием."},
    "results.inc_why.forecast": {"en": "No control region: the baseline can only come from this region's own history "
                                       "(weekday effects, a level that wanders and returns), its interval from the "
                                       "same model with its parameters uncertain, wide enough for a deviation that "
                                       "lasts longer than the history shows. A shock in the window that is not "
                                       "the campaign (a holiday, a competitor's sale) cannot be told apart from it: "
                                       "add a control region's sales to rule that out.",
                                 "ru": "Контрольного региона нет: базовая линия строится только по истории самого "
                                       "региона (эффекты дней недели, уровень, который отклоняется и возвращается), "
                                       "интервал — из той же модели с учётом неопределённости её параметров и "
                                       "с запасом на отклонение, которое длится дольше, чем видно по истории. Всплеск "
                                       "в окне, не связанный с кампанией (праздник, распродажа конкурента), от неё не "
                                       "отличить: добавьте продажи контрольного региона, чтобы это исключить."},
    "results.inc_why.flat": {"en": "Before the window the sales repeated the same week exactly (or did not change at "
                                   "all), so there is no day-to-day variation to measure the uncertainty from: the "
                                   "interval is the point.",
                             "ru": "До окна продажи в точности повторяли одну и ту же неделю (или не менялись совсем), "
                                   "поэтому неопределённость не из чего оценить: интервал совпадает с точкой."},
    "results.actual_sales": {"en": "Actual sales", "ru": "Фактические продажи"},
    "results.baseline": {"en": "Baseline (no campaign)", "ru": "Базовая линия (без кампании)"},
    "results.sales_per_day": {"en": "Sales per day", "ru": "Продажи в день"},
    "results.day": {"en": "Day", "ru": "День"},
    "results.no_series": {"en": "No daily sales series: upload one on the tab «Daily sales» to measure incrementality.",
                          "ru": "Нет продаж по дням: загрузите их на вкладке «Продажи по дням», чтобы оценить "
                                "инкрементальность."},
    "results.inc_error.no_window": {"en": "The campaign window is not set: set it on the tab «Goals».",
                                    "ru": "Окно кампании не задано: задайте его на вкладке «Цели»."},
    "results.inc_error.short_pre": {"en": "Only {days} {days|day|days} of sales before the window: at least {need} are needed.",
                                    "ru": "До окна кампании только {days} дн. продаж: нужно не меньше {need}."},
    "results.inc_error.no_window_days": {"en": "The sales series has no day inside the campaign window.",
                                         "ru": "В ряду продаж нет ни одного дня внутри окна кампании."},
    "results.coverage": {"en": "**{reported} of {planned} {planned|placement|placements} reported.** Published, waiting for results: "
                                "{published}; pending (not yet due): {pending}; did not publish: {not_published}. "
                                "The figures below cover the reported placements: their cost against their results.",
                         "ru": "**Результаты есть по {reported} из {planned} размещений.** Вышли, ждём результатов: "
                                "{published}; ещё не вышли (срок не наступил): {pending}; не вышли: {not_published}. "
                                "Цифры ниже — по размещениям с результатами: их затраты против их результатов."},
    "results.projection": {"en": "≈ The whole campaign if the {waiting} {waiting|placement|placements} still waiting {waiting|performs|perform} as forecast "
                                  "(an estimate): cost ≈ {cost}, reach ≈ {reach}, orders ≈ {orders}, revenue ≈ "
                                  "{revenue}, ROAS ≈ {roas}, ROMI ≈ {romi}.",
                           "ru": "≈ Вся кампания, если {waiting} {waiting|ожидающее размещение сработает|ожидающих размещения сработают|ожидающих размещений сработают} по прогнозу (оценка): "
                                  "затраты ≈ {cost}, охват ≈ {reach}, заказы ≈ {orders}, выручка ≈ {revenue}, "
                                  "ROAS ≈ {roas}, ROMI ≈ {romi}."},
    "results.cash_of_budget": {"en": "Cash {cash} of the cash budget {budget}; the product given in barter ({product}) "
                                      "is counted apart, against the product budget, not the cash one.",
                               "ru": "Деньги: {cash} из денежного бюджета {budget}; товар по бартеру ({product}) "
                                      "считается отдельно, в товарном бюджете, а не в денежном."},
    "results.verdict.wait": {"en": "Waiting for results", "ru": "Ждём результатов"},
    "results.wait_line": {"en": "Waiting for results (no verdict yet): {who}.",
                          "ru": "Ждём результатов (без вывода): {who}."},
    "results.rebook_drop": {"en": "Book again, or not", "ru": "Кого брать снова, а кого нет"},
    "results.verdict.rebook": {"en": "Book again", "ru": "Брать снова"},
    "results.verdict.drop": {"en": "Drop", "ru": "Не брать"},
    "results.verdict.keep": {"en": "Keep an eye on", "ru": "Под вопросом"},
    "results.nobody": {"en": "Nobody.", "ru": "Никого."},
    "results.keep_line": {"en": "Close to the bar, worth another look: {who}.",
                          "ru": "Близко к планке, стоит присмотреться: {who}."},
    "results.metric.romi": {"en": "ROMI", "ru": "окупаемость ROMI"},
    "results.metric.roas": {"en": "ROAS", "ru": "отдача ROAS"},
    "results.metric.cost_per_lead": {"en": "cost per lead", "ru": "стоимость лида"},
    "results.metric.cost_per_install": {"en": "cost per install", "ru": "стоимость установки"},
    "results.metric.cpm_reach": {"en": "cost per 1,000 reached", "ru": "стоимость 1000 охвата"},
    "results.metric.positive_share": {"en": "share of positive mentions", "ru": "доля позитивных упоминаний"},
    "results.why.meets": {"en": "{metric} {value} (bar {bar})", "ru": "{metric} {value} (планка {bar})"},
    "results.why.far_off": {"en": "{metric} {value}, far from the bar {bar}", "ru": "{metric} {value}, далеко от планки {bar}"},
    "results.why.near": {"en": "{metric} {value}, near the bar {bar}", "ru": "{metric} {value}, рядом с планкой {bar}"},
    "results.why.no_result": {"en": "cost {cost}, no result", "ru": "затраты {cost}, результата нет"},
    "results.why.not_published": {"en": "did not publish (cost {cost})", "ru": "не опубликовал (затраты {cost})"},
    "results.why.free": {"en": "a result at no cost", "ru": "результат без затрат"},
    "results.why.no_figure": {"en": "no figure to judge by", "ru": "не по чему судить"},
    "results.export": {"en": "Download the report (XLSX, numbers and sources)", "ru": "Скачать отчёт (XLSX, цифры и источники)"},
    "results.src.measured": {"en": "measured", "ru": "измерено"},
    "results.src.uplifted": {"en": "uplifted estimate (≈)", "ru": "оценка с надбавкой (≈)"},
    "results.src.planned": {"en": "planned (no actual given)", "ru": "по плану (факт не указан)"},
    "results.src.forecast": {"en": "forecast (the plan)", "ru": "прогноз (план)"},
    "results.src.estimated": {"en": "estimated from views (≈)", "ru": "оценка по просмотрам (≈)"},
    "results.src.benchmark": {"en": "benchmark (≈)", "ru": "бенчмарк (≈)"},
    "results.src.assumption": {"en": "assumption", "ru": "допущение"},
    "results.src.baseline": {"en": "baseline forecast (model)", "ru": "базовый прогноз (модель)"},
    "results.upload_help": {"en": "A table with a row per placement: handle (or profile link), platform, and any of "
                                  "publication date, link, views, reach, likes, comments, shares, saves, clicks, promo "
                                  "codes online and offline, orders, revenue, leads, installs, new followers, positive "
                                  "and negative mentions, cash and product cost paid. Amounts in {ccy}; an amount marked in "
                                  "another currency (\"USD 500\", \"Revenue, USD\", a currency column) is converted "
                                  "at the rates used, with a note. Uploading again updates the results.",
                            "ru": "Таблица, строка на размещение: ник (или ссылка на профиль), площадка и любые из "
                                  "полей: дата и ссылка публикации, просмотры, охват, лайки, комментарии, репосты, "
                                  "сохранения, клики, промокоды онлайн и офлайн, заказы, выручка, лиды, установки, "
                                  "новые подписчики, позитивные и негативные упоминания, оплачено деньгами и товаром. "
                                  "Суммы в {ccy}; сумма в другой валюте («USD 500», «Выручка, USD», столбец валюты) "
                                  "пересчитывается по используемым курсам, с примечанием. Повторная загрузка "
                                  "обновляет результаты."},
    "results.upload": {"en": "Upload results (CSV or XLSX)", "ru": "Загрузить результаты (CSV или XLSX)"},
    "upload.kept": {"en": "The file chosen before: {name} (kept while another tab was open; choose a file to "
                          "replace it).",
                    "ru": "Выбранный ранее файл: {name} (сохранён, пока была открыта другая вкладка; выберите файл, "
                          "чтобы заменить его)."},
    "upload.forget": {"en": "Remove", "ru": "Убрать"},
    "results.unreadable": {"en": "{name} cannot be used: {reason}", "ru": "Файл {name} не подходит: {reason}"},
    "results.preview_line": {"en": "Rows read: {rows}; matched to placements: {matched}; not in the campaign: "
                                   "{unmatched}; refused: {refused}.",
                             "ru": "Прочитано строк: {rows}; сопоставлено с размещениями: {matched}; нет в кампании: "
                                   "{unmatched}; отклонено: {refused}."},
    "results.mapping": {"en": "Columns read: {cols}", "ru": "Прочитаны столбцы: {cols}"},
    "results.unmatched_title": {"en": "These rows name bloggers who are not in the campaign (nothing is stored for "
                                      "them):",
                                "ru": "В этих строках блогеры, которых нет в кампании (для них ничего не сохраняется):"},
    "results.col.row": {"en": "Row", "ru": "Строка"},
    "results.col.column": {"en": "Column", "ru": "Столбец"},
    "results.col.reason": {"en": "Why", "ru": "Причина"},
    "results.col.what": {"en": "Outcome", "ru": "Итог"},
    "results.refused": {"en": "refused", "ru": "отклонена"},
    "results.note": {"en": "note", "ru": "примечание"},
    "results.apply": {"en": "Store the results of {n} {n|placement|placements}", "ru": "Сохранить результаты размещений: {n}"},
    "results.applied": {"en": "Stored: {inserted} new, {updated} updated.", "ru": "Сохранено: новых {inserted}, обновлено {updated}."},
    "results.edit_title": {"en": "Results per placement (editable)", "ru": "Результаты размещений (можно править)"},
    "results.save_table": {"en": "Save the table", "ru": "Сохранить таблицу"},
    "results.nothing_changed": {"en": "Nothing changed.", "ru": "Ничего не изменилось."},
    "results.sales_help": {"en": "A table of daily sales: date, sales (orders or revenue) and, optionally, region. "
                                 "Regions after the first one (or named «control») are control regions without the "
                                 "campaign. Uploading again replaces the series.",
                           "ru": "Таблица продаж по дням: дата, продажи (заказы или выручка) и, по желанию, регион. "
                                 "Регионы после первого (или со словом «контроль») — контрольные, без кампании. "
                                 "Повторная загрузка заменяет ряд."},
    "results.sales_upload": {"en": "Upload daily sales (CSV or XLSX)", "ru": "Загрузить продажи по дням (CSV или XLSX)"},
    "results.sales_preview": {"en": "{days} {days|day|days} from {start} to {end}, {unit}; control regions: {controls}; refused "
                                    "rows: {refused}.",
                              "ru": "{days} дн. с {start} по {end}, {unit}; контрольные регионы: {controls}; отклонено "
                                    "строк: {refused}."},
    "results.unit.orders": {"en": "orders", "ru": "заказы"},
    "results.unit.revenue": {"en": "revenue", "ru": "выручка"},
    "results.sales_store": {"en": "Store the series", "ru": "Сохранить ряд"},
    "results.sales_stored": {"en": "Stored {n} {n|day|days}.", "ru": "Сохранено дней: {n}."},
    "results.col.region": {"en": "Region", "ru": "Регион"},
    "results.col.control": {"en": "Control", "ru": "Контроль"},
    "results.col.days": {"en": "Days", "ru": "Дней"},
    "results.col.period": {"en": "Period", "ru": "Период"},
    "results.col.total": {"en": "Total", "ru": "Итого"},
    "results.yes": {"en": "yes", "ru": "да"},
    "results.no": {"en": "no", "ru": "нет"},
    "audit.history": {"en": "History: who created, changed or deleted what, and when",
                      "ru": "История: кто что создал, изменил или удалил и когда"},
    "audit.none": {"en": "No changes recorded yet.", "ru": "Изменений пока нет."},
    "audit.col.when": {"en": "When (UTC)", "ru": "Когда (UTC)"},
    "audit.col.who": {"en": "Who", "ru": "Кто"},
    "audit.col.what": {"en": "What", "ru": "Что"},
    "audit.create.campaign": {"en": "saved the campaign", "ru": "сохранил(а) кампанию"},
    "audit.delete.campaign": {"en": "deleted the campaign", "ru": "удалил(а) кампанию"},
    "audit.change.placements": {"en": "changed placements' statuses or dates",
                                "ru": "изменил(а) статусы или даты размещений"},
    "audit.change.goals": {"en": "changed the goals", "ru": "изменил(а) цели"},
    "audit.change.results": {"en": "imported or edited results", "ru": "загрузил(а) или исправил(а) результаты"},
    "audit.change.sales": {"en": "stored the daily sales", "ru": "сохранил(а) продажи по дням"},
    "audit.create.scenario": {"en": "saved a scenario", "ru": "сохранил(а) сценарий"},
    "audit.change.scenario": {"en": "saved a scenario again", "ru": "пересохранил(а) сценарий"},
    "audit.delete.scenario": {"en": "deleted a scenario", "ru": "удалил(а) сценарий"},
    "results.field.handle": {"en": "Handle", "ru": "Ник"},
    "results.field.platform": {"en": "Platform", "ru": "Площадка"},
    "results.field.format": {"en": "Format", "ru": "Формат"},
    "results.field.published_at": {"en": "Published", "ru": "Дата публикации"},
    "results.field.link": {"en": "Link", "ru": "Ссылка"},
    "results.field.views": {"en": "Views", "ru": "Просмотры"},
    "results.field.reach": {"en": "Reach", "ru": "Охват"},
    "results.field.impressions": {"en": "Impressions", "ru": "Показы"},
    "results.field.likes": {"en": "Likes", "ru": "Лайки"},
    "results.field.comments": {"en": "Comments", "ru": "Комментарии"},
    "results.field.shares": {"en": "Shares", "ru": "Репосты"},
    "results.field.saves": {"en": "Saves", "ru": "Сохранения"},
    "results.field.clicks": {"en": "Link clicks", "ru": "Клики по ссылке"},
    "results.field.promo_redemptions_online": {"en": "Codes online", "ru": "Промокоды онлайн"},
    "results.field.promo_redemptions_offline": {"en": "Codes offline", "ru": "Промокоды офлайн"},
    "results.field.orders": {"en": "Orders", "ru": "Заказы"},
    "results.field.revenue": {"en": "Revenue", "ru": "Выручка"},
    "results.field.leads": {"en": "Leads", "ru": "Лиды"},
    "results.field.installs": {"en": "Installs", "ru": "Установки"},
    "results.field.new_followers": {"en": "New followers", "ru": "Новые подписчики"},
    "results.field.positive_mentions": {"en": "Positive mentions", "ru": "Позитивные упоминания"},
    "results.field.negative_mentions": {"en": "Negative mentions", "ru": "Негативные упоминания"},
    "results.field.cash_cost": {"en": "Paid in cash", "ru": "Оплачено деньгами"},
    "results.field.product_cost": {"en": "Product cost", "ru": "Себестоимость товара"},
    "results.field.notes": {"en": "Notes", "ru": "Примечания"},
    "results.reason.ambiguous_platform": {"en": "{handle!r} is in the campaign on several platforms ({platforms}): "
                                                "add a platform column",
                                          "ru": "{handle!r} есть в кампании на нескольких площадках ({platforms}): "
                                                "добавьте столбец площадки"},
    "results.reason.ambiguous_format": {"en": "{handle!r} has several placements on {platform} ({formats}): add a "
                                              "format column",
                                        "ru": "у {handle!r} несколько размещений на {platform} ({formats}): добавьте "
                                              "столбец формата"},
    "results.reason.superseded_row": {"en": "a later row (row {later}) has results of the same placement: that one is "
                                            "used",
                                      "ru": "в более поздней строке ({later}) результаты того же размещения: берётся "
                                            "она"},
    "results.reason.converted_currency": {"en": "{amount:,.2f} {currency} ({value!r}) converted at {rate:.6g} {target} "
                                                "per {currency}: {converted:,.2f} {target}",
                                          "ru": "{amount:.2f} {currency} («{value}») пересчитано по курсу {rate:.6g} "
                                                "{target} за 1 {currency}: {converted:.2f} {target}"},
    "results.reason.unsupported_currency": {"en": "an amount in {currency}, a currency that is not read here "
                                                  "({known}): {value!r}",
                                            "ru": "сумма в {currency} — эта валюта здесь не читается ({known}): "
                                                  "«{value}»"},
    "results.reason.no_exchange_rate": {"en": "no exchange rate from {currency} to {target}: {value!r}",
                                        "ru": "нет курса {currency} к {target}: «{value}»"},
    "results.reason.unknown_row_currency": {"en": "unknown currency {value!r} (known: {known}): the row's amounts "
                                                  "cannot be converted",
                                            "ru": "неизвестная валюта «{value}» (известны: {known}): суммы строки "
                                                  "нельзя пересчитать"},
    "results.reason.currency_mismatch": {"en": "{value!r} is in {currency} but the row's currency column says "
                                               "{column}",
                                         "ru": "«{value}» — в {currency}, а в столбце валюты строки указано {column}"},
    "results.field.currency": {"en": "Currency", "ru": "Валюта"},
    "results.reason.duplicate_day": {"en": "a later row (row {later}) has the same date and region: that one is used",
                                     "ru": "в более поздней строке ({later}) та же дата и регион: берётся она"},
    "results.reason.no_results_columns": {"en": "no column of results found (views, likes, clicks, orders, revenue, "
                                                "...)",
                                          "ru": "не найдено ни одного столбца результатов (просмотры, лайки, клики, "
                                                "заказы, выручка…)"},
    "results.reason.no_handle_column": {"en": "no column of bloggers' handles found: name one Handle (or Ник)",
                                        "ru": "не найден столбец с никами блогеров: назовите его «Ник» (или Handle)"},
    "results.reason.no_date_column": {"en": "no date column found: name one Date (or Дата)",
                                      "ru": "не найден столбец даты: назовите его «Дата» (или Date)"},
    "results.reason.no_sales_column": {"en": "no sales column found: name one Sales (or Продажи)",
                                       "ru": "не найден столбец продаж: назовите его «Продажи» (или Sales)"},
    "results.reason.no_rows": {"en": "the file has no rows", "ru": "в файле нет строк"},
    "results.reason.empty_series": {"en": "the sales series has no day", "ru": "в ряду продаж нет ни одного дня"},
    "goals.primary": {"en": "Primary goal", "ru": "Главная цель"},
    "goals.type.online_sales": {"en": "Online sales", "ru": "Продажи онлайн"},
    "goals.type.offline_sales": {"en": "Offline sales (promo code in store)", "ru": "Продажи офлайн (промокод в магазине)"},
    "goals.type.leads": {"en": "Leads", "ru": "Лиды"},
    "goals.type.installs": {"en": "App installs", "ru": "Установки приложения"},
    "goals.type.store_visits": {"en": "Store visits", "ru": "Визиты в магазин"},
    "goals.type.awareness": {"en": "Awareness (brand-lift survey)", "ru": "Узнаваемость (опрос о знании бренда)"},
    "goals.type.positive_mentions": {"en": "Share of positive mentions", "ru": "Доля позитивных упоминаний"},
    "goals.margin": {"en": "Gross margin, %", "ru": "Валовая маржа, %"},
    "goals.uplift": {"en": "Uplift on code and link sales, %", "ru": "Надбавка к продажам по кодам и ссылкам, %"},
    "goals.brand_lift": {"en": "Brand lift by a survey, percentage points",
                         "ru": "Рост знания бренда по опросу, п. п."},
    "goals.brand_lift_help": {"en": "An awareness goal's result: the difference in brand awareness between the "
                                    "exposed and a control group of a brand-lift survey (a measured figure you enter).",
                              "ru": "Результат цели «узнаваемость»: разница в знании бренда между видевшими рекламу и "
                                    "контрольной группой по опросу о знании бренда (измеренная цифра, которую вы вводите)."},
    "results.brand_lift": {"en": "Brand lift (survey)", "ru": "Рост знания бренда (опрос)"},
    "results.brand_lift_pp": {"en": "{sign}{value} pp", "ru": "{sign}{value} п. п."},
    "goals.uplift_help": {"en": "Codes and links under-count: buyers come later without them (sources suggest 30–50 % "
                                "more real sales, seedingops.com). 0 = report only what was measured.",
                          "ru": "Коды и ссылки недосчитывают: покупатели приходят позже и без них (по источникам, "
                                "реальных продаж на 30–50 % больше, seedingops.com). 0 — только измеренное."},
    "goals.roi": {"en": "ROI definition shown", "ru": "Какой ROI показывать"},
    "goals.roi.romi": {"en": "ROMI (margin, cash + product cost)", "ru": "ROMI (маржа, деньги + товар)"},
    "goals.roi.roas": {"en": "ROAS (revenue / cost)", "ru": "ROAS (выручка / затраты)"},
    "goals.roi.emv": {"en": "On EMV (soft)", "ru": "По EMV (условно)"},
    "goals.window": {"en": "Campaign window (incrementality)", "ru": "Окно кампании (инкрементальность)"},
    "goals.targets": {"en": "Targets (leave empty for none)", "ru": "Целевые значения (пусто — без цели)"},
    "goals.kind.orders": {"en": "Orders", "ru": "Заказы"},
    "goals.kind.revenue": {"en": "Revenue", "ru": "Выручка"},
    "goals.kind.leads": {"en": "Leads", "ru": "Лиды"},
    "goals.kind.installs": {"en": "Installs", "ru": "Установки"},
    "goals.kind.cost_per_order": {"en": "Cost per order", "ru": "Стоимость заказа"},
    "goals.kind.cost_per_lead": {"en": "Cost per lead", "ru": "Стоимость лида"},
    "goals.kind.roas": {"en": "ROAS", "ru": "Отдача ROAS"},
    "goals.kind.romi": {"en": "ROMI", "ru": "Окупаемость ROMI"},
    "goals.kind.positive_share": {"en": "Positive share", "ru": "Доля позитива"},
    "goals.save": {"en": "Save the goals", "ru": "Сохранить цели"},
    "goals.saved": {"en": "Goals saved.", "ru": "Цели сохранены."},
    "stale.placements": {"en": "The placements were changed elsewhere since you opened them. Nothing was saved; the "
                               "table now shows them as they are: make your change again and save.",
                         "ru": "Размещения изменили в другом окне, пока вы их редактировали. Ничего не сохранено; "
                               "в таблице теперь текущие данные: внесите изменение ещё раз и сохраните."},
    "stale.results": {"en": "The results were changed elsewhere since you opened them. Nothing was saved; the table "
                            "now shows them as they are: make your change again and save.",
                      "ru": "Результаты изменили в другом окне, пока вы их редактировали. Ничего не сохранено; в "
                            "таблице теперь текущие данные: внесите изменение ещё раз и сохраните."},
    "stale.scenario": {"en": "The scenario was saved elsewhere since you opened it. Nothing was saved: open it again.",
                       "ru": "Сценарий сохранили в другом окне, пока вы его редактировали. Ничего не сохранено: "
                             "откройте его заново."},
    "goals.error.stale": {"en": "The goals were changed elsewhere since you read them ({changes}). Nothing was saved: "
                                "read them again and make your change once more.",
                          "ru": "Цели изменили в другом окне, пока вы их редактировали ({changes}). Ничего не "
                                "сохранено: в форме теперь текущие цели — внесите изменение ещё раз и сохраните."},
    "goals.error.primary": {"en": "unknown primary goal {value!r} (known: {known})",
                            "ru": "неизвестная главная цель {value!r} (известны: {known})"},
    "goals.error.kind": {"en": "unknown goal {value!r} (known: {known})", "ru": "неизвестная цель {value!r} (известны: {known})"},
    "goals.error.syntax": {"en": "a goal is KIND=TARGET, got {value!r}", "ru": "цель задаётся как ВИД=ЗНАЧЕНИЕ, а не {value!r}"},
    "goals.error.value": {"en": "the target of {kind} must be a number, got {value!r}",
                          "ru": "цель {kind} должна быть числом, а не {value!r}"},
    "goals.error.negative": {"en": "the target of {kind} must be at least 0, got {value!r}",
                             "ru": "цель {kind} не может быть меньше 0, а не {value!r}"},
    "goals.error.margin": {"en": "the margin must lie between 0 and 100 %, got {value}",
                           "ru": "маржа должна быть от 0 до 100 %, а не {value}"},
    "goals.error.uplift": {"en": "the uplift must lie between 0 and 500 %, got {value}",
                           "ru": "надбавка должна быть от 0 до 500 %, а не {value}"},
    "goals.error.roi": {"en": "unknown ROI definition {value!r} (known: romi, roas, emv)",
                        "ru": "неизвестное определение ROI {value!r} (известны: romi, roas, emv)"},
    "goals.error.window": {"en": "the campaign window ends ({end}) before it starts ({start})",
                           "ru": "окно кампании заканчивается ({end}) раньше, чем начинается ({start})"},
    "goals.error.sales_unit": {"en": "the sales unit must be orders or revenue, got {value!r}",
                               "ru": "продажи считаются в заказах или выручке, а не {value!r}"},
    "goals.error.brand_lift": {"en": "the brand lift must be a number of percentage points, got {value}",
                               "ru": "рост знания бренда должен быть числом процентных пунктов, а не {value}"},
    "goals.error.campaign": {"en": "no campaign {value}", "ru": "нет кампании {value}"},
})


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """The text for ``key`` in ``lang`` (falls back to English, then the key), formatted with kwargs.

    A word that agrees with a number is written ``{n|placement|placements}`` (Russian ``{n|размещение|размещения|
    размещений}``: one|few|many) and takes the form of the parameter ``n`` (a number, or a number already formatted
    in the language: "1 234", "1,234"), so no text says "1 placements"."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    if "|" in text and kwargs:
        text = _PLURAL.sub(lambda m: _plural_form(m, kwargs, lang if entry.get(lang) else DEFAULT_LANG), text)
    return text.format(**kwargs) if kwargs else text


_PLURAL = re.compile(r"\{(\w+)\|([^{}]+)\}")


def _plural_form(m: re.Match[str], kwargs: Mapping[str, object], lang: str) -> str:
    forms = m.group(2).split("|")
    count = _count_of(kwargs.get(m.group(1)), lang)
    word = forms[min(plural_index(count, lang), len(forms) - 1)] if count is not None else forms[-1]
    return word.replace("{", "{{").replace("}", "}}")


def _count_of(value: object, lang: str) -> float | None:
    """The number a parameter holds: a number, or a text formatted in ``lang`` (grouping spaces or commas)."""
    if isinstance(value, int | float):
        return float(value)
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
    text = text.replace(",", ".") if lang == "ru" else text.replace(",", "")
    match = re.match(r"[−-]?\d+(\.\d+)?", text)
    return float(match.group(0).replace("−", "-")) if match else None


def missing_translations() -> list[str]:
    """Keys that lack a language (a test asserts this is empty)."""
    return [k for k, v in TEXT.items() if any(not v.get(lang) for lang in LANGUAGES)]


# --- barter against paid (page "Barter", planner.planning.barter) -------------------------------------------------
# Reasons are built from codes and parameters (amounts, shares and tiers come formatted, never translated text).
TEXT.update({
    "nav.barter": {"en": "Barter", "ru": "Бартер"},
    "barter.title": {"en": "Barter against paid", "ru": "Бартер или оплата"},
    "barter.intro": {"en": "What a placement really costs paid, by barter (product instead of a fee) or hybrid (product plus a reduced fee): a barter post is not guaranteed, and the blogger values the product at retail while it costs the brand its cost price.",
                     "ru": "Во что на самом деле обходится размещение за деньги, по бартеру (продукт вместо гонорара) или гибридно (продукт плюс сниженный гонорар): бартерный пост не гарантирован, а блогер ценит продукт по рознице, тогда как бренду он стоит по себестоимости."},
    "barter.offer": {"en": "The product offered", "ru": "Предлагаемый продукт"},
    "barter.product_cost": {"en": "Cost price per unit, {sym}", "ru": "Себестоимость единицы, {sym}"},
    "barter.retail": {"en": "Retail value per unit, {sym}", "ru": "Розничная цена единицы, {sym}"},
    "barter.shipping": {"en": "Shipping per parcel, {sym}", "ru": "Доставка одной посылки, {sym}"},
    "barter.packaging": {"en": "Packaging per parcel, {sym}", "ru": "Упаковка одной посылки, {sym}"},
    "barter.units": {"en": "Units per blogger", "ru": "Единиц на блогера"},
    "barter.niches": {"en": "The product's niches (its fit with a blog)", "ru": "Тематики продукта (соответствие блогу)"},
    "barter.commonplace": {"en": "A product everyone already has", "ru": "Продукт, который есть у всех"},
    "barter.commonplace_help": {"en": "Bloggers rarely post about a product anyone can buy: acceptance and post rate are lowered.",
                                "ru": "О продукте, который может купить каждый, блогеры пишут редко: вероятность согласия и публикации ниже."},
    "barter.estimates": {"en": "Also value formats with estimated prices ≈", "ru": "Также оценивать форматы с оценочной ценой ≈"},
    "barter.source": {"en": "Compare", "ru": "Сравнить"},
    "barter.source_error.no_campaign": {"en": "No campaign {campaign} in this workspace.",
                                        "ru": "Кампании {campaign} нет в этом рабочем пространстве."},
    "barter.source_error.no_placements": {"en": "The campaign {campaign} has no placements.",
                                          "ru": "В кампании {campaign} нет размещений."},
    "barter.source_one": {"en": "One blogger", "ru": "Одного блогера"},
    "barter.source_plan": {"en": "The current plan ({n})", "ru": "Текущий медиаплан ({n})"},
    "barter.source_shortlist": {"en": "The shortlist ({n})", "ru": "Шорт-лист ({n})"},
    "barter.source_campaign": {"en": "A saved campaign", "ru": "Сохранённую кампанию"},
    "barter.blogger": {"en": "Blogger", "ru": "Блогер"},
    "barter.blogger_search": {"en": "Handle (type to search)", "ru": "Ник (начните вводить)"},
    "barter.campaign": {"en": "Campaign", "ru": "Кампания"},
    "barter.no_plan": {"en": "No plan yet: build one on the Plan page, or compare the shortlist or one blogger.",
                       "ru": "Плана пока нет: постройте его на странице «Медиаплан» или сравните шорт-лист либо одного блогера."},
    "barter.no_rows": {"en": "Nothing to compare: no blogger here has a quoted price (switch estimated prices ≈ on to value them).",
                       "ru": "Сравнивать нечего: ни у одного блогера нет цены от блогера (включите оценочные цены ≈)."},
    "barter.skipped": {"en": "Not compared ({n}): {items}", "ru": "Не сравнивались ({n}): {items}"},
    "barter.skip.no_fee": {"en": "no quoted price", "ru": "нет цены от блогера"},
    "barter.skip.currency": {"en": "prices in an unknown currency", "ru": "цены в неизвестной валюте"},
    "barter.skip.no_blogger": {"en": "no longer in the database", "ru": "больше нет в базе"},
    "barter.skip.no_followers": {"en": "no followers count (the barter rates are per size tier)", "ru": "нет числа подписчиков (нормы бартера зависят от категории по размеру)"},
    "barter.bad_offer": {"en": "The offer cannot be valued: {reason}", "ru": "Предложение не оценить: {reason}"},
    "barter.bad_assumption": {"en": "{name}: {value} is not used (allowed: {lo} – {hi})",
                              "ru": "{name}: значение {value} не применено (допустимо: {lo} – {hi})"},
    # totals
    "barter.totals": {"en": "If every recommendation is taken", "ru": "Если принять все рекомендации"},
    "barter.cash_saved": {"en": "Cash saved", "ru": "Сэкономлено денег"},
    "barter.cash_saved_help": {"en": "Fees not paid against paying every placement (the product's cost is counted beside it).",
                               "ru": "Неуплаченные гонорары по сравнению с оплатой всех размещений (стоимость продукта — отдельно)."},
    "barter.units_total": {"en": "Product units", "ru": "Единиц продукта"},
    "barter.product_cost_total": {"en": "Their cost to the brand", "ru": "Их стоимость для бренда"},
    "barter.product_cost_help": {"en": "Cost price of the units sent, plus shipping and packaging.",
                                 "ru": "Себестоимость отправленных единиц плюс доставка и упаковка."},
    "barter.posts_lost": {"en": "Expected published posts lost", "ru": "Ожидаемо потеряно публикаций"},
    "barter.posts_lost_help": {"en": "1 − acceptance × post rate for each barter or hybrid placement (a paid post is published).",
                               "ru": "1 − вероятность согласия × доля публикаций для каждого бартерного или гибридного размещения (оплаченный пост публикуется)."},
    "barter.deals_count": {"en": "Paid {paid} · barter {barter} · hybrid {hybrid}", "ru": "Оплата {paid} · бартер {barter} · гибрид {hybrid}"},
    # the table
    "barter.compare": {"en": "Paid, barter and hybrid side by side", "ru": "Оплата, бартер и гибрид рядом"},
    "barter.deal": {"en": "Deal", "ru": "Сделка"},
    "barter.deal.paid": {"en": "Paid", "ru": "Оплата"},
    "barter.deal.barter": {"en": "Barter", "ru": "Бартер"},
    "barter.deal.hybrid": {"en": "Hybrid", "ru": "Гибрид"},
    "barter.fee": {"en": "Fee", "ru": "Гонорар"},
    "barter.cash": {"en": "Fee paid", "ru": "Гонорар"},
    "barter.product": {"en": "Product (cost price, shipping, packaging)", "ru": "Продукт (себестоимость, доставка, упаковка)"},
    "barter.acceptance": {"en": "Acceptance", "ru": "Согласие"},
    "barter.post_rate": {"en": "Post rate", "ru": "Доля публикаций"},
    "barter.cost_per_post": {"en": "Cost per published post", "ru": "Цена опубликованного поста"},
    "barter.cpm": {"en": "Effective CPM", "ru": "Эффективный CPM"},
    "barter.cpe": {"en": "Per engagement", "ru": "За вовлечение"},
    "barter.cpo": {"en": "Per order", "ru": "За заказ"},
    "barter.break_even": {"en": "Break-even retail value", "ru": "Розница безубыточности"},
    "barter.asked": {"en": "Retail value asked", "ru": "Запрос блогера (розница)"},
    "barter.recommendation": {"en": "Recommendation", "ru": "Рекомендация"},
    "barter.reason": {"en": "Why", "ru": "Почему"},
    "barter.if_lower": {"en": "Post rate −10 points", "ru": "Доля публикаций −10 п."},
    "barter.same": {"en": "same", "ru": "так же"},
    "barter.legend": {"en": "≈ an estimate (a benchmark price, a reach not measured); acceptance, post rate and every cost per post are estimates from the assumptions below.",
                      "ru": "≈ — оценка (цена по бенчмаркам, неизмеренный охват); согласие, доля публикаций и цена поста — оценки по допущениям ниже."},
    "barter.sensitivity": {"en": "Sensitivity: with post rates 10 points lower, {n} of {total} recommendations {n|changes|change}.",
                           "ru": "Чувствительность: при доле публикаций на 10 п. ниже меняется рекомендаций: {n} из {total}."},
    "barter.sensitivity_none": {"en": "Sensitivity: with post rates 10 points lower, no recommendation changes.",
                                "ru": "Чувствительность: при доле публикаций на 10 п. ниже ни одна рекомендация не меняется."},
    "barter.details": {"en": "Details: {handle}", "ru": "Подробно: {handle}"},
    "barter.detail_for": {"en": "Details and break-even chart for", "ru": "Подробности и график безубыточности для"},
    "barter.acc_reasons": {"en": "Acceptance ≈ {pct} (barter), {hpct} (hybrid): {reasons}",
                           "ru": "Согласие ≈ {pct} (бартер), {hpct} (гибрид): {reasons}"},
    "barter.rate_reasons": {"en": "Post rate ≈ {pct} (barter), {hpct} (hybrid): {reasons}",
                            "ru": "Доля публикаций ≈ {pct} (бартер), {hpct} (гибрид): {reasons}"},
    # the chart
    "barter.chart": {"en": "Cost per published post against the product's retail value", "ru": "Цена опубликованного поста в зависимости от розничной цены продукта"},
    "barter.chart_help": {"en": "A product with this cost-to-retail ratio: barter costs less per published post than paying left of the crossing (break-even); the blogger asks for at least the value marked.",
                          "ru": "Продукт с тем же отношением себестоимости к рознице: левее пересечения (безубыточность) бартер дешевле оплаты за опубликованный пост; отмечен запрос блогера."},
    "barter.x_retail": {"en": "Retail value per unit", "ru": "Розничная цена единицы"},
    "barter.mark.offer": {"en": "this product", "ru": "этот продукт"},
    "barter.mark.asked": {"en": "blogger's ask", "ru": "запрос блогера"},
    "barter.mark.break_even": {"en": "break-even", "ru": "безубыточность"},
    "barter.mark": {"en": "Marker", "ru": "Отметка"},
    # assumptions
    "barter.assumptions": {"en": "Assumptions (editable, with their sources)", "ru": "Допущения (можно изменить, с источниками)"},
    "barter.assumptions_edited": {"en": "Assumptions (editable, with their sources): {n} changed by you",
                                  "ru": "Допущения (можно изменить, с источниками): изменено вами — {n}"},
    "barter.assumptions_help": {"en": "Published figures disagree: these are defaults, not truths. Shares are per cent.",
                                "ru": "Опубликованные цифры расходятся: это значения по умолчанию, а не истина. Доли — в процентах."},
    "barter.figure": {"en": "Figure", "ru": "Показатель"},
    "barter.value": {"en": "Value", "ru": "Значение"},
    "barter.src": {"en": "Source", "ru": "Источник"},
    "barter.reset": {"en": "Back to the defaults", "ru": "Вернуть значения по умолчанию"},
    "barter.m.post_rate": {"en": "Post rate (barter), %", "ru": "Доля публикаций (бартер), %"},
    "barter.m.hybrid_post_rate": {"en": "Post rate (hybrid), %", "ru": "Доля публикаций (гибрид), %"},
    "barter.m.acceptance": {"en": "Acceptance of a fitting offer, %", "ru": "Согласие на подходящее предложение, %"},
    "barter.m.ask_multiple": {"en": "Retail value asked, × the fee", "ru": "Запрос в рознице, × гонорар"},
    "barter.m.declared_acceptance": {"en": "Acceptance of a blogger who says yes to barter, %", "ru": "Согласие блогера, который принимает бартер, %"},
    "barter.m.off_niche_factor": {"en": "Product off the blog's niches: acceptance ×, %", "ru": "Продукт не по тематике блога: согласие ×, %"},
    "barter.m.commonplace_factor": {"en": "Product everyone has: acceptance and post rate ×, %", "ru": "Продукт есть у всех: согласие и публикации ×, %"},
    "barter.m.refuses_hybrid_factor": {"en": "Hybrid to a blogger who refuses barter: acceptance ×, %", "ru": "Гибрид блогеру, который не берёт бартер: согласие ×, %"},
    "barter.m.record_weight": {"en": "Weight of the tier's post rate against the blogger's record, deals", "ru": "Вес доли публикаций категории против истории блогера, сделок"},
    "barter.m.min_acceptance": {"en": "Least acceptance of a recommended deal, %", "ru": "Минимальное согласие для рекомендации, %"},
    "barter.m.hybrid_fee_share": {"en": "Hybrid fee, % of the fee", "ru": "Гонорар в гибриде, % от гонорара"},
    "barter.m.ctr": {"en": "Click-through rate, % of impressions", "ru": "CTR, % от показов"},
    "barter.m.conversion": {"en": "Conversion to order, % of clicks", "ru": "Конверсия в заказ, % от кликов"},
    "barter.src.plan_rates": {"en": "assumption (the plan's default outcome rates)", "ru": "допущение (конверсии медиаплана по умолчанию)"},
    # the recommendation and its reason (codes of planner.planning.barter)
    "barter.why.covers": {"en": "barter: a product worth {retail} at retail covers the {fee} fee",
                          "ru": "бартер: продукт стоимостью {retail} в рознице покрывает гонорар {fee}"},
    # mixed plans on the Plan page
    "barter.plan_product": {"en": "Product budget for barter and hybrid deals (optional): units available, per unit the cost price and retail value, shipping per parcel",
                            "ru": "Бюджет продукта для бартера и гибридных сделок (необязательно): доступно единиц, себестоимость и розничная цена единицы, доставка посылки"},
    "barter.plan_units": {"en": "Product units available", "ru": "Доступно единиц продукта"},
    "barter.plan_units_help": {"en": "0: paid placements only. Above 0, the plan may give product instead of (barter) or beside a reduced fee (hybrid), counting such a placement's reach at its expected value (reach × post rate × acceptance).",
                               "ru": "0 — только оплаченные размещения. Больше 0 — план может отдать продукт вместо гонорара (бартер) или вместе со сниженным гонораром (гибрид); охват такого размещения учитывается по ожидаемому значению (охват × доля публикаций × вероятность согласия)."},
    "barter.plan_needs_retail": {"en": "The product budget is not used: give the product's retail value.",
                                 "ru": "Бюджет продукта не учтён: укажите розничную цену продукта."},
    "barter.plan_offers": {"en": "Deals the optimiser could choose: barter with {barter} {barter|blogger|bloggers}, hybrid with {hybrid}. "
                                 "No barter offer for {unlikely} unlikely to accept (below the minimum acceptance), "
                                 "{no_tier} without a follower count (the model's rates are per tier), {small} with "
                                 "too small an expected reach; where an offer was there, paid gave more for the budgets.",
                           "ru": "Сделки, из которых выбирал оптимизатор: бартер — с {barter} {barter|блогером|блогерами|блогерами}, гибрид — с "
                                 "{hybrid}. Бартер не предлагался: {unlikely} вряд ли согласятся (ниже минимальной "
                                 "вероятности), {no_tier} без числа подписчиков (ставки модели — по категориям), "
                                 "{small} со слишком малым ожидаемым охватом; где предложение было, оплата дала "
                                 "больше в рамках бюджетов."},
    "barter.plan_totals": {"en": "Cash {cash} of {budget}; product {units} of {of} {of|unit|units} (barter {barter}, hybrid {hybrid}), costing {product}; expected published posts ≈ {posts} of {n}.",
                           "ru": "Деньги: {cash} из {budget}; продукт: {units} из {of} {of|единицы|единиц|единиц} (бартер {barter}, гибрид {hybrid}), стоимость {product}; ожидаемо опубликованных постов ≈ {posts} из {n}."},
    "barter.plan_deal": {"en": "{deal} (≈ {pct} posted)", "ru": "{deal} (≈ {pct} публикуется)"},
    "barter.plan_saved_deal": {"en": "Deal (product cost)", "ru": "Сделка (стоимость продукта)"},
    "barter.why.cheaper": {"en": "barter: {cpp} per published post (post rate {post_rate}) against the {fee} fee",
                           "ru": "бартер: {cpp} за опубликованный пост (доля публикаций {post_rate}) против гонорара {fee}"},
    "barter.why.hybrid": {"en": "hybrid: {hybrid_fee} plus the product costs {cpp} per published post against the {fee} fee",
                          "ru": "гибрид: {hybrid_fee} плюс продукт — {cpp} за опубликованный пост против гонорара {fee}"},
    "barter.why.refuses": {"en": "paid: @{handle} does not accept barter", "ru": "оплата: @{handle} не работает по бартеру"},
    "barter.why.below_minimum": {"en": "paid: the product's {retail} is below the blogger's barter minimum of {minimum}",
                                 "ru": "оплата: продукт за {retail} дешевле минимума блогера для бартера ({minimum})"},
    "barter.why.unlikely": {"en": "paid: only {acceptance} likely to accept a product worth {retail}; the {tier} tier asks for {asked}",
                            "ru": "оплата: согласие вероятно лишь на {acceptance} за продукт стоимостью {retail}; категория «{tier}» просит {asked}"},
    "barter.why.paid_cheaper": {"en": "paid: a published post costs {fee} paid against {cpp} by barter (only {post_rate} of barter deals get posted)",
                                "ru": "оплата: опубликованный пост стоит {fee} за деньги против {cpp} по бартеру (публикуется лишь {post_rate} бартерных сделок)"},
    "barter.clause.declared": {"en": "the blogger says they accept barter", "ru": "блогер сообщает, что работает по бартеру"},
    "barter.clause.readily": {"en": "{tier} tier accepts readily", "ru": "блогеры категории «{tier}» охотно соглашаются"},
    "barter.clause.likely": {"en": "{acceptance} likely to accept", "ru": "вероятность согласия {acceptance}"},
    # what moved acceptance and the post rate
    "barter.acc.tier": {"en": "{tier} tier: {pct} accept a fitting barter offer", "ru": "категория «{tier}»: на подходящий бартер соглашаются {pct}"},
    "barter.acc.refuses": {"en": "the blogger does not accept barter: 0 %", "ru": "блогер не работает по бартеру: 0 %"},
    "barter.acc.declared": {"en": "the blogger says they accept barter: at least {pct}", "ru": "блогер сообщает, что принимает бартер: не меньше {pct}"},
    "barter.acc.min_met": {"en": "{retail} meets the blogger's own minimum of {minimum}", "ru": "{retail} не ниже собственного минимума блогера ({minimum})"},
    "barter.acc.below_min": {"en": "{retail} is below the blogger's own minimum of {minimum}: 0 %", "ru": "{retail} ниже собственного минимума блогера ({minimum}): 0 %"},
    "barter.acc.value_covers": {"en": "{retail} at retail covers the {asked} asked ({multiple}× the {fee} fee)",
                                "ru": "{retail} в рознице покрывает запрос {asked} ({multiple}× гонорара {fee})"},
    "barter.acc.value_short": {"en": "{retail} at retail is short of the {asked} asked ({multiple}× the {fee} fee): × {factor}",
                               "ru": "{retail} в рознице не дотягивает до запроса {asked} ({multiple}× гонорара {fee}): × {factor}"},
    "barter.acc.niche_fit": {"en": "the product fits the blog's niches", "ru": "продукт подходит тематике блога"},
    "barter.acc.niche_partial": {"en": "the product fits the blog's niches partly: × {factor}", "ru": "продукт отчасти подходит тематике блога: × {factor}"},
    "barter.acc.niche_off": {"en": "the product is off the blog's niches: × {factor}", "ru": "продукт не по тематике блога: × {factor}"},
    "barter.acc.commonplace": {"en": "a product everyone already has: × {factor}", "ru": "продукт, который есть у всех: × {factor}"},
    "barter.rate.tier": {"en": "{tier} tier: {pct} of barter deals get posted", "ru": "категория «{tier}»: публикуется {pct} бартерных сделок"},
    "barter.rate.record": {"en": "the blogger's record ({completed} completed, {cancelled} cancelled) moves it to {pct}",
                           "ru": "история блогера (выполнено {completed}, отменено {cancelled}) сдвигает её к {pct}"},
    "barter.rate.commonplace": {"en": "a product everyone already has: × {factor}", "ru": "продукт, который есть у всех: × {factor}"},
    # why an offer cannot be valued (planner.planning.barter.BARTER_ERRORS)
    "barter.error.product_cost": {"en": "the product's cost price must be a number of 0 or more, got {value}", "ru": "себестоимость продукта должна быть числом не меньше 0, а не {value}"},
    "barter.error.retail": {"en": "the product's retail value must be a positive number, got {value}", "ru": "розничная цена продукта должна быть положительным числом, а не {value}"},
    "barter.error.shipping": {"en": "shipping must be a number of 0 or more, got {value}", "ru": "доставка должна быть числом не меньше 0, а не {value}"},
    "barter.error.packaging": {"en": "packaging must be a number of 0 or more, got {value}", "ru": "упаковка должна быть числом не меньше 0, а не {value}"},
    "barter.error.units": {"en": "units per blogger must be a whole number from 1 to 1000, got {value}", "ru": "единиц на блогера должно быть целое число от 1 до 1000, а не {value}"},
    "barter.error.currency": {"en": "unknown currency {value}", "ru": "неизвестная валюта {value}"},
    "barter.error.rate": {"en": "{name} must lie between 0 and 1, got {value}", "ru": "{name} должно быть от 0 до 1, а не {value}"},
})


# mixed plans: why a product budget cannot be planned (planner.planning.plan.BRIEF_ERRORS "product",
# planner.planning.optimiser.INFEASIBLE "units_below_musts")
PLAN_ERROR_RU.update({
    "brief_error.product": "для бюджета продукта нужно целое число единиц (0 или больше), себестоимость и доставка "
                           "не меньше 0 и розничная цена больше 0",
    "infeasible.units_below_musts": "обязательным размещениям нужно {need} единиц продукта, больше доступных {units}",
})


barter_error = error_text


# --- the client pitch: XLSX, PPTX and PDF exports (planner.reporting.pitch*) ---------------------------------------
TEXT.update({
    "pitch.doc_title": {"en": "Influencer media plan", "ru": "Медиаплан с блогерами"},
    "pitch.for_client": {"en": "Prepared for {client}", "ru": "Для клиента: {client}"},
    "pitch.prepared_on": {"en": "Prepared on {date}", "ru": "Подготовлено {date}"},
    "pitch.prepared_with": {"en": "Influencer media planner", "ru": "Медиапланер блогеров"},
    "pitch.currency_note": {"en": "Amounts in {sym} ({ccy}). Exchange rates are an editable assumption, not live data: see the assumptions. ≈ marks an estimate.",
                            "ru": "Суммы в {sym} ({ccy}). Курсы валют — изменяемое допущение, а не биржевые данные: см. допущения. ≈ — оценка."},
    "pitch.page": {"en": "Page {n} of {total}", "ru": "Стр. {n} из {total}"},
    "pitch.gap": {"en": "gap {gap} %", "ru": "разрыв {gap} %"},
    "pitch.section.brief": {"en": "The brief", "ru": "Бриф"},
    "pitch.section.totals": {"en": "Totals and their sources", "ru": "Итоги и их источники"},
    "pitch.section.plan": {"en": "The plan", "ru": "Медиаплан"},
    "pitch.section.barter": {"en": "Barter and hybrid deals", "ru": "Бартер и гибрид"},
    "pitch.section.backups": {"en": "Backups: similar bloggers outside the plan", "ru": "Замены: похожие блогеры вне плана"},
    "pitch.section.assumptions": {"en": "Assumptions and their sources", "ru": "Допущения и их источники"},
    "pitch.section.sources": {"en": "What the sources mean", "ru": "Что означают источники"},
    "pitch.section.scenarios": {"en": "Scenarios compared", "ru": "Сравнение сценариев"},
    "pitch.chart.spend": {"en": "Budget by platform and format", "ru": "Бюджет по платформам и форматам"},
    "pitch.chart.frontier": {"en": "Reach–niche frontier", "ru": "Граница «охват — ниша»"},
    "pitch.chart.curve": {"en": "Budget curve", "ru": "Кривая бюджета"},
    "pitch.chart.compare": {"en": "Unique reach by scenario, with its P10–P90 band", "ru": "Уникальный охват по сценариям с полосой P10–P90"},
    "pitch.sheet.summary": {"en": "Summary", "ru": "Сводка"},
    "pitch.sheet.plan": {"en": "Plan", "ru": "План"},
    "pitch.sheet.barter": {"en": "Barter", "ru": "Бартер"},
    "pitch.sheet.backups": {"en": "Backups", "ru": "Замены"},
    "pitch.sheet.scenarios": {"en": "Scenarios", "ru": "Сценарии"},
    "pitch.sheet.frontier": {"en": "Frontier", "ru": "Граница"},
    "pitch.sheet.curve": {"en": "Budget curve", "ru": "Кривая бюджета"},
    "pitch.sheet.assumptions": {"en": "Assumptions", "ru": "Допущения"},
    "pitch.sheet.charts": {"en": "Charts", "ru": "Графики"},
    "pitch.sheet.sources": {"en": "Sources", "ru": "Источники"},
    "pitch.src.quoted": {"en": "quoted", "ru": "цена блогера"},
    "pitch.src.measured": {"en": "measured", "ru": "измерено"},
    "pitch.src.estimated": {"en": "≈ estimated", "ru": "≈ оценка"},
    "pitch.src.assumption": {"en": "assumption", "ru": "допущение"},
    "pitch.src.brief": {"en": "the brief", "ru": "бриф"},
    "pitch.src.assumption_editable": {"en": "assumption: an editable default of the plan, not a measurement", "ru": "допущение: изменяемое значение медиаплана по умолчанию, не измерение"},
    "pitch.src.fx": {"en": "assumption: the rate set in the app's settings (not live data)", "ru": "допущение: курс из настроек приложения (не биржевые данные)"},
    "pitch.src.pool": {"en": "assumption: online population × interest in the niche × the target's share", "ru": "допущение: интернет-аудитория × интерес к тематике × доля целевой аудитории"},
    "pitch.srcdef.quoted": {"en": "the blogger's own price for the format (a quote), or the fee agreed in the deal", "ru": "собственная цена блогера за формат (прайс) или гонорар, согласованный в сделке"},
    "pitch.srcdef.measured": {"en": "the blogger's measured statistics (reach, views, followers), taken as they are", "ru": "измеренная статистика блогера (охват, просмотры, подписчики) как она есть"},
    "pitch.srcdef.estimated": {"en": "an estimate (≈): a benchmark rate with its published source, or the planner's model (deduplicated reach, expected posts)", "ru": "оценка (≈): норма из бенчмарка с опубликованным источником или модель планировщика (уникальный охват, ожидаемые публикации)"},
    "pitch.srcdef.assumption": {"en": "an editable assumption (conversion rates, product cost, exchange rates, audience pools): change it and the figures follow", "ru": "изменяемое допущение (конверсии, себестоимость продукта, курсы валют, пулы аудитории): измените его — цифры пересчитаются"},
    "pitch.srcdef.brief": {"en": "the client's brief (budget, target audience, placements chosen)", "ru": "бриф клиента (бюджет, целевая аудитория, выбранные размещения)"},
    "pitch.total.budget": {"en": "Budget", "ru": "Бюджет"},
    "pitch.total.cash_cost": {"en": "Cash cost (fees)", "ru": "Деньгами (гонорары)"},
    "pitch.total.product_cost": {"en": "Product cost (barter, at cost price)", "ru": "Продуктом (бартер, по себестоимости)"},
    "pitch.total.total_cost": {"en": "Total cost", "ru": "Всего затрат"},
    "pitch.total.placements": {"en": "Placements", "ru": "Размещений"},
    "pitch.total.bloggers": {"en": "Bloggers", "ru": "Блогеров"},
    "pitch.total.unique_reach": {"en": "Unique reach (people)", "ru": "Уникальный охват (людей)"},
    "pitch.total.gross_reach": {"en": "Gross reach (sum over placements)", "ru": "Суммарный охват (без дедупликации)"},
    "pitch.total.impressions": {"en": "Impressions", "ru": "Показы"},
    "pitch.total.frequency": {"en": "Average frequency", "ru": "Средняя частота"},
    "pitch.total.cpm_unique": {"en": "Cost per 1,000 people reached", "ru": "Стоимость 1000 уникальных охватов"},
    "pitch.total.engagements": {"en": "Expected engagements", "ru": "Ожидаемые вовлечения"},
    "pitch.total.clicks": {"en": "Expected clicks", "ru": "Ожидаемые клики"},
    "pitch.total.orders": {"en": "Expected orders", "ru": "Ожидаемые заказы"},
    "pitch.total.expected_posts": {"en": "Expected published posts", "ru": "Ожидаемых публикаций"},
    "pitch.brief.campaign": {"en": "Campaign", "ru": "Кампания"},
    "pitch.brief.goal": {"en": "Goal", "ru": "Цель"},
    "pitch.brief.budget": {"en": "Budget", "ru": "Бюджет"},
    "pitch.brief.audience": {"en": "Target audience", "ru": "Целевая аудитория"},
    "pitch.brief.niches": {"en": "Niches", "ru": "Тематики"},
    "pitch.brief.platforms": {"en": "Platforms", "ru": "Платформы"},
    "pitch.brief.formats": {"en": "Formats", "ru": "Форматы"},
    "pitch.brief.credibility": {"en": "Minimum share of real followers", "ru": "Минимальная доля реальных подписчиков"},
    "pitch.brief.reach_weight": {"en": "Reach or niche", "ru": "Охват или ниша"},
    "pitch.brief.reach_weight_value": {"en": "weight of unique reach {w} (0 = niche fit only, 1 = unique reach only)", "ru": "вес уникального охвата {w} (0 — только ниша, 1 — только охват)"},
    "pitch.brief.quality": {"en": "Plan quality (proven bound)", "ru": "Качество плана (доказанная граница)"},
    "pitch.brief.any": {"en": "any", "ru": "любые"},
    "pitch.col.cash": {"en": "Cash", "ru": "Деньгами"},
    "pitch.col.product_cost": {"en": "Product cost", "ru": "Продуктом"},
    "pitch.col.expected_posts": {"en": "Chance of the post", "ru": "Шанс публикации"},
    "pitch.col.units": {"en": "Units", "ru": "Единиц"},
    "pitch.col.retail": {"en": "Retail value", "ru": "Розничная цена"},
    "pitch.col.acceptance": {"en": "Accepts", "ru": "Согласие"},
    "pitch.col.post_rate": {"en": "Posts if accepted", "ru": "Публикует при согласии"},
    "pitch.col.cost_per_post": {"en": "Cost per expected post", "ru": "Цена ожидаемой публикации"},
    "pitch.col.backup_cost": {"en": "Price", "ru": "Цена"},
    "pitch.col.figure": {"en": "Figure", "ru": "Показатель"},
    "pitch.col.value": {"en": "Value", "ru": "Значение"},
    "pitch.col.source": {"en": "Source", "ru": "Источник"},
    "pitch.col.item": {"en": "Item", "ru": "Пункт"},
    "pitch.col.assumption": {"en": "Assumption", "ru": "Допущение"},
    "pitch.col.meaning": {"en": "Meaning", "ru": "Значение"},
    "pitch.col.w": {"en": "Weight of unique reach", "ru": "Вес уникального охвата"},
    "pitch.col.curve.budget": {"en": "Budget", "ru": "Бюджет"},
    "pitch.col.curve.unique_reach": {"en": "Unique reach", "ru": "Уникальный охват"},
    "pitch.col.curve.p10": {"en": "Unique reach, P10", "ru": "Уникальный охват, P10"},
    "pitch.col.curve.p50": {"en": "Unique reach, P50", "ru": "Уникальный охват, P50"},
    "pitch.col.curve.p90": {"en": "Unique reach, P90", "ru": "Уникальный охват, P90"},
    "pitch.as.fx": {"en": "Exchange rate: ₽ per 1 {sym}", "ru": "Курс: ₽ за 1 {sym}"},
    "pitch.as.reach_rate": {"en": "Reach of a placement, % of followers: {platform}, {tier}, {format}", "ru": "Охват размещения, % подписчиков: {platform}, {tier}, {format}"},
    "pitch.as.impressions": {"en": "Impressions per person reached: {format}", "ru": "Показов на одного охваченного: {format}"},
    "pitch.as.acceptance": {"en": "Barter: chance the blogger accepts, %: {tier}", "ru": "Бартер: шанс согласия блогера, %: {tier}"},
    "pitch.as.post_rate": {"en": "Barter: chance of a post once accepted, %: {tier}", "ru": "Бартер: шанс публикации после согласия, %: {tier}"},
    "pitch.as.hybrid_post_rate": {"en": "Hybrid: chance of a post once accepted, %: {tier}", "ru": "Гибрид: шанс публикации после согласия, %: {tier}"},
    "pitch.as.pool": {"en": "Audience pool {pool}: people in the target", "ru": "Пул аудитории {pool}: людей в целевой аудитории"},
    "pitch.note.approx": {"en": "≈ marks an estimate: a benchmark rate with its source or the planner's model. Quoted prices are the bloggers' own; measured figures are their statistics as given.",
                          "ru": "≈ — оценка: норма из бенчмарка с источником или модель планировщика. Цены блогеров — их собственный прайс; измеренные цифры — их статистика как она есть."},
    "pitch.note.approx_short": {"en": "≈ estimate", "ru": "≈ оценка"},
    "pitch.note.total_mix": {"en": "cash as quoted + product at the brand's cost price (assumption)", "ru": "деньги по прайсу + продукт по себестоимости бренда (допущение)"},
    "pitch.note.at_rates": {"en": "at the assumed click and conversion rates", "ru": "при допущенных CTR и конверсии"},
    "pitch.note.cash_estimated": {"en": "part of it at benchmark prices, not quotes", "ru": "частично по ценам бенчмарков, не из прайса"},
    "pitch.note.frontier": {"en": "Every point is an optimal plan for one weight of unique reach against niche fit, computed at export on the current database for the campaign's brief; the plan's weight ({w}) is highlighted.",
                            "ru": "Каждая точка — оптимальный план при своём весе уникального охвата против соответствия нише, рассчитан при выгрузке по текущей базе для брифа кампании; вес плана ({w}) выделен."},
    "pitch.note.frontier_open": {"en": "A hollow point's plan is certified only within {gap} of the best plan (the time ran out).",
                                 "ru": "План полой точки гарантированно лишь в пределах {gap} от лучшего плана (время вышло)."},
    "pitch.note.no_frontier": {"en": "No frontier: the campaign's brief cannot be planned on the current database ({reason}).", "ru": "Границы нет: бриф кампании не планируется по текущей базе ({reason})."},
    "pitch.note.no_curve": {"en": "The budget curve with its P10–P90 band comes with the budget scenarios.", "ru": "Кривая бюджета с полосой P10–P90 появится вместе со сценариями бюджета."},
    "pitch.note.all_paid": {"en": "Every placement is paid: no barter or hybrid deal.", "ru": "Все размещения оплачиваются деньгами: бартерных и гибридных сделок нет."},
    "pitch.note.barter": {"en": "A barter post is not guaranteed: chance of the post = accepts × posts if accepted (≈, the barter model's tier rates with their sources). Product cost is the brand's cost price with shipping and packaging; the blogger values it at retail.",
                          "ru": "Бартерная публикация не гарантирована: шанс публикации = согласие × публикация при согласии (≈, нормы бартерной модели по категориям с источниками). Продукт — себестоимость бренда с доставкой и упаковкой; блогер ценит его по рознице."},
    "pitch.note.backups": {"en": "If a blogger drops out: bloggers of the same platform, format and niche, closest in followers and price, who pass the brief.", "ru": "Если блогер выпадет: блогеры той же платформы, формата и тематики, ближайшие по подписчикам и цене, проходящие бриф."},
    "pitch.note.no_placements": {"en": "No placements in this campaign.", "ru": "В кампании нет размещений."},
    "pitch.col.scenario": {"en": "Scenario", "ru": "Сценарий"},
    "pitch.col.p10": {"en": "Reach P10 (≈)", "ru": "Охват P10 (≈)"},
    "pitch.col.p90": {"en": "Reach P90 (≈)", "ru": "Охват P90 (≈)"},
    "pitch.section.scenario_bloggers": {"en": "Bloggers that differ between the scenarios", "ru": "Блогеры, которые различаются в сценариях"},
    "pitch.sheet.scenario_bloggers": {"en": "Scenario bloggers", "ru": "Блогеры сценариев"},
    "pitch.note.scenarios": {"en": "Each scenario's plan as saved; unique reach with its P10–P90 band from a Monte Carlo over the uncertain inputs (≈).", "ru": "План каждого сценария в сохранённом виде; уникальный охват с полосой P10–P90 по методу Монте-Карло по неопределённым входным данным (≈)."},
    "pitch.note.scenario_bloggers": {"en": "The format each scenario books (— : not in that plan); bloggers in every plan are left out.", "ru": "Формат, который берёт каждый сценарий (— : нет в этом плане); блогеры, которые есть во всех планах, не показаны."},
    "pitch.note.curve": {"en": "Unique reach of the best plan at each budget for “{name}”, with its P10–P90 band (≈, Monte Carlo over the uncertain inputs).", "ru": "Уникальный охват лучшего плана при каждом бюджете для «{name}» с полосой P10–P90 (≈, метод Монте-Карло по неопределённым входным данным)."},
    "pitch.note.flattening": {"en": "Returns flatten from about {budget}: each further step of budget buys less than half the extra reach the first steps bought.", "ru": "Отдача выравнивается примерно с {budget}: каждый следующий шаг бюджета приносит меньше половины того прироста охвата, что давали первые шаги."},
    "pitch.exports": {"en": "Export for the client", "ru": "Экспорт для клиента"},
    "pitch.client": {"en": "Client's name (on the title page)", "ru": "Имя клиента (на титульном листе)"},
    "pitch.cmp_client": {"en": "For {client} (the client's name above); the compared scenarios beside the plan.",
                         "ru": "Для: {client} (имя клиента выше); сравниваемые сценарии рядом с планом."},
    "pitch.cmp_no_client": {"en": "No client's name yet (the field above); the compared scenarios beside the plan.",
                        "ru": "Имя клиента не задано (поле выше); сравниваемые сценарии рядом с планом."},
    "pitch.download.xlsx": {"en": "Pitch XLSX", "ru": "Презентация XLSX"},
    "pitch.download.pptx": {"en": "Pitch PPTX", "ru": "Презентация PPTX"},
    "pitch.download.pdf": {"en": "Pitch PDF", "ru": "Презентация PDF"},
    "pitch.download_help": {"en": "Plan, totals with sources, frontier, barter, backups and assumptions, in the language and currency chosen; the file is made when you click.",
                            "ru": "План, итоги с источниками, граница, бартер, замены и допущения — на выбранном языке и в выбранной валюте; файл создаётся по нажатию."},
    # the pitch as a story (issue 18): the deck's slides, the headline figures with their P10–P90, file names
    "pitch.file_word": {"en": "pitch", "ru": "медиаплан"},
    "pitch.section.headline": {"en": "What the plan buys", "ru": "Что даёт план"},
    "pitch.headline_sub": {"en": "{n} placements, {b} bloggers; every figure with its source, P10–P90: the range the figure lands in 8 times out of 10 (≈, Monte Carlo over the uncertain inputs)",
                           "ru": "Размещений: {n}, блогеров: {b}; у каждой цифры указан источник, P10–P90 — диапазон, в который цифра попадает 8 раз из 10 (≈, метод Монте-Карло по неопределённым входным данным)"},
    "pitch.headline.unique_reach": {"en": "Unique reach in the target audience (people)", "ru": "Уникальный охват целевой аудитории (людей)"},
    "pitch.headline.bloggers": {"en": "Placements · bloggers", "ru": "Размещений · блогеров"},
    "pitch.band": {"en": "P10–P90: {low} – {high}", "ru": "P10–P90: {low} – {high}"},
    "pitch.col.band_p10": {"en": "P10 (≈)", "ru": "P10 (≈)"},
    "pitch.col.band_p90": {"en": "P90 (≈)", "ru": "P90 (≈)"},
    "pitch.section.plan_top": {"en": "The plan: the top {n} of {total} placements", "ru": "Медиаплан: первые {n} из {total} размещений"},
    "pitch.sub.plan_all": {"en": "Every placement of the plan, most reach first.", "ru": "Все размещения плана, по убыванию охвата."},
    "pitch.sub.plan_top": {"en": "Most reach first; the other {rest} placements are in the appendix.", "ru": "По убыванию охвата; остальные размещения ({rest}) — в приложении."},
    "pitch.section.appendix_plan": {"en": "Appendix: the rest of the plan", "ru": "Приложение: остальные размещения"},
    "pitch.section.appendix_totals": {"en": "Appendix: every total and its source", "ru": "Приложение: все итоги и их источники"},
    "pitch.section.appendix_backups": {"en": "Appendix: backups outside the plan", "ru": "Приложение: замены вне плана"},
    "pitch.section.appendix_scenario_bloggers": {"en": "Appendix: bloggers that differ between the scenarios", "ru": "Приложение: блогеры, которые различаются в сценариях"},
    "pitch.section.spend": {"en": "Budget by platform and format", "ru": "Бюджет по платформам и форматам"},
    "pitch.sub.spend": {"en": "Cash and product at the brand's cost price, {total} in all.", "ru": "Деньги и продукт по себестоимости бренда, всего {total}."},
    "pitch.sources_line": {"en": "Sources — {items}. ≈ marks an estimate.", "ru": "Источники — {items}. ≈ — оценка."},
    "pitch.sources_item": {"en": "{column}: {sources}", "ru": "{column}: {sources}"},
    "pitch.legend.reach": {"en": "Unique reach of the best plan (≈)", "ru": "Уникальный охват лучшего плана (≈)"},
    "pitch.legend.band": {"en": "P10–P90 band (≈)", "ru": "Полоса P10–P90 (≈)"},
    "pitch.legend.current": {"en": "The plan's budget", "ru": "Бюджет плана"},
    "pitch.legend.flattening": {"en": "Returns flatten", "ru": "Отдача выравнивается"},
    "pitch.legend.plan_w": {"en": "This plan (weight of unique reach {w})", "ru": "Этот план (вес уникального охвата {w})"},
    "pitch.legend.frontier": {"en": "The best plan at another weight", "ru": "Лучший план при другом весе"},
    "pitch.legend.scenario_reach": {"en": "Unique reach of the scenario's plan (≈)", "ru": "Уникальный охват плана сценария (≈)"},
    "pitch.col.spend": {"en": "Budget", "ru": "Бюджет"},
    "pitch.as.band": {"en": "P10–P90: {what}", "ru": "P10–P90: {what}"},
    "pitch.as.band.measured_reach": {"en": "spread of a measured reach", "ru": "разброс измеренного охвата"},
    "pitch.as.band.views_reach": {"en": "spread of a reach from views", "ru": "разброс охвата по просмотрам"},
    "pitch.as.band.ctr": {"en": "spread of the click-through rate", "ru": "разброс CTR"},
    "pitch.as.band.conversion": {"en": "spread of the conversion to order", "ru": "разброс конверсии в заказ"},
    "pitch.as.band.correlation": {"en": "shared part of the errors", "ru": "общая часть ошибок"},
    "pitch.as.band.samples": {"en": "samples of the Monte Carlo", "ru": "выборок метода Монте-Карло"},
    "pitch.src.band_samples": {"en": "assumption: enough samples for stable P10 and P90 (a fixed seed: the same band every time)", "ru": "допущение: выборок достаточно для устойчивых P10 и P90 (фиксированное зерно: полоса каждый раз та же)"},
    # the benchmark tables' sources (planner.estimates.benchmarks, planner.planning.uncertainty.SOURCES) in Russian:
    # the pitch looks a source up by its English text (planner.reporting.pitch_model.citation_text)
    "pitch.bsrc.epicstars_heepsy": {"en": "Epicstars: bloggers up to ~100-200K followers accept barter readily, large ones ask for more; Heepsy: nano and micro creators accept product collaborations more readily; the figures: assumption",
                                    "ru": "Epicstars: блогеры примерно до 100–200 тыс. подписчиков охотно соглашаются на бартер, крупные просят больше; Heepsy: нано- и микроблогеры охотнее принимают продуктовое сотрудничество; сами цифры — допущение"},
    "pitch.bsrc.epicstars_ask": {"en": "Epicstars: large bloggers ask for goods worth several times their cash price; the multiples: assumption",
                                 "ru": "Epicstars: крупные блогеры просят продукт в несколько раз дороже своего денежного гонорара; сами множители — допущение"},
    "pitch.bsrc.insense_credibility": {"en": "Insense: at least 65 % real followers", "ru": "Insense: не менее 65 % реальных подписчиков"},
    "pitch.bsrc.tiers_mediakix": {"en": "Mediakix / Hootsuite convention", "ru": "соглашение Mediakix / Hootsuite"},
    "pitch.bsrc.er_instagram": {"en": "Mediakix/HypeAuditor/GRIN bands (DOMAIN.md); median = band midpoint", "ru": "диапазоны Mediakix/HypeAuditor/GRIN (DOMAIN.md); медиана — середина диапазона"},
    "pitch.bsrc.modash_fraud": {"en": "Modash: below 75 % credible followers is a common fraud flag", "ru": "Modash: доля реальных подписчиков ниже 75 % — частый признак накрутки"},
    "pitch.bsrc.modash_story": {"en": "Modash: impressions = reach for stories", "ru": "Modash: у сторис показы равны охвату"},
    "pitch.bsrc.modash_post": {"en": "Modash: impressions ~ 1.5 x reach for feed posts", "ru": "Modash: у постов в ленте показы ≈ 1,5 × охват"},
    "pitch.bsrc.stellar_tiktok": {"en": "Stellar: ~68 % of TikTok views are unique viewers", "ru": "Stellar: около 68 % просмотров в TikTok — уникальные зрители"},
    "pitch.bsrc.stellar_youtube": {"en": "Stellar: ~75 % of YouTube views are unique viewers", "ru": "Stellar: около 75 % просмотров на YouTube — уникальные зрители"},
    "pitch.bsrc.assumption": {"en": "assumption", "ru": "допущение"},
    "pitch.bsrc.cpm_telegram": {"en": "assumption (RU Telegram ads market)", "ru": "допущение (российский рынок рекламы в Telegram)"},
    "pitch.bsrc.price_telegram": {"en": "assumption (RU market, CPM ~ 5-15 USD)", "ru": "допущение (российский рынок, CPM ≈ 5–15 USD)"},
    "pitch.bsrc.unique_instagram": {"en": "assumption (Reels views)", "ru": "допущение (просмотры Reels)"},
    "pitch.bsrc.price_vk": {"en": "assumption (below Instagram)", "ru": "допущение (ниже, чем в Instagram)"},
    "pitch.bsrc.er_youtube": {"en": "assumption (below TikTok by views); median = band midpoint", "ru": "допущение (ниже TikTok по просмотрам); медиана — середина диапазона"},
    "pitch.bsrc.er_twitch": {"en": "assumption (chat + likes per view); median = band midpoint", "ru": "допущение (сообщения в чате и лайки на просмотр); медиана — середина диапазона"},
    "pitch.bsrc.unique_twitch": {"en": "assumption (close to YouTube/TikTok)", "ru": "допущение (близко к YouTube/TikTok)"},
    "pitch.bsrc.er_vk": {"en": "assumption (likes + comments per follower); median = band midpoint", "ru": "допущение (лайки и комментарии на подписчика); медиана — середина диапазона"},
    "pitch.bsrc.er_telegram": {"en": "assumption (reactions + comments per subscriber); median = band midpoint", "ru": "допущение (реакции и комментарии на подписчика); медиана — середина диапазона"},
    "pitch.bsrc.price_twitch": {"en": "assumption (stream integration)", "ru": "допущение (интеграция в стрим)"},
    "pitch.bsrc.x03_video_price": {"en": "assumption: 0.3 x video price", "ru": "допущение: 0,3 × цена видео"},
    "pitch.bsrc.x04_post_price": {"en": "assumption: 0.4 x post price", "ru": "допущение: 0,4 × цена поста"},
    "pitch.bsrc.x04_post_reach": {"en": "assumption: 0.4 x post reach", "ru": "допущение: 0,4 × охват поста"},
    "pitch.bsrc.x05_post_price": {"en": "assumption: 0.5 x post price", "ru": "допущение: 0,5 × цена поста"},
    "pitch.bsrc.x05_post_reach": {"en": "assumption: 0.5 x post reach", "ru": "допущение: 0,5 × охват поста"},
    "pitch.bsrc.x08_post_price": {"en": "assumption: 0.8 x post price", "ru": "допущение: 0,8 × цена поста"},
    "pitch.bsrc.x12_post_price": {"en": "assumption: 1.2 x post price", "ru": "допущение: 1,2 × цена поста"},
    "pitch.bsrc.x2_post_price": {"en": "assumption: 2 x post price", "ru": "допущение: 2 × цена поста"},
    "pitch.bsrc.reach_reels": {"en": "assumption: Reels views/followers x unique share", "ru": "допущение: просмотры Reels / подписчики × доля уникальных зрителей"},
    "pitch.bsrc.unique_telegram": {"en": "assumption: Telegram counts a post view once per account", "ru": "допущение: Telegram считает просмотр поста один раз на аккаунт"},
    "pitch.bsrc.unique_vk": {"en": "assumption: VK post views are mostly unique", "ru": "допущение: просмотры постов во ВКонтакте в основном уникальные"},
    "pitch.bsrc.refuses_hybrid": {"en": "assumption: a blogger who refuses barter may still take product plus a fee", "ru": "допущение: блогер, который отказывается от бартера, может согласиться на продукт плюс гонорар"},
    "pitch.bsrc.declared_acceptance": {"en": "assumption: a blogger who says they accept barter (the data's accepts_barter) accepts a fitting offer worth their ask",
                                       "ru": "допущение: блогер, готовый к бартеру (поле accepts_barter в данных), принимает подходящее предложение, если оно стоит запрошенного"},
    "pitch.bsrc.min_acceptance": {"en": "assumption: a deal less likely than this to be accepted is not recommended", "ru": "допущение: сделка, шанс согласия на которую ниже этого, не рекомендуется"},
    "pitch.bsrc.hybrid_post_rate": {"en": "assumption: a fee makes the post part of a contract, below a paid post's 100 %", "ru": "допущение: гонорар делает публикацию частью договора, но шанс ниже 100 % оплаченного поста"},
    "pitch.bsrc.credibility_tier": {"en": "assumption: falls with size (HypeAuditor 2023: fraud ~36 % overall, ~60 % above 1M)", "ru": "допущение: снижается с ростом аккаунта (HypeAuditor 2023: накрутки ≈ 36 % в целом, ≈ 60 % у аккаунтов больше 1 млн)"},
    "pitch.bsrc.hybrid_fee": {"en": "assumption: the reduced fee of a hybrid deal, share of the cash fee", "ru": "допущение: сниженный гонорар в гибридной сделке, доля денежного гонорара"},
    "pitch.bsrc.record_weight": {"en": "assumption: the tier's post rate counts as this many deals against the blogger's own record (deals completed and cancelled)",
                                 "ru": "допущение: норма публикаций категории весит как столько сделок против собственной истории блогера (выполненные и отменённые сделки)"},
    "pitch.bsrc.imps_video": {"en": "assumption: views / unique viewers (1 / 0.75, Stellar)", "ru": "допущение: просмотры / уникальные зрители (1 / 0,75, Stellar)"},
    "pitch.bsrc.views_instagram": {"en": "assumption: views per post / followers, instagram", "ru": "допущение: просмотры поста / подписчики, Instagram"},
    "pitch.bsrc.views_telegram": {"en": "assumption: views per post / followers, telegram", "ru": "допущение: просмотры поста / подписчики, Telegram"},
    "pitch.bsrc.views_tiktok": {"en": "assumption: views per post / followers, tiktok", "ru": "допущение: просмотры поста / подписчики, TikTok"},
    "pitch.bsrc.views_twitch": {"en": "assumption: views per post / followers, twitch", "ru": "допущение: просмотры поста / подписчики, Twitch"},
    "pitch.bsrc.views_vk": {"en": "assumption: views per post / followers, vk", "ru": "допущение: просмотры поста / подписчики, ВКонтакте"},
    "pitch.bsrc.views_youtube": {"en": "assumption: views per post / followers, youtube", "ru": "допущение: просмотры поста / подписчики, YouTube"},
    "pitch.bsrc.imps_short": {"en": "assumption: ~ views / reach (1 / 0.68-0.75)", "ru": "допущение: ≈ просмотры / охват (1 / 0,68–0,75)"},
    "pitch.bsrc.reach_ig_micro": {"en": "between minter.io 37.7 % (<20K) and 22.9 % (20K-1M): assumption; Insense 11-18 %", "ru": "между 37,7 % (до 20 тыс.) и 22,9 % (20 тыс. – 1 млн) по minter.io: допущение; Insense: 11–18 %"},
    "pitch.bsrc.inzpire_bookings": {"en": "inzpire.me: real bookings 3-5x the published CPM", "ru": "inzpire.me: реальные закупки в 3–5 раз дороже опубликованного CPM"},
    "pitch.bsrc.price_low_125": {"en": "lower part of the source's 125-2.5K band: assumption", "ru": "нижняя часть диапазона источника 125–2,5 тыс.: допущение"},
    "pitch.bsrc.price_low_1k": {"en": "lower part of the source's 1K-20K band: assumption", "ru": "нижняя часть диапазона источника 1–20 тыс.: допущение"},
    "pitch.bsrc.reach_ig_story": {"en": "minter.io 8.2 % -> 3.8 % (interpolated between tiers: assumption); Insense 7-8 %, 2-6 %, > 2 %", "ru": "minter.io: от 8,2 % до 3,8 % (между категориями — интерполяция: допущение); Insense: 7–8 %, 2–6 %, > 2 %"},
    "pitch.bsrc.reach_ig_nano": {"en": "minter.io median (0-20K); Insense 20-25 %", "ru": "медиана minter.io (0–20 тыс.); Insense: 20–25 %"},
    "pitch.bsrc.reach_ig_mid": {"en": "minter.io median (20K-1M)", "ru": "медиана minter.io (20 тыс. – 1 млн)"},
    "pitch.bsrc.reach_ig_macro": {"en": "minter.io median (20K-1M); Insense > 10 %", "ru": "медиана minter.io (20 тыс. – 1 млн); Insense: > 10 %"},
    "pitch.bsrc.reach_ig_mega": {"en": "minter.io median (> 1M)", "ru": "медиана minter.io (> 1 млн)"},
    "pitch.bsrc.cpm_published": {"en": "published CPM (inzpire.me); real bookings 3-5x higher", "ru": "опубликованный CPM (inzpire.me); реальные закупки в 3–5 раз дороже"},
    "pitch.bsrc.price_ig": {"en": "reach-influencers.com / wordontheblock.com (DOMAIN.md); sources differ up to 10x", "ru": "reach-influencers.com / wordontheblock.com (DOMAIN.md); источники расходятся до 10 раз"},
    "pitch.bsrc.price_ig_mega": {"en": "reach-influencers.com / wordontheblock.com (DOMAIN.md); sources differ up to 10x; '10K+' capped at 30K: assumption", "ru": "reach-influencers.com / wordontheblock.com (DOMAIN.md); источники расходятся до 10 раз; «10K+» ограничено 30 тыс.: допущение"},
    "pitch.bsrc.seedingops": {"en": "seedingops.com: a healthy gifting post rate is 30-50 %, below 20 % signals a problem; lower for big bloggers (issue 9): the tier split is an assumption",
                              "ru": "seedingops.com: нормальная доля публикаций при бартере — 30–50 %, ниже 20 % — признак проблемы; у крупных блогеров ниже (задача 9): разбивка по категориям — допущение"},
    "pitch.bsrc.seeds_barter": {"en": "Sasha Buslaeva, MINT (BBDO Group): barter works when the product is worth the fee, fits the blog; the factor: assumption",
                                "ru": "Саша Буслаева, MINT (BBDO Group): бартер работает, когда продукт стоит гонорара и подходит блогу; сам множитель — допущение"},
    "pitch.bsrc.seeds_commonplace": {"en": "Sasha Buslaeva, MINT (BBDO Group): a product everyone can buy is rarely posted about; the factor (acceptance and post rate): assumption",
                                     "ru": "Саша Буслаева, MINT (BBDO Group): о продукте, который может купить каждый, пишут редко; множитель (согласие и публикация) — допущение"},
    "pitch.bsrc.er_tiktok": {"en": "untapper.com bands by views; median = band midpoint", "ru": "диапазоны untapper.com по просмотрам; медиана — середина диапазона"},
    "pitch.bsrc.price_high_125": {"en": "upper part of the source's 125-2.5K band: assumption", "ru": "верхняя часть диапазона источника 125–2,5 тыс.: допущение"},
    "pitch.bsrc.price_high_1k": {"en": "upper part of the source's 1K-20K band: assumption", "ru": "верхняя часть диапазона источника 1–20 тыс.: допущение"},
    "pitch.bsrc.reach_tiktok": {"en": "views/followers (assumption) x unique-viewer share (Stellar: ~68 % of TikTok views are unique viewers)",
                                "ru": "просмотры / подписчики (допущение) × доля уникальных зрителей (Stellar: около 68 % просмотров в TikTok — уникальные зрители)"},
    "pitch.bsrc.reach_youtube": {"en": "views/followers (assumption) x unique-viewer share (Stellar: ~75 % of YouTube views are unique viewers)",
                                 "ru": "просмотры / подписчики (допущение) × доля уникальных зрителей (Stellar: около 75 % просмотров на YouTube — уникальные зрители)"},
    "pitch.bsrc.reach_youtube_short": {"en": "views/followers (assumption) x unique-viewer share (Stellar: ~75 % of YouTube views are unique viewers) x 0.8 (assumption)",
                                       "ru": "просмотры / подписчики (допущение) × доля уникальных зрителей (Stellar: около 75 % просмотров на YouTube — уникальные зрители) × 0,8 (допущение)"},
    "pitch.bsrc.reach_twitch": {"en": "views/followers (assumption) x unique-viewer share (assumption (close to YouTube/TikTok))",
                                "ru": "просмотры / подписчики (допущение) × доля уникальных зрителей (допущение: близко к YouTube/TikTok)"},
    "pitch.bsrc.reach_telegram": {"en": "views/followers (assumption) x unique-viewer share (assumption: Telegram counts a post view once per account)",
                                  "ru": "просмотры / подписчики (допущение) × доля уникальных зрителей (допущение: Telegram считает просмотр поста один раз на аккаунт)"},
    "pitch.bsrc.reach_vk": {"en": "views/followers (assumption) x unique-viewer share (assumption: VK post views are mostly unique)",
                            "ru": "просмотры / подписчики (допущение) × доля уникальных зрителей (допущение: просмотры постов во ВКонтакте в основном уникальные)"},
    "pitch.bsrc.reach_vk_video": {"en": "views/followers (assumption) x unique-viewer share (assumption: VK post views are mostly unique) x 0.6 (assumption)",
                                  "ru": "просмотры / подписчики (допущение) × доля уникальных зрителей (допущение: просмотры постов во ВКонтакте в основном уникальные) × 0,6 (допущение)"},
    "pitch.bsrc.reach_vk_short": {"en": "views/followers (assumption) x unique-viewer share (assumption: VK post views are mostly unique) x 0.8 (assumption)",
                                  "ru": "просмотры / подписчики (допущение) × доля уникальных зрителей (допущение: просмотры постов во ВКонтакте в основном уникальные) × 0,8 (допущение)"},
    "pitch.bsrc.user_setting": {"en": "user setting", "ru": "настройка пользователя"},
    "pitch.bsrc.unc_measured_reach": {"en": "assumption: a measured average reach varies about ±20 % from post to post", "ru": "допущение: измеренный средний охват колеблется примерно на ±20 % от поста к посту"},
    "pitch.bsrc.unc_views_reach": {"en": "assumption: reach from measured views x the unique-viewer share, about ±30 %", "ru": "допущение: охват по измеренным просмотрам × доля уникальных зрителей, примерно ±30 %"},
    "pitch.bsrc.unc_measured_er": {"en": "assumption: a measured engagement rate varies about ±20 % from post to post", "ru": "допущение: измеренный ER колеблется примерно на ±20 % от поста к посту"},
    "pitch.bsrc.unc_ctr": {"en": "assumption: the click-through rate lies within 0.5-1.5x the brief's", "ru": "допущение: CTR лежит в пределах 0,5–1,5 от заданного в брифе"},
    "pitch.bsrc.unc_conversion": {"en": "assumption: the conversion to order lies within 0.5-1.5x the brief's", "ru": "допущение: конверсия в заказ лежит в пределах 0,5–1,5 от заданной в брифе"},
    "pitch.bsrc.unc_correlation": {"en": "assumption: half of an input's error is shared by every placement it prices", "ru": "допущение: половина ошибки входного значения общая для всех размещений, которые оно оценивает"},
    "pitch.bsrc.unc_reach_band": {"en": "benchmark reach-rate band of the platform, tier and format (planner.estimates.benchmarks)", "ru": "диапазон нормы охвата для платформы, категории и формата (бенчмарки планировщика)"},
    "pitch.bsrc.unc_er_band": {"en": "benchmark ER band of the platform and tier (planner.estimates.benchmarks)", "ru": "диапазон ER для платформы и категории (бенчмарки планировщика)"},
    "pitch.bsrc.unc_post_rate_band": {"en": "seedingops.com post-rate band of the tier (BarterBenchmarks.post_rate)", "ru": "диапазон доли публикаций категории по seedingops.com (бартерные бенчмарки)"},
})


# --- what-if scenarios (scen.*): planner.planning.scenarios, pages/scenarios.py -------------------------------------
TEXT.update({
    "scen.nav": {"en": "Scenarios", "ru": "Сценарии"},
    "scen.title": {"en": "What-if scenarios", "ru": "Сценарии «что если»"},
    "scen.intro": {"en": "A brief's plans at many budgets, with the range each figure may land in. Change a budget, a weight or an assumption and see what it does; save scenarios to a campaign, compare them, share the link.",
                   "ru": "Планы одного брифа при разных бюджетах и диапазон, в который может попасть каждая цифра. Меняйте бюджет, вес или допущение и смотрите, что изменится; сохраняйте сценарии в кампанию, сравнивайте их, делитесь ссылкой."},
    "scen.present": {"en": "Presentation view", "ru": "Режим презентации"},
    "scen.present_help": {"en": "Large charts and totals, no editing controls: for a projector in a meeting. The sidebar keeps the language and currency.",
                          "ru": "Крупные графики и итоги, без полей ввода: для проектора на встрече. Язык и валюта — в боковой панели."},
    "scen.exit_present": {"en": "Leave the presentation view", "ru": "Выйти из режима презентации"},
    "scen.client": {"en": "Client's name (shown in the presentation view)", "ru": "Имя клиента (в режиме презентации)"},
    "scen.p.title": {"en": "{client}: what the budget buys", "ru": "{client}: что даёт бюджет"},
    "scen.p.title_plain": {"en": "What the budget buys", "ru": "Что даёт бюджет"},
    "scen.p.subtitle": {"en": "Budget {budget} · {brief}", "ru": "Бюджет {budget} · {brief}"},
    "scen.p.any_niche": {"en": "every niche", "ru": "все тематики"},
    "scen.p.footer": {"en": "≈ estimates: reach from the bloggers' measured reach where known, else from benchmarks; bands P10–P90 from {n} Monte Carlo samples over the inputs' ranges; orders at the assumed click-through ({ctr}) and conversion ({conv}) rates.",
                      "ru": "≈ оценки: охват — по измеренному охвату блогеров, где он известен, иначе по бенчмаркам; полосы P10–P90 — {n} выборок Монте-Карло по диапазонам входных данных; заказы — при допущенных CTR ({ctr}) и конверсии ({conv})."},
    "scen.brief": {"en": "The brief", "ru": "Бриф"},
    "scen.budget_input": {"en": "Budget, {sym} (now {value})", "ru": "Бюджет, {sym} (сейчас {value})"},
    "scen.budget_help": {"en": "The scenario's own budget: its plan and the middle of the sweep.", "ru": "Бюджет сценария: его план и середина перебора бюджетов."},
    "scen.range": {"en": "The sweep's budgets run evenly from the first share of the budget to the second.",
                   "ru": "Бюджеты перебора идут равномерно от первой доли бюджета до второй."},
    "scen.points": {"en": "Budgets in the sweep", "ru": "Бюджетов в переборе"},
    "scen.from": {"en": "Sweep from, % of the budget", "ru": "Перебор от, % бюджета"},
    "scen.to": {"en": "to, % of the budget", "ru": "до, % бюджета"},
    "scen.from_plan": {"en": "Take the Plan page's brief", "ru": "Бриф из «Медиаплана»"},
    "scen.more_brief": {"en": "Audience, platforms and quality", "ru": "Аудитория, площадки и качество"},
    "scen.assumptions": {"en": "Assumptions (each editable; the sources beside them)", "ru": "Допущения (каждое можно изменить; источники рядом)"},
    "scen.reach_rate": {"en": "Benchmark reach rates, % of the sources' figures", "ru": "Бенчмарки охвата, % от цифр источников"},
    "scen.reach_rate_help": {"en": "Scales every reach estimated from followers (the share of followers a post reaches). Measured reach and reach from measured views stay as they are.",
                             "ru": "Масштабирует каждый охват, оценённый по подписчикам (доля подписчиков, которую видит публикация). Измеренный охват и охват по измеренным просмотрам не меняются."},
    "scen.pool": {"en": "Audience pool sizes, % of the assumption", "ru": "Размеры аудиторных пулов, % от допущения"},
    "scen.pool_help": {"en": "People interested in a niche in the target: smaller pools mean more overlap between bloggers of one niche.",
                       "ru": "Люди, интересующиеся тематикой в целевой аудитории: чем меньше пул, тем больше пересечение блогеров одной тематики."},
    "scen.post": {"en": "Barter post rate, points up or down", "ru": "Доля публикаций по бартеру, пунктов вверх или вниз"},
    "scen.post_help": {"en": "Moves every barter and hybrid post rate (seedingops.com: 30–50 % is healthy for gifting) and re-counts the plan's barter placements at that rate.",
                       "ru": "Сдвигает долю публикаций бартерных и гибридных сделок (seedingops.com: 30–50 % — норма для посевов) и пересчитывает бартерные размещения плана."},
    "scen.corr": {"en": "Shared part of the errors, %", "ru": "Общая часть ошибок, %"},
    "scen.corr_help": {"en": "How much of an input's error every placement shares (a benchmark that is off is off for everyone it prices). 0: independent errors, narrow bands; 100: one error for all, wide bands.",
                       "ru": "Какая часть ошибки входных данных общая для всех размещений (если бенчмарк ошибается, то для всех). 0 — независимые ошибки, узкие полосы; 100 — одна ошибка на всех, широкие полосы."},
    "scen.history": {"en": "Let earlier campaigns' forecast errors widen or narrow the bands", "ru": "Учитывать ошибки прогнозов прошлых кампаний в ширине полос"},
    "scen.history_used": {"en": "Earlier campaigns ({n} {n|placement|placements} with results): band width × {reach} for reach, × {eng} for engagements, × {orders} for orders.",
                          "ru": "Прошлые кампании ({n} {n|размещение|размещения|размещений} с результатами): ширина полос × {reach} для охвата, × {eng} для вовлечений, × {orders} для заказов."},
    "scen.history_none": {"en": "No earlier campaign with results: the bands rest on the ranges below alone.", "ru": "Прошлых кампаний с результатами нет: полосы строятся только по диапазонам ниже."},
    "scen.ranges_caption": {"en": "Ranges of the Monte Carlo (P10–P90 bands): each input is drawn between its low and high end around the figure the plan uses.",
                            "ru": "Диапазоны для метода Монте-Карло (полосы P10–P90): каждое входное значение берётся между нижней и верхней границей вокруг цифры плана."},
    "scen.col.input": {"en": "Input", "ru": "Входные данные"},
    "scen.col.range": {"en": "Range", "ru": "Диапазон"},
    "scen.col.source": {"en": "Source", "ru": "Источник"},
    "scen.in.measured_reach": {"en": "Measured reach of a post", "ru": "Измеренный охват публикации"},
    "scen.in.views_reach": {"en": "Reach from measured views", "ru": "Охват по измеренным просмотрам"},
    "scen.in.benchmark_reach": {"en": "Reach estimated from followers", "ru": "Охват, оценённый по подписчикам"},
    "scen.in.measured_er": {"en": "Measured engagement rate", "ru": "Измеренный ER"},
    "scen.in.benchmark_er": {"en": "Engagement rate from the benchmark", "ru": "ER по бенчмарку"},
    "scen.in.post_rate": {"en": "Barter post rate", "ru": "Доля публикаций по бартеру"},
    "scen.in.ctr": {"en": "Click-through rate", "ru": "CTR"},
    "scen.in.conversion": {"en": "Conversion to order", "ru": "Конверсия в заказ"},
    "scen.rng.band": {"en": "the source's band for the platform, tier and format", "ru": "диапазон источника для площадки, категории и формата"},
    "scen.rng.tier_band": {"en": "the tier's band", "ru": "диапазон категории"},
    "scen.src.assumption_post": {"en": "assumption: an average varies from post to post", "ru": "допущение: среднее меняется от публикации к публикации"},
    "scen.src.assumption_views": {"en": "assumption: views × the unique-viewer share (Stellar)", "ru": "допущение: просмотры × доля уникальных зрителей (Stellar)"},
    "scen.src.reach_bench": {"en": "minter.io, Insense and the view-rate assumptions (planner benchmarks)", "ru": "minter.io, Insense и допущения о просмотрах (бенчмарки планировщика)"},
    "scen.src.er_bench": {"en": "Mediakix, HypeAuditor, GRIN, untapper.com bands (planner benchmarks)", "ru": "диапазоны Mediakix, HypeAuditor, GRIN, untapper.com (бенчмарки планировщика)"},
    "scen.src.post_bench": {"en": "seedingops.com (30–50 % healthy), split by tier: assumption", "ru": "seedingops.com (30–50 % — норма), разбивка по категориям: допущение"},
    "scen.src.assumption_funnel": {"en": "assumption: no public source gives a range for a brand's own funnel", "ru": "допущение: публичных диапазонов для воронки бренда нет"},
    "scen.src.estimated": {"en": "≈ estimate (the plan's model)", "ru": "≈ оценка (модель плана)"},
    "scen.source": {"en": "Source", "ru": "Источник"},
    "scen.barter": {"en": "Barter settings (a product budget: barter and hybrid deals beside paid ones)", "ru": "Бартер (бюджет продукта: бартерные и гибридные сделки наряду с оплатой)"},
    "scen.product": {"en": "A product budget: units available, per unit the cost price and retail value, shipping per parcel. The plan may then give product instead of a fee (barter) or beside a reduced fee (hybrid).",
                     "ru": "Бюджет продукта: доступно единиц, себестоимость и розничная цена единицы, доставка одной посылки. Тогда план может дать продукт вместо гонорара (бартер) или вместе с уменьшенным гонораром (гибрид)."},
    "scen.units": {"en": "Product units available", "ru": "Доступно единиц продукта"},
    "scen.units_help": {"en": "0: paid placements only. A barter or hybrid placement counts its reach at its expected value (reach × acceptance × post rate).",
                        "ru": "0 — только оплаченные размещения. Бартерное или гибридное размещение учитывает охват по ожидаемому значению (охват × согласие × доля публикаций)."},
    "scen.needs_retail": {"en": "The product budget is not used: give the product's retail value.", "ru": "Бюджет продукта не учтён: укажите розничную цену продукта."},
    "scen.optimising": {"en": "Planning the scenario…", "ru": "Планируем сценарий…"},
    "scen.infeasible": {"en": "No plan: {reason}", "ru": "Плана нет: {reason}"},
    "scen.bad_input": {"en": "These settings cannot be planned: {reason}", "ru": "С такими настройками план не построить: {reason}"},
    "scen.plan_at": {"en": "The scenario's plan at {budget}", "ru": "План сценария при бюджете {budget}"},
    "scen.band": {"en": "P10–P90: {range}", "ru": "P10–P90: {range}"},
    "scen.bands_caption": {"en": "≈ Estimates. P10–P90: 8 times in 10 the figure lands in this range (Monte Carlo, {n} samples, seed {seed}, over the ranges under “Assumptions”); P50 is the middle. Orders rest on the click-through and conversion rates you set.",
                           "ru": "≈ Оценки. P10–P90: в 8 случаях из 10 цифра попадёт в этот диапазон (Монте-Карло, {n} выборок, seed {seed}, по диапазонам из «Допущений»); P50 — середина. Заказы зависят от заданных CTR и конверсии."},
    "scen.certificate": {"en": "Plan quality: {status}; {n} candidate {n|placement|placements}; costs as quoted{est}.", "ru": "Качество плана: {status}; {n} {n|возможное размещение|возможных размещения|возможных размещений}; цены из прайсов{est}."},
    "scen.est_share": {"en": ", {pct} of the cost at estimated prices ≈", "ru": ", {pct} стоимости по оценочным ценам ≈"},
    "scen.deals": {"en": "Deals: {paid} paid, {barter} barter, {hybrid} hybrid; product cost {product}; expected published posts {posts}.",
                   "ru": "Сделки: оплата — {paid}, бартер — {barter}, гибрид — {hybrid}; стоимость продукта {product}; ожидаемых публикаций {posts}."},
    "scen.placements": {"en": "Bloggers in the plan", "ru": "Блогеры в плане"},
    "scen.curve": {"en": "What each budget buys", "ru": "Что даёт каждый бюджет"},
    "scen.curve_metric": {"en": "Figure", "ru": "Показатель"},
    "scen.curve_progress": {"en": "Planning budget {i} of {n}…", "ru": "Планируем бюджет {i} из {n}…"},
    "scen.curve_caption": {"en": "Each point is the best plan at that budget (the scenario's reach/niche weight, the same normalisers at every budget); ≈ estimates with the P10–P90 band. {ok} of {n} {n|point|points} within {target} of the proven optimum, {stopped} stopped at the time limit (largest gap {gap}). Click a point to see its plan.",
                           "ru": "Каждая точка — лучший план при этом бюджете (вес охвата и ниши сценария, одни нормировки для всех бюджетов); ≈ оценки с полосой P10–P90. {ok} из {n} {n|точки|точек|точек} в пределах {target} от доказанного оптимума, {stopped} остановлены по времени (наибольший разрыв {gap}). Нажмите на точку, чтобы увидеть её план."},
    "scen.flat": {"en": "Returns flatten from about {budget}: beyond it each extra {per} buys less than half the reach it bought at the start of the curve.",
                  "ru": "Отдача выравнивается примерно с {budget}: дальше каждые дополнительные {per} дают меньше половины того охвата, что в начале кривой."},
    "scen.no_flat": {"en": "Returns do not flatten within this range of budgets.", "ru": "В этом диапазоне бюджетов отдача не выравнивается."},
    "scen.marginal": {"en": "Extra unique reach per {per} {sym}", "ru": "Прирост уникального охвата на {per} {sym}"},
    "scen.marginal_title": {"en": "Marginal reach: what the next {per} {sym} buys", "ru": "Предельный охват: что дают следующие {per} {sym}"},
    "scen.picked": {"en": "At {budget}: unique reach {reach} ({band}), orders {orders}, cost {cost}, {bloggers} {bloggers|blogger|bloggers}.",
                    "ru": "При {budget}: уникальный охват {reach} ({band}), заказы {orders}, стоимость {cost}, блогеров: {bloggers}."},
    "scen.use_budget": {"en": "Make this the scenario's budget", "ru": "Сделать бюджетом сценария"},
    "scen.points_table": {"en": "The sweep as a table", "ru": "Перебор бюджетов таблицей"},
    "scen.campaign": {"en": "Campaign the scenarios belong to", "ru": "Кампания, к которой относятся сценарии"},
    "scen.no_campaigns": {"en": "Scenarios are kept per campaign: save a plan as a campaign on the Plan page first.",
                          "ru": "Сценарии хранятся в кампаниях: сначала сохраните план как кампанию на странице «Медиаплан»."},
    "scen.name": {"en": "Scenario name", "ru": "Название сценария"},
    "scen.save": {"en": "Save the scenario", "ru": "Сохранить сценарий"},
    "scen.saved": {"en": "Saved “{name}” in “{campaign}”.", "ru": "Сценарий «{name}» сохранён в «{campaign}»."},
    "scen.name_needed": {"en": "Give the scenario a name.", "ru": "Дайте сценарию название."},
    "scen.saved_list": {"en": "Saved scenarios", "ru": "Сохранённые сценарии"},
    "scen.none_saved": {"en": "No saved scenario in this campaign yet.", "ru": "В этой кампании пока нет сохранённых сценариев."},
    "scen.open": {"en": "Open", "ru": "Открыть"},
    "scen.open_pick": {"en": "Scenario to open", "ru": "Какой сценарий открыть"},
    "scen.delete": {"en": "Delete", "ru": "Удалить"},
    "scen.deleted": {"en": "Deleted “{name}”.", "ru": "Сценарий «{name}» удалён."},
    "scen.compare": {"en": "Compare side by side (two to four)", "ru": "Сравнить рядом (от двух до четырёх)"},
    "scen.compare_need": {"en": "Pick two to four saved scenarios to compare.", "ru": "Выберите от двух до четырёх сохранённых сценариев."},
    "scen.compare_metric": {"en": "Compared figure", "ru": "Сравниваемый показатель"},
    "scen.differ": {"en": "Bloggers that differ", "ru": "Блогеры, которые различаются"},
    "scen.same_bloggers": {"en": "Every compared plan books the same bloggers.", "ru": "Во всех сравниваемых планах одни и те же блогеры."},
    "scen.scenario": {"en": "Scenario", "ru": "Сценарий"},
    "scen.metric": {"en": "Figure", "ru": "Показатель"},
    "scen.share": {"en": "Share this scenario", "ru": "Поделиться сценарием"},
    "scen.share_help": {"en": "The link holds the whole scenario (brief, assumptions, sweep, language and currency): whoever opens it sees the same plan.",
                        "ru": "Ссылка содержит весь сценарий (бриф, допущения, перебор бюджетов, язык и валюту): кто её откроет, увидит тот же план."},
    "scen.share_saved": {"en": "Link to the saved scenario “{name}”", "ru": "Ссылка на сохранённый сценарий «{name}»"},
    "scen.bad_link": {"en": "The link's saved scenario could not be opened: {reason}", "ru": "Сохранённый сценарий из ссылки не открылся: {reason}"},
    "scen.link_not_found": {"en": "there is no such scenario in this workspace", "ru": "такого сценария в этом рабочем пространстве нет"},
    "scen.budget": {"en": "Budget", "ru": "Бюджет"},
    "scen.gap_pct": {"en": "Gap to the proven bound, %", "ru": "Разрыв до доказанной границы, %"},
    "scen.status": {"en": "Plan quality", "ru": "Качество плана"},
    "scen.status.optimal": {"en": "optimal", "ru": "оптимальный"},
    "scen.status.gap_ok": {"en": "within the gap target", "ru": "в пределах целевого разрыва"},
    "scen.status.time_limit": {"en": "stopped at the time limit", "ru": "остановлен по времени"},
    "scen.status.gap_above_target": {"en": "gap above the target", "ru": "разрыв выше целевого"},
    "scen.status.infeasible": {"en": "no plan fits", "ru": "план невозможен"},
    "scen.mark.current": {"en": "scenario's budget", "ru": "бюджет сценария"},
    "scen.mark.flattening": {"en": "returns flatten", "ru": "отдача выравнивается"},
    "scen.m.budget": {"en": "Budget", "ru": "Бюджет"},
    "scen.m.cost": {"en": "Cash cost", "ru": "Стоимость деньгами"},
    "scen.m.product_cost": {"en": "Product cost", "ru": "Стоимость продукта"},
    "scen.m.total_cost": {"en": "Total cost", "ru": "Полная стоимость"},
    "scen.m.unique_reach": {"en": "Unique reach ≈", "ru": "Уникальный охват ≈"},
    "scen.m.niche_value": {"en": "Niche value ≈", "ru": "Ценность для ниши ≈"},
    "scen.m.impressions": {"en": "Impressions ≈", "ru": "Показы ≈"},
    "scen.m.engagements": {"en": "Engagements ≈", "ru": "Вовлечения ≈"},
    "scen.m.orders": {"en": "Expected orders ≈", "ru": "Ожидаемые заказы ≈"},
    "scen.m.cpm": {"en": "CPM ≈", "ru": "CPM, цена 1 000 показов ≈"},
    "scen.m.cpm_unique": {"en": "Cost per 1 000 reached ≈", "ru": "Стоимость 1 000 охваченных ≈"},
    "scen.cpm_short": {"en": "CPM ≈ {value}", "ru": "CPM ≈ {value} за тыс."},
    "scen.m.bloggers": {"en": "Bloggers", "ru": "Блогеры"},
    "scen.m.expected_posts": {"en": "Expected posts ≈", "ru": "Ожидаемые публикации ≈"},
    "scen.col.marginal": {"en": "+ reach per {per}", "ru": "+ охват на {per}"},
    "scen.col.deal": {"en": "Deal", "ru": "Сделка"},
    "scen.error.brief": {"en": "a scenario needs a brief", "ru": "сценарию нужен бриф"},
    "scen.error.budget": {"en": "the budget must be a positive number, got {value}", "ru": "бюджет должен быть положительным числом, а не {value}"},
    "scen.error.points": {"en": "points must be a whole number from {lo} to {hi}, got {value}", "ru": "число бюджетов должно быть целым от {lo} до {hi}, а не {value}"},
    "scen.error.range": {"en": "the sweep needs 0 < from < to, got from {start} to {stop}", "ru": "для перебора нужно 0 < от < до, а получено от {start} до {stop}"},
    "scen.error.factor": {"en": "{name} must be a number from {lo} to {hi}, got {value}", "ru": "{name}: нужно число от {lo} до {hi}, а не {value}"},
    "scen.error.shift": {"en": "the post-rate shift must lie between -0.5 and 0.5, got {value}", "ru": "сдвиг доли публикаций должен быть от -0,5 до 0,5, а не {value}"},
    "scen.error.name": {"en": "a scenario's name must be at most {n} characters", "ru": "название сценария — не длиннее {n} символов"},
    "scen.error.currency": {"en": "unknown currency {value}", "ru": "неизвестная валюта {value}"},
    "scen.error.no_plan": {"en": "no plan fits the brief at its budget", "ru": "при этом бюджете ни один план не подходит под бриф"},
})


scenario_error = error_text


# --- issue 19: results and sales files beyond their limits, refusals shown compactly (planner.campaigns.results) ---
TEXT.update({
    "results.reason.date_out_of_range": {"en": "{value!r} is read as {day}, outside {first} to {last}",
                                         "ru": "«{value}» читается как {day}, вне диапазона с {first} по {last}"},
    "results.reason.converted_out_of_range": {"en": "{value!r} is {converted:,.0f} {target} at {rate:.6g} {target} per "
                                                    "{currency}: above {high:,.0f}",
                                              "ru": "«{value}» — это {converted:.0f} {target} по курсу {rate:.6g} "
                                                    "{target} за 1 {currency}: больше {high:.0f}"},
    "results.reason.cancelled_placement": {"en": "the placement is cancelled: its results are stored all the same (set "
                                                 "its status if it was published)",
                                           "ru": "размещение отменено: его результаты всё равно сохранены (поменяйте "
                                                 "статус, если оно вышло)"},
    "results.reason.too_many_regions": {"en": "{count:,} regions in the sales file: at most {limit:,} (the campaign's "
                                              "and its controls)",
                                        "ru": "в файле продаж {count} регионов: можно не больше {limit} (регион "
                                              "кампании и контрольные)"},
    "results.reason.sales_span_too_long": {"en": "the sales series runs from {first} to {last} ({days:,} days): at "
                                                 "most {limit:,} days are read, keep the last years",
                                           "ru": "ряд продаж идёт с {first} по {last} ({days} дн.): читается не больше "
                                                 "{limit} дней, оставьте последние годы"},
    "results.cut": {"en": "The first {n} rows of each kind are listed; all of them by column and reason:",
                    "ru": "Показаны первые {n} строк каждого вида; все — по столбцам и причинам:"},
    "results.col.count": {"en": "Rows", "ru": "Строк"},
    "results.col.first_row": {"en": "First row", "ru": "Первая строка"},
})
