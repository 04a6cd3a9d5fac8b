import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { type ConfirmationInput, renderConfirmation } from "../../src/core/subscription-email.js";
import { templates } from "../../src/generated/templates.js";

const CONFIRM_URL = "https://news.example.com/subscribe/confirm?token=eyJ2IjoxfQ.c2lnbmF0dXJl-_x&lang=en";

function render(overrides: Partial<ConfirmationInput> = {}, site: Partial<ConfirmationInput["site"]> = {}) {
  return renderConfirmation(
    {
      site: { title: "The Steppe Ledger", url: "https://news.example.com", language: "en", ...site },
      confirmUrl: CONFIRM_URL,
      existing: false,
      ...overrides,
    },
    templates.confirm,
  );
}

interface Parsed {
  lang: string | undefined;
  title: string;
  /** Text of the body, whitespace collapsed. */
  text: string;
  hrefs: string[];
  /** Every element that makes a client fetch something on open, as `tag attr=value`. */
  loads: string[];
  styles: string;
  elements: Set<string>;
  /** Classes of the elements around each link, by its href. */
  linkClasses: Map<string, string[]>;
}

/** The HTML read back with a real parser, as a mail client would. */
function parse(html: string): Parsed {
  const out: Parsed = {
    lang: undefined,
    title: "",
    text: "",
    hrefs: [],
    loads: [],
    styles: "",
    elements: new Set(),
    linkClasses: new Map(),
  };
  const stack: string[] = [];
  const classes: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        stack.push(name);
        classes.push(attributes.class ?? "");
        out.elements.add(name);
        if (name === "html") out.lang = attributes.lang;
        if (name === "a" && attributes.href !== undefined) {
          out.hrefs.push(attributes.href);
          out.linkClasses.set(attributes.href, [...(out.linkClasses.get(attributes.href) ?? []), ...classes]);
        }
        for (const attr of ["src", "srcset", "background", "poster", "data"]) {
          if (attributes[attr] !== undefined) out.loads.push(`${name} ${attr}=${attributes[attr]}`);
        }
        if (name === "link") out.loads.push(`link href=${attributes.href ?? ""}`);
        if (attributes.style) out.styles += `${attributes.style}\n`;
      },
      ontext(data) {
        const inside = stack.at(-1);
        if (inside === "title") out.title += data;
        else if (inside === "style") out.styles += data;
        else if (stack.includes("body")) out.text += data;
      },
      onclosetag() {
        stack.pop();
        classes.pop();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  out.text = out.text.replace(/\s+/g, " ").trim();
  return out;
}

describe("the confirmation email", () => {
  it("carries the exact confirm URL in the button, written out in the HTML, and on its own line in the text", () => {
    const email = render();
    const html = parse(email.html);
    expect(html.hrefs.filter((href) => href === CONFIRM_URL)).toHaveLength(2);
    expect(html.text).toContain(CONFIRM_URL);
    expect(email.text.split("\n")).toContain(CONFIRM_URL);
  });

  it("keeps a long confirm URL whole in the text part", () => {
    const long = `https://news.example.com/subscribe/confirm?token=${"a".repeat(200)}`;
    expect(render({ confirmUrl: long }).text.split("\n")).toContain(long);
  });

  it("says what was asked, for how long the link works, and what to do if it was not you", () => {
    const email = render();
    expect(email.subject).toBe("Confirm your subscription to The Steppe Ledger");
    expect(email.preheader).toBe("Confirm that you want The Steppe Ledger by email: the link works for 48 hours.");
    expect(email.text).toBe(
      [
        "Hello,",
        "",
        "Someone, hopefully you, asked to subscribe this address to The Steppe",
        "Ledger by email.",
        "",
        "To confirm, open this link and press the button on the page:",
        "",
        CONFIRM_URL,
        "",
        "The link works for 48 hours.",
        "",
        "If it was not you, ignore this email: nothing is subscribed unless the",
        "link is confirmed.",
        "",
        "--",
        "You got this email because this address was entered in the subscription",
        "form of The Steppe Ledger.",
        "The Steppe Ledger: https://news.example.com/",
        "",
      ].join("\n"),
    );
    const html = parse(email.html);
    expect(html.title).toBe("Confirm your subscription to The Steppe Ledger");
    expect(html.text).toContain("Confirm your subscription Hello,");
    expect(html.text).toContain("Confirm subscription");
    expect(html.text).toContain("The link works for 48 hours.");
    expect(html.text).toContain("If it was not you, ignore this email");
    expect(html.text).toContain("You got this email because this address was entered");
    // The preheader is the first text a client shows after the subject.
    expect(html.text.startsWith(email.preheader)).toBe(true);
  });

  it("asks an address that is already subscribed to confirm its new preferences", () => {
    const email = render({ existing: true });
    expect(email.subject).toBe("Confirm your new preferences for The Steppe Ledger");
    expect(email.text).toContain("asked to change what this address gets from The\nSteppe Ledger by email.");
    expect(email.text).toContain("your subscription stays as it is.");
    const html = parse(email.html);
    expect(html.text).toContain("Confirm new preferences");
    expect(html.hrefs).toContain(CONFIRM_URL);
  });

  it("has no unsubscribe link, nor any link but the confirm URL and the site", () => {
    const email = render();
    expect(new Set(parse(email.html).hrefs)).toEqual(new Set([CONFIRM_URL, "https://news.example.com/"]));
    expect(email.html).not.toMatch(/unsubscribe/i);
    expect(email.text).not.toMatch(/unsubscribe/i);
  });

  it("escapes a hostile site title in the HTML and keeps it as written in the text", () => {
    const title = `Q&A <script>alert(1)</script> "quotes" <img src=x onerror=alert(1)>`;
    const email = render({}, { title });
    const html = parse(email.html);
    expect(html.elements.has("script")).toBe(false);
    expect(html.loads).toEqual([]);
    expect(html.title).toBe(`Confirm your subscription to ${title}`);
    expect(html.text).toContain(`subscribe this address to ${title} by email.`);
    expect(email.html).toContain("Q&amp;A &lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot;");
    expect(email.text).toContain(`${title}: https://news.example.com/`);
  });

  it("loads nothing when opened: no images, no linked or imported CSS, no url(), no web fonts", () => {
    const html = parse(render().html);
    expect(html.loads).toEqual([]);
    expect(html.elements.has("link")).toBe(false);
    expect(html.styles.length).toBeGreaterThan(100);
    expect(html.styles).not.toMatch(/@import|url\(|@font-face/i);
    expect(render().html).not.toMatch(/fonts\.googleapis|fonts\.gstatic/);
  });

  it("sets the language of the site on the html element, and writes its words", () => {
    expect(parse(render().html).lang).toBe("en");
    const ru = render({}, { language: "ru", title: "Степной вестник" });
    expect(parse(ru.html).lang).toBe("ru");
    expect(ru.subject).toBe("Подтвердите подписку на «Степной вестник»");
    expect(ru.text).toContain("Ссылка действует 48 часов.");
    expect(parse(ru.html).text).toContain("Подтвердить подписку");
    const kk = render({ existing: true }, { language: "kk-KZ", title: "Дала жаршысы" });
    expect(parse(kk.html).lang).toBe("kk-KZ");
    expect(kk.subject).toBe("«Дала жаршысы» жазылымының жаңа баптауларын растаңыз");
    expect(kk.text).toContain("Сілтеме 48 сағат жарамды.");
    expect(kk.text.split("\n")).toContain(CONFIRM_URL);
  });

  it("counts the hours the link works in the language", () => {
    expect(render({ validForHours: 1 }).text).toContain("The link works for 1 hour.");
    expect(render({ validForHours: 24 }, { language: "ru" }).text).toContain("Ссылка действует 24 часа.");
    expect(render({ validForHours: 21 }, { language: "ru" }).text).toContain("Ссылка действует 21 час.");
  });

  it("keeps the button's label white on its blue in dark mode, where other links turn light blue", () => {
    const html = parse(render().html);
    expect(html.styles).toMatch(
      /@media \(prefers-color-scheme: dark\)[^@]*\.button a \{ color: #ffffff !important; \}/,
    );
    expect(html.linkClasses.get(CONFIRM_URL)).toContain("button");
  });

  it("stays far under Gmail's 102 KB clipping limit, with a long title and URL", () => {
    const email = render({ confirmUrl: `${CONFIRM_URL}${"x".repeat(2000)}` }, { title: "Ledger ".repeat(40) });
    expect(new TextEncoder().encode(email.html).length).toBeLessThan(102 * 1024);
  });

  it("links the site with one trailing slash, whether or not SITE_URL has one", () => {
    expect(parse(render({}, { url: "https://news.example.com/" }).html).hrefs).toContain("https://news.example.com/");
    expect(parse(render({}, { url: "https://news.example.com/" }).html).hrefs).not.toContain(
      "https://news.example.com//",
    );
  });
});
