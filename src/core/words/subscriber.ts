// The words of the subscriber's own pages, opened from links in emails: confirm, preferences,
// unsubscribe, "weekly instead", delete my data, and the pages for a link that no longer works.
// The form fields' words (how often, topics, time zone, hour) are the sign-up form's, in
// subscribe.ts; "Unsubscribe" and counted hours come from i18n.ts's messages, shared with emails.

import type { Frequency } from "../subscription.js";
import type { Catalogue } from "./catalogue.js";

export interface LinkProblemWords {
  title: string;
  text: string;
}

export interface SubscriberWords {
  /** Before the masked address a page is about: "Address: a•••@example.org". */
  address: string;

  /** A link that cannot be used; `hours`: how long a confirmation link works, counted ("48 hours"). */
  invalid: LinkProblemWords;
  expired(hours: string): LinkProblemWords;
  used: LinkProblemWords;
  gone: LinkProblemWords;
  subscribeAgain: string;

  // What a subscription brings, as a list of terms and values.
  howOften: string;
  /** "Daily, at 07:00 Asia/Almaty time". */
  /** "Daily, at 07:00": the zone follows on its own line, as its IANA name. */
  schedule(frequency: Frequency, hour: string): string;
  timeZone: string;
  topics: string;
  everyArticle: string;
  /** The names already joined: "Articles tagged Transit, Culture". */
  tagged(names: string): string;
  /** Term before the day the subscription was confirmed, written for the language. */
  subscribedOn: string;

  confirmTitle(existing: boolean): string;
  confirmLead(site: string, existing: boolean): string;
  confirmButton(existing: boolean): string;

  subscribedTitle: string;
  subscribedLead(site: string): string;
  manageLink: string;
  /** After the link above: every digest carries it too. */
  manageNote: string;

  preferencesTitle: string;
  saved: string;
  pending: string;
  notSaved: string;
  save: string;
  unsubscribeText: string;

  unsubscribeLead(site: string): string;
  /** Heading of the gentler choices offered before unsubscribing. */
  fewerEmails: string;
  weeklyInstead: string;
  weeklyText: string;
  chooseTopics: string;
  topicsText: string;
  weeklyDoneTitle: string;
  weeklyDoneText(site: string): string;

  unsubscribedTitle: string;
  suppressedTitle: string;
  noMoreDigests(site: string, justNow: boolean): string;
  suppressedText(site: string): string;
  goneUnsubscribed(site: string): string;

  erase: string;
  eraseText: string;
  /** What is kept of a blocked address after its data is deleted, and why. */
  blockedKept: string;
  erasedTitle: string;
  erasedText(site: string): string;
  latestArticles: string;
}

const en: SubscriberWords = {
  address: "Address:",
  invalid: {
    title: "This link is not valid",
    text: "It may have been cut short or changed on its way here. Open it again from the email, or subscribe again.",
  },
  expired: (hours) => ({
    title: "This link has expired",
    text: `A confirmation link works for ${hours} after it is sent, and this one is older. Subscribe again to get a new one.`,
  }),
  used: {
    title: "This link was already used",
    text: "A confirmation link works once. If you confirmed with it, your subscription is active: every digest has a link to change what you get.",
  },
  gone: {
    title: "There is no subscription for this link",
    text: "Its data has been deleted. You can subscribe again at any time.",
  },
  subscribeAgain: "Subscribe again",
  howOften: "How often",
  schedule: (frequency, hour) => `${frequency === "daily" ? "Daily" : "Weekly"}, at ${hour}`,
  timeZone: "Time zone",
  topics: "Topics",
  everyArticle: "Every article",
  tagged: (names) => `Articles tagged ${names}`,
  subscribedOn: "Subscribed on",
  confirmTitle: (existing) => (existing ? "Confirm your new preferences" : "Confirm your subscription"),
  confirmLead: (site, existing) =>
    existing
      ? `Press the button to get the digest of ${site} this way from now on:`
      : `Press the button to start getting the digest of ${site} by email:`,
  confirmButton: (existing) => (existing ? "Confirm my new preferences" : "Confirm my subscription"),
  subscribedTitle: "You are subscribed",
  subscribedLead: (site) => `Thank you. You will get the digest of ${site} by email:`,
  manageLink: "Change your preferences or unsubscribe",
  manageNote: "Every digest has this link too.",
  preferencesTitle: "Your subscription",
  saved: "Saved. The next digest follows these preferences.",
  pending:
    "Your subscription is not confirmed yet: open the link in the confirmation email to start getting the digest. You can choose what you get now.",
  notSaved: "Nothing was saved. Please correct what is marked below.",
  save: "Save preferences",
  unsubscribeText: "Stop getting the digest. You can subscribe again at any time.",
  unsubscribeLead: (site) => `Stop getting the digest of ${site} by email? You can subscribe again at any time.`,
  fewerEmails: "Rather get less email?",
  weeklyInstead: "Get it weekly instead",
  weeklyText: "One email a week with the week's articles, instead of one every day.",
  chooseTopics: "Choose topics",
  topicsText: "Get only the articles on the topics you pick.",
  weeklyDoneTitle: "You will get it weekly",
  weeklyDoneText: (site) => `Done: from now on ${site} sends you one digest a week instead of one a day.`,
  unsubscribedTitle: "You are unsubscribed",
  suppressedTitle: "This address gets no email",
  noMoreDigests: (site, justNow) => `${justNow ? "Done: you" : "You"} will get no more digests from ${site}.`,
  suppressedText: (site) => `Email to this address bounced or was reported as spam, so ${site} sends it nothing more.`,
  goneUnsubscribed: (site) => `${site} has no subscription for this link and sends it nothing.`,
  erase: "Delete my data",
  eraseText: "Removes your address and your settings from this newsletter. This can't be undone.",
  blockedKept:
    "The address stays blocked: only a scrambled form of it is kept, which can't be turned back into the address.",
  erasedTitle: "Your data is deleted",
  erasedText: (site) => `Your address and your settings are removed from ${site}.`,
  latestArticles: "Go to the latest articles",
};

const ru: SubscriberWords = {
  address: "Адрес:",
  invalid: {
    title: "Эта ссылка недействительна",
    text: "Возможно, её обрезали или изменили по дороге. Откройте её ещё раз из письма или подпишитесь заново.",
  },
  expired: (hours) => ({
    title: "Срок действия ссылки истёк",
    text: `Ссылка для подтверждения действует ${hours} после отправки, а эта старше. Подпишитесь заново, чтобы получить новую.`,
  }),
  used: {
    title: "Эта ссылка уже использована",
    text: "Ссылка для подтверждения работает один раз. Если вы подтвердили по ней подписку, она действует: в каждом дайджесте есть ссылка, чтобы изменить настройки.",
  },
  gone: {
    title: "Для этой ссылки нет подписки",
    text: "Её данные удалены. Вы можете подписаться снова в любое время.",
  },
  subscribeAgain: "Подписаться снова",
  howOften: "Как часто",
  schedule: (frequency, hour) => `${frequency === "daily" ? "Ежедневно" : "Еженедельно"}, в ${hour}`,
  timeZone: "Часовой пояс",
  topics: "Темы",
  everyArticle: "Все статьи",
  tagged: (names) => `Статьи с тегами: ${names}`,
  subscribedOn: "Дата подписки",
  confirmTitle: (existing) => (existing ? "Подтвердите новые настройки" : "Подтвердите подписку"),
  confirmLead: (site, existing) =>
    existing
      ? `Нажмите кнопку, чтобы с этого момента получать дайджест «${site}» так:`
      : `Нажмите кнопку, чтобы получать дайджест «${site}» по почте:`,
  confirmButton: (existing) => (existing ? "Подтвердить новые настройки" : "Подтвердить подписку"),
  subscribedTitle: "Вы подписаны",
  subscribedLead: (site) => `Спасибо! Вы будете получать дайджест «${site}» по почте:`,
  manageLink: "Изменить настройки или отписаться",
  manageNote: "Эта ссылка есть и в каждом дайджесте.",
  preferencesTitle: "Ваша подписка",
  saved: "Сохранено. Следующий дайджест придёт по этим настройкам.",
  pending:
    "Подписка ещё не подтверждена: откройте ссылку из письма с подтверждением, чтобы начать получать дайджест. Выбрать, что получать, можно уже сейчас.",
  notSaved: "Ничего не сохранено. Исправьте то, что отмечено ниже.",
  save: "Сохранить настройки",
  unsubscribeText: "Больше не получать дайджест. Подписаться снова можно в любое время.",
  unsubscribeLead: (site) => `Больше не получать дайджест «${site}» по почте? Подписаться снова можно в любое время.`,
  fewerEmails: "Может, лучше получать меньше писем?",
  weeklyInstead: "Получать раз в неделю",
  weeklyText: "Одно письмо в неделю со статьями за неделю вместо письма каждый день.",
  chooseTopics: "Выбрать темы",
  topicsText: "Получать только статьи на выбранные темы.",
  weeklyDoneTitle: "Теперь дайджест будет приходить раз в неделю",
  weeklyDoneText: (site) => `Готово: теперь «${site}» будет присылать вам один дайджест в неделю, а не каждый день.`,
  unsubscribedTitle: "Вы отписаны",
  suppressedTitle: "На этот адрес письма не отправляются",
  noMoreDigests: (site, justNow) => `${justNow ? "Готово: вы" : "Вы"} больше не будете получать дайджесты «${site}».`,
  suppressedText: (site) =>
    `Письма на этот адрес не доходили или были отмечены как спам, поэтому «${site}» больше ничего на него не отправляет.`,
  goneUnsubscribed: (site) => `У «${site}» нет подписки для этой ссылки, и писем по ней не будет.`,
  erase: "Удалить мои данные",
  eraseText: "Удаляет ваш адрес и ваши настройки из этой рассылки. Отменить это нельзя.",
  blockedKept:
    "Адрес остаётся заблокированным: хранится только его зашифрованный след, по которому сам адрес восстановить нельзя.",
  erasedTitle: "Ваши данные удалены",
  erasedText: (site) => `Ваш адрес и ваши настройки удалены из рассылки «${site}».`,
  latestArticles: "К последним статьям",
};

const kk: SubscriberWords = {
  address: "Мекенжай:",
  invalid: {
    title: "Бұл сілтеме жарамсыз",
    text: "Ол жолда қысқарып не өзгеріп кеткен болуы мүмкін. Оны хаттан қайта ашыңыз немесе қайта жазылыңыз.",
  },
  expired: (hours) => ({
    title: "Сілтеменің мерзімі өтті",
    text: `Растау сілтемесі жіберілгеннен кейін ${hours} жарамды, ал бұл сілтеме одан ескі. Жаңасын алу үшін қайта жазылыңыз.`,
  }),
  used: {
    title: "Бұл сілтеме бұрын қолданылған",
    text: "Растау сілтемесі бір рет қана жұмыс істейді. Егер ол арқылы растаған болсаңыз, жазылымыңыз белсенді: әр дайджестте баптауларды өзгертуге арналған сілтеме бар.",
  },
  gone: {
    title: "Бұл сілтемеге жазылым жоқ",
    text: "Оның деректері жойылған. Кез келген уақытта қайта жазыла аласыз.",
  },
  subscribeAgain: "Қайта жазылу",
  howOften: "Қаншалықты жиі",
  schedule: (frequency, hour) => `${frequency === "daily" ? "Күн сайын" : "Аптасына бір рет"}, сағат ${hour}`,
  timeZone: "Уақыт белдеуі",
  topics: "Тақырыптар",
  everyArticle: "Барлық мақала",
  tagged: (names) => `Тегтері бар мақалалар: ${names}`,
  subscribedOn: "Жазылған күні",
  confirmTitle: (existing) => (existing ? "Жаңа баптауларды растаңыз" : "Жазылымды растаңыз"),
  confirmLead: (site, existing) =>
    existing
      ? `«${site}» дайджестін бұдан былай осылай алу үшін батырманы басыңыз:`
      : `«${site}» дайджестін поштамен ала бастау үшін батырманы басыңыз:`,
  confirmButton: (existing) => (existing ? "Жаңа баптауларымды растау" : "Жазылымымды растау"),
  subscribedTitle: "Сіз жазылдыңыз",
  subscribedLead: (site) => `Рахмет! «${site}» дайджесті поштаңызға келіп тұрады:`,
  manageLink: "Баптауларды өзгерту немесе жазылымнан бас тарту",
  manageNote: "Бұл сілтеме әр дайджестте де бар.",
  preferencesTitle: "Сіздің жазылымыңыз",
  saved: "Сақталды. Келесі дайджест осы баптаулар бойынша келеді.",
  pending:
    "Жазылымыңыз әлі расталмаған: дайджест ала бастау үшін растау хатындағы сілтемені ашыңыз. Не алатыныңызды қазір таңдай аласыз.",
  notSaved: "Ештеңе сақталмады. Төменде белгіленгенді түзетіңіз.",
  save: "Баптауларды сақтау",
  unsubscribeText: "Дайджест алуды тоқтату. Кез келген уақытта қайта жазыла аласыз.",
  unsubscribeLead: (site) =>
    `«${site}» дайджестін поштамен алуды тоқтатасыз ба? Кез келген уақытта қайта жазыла аласыз.`,
  fewerEmails: "Хатты азырақ алғыңыз келе ме?",
  weeklyInstead: "Аптасына бір рет алу",
  weeklyText: "Күн сайын емес, аптасына бір хат: сол аптаның мақалаларымен.",
  chooseTopics: "Тақырыптарды таңдау",
  topicsText: "Тек өзіңіз таңдаған тақырыптардағы мақалаларды алыңыз.",
  weeklyDoneTitle: "Дайджест енді аптасына бір рет келеді",
  weeklyDoneText: (site) => `Дайын: бұдан былай «${site}» сізге күн сайын емес, аптасына бір дайджест жібереді.`,
  unsubscribedTitle: "Сіз жазылымнан бас тарттыңыз",
  suppressedTitle: "Бұл мекенжайға хат жіберілмейді",
  noMoreDigests: (site, justNow) => `${justNow ? "Дайын: сіз" : "Сіз"} бұдан былай «${site}» дайджесттерін алмайсыз.`,
  suppressedText: (site) =>
    `Бұл мекенжайға жіберілген хаттар жетпеді немесе спам деп белгіленді, сондықтан «${site}» оған енді ештеңе жібермейді.`,
  goneUnsubscribed: (site) => `«${site}» сайтында бұл сілтемеге жазылым жоқ, оған хат жіберілмейді.`,
  erase: "Деректерімді жою",
  eraseText: "Мекенжайыңыз бен баптауларыңызды осы таратылымнан жояды. Мұны қайтару мүмкін емес.",
  blockedKept:
    "Мекенжай бұғатталған күйде қалады: одан тек мекенжайды қайта қалпына келтіруге болмайтын шифрланған ізі ғана сақталады.",
  erasedTitle: "Деректеріңіз жойылды",
  erasedText: (site) => `Мекенжайыңыз бен баптауларыңыз «${site}» таратылымынан жойылды.`,
  latestArticles: "Соңғы мақалаларға өту",
};

export const subscriberWords: Catalogue<SubscriberWords> = { en, ru, kk };
