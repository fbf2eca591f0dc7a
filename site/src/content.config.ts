import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { defineCollection } from "astro:content";
import type { Loader, LoaderContext } from "astro/loaders";
import { docsLoader } from "@astrojs/starlight/loaders";
import { docsSchema } from "@astrojs/starlight/schema";

import { buildReference, type ExampleOperation, type Lang } from "./lib/reference";

/**
 * Starlight's docs (the Markdown and MDX files under src/content/docs/) plus the API reference, generated from
 * schema/schema.graphql on every build (and again in `site:dev` when the schema or an example changes).
 */
function docsWithReference(): Loader {
  const docs = docsLoader();
  return {
    name: "influencegraph-docs",
    async load(context: LoaderContext) {
      await docs.load(context);
      const schemaUrl = new URL("../schema/schema.graphql", context.config.root);
      const examplesUrl = new URL("examples/", context.config.root);
      const generate = async () => {
        const sdl = readFileSync(schemaUrl, "utf8");
        const examples: ExampleOperation[] = readdirSync(examplesUrl, { recursive: true, encoding: "utf8" })
          .filter((f) => f.endsWith(".graphql"))
          .sort()
          .map((f) => ({ path: `site/examples/${f}`, source: readFileSync(new URL(f, examplesUrl), "utf8") }));
        for (const lang of ["en", "zh-TW"] as Lang[]) {
          for (const page of buildReference(sdl, lang, examples)) {
            const data = await context.parseData({
              id: page.id,
              data: {
                title: page.title,
                description: page.description,
                sidebar: { order: page.order, ...(page.order === 0 && { label: lang === "en" ? "Overview" : "總覽" }) },
                editUrl: false,
              },
            });
            context.store.set({
              id: page.id,
              data,
              // A path inside the collection, as Starlight's sidebar expects; the page has no source file of its own.
              filePath: `src/content/docs/${page.id}${page.order === 0 ? "/index" : ""}.md`,
              digest: context.generateDigest(page.html),
              rendered: { html: page.html, metadata: { headings: page.headings } },
            });
          }
        }
      };
      await generate();
      context.watcher?.add(fileURLToPath(schemaUrl));
      context.watcher?.add(fileURLToPath(examplesUrl));
      const onFile = async (path: string) => {
        if (path === fileURLToPath(schemaUrl) || path.startsWith(fileURLToPath(examplesUrl))) await generate();
      };
      for (const event of ["change", "add", "unlink"] as const) context.watcher?.on(event, onFile);
    },
  };
}

export const collections = {
  docs: defineCollection({ loader: docsWithReference(), schema: docsSchema() }),
};
