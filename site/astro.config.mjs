// @ts-check
import starlight from "@astrojs/starlight";
import { defineConfig } from "astro/config";

// The published site: the market-research summary and the API documentation (filled in by the site issue).
// Telemetry is switched off by the npm scripts (ASTRO_TELEMETRY_DISABLED=1): the build must work offline.
export default defineConfig({
  integrations: [
    starlight({
      title: "InfluenceGraph",
      description: "Open-source influencer-marketing backend: GraphQL API, explainable discovery ranking.",
      sidebar: [{ label: "Start here", autogenerate: { directory: "." } }],
    }),
  ],
});
