// @ts-check
import starlight from "@astrojs/starlight";
import { defineConfig } from "astro/config";

import rehypeFocusableTables from "./src/lib/rehype-focusable-tables.mjs";

// The published site: the market-research summary (English and Traditional Chinese) and the API documentation.
// Telemetry is switched off by the npm scripts (ASTRO_TELEMETRY_DISABLED=1): the build must work offline, and
// nothing on the pages loads from another host.
export default defineConfig({
  // The public address, for canonical links and the sitemap; set SITE_URL when publishing (none by default: a
  // canonical link to a made-up host would be wrong).
  site: process.env.SITE_URL || undefined,
  markdown: { rehypePlugins: [rehypeFocusableTables] },
  integrations: [
    starlight({
      title: "InfluenceGraph",
      description: "Open-source influencer-marketing backend: GraphQL API, explainable discovery ranking.",
      defaultLocale: "root",
      locales: {
        root: { label: "English", lang: "en" },
        "zh-tw": { label: "繁體中文", lang: "zh-TW" },
      },
      customCss: ["./src/styles/site.css"],
      components: { Search: "./src/components/Search.astro" },
      // Long lines wrap instead of scrolling: a scrolling block would need to be focusable to be read by keyboard.
      expressiveCode: { defaultProps: { wrap: true } },
      lastUpdated: false,
      sidebar: [
        {
          label: "Start here",
          translations: { "zh-TW": "從這裡開始" },
          items: ["guides/getting-started", "guides/examples"],
        },
        {
          label: "Guides",
          translations: { "zh-TW": "指南" },
          items: ["guides/discovery", "ranking", "metrics", "import", "flags", "guides/errors", "security"],
        },
        {
          label: "API reference",
          translations: { "zh-TW": "API 參考" },
          autogenerate: { directory: "reference" },
        },
        {
          label: "Market research",
          translations: { "zh-TW": "市場研究" },
          autogenerate: { directory: "research" },
        },
      ],
    }),
  ],
});
