// How the project runs MJML, shared by the template build and the benchmark's baseline, so the
// baseline renders exactly the email the build compiles.

import type mjml2html from "mjml";

type Options = NonNullable<Parameters<typeof mjml2html>[1]>;

export function mjmlOptions(filePath: string, includePath: string): Options {
  return {
    filePath,
    // mjml 5 ignores mj-include unless asked, and then only inside includePath.
    ignoreIncludes: false,
    includePath,
    keepComments: false,
    // MJML links Google Fonts whenever a font-family names one of its defaults (Roboto is in
    // our system stack): Gmail, Yahoo and Outlook drop it, and every open would tell Google
    // who read the email. No font map, no link.
    fonts: {},
  } as Options;
}

/**
 * What the build does to MJML's output: a dark-mode hint for clients that read it before the
 * styles; no height="auto" on images (not a valid height; the inline style already says it);
 * no indentation (never a whole whitespace run: a newline stays), a third smaller, rendered alike.
 */
export function finishHtml(html: string): string {
  return html
    .replace(
      "<head>",
      '<head>\n<meta name="color-scheme" content="light dark">\n<meta name="supported-color-schemes" content="light dark">',
    )
    .replace(/(<img\b[^>]*?)\s+height="auto"/g, "$1")
    .replace(/\n[ \t]+/g, "\n")
    .replace(/\n{2,}/g, "\n");
}
