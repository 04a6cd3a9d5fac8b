// The words of the search page, the feed pages, /tags and /authors and the HTML error pages, in
// every language. The query-syntax messages are here too: the API's problem+json reads the
// English ones, the search page the site's language.

import type { Catalogue } from "./catalogue.js";
import { counted, formatNumber } from "./catalogue.js";

/** What is wrong with a reader's search query (core/search.ts finds it, the words say it). */
export type QueryProblem =
  | { kind: "tooLong"; max: number }
  | { kind: "noWord" }
  | { kind: "tooManyTerms"; max: number }
  | { kind: "orSides" }
  | { kind: "andSides" }
  | { kind: "onlyLeftOut" }
  | { kind: "unclosedQuote" }
  | { kind: "emptyPhrase" }
  | { kind: "bareMinus" }
  | { kind: "parentheses" }
  | { kind: "bareStar" }
  | { kind: "bareColon" }
  | { kind: "unknownField"; word: string }
  | { kind: "twoFields" }
  | { kind: "fieldWithoutWord"; field: string }
  | { kind: "near" }
  | { kind: "notAWord"; word: string }
  | { kind: "notWithoutWord" }
  | { kind: "fieldAtEnd" }
  | { kind: "notUnderstood" };

/** One piece of a sentence: text, or a bit of query syntax shown as code. */
export type Piece = string | { code: string };

/** What the feed pages say of their collection. */
export type FeedSubject = { kind: "site"; site: string } | { kind: "tag" | "author"; name: string };

export interface PagesWords {
  // The search page.
  search: string;
  searchTitle(q: string): string;
  /** A page title past the first page: "Search: tram (page 2)". */
  paged(title: string, page: number): string;
  searchLandmark: string;
  searchLabel: string;
  queryHelp: readonly Piece[];
  /** "1 result", "25 results", "more than 1 000 results" (past `max`). */
  results(n: number, max: number): string;
  noMatch(q: string, later: boolean): string;
  /** Lead-in of a malformed query's message: "This search cannot be run:". */
  queryRefused: string;
  queryProblem(problem: QueryProblem): string;
  previousResults: string;
  moreResults: string;

  // Feed pages (/feeds, a tag's, an author's), and their copy script's messages; the title of
  // /feeds, /tags and /authors and the search button are the header's words (siteWords).
  feedsOf(name: string): string;
  feedDescription(subject: FeedSubject): string;
  followHeading(subject: FeedSubject): string;
  /** What a feed is, and that following it needs no account. */
  feedIntro(subject: FeedSubject): string;
  feedWhat(subject: FeedSubject): string;
  feedFormats: string;
  oneClick: string;
  oneClickIntro: string;
  copyHeading: string;
  copyIntro: string;
  copy: string;
  copyWhat(format: string): string;
  copied(format: string): string;
  copyBlocked: string;
  opml: string;
  latest: string;
  latestIntro: string;
  nothingYet: string;
  backToSite(subject: FeedSubject): string;

  // /tags and /authors.
  noNames(kind: "tag" | "author"): string;
  seeLatest: string;

  // Error pages.
  /** An error page's heading (a 404's is i18n's pageNotFound, which the digests' pages share). */
  errorHeading(status: number): string | null;
  /** The 404's sentence, around the path: "There is nothing at", ". It may have moved…". */
  nothingAt: readonly [string, string];
  goHome: string;
}

const quoted = (name: string) => `“${name}”`;

const en: PagesWords = {
  search: "Search",
  searchTitle: (q) => `Search: ${q}`,
  paged: (title, page) => `${title} (page ${page})`,
  searchLandmark: "Search articles",
  searchLabel: "Words to find in titles, summaries and articles",
  queryHelp: [
    "Every word must occur; ",
    { code: '"quotes"' },
    " find a phrase, ",
    { code: "OR" },
    " either word, ",
    { code: "-word" },
    " leaves it out, ",
    { code: "title:word" },
    " looks in titles only.",
  ],
  results: (n, max) =>
    n > max ? `more than ${formatNumber("en", max)} results` : counted("en", n, { one: "result", other: "results" }),
  noMatch: (q, later) => `${later ? "No more articles match" : "No article matches"} ${quoted(q)}.`,
  queryRefused: "This search cannot be run: the query",
  queryProblem: (p) => {
    switch (p.kind) {
      case "tooLong":
        return `must be at most ${p.max} characters`;
      case "noWord":
        return "has no word to search for";
      case "tooManyTerms":
        return `may have at most ${p.max} words and phrases`;
      case "orSides":
        return "OR needs a word on each side";
      case "andSides":
        return "AND needs a word on each side";
      case "onlyLeftOut":
        return "needs a word to find, not only words to leave out";
      case "unclosedQuote":
        return "has a quote that is not closed";
      case "emptyPhrase":
        return "has a quoted phrase with no words in it";
      case "bareMinus":
        return "has a - that leaves out no word";
      case "parentheses":
        return "may not use parentheses; use OR between words, or quotes";
      case "bareStar":
        return "has a * that follows no word (write it right after a word: astan*)";
      case "bareColon":
        return "has a : that follows no field name (title:, summary: or body:)";
      case "unknownField":
        return `names an unknown field "${p.word}:"; the fields are title, summary and body`;
      case "twoFields":
        return "names two fields for one word";
      case "fieldWithoutWord":
        return `has ${p.field}: with no word after it`;
      case "near":
        return "may not use NEAR( ); use a quoted phrase";
      case "notAWord":
        return `has "${p.word}" where a word belongs`;
      case "notWithoutWord":
        return "NOT needs a word after it";
      case "fieldAtEnd":
        return "names a field with no word after it";
      case "notUnderstood":
        return "is not a search this site understands";
    }
  },
  previousResults: "← Previous results",
  moreResults: "More results →",

  feedsOf: (name) => `Feeds: ${name}`,
  feedDescription: (s) => `Follow the articles ${en.feedWhat(s)} in a feed reader.`,
  followHeading: (s) => `Follow ${s.kind === "site" ? s.site : quoted(s.name)} in a feed reader`,
  feedIntro: (s) =>
    `A feed is a list of the newest articles ${en.feedWhat(s)} that a feed reader checks for you. Add it to a reader once and new articles appear there as they are published: no account here, no email address, and you stop by removing it from the reader.`,
  feedWhat: (s) =>
    s.kind === "site" ? `from ${s.site}` : s.kind === "tag" ? `tagged ${quoted(s.name)}` : `by ${s.name}`,
  feedFormats:
    "If you clicked “RSS”, “Atom” or “JSON Feed” and expected an article, nothing is wrong: those are the formats of the feed, and this page is where they start. The addresses below are for your reader, not for reading in the browser.",
  oneClick: "Follow in one click",
  oneClickIntro: "If you use one of these readers, open it here and confirm:",
  copyHeading: "Or copy an address",
  copyIntro:
    "In any other reader, choose “Add feed” or “Subscribe” and paste one of these. They carry the same articles; if you are unsure, take RSS.",
  copy: "Copy",
  copyWhat: (format) => `the ${format} address`,
  copied: (format) => `Copied the ${format} address.`,
  copyBlocked: "Copying is blocked here: the address is selected, press Ctrl+C (⌘C on a Mac).",
  opml: "Readers that import a list can take every feed of this site at once (the site, each tag and each author) from one OPML file:",
  latest: "Latest articles",
  latestIntro: "What your reader will show first:",
  nothingYet: "Nothing is published here yet. Follow anyway: new articles will reach your reader as they appear.",
  backToSite: (s) =>
    s.kind === "site" ? "Read the latest articles on the site" : `All articles ${en.feedWhat(s)} on the site`,

  noNames: (kind) => `Nothing is published yet, so there are no ${kind}s to list.`,
  seeLatest: "See the latest articles",

  errorHeading: (status) =>
    ({
      400: "That request did not work",
      403: "Not allowed",
      405: "Not allowed here",
      409: "That clashes with what is already here",
      413: "That is too large",
      415: "That kind of content is not accepted here",
      429: "Too many requests: try again in a little while",
      500: "Something went wrong on our side",
    })[status] ?? null,
  nothingAt: ["There is nothing at", ". It may have moved, or the link may be mistyped."],
  goHome: "Go to the latest articles",
};

const ruQuoted = (name: string) => `«${name}»`;

const ru: PagesWords = {
  search: "Поиск",
  searchTitle: (q) => `Поиск: ${q}`,
  paged: (title, page) => `${title} (страница ${page})`,
  searchLandmark: "Поиск по статьям",
  searchLabel: "Слова для поиска в заголовках, аннотациях и текстах статей",
  queryHelp: [
    "Должны встретиться все слова; ",
    { code: '"кавычки"' },
    " ищут фразу целиком, ",
    { code: "OR" },
    " — любое из двух слов, ",
    { code: "-слово" },
    " исключает слово, ",
    { code: "title:слово" },
    " ищет только в заголовках.",
  ],
  results: (n, max) =>
    n > max
      ? `более ${formatNumber("ru", max)} результатов`
      : counted("ru", n, { one: "результат", few: "результата", many: "результатов", other: "результата" }),
  noMatch: (q, later) => `${later ? "Больше нет статей по запросу" : "Нет статей по запросу"} ${ruQuoted(q)}.`,
  queryRefused: "Такой поиск выполнить нельзя: в запросе",
  queryProblem: (p) => {
    switch (p.kind) {
      case "tooLong":
        return `больше ${p.max} символов`;
      case "noWord":
        return "нет ни одного слова для поиска";
      case "tooManyTerms":
        return `больше ${p.max} слов и фраз`;
      case "orSides":
        return "у OR должно быть слово с каждой стороны";
      case "andSides":
        return "у AND должно быть слово с каждой стороны";
      case "onlyLeftOut":
        return "только исключённые слова, а нужно хотя бы одно слово для поиска";
      case "unclosedQuote":
        return "не закрыта кавычка";
      case "emptyPhrase":
        return "фраза в кавычках без слов";
      case "bareMinus":
        return "минус, который не исключает ни одного слова";
      case "parentheses":
        return "скобки, а они не поддерживаются: пишите OR между словами или берите фразу в кавычки";
      case "bareStar":
        return "звёздочка не после слова (пишите её сразу за словом: астан*)";
      case "bareColon":
        return "двоеточие не после названия поля (title:, summary: или body:)";
      case "unknownField":
        return `неизвестное поле «${p.word}:»; поля — title, summary и body`;
      case "twoFields":
        return "два поля для одного слова";
      case "fieldWithoutWord":
        return `после ${p.field}: нет слова`;
      case "near":
        return "NEAR( ), а он не поддерживается: возьмите фразу в кавычки";
      case "notAWord":
        return `«${p.word}» стоит там, где должно быть слово`;
      case "notWithoutWord":
        return "после NOT нет слова";
      case "fieldAtEnd":
        return "поле без слова после него";
      case "notUnderstood":
        return "есть то, чего поиск сайта не понимает";
    }
  },
  previousResults: "← Предыдущие результаты",
  moreResults: "Ещё результаты →",

  feedsOf: (name) => `Ленты: ${name}`,
  feedDescription: (s) => `Следите за статьями ${ru.feedWhat(s)} в программе для чтения лент.`,
  followHeading: (s) =>
    s.kind === "site"
      ? `Читайте «${s.site}» в программе для чтения лент`
      : `Следите за ${ruQuoted(s.name)} в программе для чтения лент`,
  feedIntro: (s) =>
    `Лента — это список новых статей ${ru.feedWhat(s)}, который за вас проверяет программа для чтения лент. Добавьте ленту в программу один раз, и новые статьи будут появляться там сразу после публикации: без аккаунта на сайте и без адреса почты, а чтобы перестать читать, достаточно удалить ленту из программы.`,
  feedWhat: (s) =>
    s.kind === "site" ? `сайта «${s.site}»` : s.kind === "tag" ? `с тегом ${ruQuoted(s.name)}` : `автора ${s.name}`,
  feedFormats:
    "Если вы нажали «RSS», «Atom» или «JSON Feed» и ждали статью, всё в порядке: это форматы ленты, и начинаются они с этой страницы. Адреса ниже — для программы чтения лент, а не для чтения в браузере.",
  oneClick: "Подписка в один клик",
  oneClickIntro: "Если вы пользуетесь одним из этих сервисов, откройте его отсюда и подтвердите:",
  copyHeading: "Или скопируйте адрес",
  copyIntro:
    "В любой другой программе выберите «Добавить ленту» или «Подписаться» и вставьте один из этих адресов. Статьи в них одни и те же; если сомневаетесь, берите RSS.",
  copy: "Копировать",
  copyWhat: (format) => `адрес ${format}`,
  copied: (format) => `Адрес ${format} скопирован.`,
  copyBlocked: "Копирование здесь запрещено: адрес выделен, нажмите Ctrl+C (⌘C на Mac).",
  opml: "Программы, которые импортируют список, возьмут все ленты сайта сразу (сайт, каждый тег и каждого автора) из одного файла OPML:",
  latest: "Последние статьи",
  latestIntro: "Что программа покажет первым:",
  nothingYet: "Здесь пока ничего не опубликовано. Подпишитесь всё равно: новые статьи придут, как только появятся.",
  backToSite: (s) => (s.kind === "site" ? "Последние статьи на сайте" : `Все статьи ${ru.feedWhat(s)} на сайте`),

  noNames: (kind) => `Пока ничего не опубликовано, поэтому ${kind === "tag" ? "тегов" : "авторов"} в списке нет.`,
  seeLatest: "Последние статьи",

  errorHeading: (status) =>
    ({
      400: "Этот запрос не удался",
      403: "Доступ запрещён",
      405: "Здесь так нельзя",
      409: "Это противоречит тому, что уже есть",
      413: "Слишком большой запрос",
      415: "Такие данные здесь не принимаются",
      429: "Слишком много запросов: попробуйте чуть позже",
      500: "Что-то пошло не так на нашей стороне",
    })[status] ?? null,
  nothingAt: ["По адресу", " ничего нет. Возможно, страница переехала или в ссылке опечатка."],
  goHome: "К последним статьям",
};

const kk: PagesWords = {
  search: "Іздеу",
  searchTitle: (q) => `Іздеу: ${q}`,
  paged: (title, page) => `${title} (${page}-бет)`,
  searchLandmark: "Мақалалардан іздеу",
  searchLabel: "Тақырыптардан, аннотациялардан және мақалалардан ізделетін сөздер",
  queryHelp: [
    "Барлық сөз кездесуі керек; ",
    { code: '"тырнақша"' },
    " тіркесті тұтас іздейді, ",
    { code: "OR" },
    " — екі сөздің кез келгені, ",
    { code: "-сөз" },
    " сөзді шығарып тастайды, ",
    { code: "title:сөз" },
    " тек тақырыптардан іздейді.",
  ],
  // Kazakh nouns keep their singular form after a numeral: 1 нәтиже, 25 нәтиже.
  results: (n, max) =>
    n > max ? `${formatNumber("kk", max)}-нан астам нәтиже` : counted("kk", n, { one: "нәтиже", other: "нәтиже" }),
  noMatch: (q, later) => `«${q}» сұрауы бойынша ${later ? "басқа мақала жоқ" : "мақала табылмады"}.`,
  queryRefused: "Бұл іздеуді орындау мүмкін емес: сұрауда",
  queryProblem: (p) => {
    switch (p.kind) {
      case "tooLong":
        return `${p.max} таңбадан артық`;
      case "noWord":
        return "іздейтін бірде-бір сөз жоқ";
      case "tooManyTerms":
        return `${p.max} сөз бен тіркестен артық`;
      case "orSides":
        return "OR екі жағында да сөз болуы керек";
      case "andSides":
        return "AND екі жағында да сөз болуы керек";
      case "onlyLeftOut":
        return "тек шығарылатын сөздер бар, ал кемінде бір ізделетін сөз керек";
      case "unclosedQuote":
        return "тырнақша жабылмаған";
      case "emptyPhrase":
        return "тырнақшадағы тіркесте сөз жоқ";
      case "bareMinus":
        return "ешбір сөзді шығармайтын минус бар";
      case "parentheses":
        return "жақшалар бар, олар қолданылмайды: сөздер арасына OR жазыңыз немесе тіркесті тырнақшаға алыңыз";
      case "bareStar":
        return "жұлдызша сөзден кейін емес (оны сөзге тіркеп жазыңыз: астан*)";
      case "bareColon":
        return "қос нүкте өріс атауынан кейін емес (title:, summary: немесе body:)";
      case "unknownField":
        return `белгісіз өріс бар: «${p.word}:»; өрістер — title, summary және body`;
      case "twoFields":
        return "бір сөзге екі өріс берілген";
      case "fieldWithoutWord":
        return `${p.field}: кейін сөз жоқ`;
      case "near":
        return "NEAR( ) бар, ол қолданылмайды: тіркесті тырнақшаға алыңыз";
      case "notAWord":
        return `сөз тұруы керек жерде «${p.word}» тұр`;
      case "notWithoutWord":
        return "NOT кейін сөз жоқ";
      case "fieldAtEnd":
        return "өрістен кейін сөз жоқ";
      case "notUnderstood":
        return "сайттың іздеуі түсінбейтін нәрсе бар";
    }
  },
  previousResults: "← Алдыңғы нәтижелер",
  moreResults: "Тағы нәтижелер →",

  feedsOf: (name) => `Арналар: ${name}`,
  feedDescription: (s) => `${kk.feedWhat(s)} мақалаларды арна оқу бағдарламасында оқыңыз.`,
  followHeading: (s) =>
    s.kind === "site"
      ? `«${s.site}» сайтын арна оқу бағдарламасында оқыңыз`
      : `«${s.name}» арнасын бағдарламада оқыңыз`,
  feedIntro: (s) =>
    `Арна — ${kk.feedWhat(s)} жаңа мақалалардың тізімі, оны сіз үшін арна оқу бағдарламасы тексеріп отырады. Арнаны бағдарламаға бір рет қосыңыз — жаңа мақалалар жарияланған бойда сонда пайда болады: мұнда тіркелгі де, электрондық пошта да керек емес, ал тоқтату үшін арнаны бағдарламадан өшірсеңіз болғаны.`,
  feedWhat: (s) =>
    s.kind === "site" ? `«${s.site}» сайтындағы` : s.kind === "tag" ? `«${s.name}» тегі бар` : `${s.name} жазған`,
  feedFormats:
    "Егер сіз «RSS», «Atom» немесе «JSON Feed» түймесін басып, мақала күткен болсаңыз, бәрі дұрыс: бұлар — арнаның форматтары, ал олар осы беттен басталады. Төмендегі мекенжайлар браузерде оқуға емес, арна оқу бағдарламасына арналған.",
  oneClick: "Бір басумен жазылу",
  oneClickIntro: "Егер осы қызметтердің бірін қолдансаңыз, оны осы жерден ашып, растаңыз:",
  copyHeading: "Немесе мекенжайды көшіріңіз",
  copyIntro:
    "Басқа кез келген бағдарламада «Арна қосу» немесе «Жазылу» дегенді таңдап, осы мекенжайлардың бірін қойыңыз. Олардағы мақалалар бірдей; сенімді болмасаңыз, RSS алыңыз.",
  copy: "Көшіру",
  copyWhat: (format) => `${format} мекенжайын`,
  copied: (format) => `${format} мекенжайы көшірілді.`,
  copyBlocked: "Мұнда көшіруге тыйым салынған: мекенжай белгіленді, Ctrl+C басыңыз (Mac-та ⌘C).",
  opml: "Тізімді импорттай алатын бағдарламалар сайттың барлық арнасын (сайтты, әр тегті және әр авторды) бір OPML файлынан бірден алады:",
  latest: "Соңғы мақалалар",
  latestIntro: "Бағдарлама алдымен мынаны көрсетеді:",
  nothingYet: "Мұнда әлі ештеңе жарияланбаған. Бәрібір жазылыңыз: жаңа мақалалар шыға салысымен келеді.",
  backToSite: (s) => (s.kind === "site" ? "Сайттағы соңғы мақалалар" : `Сайттағы ${kk.feedWhat(s)} барлық мақалалар`),

  noNames: (kind) => `Әлі ештеңе жарияланбаған, сондықтан ${kind === "tag" ? "тегтер" : "авторлар"} тізімі бос.`,
  seeLatest: "Соңғы мақалалар",

  errorHeading: (status) =>
    ({
      400: "Бұл сұрау орындалмады",
      403: "Рұқсат жоқ",
      405: "Мұнда бұлай болмайды",
      409: "Бұл бұрыннан бар нәрсеге қайшы",
      413: "Сұрау тым үлкен",
      415: "Мұндай деректер мұнда қабылданбайды",
      429: "Сұраулар тым көп: сәлден соң қайталап көріңіз",
      500: "Біз жақта бірдеңе дұрыс болмады",
    })[status] ?? null,
  nothingAt: ["Мына мекенжайда ештеңе жоқ:", ". Бет басқа жерге көшкен болуы мүмкін немесе сілтемеде қате бар."],
  goHome: "Соңғы мақалаларға өту",
};

export const pagesWords: Catalogue<PagesWords> = { en, ru, kk };
