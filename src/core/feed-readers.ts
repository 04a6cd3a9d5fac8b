// Web feed readers that subscribe from a link, and the link each one documents. The feed URL is
// one percent-encoded query or path value, so a URL with its own ? or & arrives whole.

export interface FeedReader {
  name: string;
  /** The reader's page that offers to follow `feedUrl`. */
  subscribeUrl(feedUrl: string): string;
}

export const FEED_READERS: readonly FeedReader[] = [
  // Feedly's stream id is "feed/<url>"; its own button generator encodes the slash too.
  { name: "Feedly", subscribeUrl: (url) => `https://feedly.com/i/subscription/feed%2F${encodeURIComponent(url)}` },
  { name: "Inoreader", subscribeUrl: (url) => `https://www.inoreader.com/?add_feed=${encodeURIComponent(url)}` },
  { name: "NewsBlur", subscribeUrl: (url) => `https://www.newsblur.com/?url=${encodeURIComponent(url)}` },
  {
    name: "The Old Reader",
    subscribeUrl: (url) => `https://theoldreader.com/feeds/subscribe?url=${encodeURIComponent(url)}`,
  },
];
