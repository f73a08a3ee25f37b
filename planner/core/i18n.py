"""Every UI string, in English and Russian. One table; ``t(key, lang, **kwargs)`` looks up and formats.

A test checks that every key has both languages and that a Russian page shows no English string.
"""

from __future__ import annotations

from collections.abc import Mapping

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
    "plan.budget": {"en": "Budget, {sym}", "ru": "Бюджет, {sym}"},
    "plan.budget_help": {"en": "The plan re-optimises as soon as the budget changes.",
                         "ru": "План пересчитывается сразу при изменении бюджета."},
    "plan.brief_caption": {"en": "The brief: change it and press “Build the plan”.",
                           "ru": "Бриф: измените и нажмите «Построить план»."},
    "plan.empty": {"en": "No placement fits this budget: the cheapest candidate costs {cheapest}.",
                   "ru": "Ни одно размещение не помещается в бюджет: самый дешёвый вариант стоит {cheapest}."},
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
    "plan.certificate": {"en": "Objective {objective}, proven upper bound {bound}: gap {gap} %. Status: {status}. {n} candidate placements, {sec} s.",
                         "ru": "Целевая функция {objective}, доказанная верхняя граница {bound}: разрыв {gap} %. Статус: {status}. Кандидатов: {n}, {sec} с."},
    "plan.on_estimates": {"en": "≈ {amount} of the plan's cost ({pct}) rests on estimated prices, not quotes.",
                          "ru": "≈ {amount} стоимости плана ({pct}) — оценки цен, а не цены блогеров."},
    "plan.skipped_estimates": {"en": "{n} placements with only an estimated price are left out (switch “Also plan formats with estimated prices ≈” on to plan them).",
                                "ru": "Размещений только с оценочной ценой не учтено: {n} (включите «Также планировать форматы с оценочной ценой ≈»)."},
    "plan.all_quoted": {"en": "Every price in the plan is a quote.", "ru": "Все цены в плане — цены блогеров."},
    "plan.pools_raised": {"en": "Audience pools raised above the assumed size so that their largest placement fits ({n}; people in the target, assumed → used): {pools}. Check the pool sizes below.",
                          "ru": "Пулы аудитории увеличены сверх допущения, чтобы в них поместилось крупнейшее размещение ({n}; людей в целевой аудитории, допущение → в расчёте): {pools}. Проверьте размеры пулов ниже."},
    "plan.pool_raised": {"en": "Raised from the assumption", "ru": "Увеличено сверх допущения"},
    "plan.pool_raised_from": {"en": "assumed {n}", "ru": "допущение {n}"},
    "plan.frontier_lazy": {"en": "Every optimal trade-off between unique reach and niche fit (11 plans; takes a while on a large list).",
                           "ru": "Все оптимальные компромиссы между охватом и нишей (11 планов; на большом списке займёт время)."},
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
    "plan.status_pending": {"en": "{n} status changes not saved yet.", "ru": "Несохранённых изменений статусов: {n}."},
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
    "plan.overlaps_used": {"en": "{n} measured pairs override the pool model.", "ru": "Измеренных пар, заменяющих модель пулов: {n}."},
    "plan.campaign_name": {"en": "Campaign name", "ru": "Название кампании"},
    "plan.save": {"en": "Save as a campaign", "ru": "Сохранить как кампанию"},
    "plan.name_needed": {"en": "Give the campaign a name first.", "ru": "Сначала задайте название кампании."},
    "plan.saved": {"en": "Saved campaign “{name}” (#{id}).", "ru": "Кампания «{name}» сохранена (№{id})."},
    "plan.no_campaigns": {"en": "No saved campaigns yet: build a plan and save it.",
                          "ru": "Сохранённых кампаний пока нет: постройте план и сохраните его."},
    "plan.open": {"en": "Campaign", "ru": "Кампания"},
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
    "imp.refused_rows": {"en": "Refused rows (not stored): no usable handle, platform or followers",
                         "ru": "Отклонённые строки (не сохраняются): нет ника, платформы или числа подписчиков"},
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
    "imp.sheet_read": {"en": "Sheet «{sheet}» read, of {n} sheets; choose another above.",
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
    "no_columns": ("no recognisable columns (need at least handle and followers)",
                   "не найдено знакомых столбцов (нужны хотя бы ник и подписчики)"),
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
    "brief_error.no_candidates": "ни один блогер в базе не подходит под бриф (платформы, форматы, ниши, доля "
                                 "реальных подписчиков, безопасность)",
    "brief_error.only_estimates": "ни у одного подходящего блогера нет цены из прайса для разрешённых форматов "
                                  "({n} размещений только с оценочной ценой: разрешите оценочные цены, чтобы "
                                  "планировать на них)",
    "brief_error.max_share": "каждое размещение дороже допустимой доли бюджета",
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
}


def plan_error(exc: Exception, lang: str = DEFAULT_LANG) -> str:
    """A planner.planning.plan.BriefError or planner.planning.optimiser.Infeasible in ``lang`` (by its code; its
    own text if none)."""
    code, params = getattr(exc, "code", None), getattr(exc, "params", None) or {}
    prefix = "infeasible." if type(exc).__name__ == "Infeasible" else "brief_error."
    if lang == "ru" and code and prefix + code in PLAN_ERROR_RU:
        try:
            return PLAN_ERROR_RU[prefix + code].format(**params)
        except (KeyError, IndexError, ValueError):
            pass
    return str(exc)


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """The text for ``key`` in ``lang`` (falls back to English, then the key), formatted with kwargs."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    return text.format(**kwargs) if kwargs else text


def missing_translations() -> list[str]:
    """Keys that lack a language (a test asserts this is empty)."""
    return [k for k, v in TEXT.items() if any(not v.get(lang) for lang in LANGUAGES)]
