// What the local mail servers (test/global-setup.ts) record for each email, as workerd tests read
// it back (test/worker/mailbox.ts).

export interface SmtpMessage {
  envelopeFrom: string;
  raw: string;
  from: { name: string; address: string }[];
  subject: string;
  messageId: string;
  date: string | null;
  /** The top-level Content-Type. */
  contentType: string;
  headerLines: { key: string; line: string }[];
  text: string;
  html: string;
}

export interface Arrived {
  via: "smtp" | "resend" | "postmark";
  to: string[];
  /** The same for every mailer: From as a reader sees it, the decoded subject, both parts. */
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Header values by lower-cased name (SMTP: as on the wire, unfolded; HTTP: the extra headers posted). */
  headers: Record<string, string>;
  /** HTTP providers: the id their answer gave for this message. */
  id?: string;
  smtp?: SmtpMessage;
  request?: { headers: Record<string, string>; body: Record<string, unknown> };
}

/** A publish ping the local WebSub hub received (test/global-setup.ts). */
export interface HubPing {
  contentType: string;
  /** The form's fields, each with every value given ("hub.url" repeats). */
  fields: Record<string, string[]>;
  /** What the hub answered: 204, or the failure a test asked for. */
  status: number;
  /** When it arrived (epoch ms). */
  at: number;
}
