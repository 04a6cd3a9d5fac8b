// The sign-up's words: the /subscribe page and its outcome pages, and the subscriber form's
// fields (how often, topics, time zone, send hour) that the preference page shares, with the
// message for each problem a field can have (core/subscription.ts gives each a code).

import type { Region } from "../time-zones.js";
import { type Catalogue, counted } from "./catalogue.js";

/** The fields of the subscriber forms, by input name. */
export type SubscriberField = "email" | "frequency" | "tags" | "time_zone" | "send_hour";

export interface SubscribeWords {
  title: string;
  /** The page's title when a post came back with errors. */
  titleRefused: string;
  intro: string;
  /** The form's own heading where it is on a page about something else. */
  formHeading: string;
  /** Above a form whose errors are all about fields it has no input for. */
  notSent: string;
  /** Above a form with errors marked at their fields. */
  correctBelow: string;
  emailLabel: string;
  honeypotLabel: string;
  button: string;
  afterButton: string;
  checkInbox: { title: string; sent: string; nothingThere: string; back: string };
  /** Each field's label (the errors start with it). */
  fields: Record<SubscriberField, string>;
  daily: string;
  weekly: string;
  topicsHint: string;
  timeZoneHint: string;
  sendHourHint: string;
  regions: Record<Region, string>;
  problems: Problems;
}

/** A sentence for each problem core/subscription.ts names by code; `value` is what was given. */
export interface Problems {
  emailRequired: string;
  emailInvalid: string;
  frequency: string;
  tooManyTags: (max: number) => string;
  unknownTag: (value: string) => string;
  unknownTimeZone: (value: string) => string;
  sendHour: string;
  /** A field with a line break or NUL. */
  lineBreak: (label: string) => string;
  /** A field's problem without a code of its own (a file posted for it, given twice...): the English fragment. */
  other: (label: string, message: string) => string;
  /** The same, for a field the form has no input for, named by its input name. */
  notAccepted: string;
}

const en: SubscribeWords = {
  title: "Subscribe",
  titleRefused: "Subscribe: please check the form",
  intro: "Get the latest articles by email, every day or once a week.",
  formHeading: "Get the digest by email",
  notSent: "This could not be sent:",
  correctBelow: "Please correct what is marked below.",
  emailLabel: "Email address",
  honeypotLabel: "Leave this field empty",
  button: "Subscribe",
  afterButton:
    "We email you a link to confirm first. Every digest has a link to change what you get or to unsubscribe.",
  checkInbox: {
    title: "Check your inbox",
    sent: "If the address can receive mail, a confirmation link is on its way. Open it to start your subscription.",
    nothingThere:
      "Nothing there after a few minutes? Look in your spam folder. If you did not mean to subscribe, ignore the email: no digest is sent until the link is confirmed.",
    back: "Back to the latest articles",
  },
  fields: {
    email: "Email address",
    frequency: "How often",
    tags: "Topics",
    time_zone: "Time zone",
    send_hour: "Send at",
  },
  daily: "Daily",
  weekly: "Weekly",
  topicsHint: "Leave every box empty to get all articles.",
  timeZoneHint: "The digest comes at the hour you choose, in this time zone.",
  sendHourHint: "The weekly digest comes on Mondays.",
  regions: {
    Africa: "Africa",
    America: "America",
    Antarctica: "Antarctica",
    Arctic: "Arctic",
    Asia: "Asia",
    Atlantic: "Atlantic Ocean",
    Australia: "Australia",
    Europe: "Europe",
    Indian: "Indian Ocean",
    Pacific: "Pacific Ocean",
    UTC: "UTC",
  },
  problems: {
    emailRequired: "The address is required.",
    emailInvalid: "The address is not a valid email address.",
    frequency: "Choose how often: daily or weekly.",
    tooManyTags: (max) => `Choose at most ${max} topics.`,
    unknownTag: (value) => `The topic list has "${value}", which is not a tag on this site.`,
    unknownTimeZone: (value) =>
      value === ""
        ? "Choose a time zone from the list."
        : `The time zone "${value}" is unknown: choose one from the list.`,
    sendHour: "Choose an hour from the list, 00:00 to 23:00.",
    lineBreak: (label) => `${label}: remove the line breaks.`,
    other: (label, message) => `${label}: ${message}.`,
    notAccepted: "this value was not accepted",
  },
};

const ru: SubscribeWords = {
  title: "Подписка",
  titleRefused: "Подписка: проверьте форму",
  intro: "Получайте новые статьи по электронной почте: каждый день или раз в неделю.",
  formHeading: "Дайджест по электронной почте",
  notSent: "Форму не удалось отправить:",
  correctBelow: "Исправьте, пожалуйста, отмеченное ниже.",
  emailLabel: "Адрес электронной почты",
  honeypotLabel: "Оставьте это поле пустым",
  button: "Подписаться",
  afterButton:
    "Сначала мы пришлём ссылку для подтверждения. В каждом дайджесте есть ссылка, чтобы изменить рассылку или отписаться.",
  checkInbox: {
    title: "Проверьте почту",
    sent: "Если на этот адрес приходит почта, ссылка для подтверждения уже в пути. Откройте её, чтобы начать подписку.",
    nothingThere:
      "Письма нет и через несколько минут? Загляните в папку «Спам». Если вы не собирались подписываться, просто не обращайте внимания на письмо: пока ссылка не подтверждена, дайджесты не приходят.",
    back: "К последним статьям",
  },
  fields: {
    email: "Адрес электронной почты",
    frequency: "Как часто",
    tags: "Темы",
    time_zone: "Часовой пояс",
    send_hour: "Время отправки",
  },
  daily: "Каждый день",
  weekly: "Раз в неделю",
  topicsHint: "Ничего не отмечайте, чтобы получать все статьи.",
  timeZoneHint: "Дайджест приходит в выбранный час по этому часовому поясу.",
  sendHourHint: "Еженедельный дайджест приходит по понедельникам.",
  regions: {
    Africa: "Африка",
    America: "Америка",
    Antarctica: "Антарктида",
    Arctic: "Арктика",
    Asia: "Азия",
    Atlantic: "Атлантический океан",
    Australia: "Австралия",
    Europe: "Европа",
    Indian: "Индийский океан",
    Pacific: "Тихий океан",
    UTC: "UTC",
  },
  problems: {
    emailRequired: "Укажите адрес электронной почты.",
    emailInvalid: "Адрес электронной почты написан неверно.",
    frequency: "Выберите, как часто: каждый день или раз в неделю.",
    tooManyTags: (max) =>
      `Выберите не больше ${counted("ru", max, { one: "темы", few: "тем", many: "тем", other: "темы" })}.`,
    unknownTag: (value) => `В списке тем есть «${value}», но такой темы на сайте нет.`,
    unknownTimeZone: (value) =>
      value === ""
        ? "Выберите часовой пояс из списка."
        : `Часовой пояс «${value}» нам неизвестен: выберите пояс из списка.`,
    sendHour: "Выберите час из списка, от 00:00 до 23:00.",
    lineBreak: (label) => `${label}: уберите переводы строки.`,
    other: (label) => `${label}: значение не принято.`,
    notAccepted: "значение не принято",
  },
};

const kk: SubscribeWords = {
  title: "Жазылу",
  titleRefused: "Жазылу: пішінді тексеріңіз",
  intro: "Жаңа мақалаларды электрондық поштамен алыңыз: күн сайын немесе аптасына бір рет.",
  formHeading: "Дайджест электрондық поштаға",
  notSent: "Пішін жіберілмеді:",
  correctBelow: "Төменде белгіленгенді түзетіңіз.",
  emailLabel: "Электрондық пошта мекенжайы",
  honeypotLabel: "Бұл өрісті бос қалдырыңыз",
  button: "Жазылу",
  afterButton:
    "Алдымен растау сілтемесін жібереміз. Әр дайджестте алатыныңызды өзгертуге немесе жазылымнан бас тартуға арналған сілтеме бар.",
  checkInbox: {
    title: "Поштаңызды тексеріңіз",
    sent: "Бұл мекенжайға хат жететін болса, растау сілтемесі жолда. Жазылымды бастау үшін оны ашыңыз.",
    nothingThere:
      "Бірнеше минуттан кейін де хат жоқ па? «Спам» қалтасын қараңыз. Жазылғыңыз келмесе, хатқа мән бермеңіз: сілтеме расталмайынша дайджест жіберілмейді.",
    back: "Соңғы мақалаларға оралу",
  },
  fields: {
    email: "Электрондық пошта мекенжайы",
    frequency: "Қаншалықты жиі",
    tags: "Тақырыптар",
    time_zone: "Уақыт белдеуі",
    send_hour: "Жіберу уақыты",
  },
  daily: "Күн сайын",
  weekly: "Аптасына бір рет",
  topicsHint: "Барлық мақаланы алу үшін ештеңе белгілемеңіз.",
  timeZoneHint: "Дайджест осы уақыт белдеуі бойынша таңдалған сағатта келеді.",
  sendHourHint: "Апталық дайджест дүйсенбі сайын келеді.",
  regions: {
    Africa: "Африка",
    America: "Америка",
    Antarctica: "Антарктида",
    Arctic: "Арктика",
    Asia: "Азия",
    Atlantic: "Атлант мұхиты",
    Australia: "Аустралия",
    Europe: "Еуропа",
    Indian: "Үнді мұхиты",
    Pacific: "Тынық мұхит",
    UTC: "UTC",
  },
  problems: {
    emailRequired: "Электрондық пошта мекенжайын енгізіңіз.",
    emailInvalid: "Электрондық пошта мекенжайы қате жазылған.",
    frequency: "Қаншалықты жиі екенін таңдаңыз: күн сайын немесе аптасына бір рет.",
    tooManyTags: (max) => `Ең көбі ${max} тақырып таңдаңыз.`,
    unknownTag: (value) => `Тақырыптар тізімінде «${value}» бар, бірақ сайтта ондай тақырып жоқ.`,
    unknownTimeZone: (value) =>
      value === ""
        ? "Уақыт белдеуін тізімнен таңдаңыз."
        : `«${value}» уақыт белдеуі бізге белгісіз: тізімнен белдеу таңдаңыз.`,
    sendHour: "Тізімнен сағатты таңдаңыз, 00:00-ден 23:00-ге дейін.",
    lineBreak: (label) => `${label}: жол ауыстыруды алып тастаңыз.`,
    other: (label) => `${label}: мән қабылданбады.`,
    notAccepted: "мән қабылданбады",
  },
};

export const subscribeWords: Catalogue<SubscribeWords> = { en, ru, kk };
