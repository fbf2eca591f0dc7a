/**
 * The API reference, generated from the emitted schema (schema/schema.graphql) each time the site builds: one page
 * per kind of definition, every type, field, argument and enum value with its description, and every type name a
 * link to its definition. Nothing here is written by hand about the API, so the reference cannot drift from it.
 *
 * Pure: SDL in, pages out (HTML and the headings of its table of contents). The content loader in
 * content.config.ts turns the pages into entries of Starlight's docs collection.
 */
import {
  astFromValue,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  Kind,
} from "graphql";

export type Lang = "en" | "zh-TW";

export type PageKind = "queries" | "mutations" | "objects" | "inputs" | "enums" | "scalars";
export const PAGE_KINDS: readonly PageKind[] = ["queries", "mutations", "objects", "inputs", "enums", "scalars"];

export interface Heading {
  depth: number;
  slug: string;
  text: string;
}

export interface ReferencePage {
  /** Entry id in the docs collection, e.g. `reference/objects` or `zh-tw/reference/objects`. */
  id: string;
  title: string;
  description: string;
  order: number;
  html: string;
  headings: Heading[];
}

/** An example operation shown beside the root fields it uses. */
export interface ExampleOperation {
  /** Path shown to the reader, e.g. `site/examples/first-query.graphql`. */
  path: string;
  source: string;
}

interface Words {
  pages: Record<PageKind | "index", { title: string; description: string }>;
  kind: { object: string; interface: string; union: string; input: string; enum: string; scalar: string };
  fields: string;
  arguments: string;
  values: string;
  returns: string;
  implements: string;
  implementedBy: string;
  members: string;
  default: string;
  deprecated: string;
  noDescription: string;
  builtIn: string;
  examples: string;
  index: (counts: Record<PageKind, number>, link: (kind: PageKind) => string) => string;
  typeTable: { name: string; kind: string; description: string };
  descriptionsNote: string;
}

const WORDS: Record<Lang, Words> = {
  en: {
    pages: {
      index: { title: "API reference", description: "Every query, mutation, type, field, argument and enum value of the InfluenceGraph GraphQL API, generated from the schema." },
      queries: { title: "Queries", description: "Every query of the InfluenceGraph API, with its arguments and what it returns." },
      mutations: { title: "Mutations", description: "Every mutation of the InfluenceGraph API, with its arguments and what it returns." },
      objects: { title: "Object types", description: "Every object type of the InfluenceGraph API and its fields." },
      inputs: { title: "Input types", description: "Every input type of the InfluenceGraph API and its fields." },
      enums: { title: "Enums", description: "Every enum of the InfluenceGraph API and its values." },
      scalars: { title: "Scalars", description: "The scalar types of the InfluenceGraph API." },
    },
    kind: { object: "object", interface: "interface", union: "union", input: "input", enum: "enum", scalar: "scalar" },
    fields: "Fields",
    arguments: "Arguments",
    values: "Values",
    returns: "Returns",
    implements: "Implements",
    implementedBy: "Implemented by",
    members: "One of",
    default: "default",
    deprecated: "Deprecated",
    noDescription: "No description.",
    builtIn: "Built into GraphQL.",
    examples: "Example",
    index: (counts, link) =>
      `<p>This reference is generated from <code>schema/schema.graphql</code> each time the site is built. That file is emitted from the server's code (<code>npm run schema:emit</code>), and a test fails when the two disagree, so the reference describes the API as it is.</p>` +
      `<p>The API answers at <code>http://127.0.0.1:4000/graphql</code> (<code>POST</code>, JSON). Every request carries an API key as <code>Authorization: Bearer …</code>; <a href="/guides/getting-started/">Getting started</a> shows a first request, and <a href="/guides/errors/">Errors</a> lists the codes a refusal carries.</p>` +
      `<ul>${PAGE_KINDS.map((k) => `<li><a href="${link(k)}">${WORDS.en.pages[k].title}</a>: ${counts[k]}</li>`).join("")}</ul>`,
    typeTable: { name: "Type", kind: "Kind", description: "Description" },
    descriptionsNote: "",
  },
  "zh-TW": {
    pages: {
      index: { title: "API 參考", description: "InfluenceGraph GraphQL API 的所有查詢、變更、型別、欄位、引數與列舉值，由結構描述自動產生。" },
      queries: { title: "查詢", description: "InfluenceGraph API 的所有查詢（query）、引數與回傳型別。" },
      mutations: { title: "變更", description: "InfluenceGraph API 的所有變更（mutation）、引數與回傳型別。" },
      objects: { title: "物件型別", description: "InfluenceGraph API 的所有物件型別及其欄位。" },
      inputs: { title: "輸入型別", description: "InfluenceGraph API 的所有輸入型別及其欄位。" },
      enums: { title: "列舉", description: "InfluenceGraph API 的所有列舉及其值。" },
      scalars: { title: "純量", description: "InfluenceGraph API 的純量型別。" },
    },
    kind: { object: "物件", interface: "介面", union: "聯集", input: "輸入", enum: "列舉", scalar: "純量" },
    fields: "欄位",
    arguments: "引數",
    values: "值",
    returns: "回傳",
    implements: "實作",
    implementedBy: "實作者",
    members: "可能為",
    default: "預設",
    deprecated: "已棄用",
    noDescription: "（無說明）",
    builtIn: "GraphQL 內建型別。",
    examples: "範例",
    index: (counts, link) =>
      `<p>本參考文件在每次建置網站時，由 <code>schema/schema.graphql</code> 自動產生。該檔案由伺服器程式碼匯出（<code>npm run schema:emit</code>），兩者一旦不一致，測試就會失敗；因此這裡描述的永遠是 API 的實際樣貌。</p>` +
      `<p>API 位於 <code>http://127.0.0.1:4000/graphql</code>（<code>POST</code>，JSON）。每個請求都須以 <code>Authorization: Bearer …</code> 帶上 API 金鑰；第一個請求的寫法請見<a href="/zh-tw/guides/getting-started/">快速入門</a>，錯誤代碼請見<a href="/zh-tw/guides/errors/">錯誤</a>。</p>` +
      `<ul>${PAGE_KINDS.map((k) => `<li><a href="${link(k)}">${WORDS["zh-TW"].pages[k].title}</a>：${counts[k]} 個</li>`).join("")}</ul>`,
    typeTable: { name: "型別", kind: "種類", description: "說明" },
    descriptionsNote: "<p>型別、欄位與引數的說明文字直接取自結構描述，以英文撰寫；名稱即程式中使用的識別字。</p>",
  },
};

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * A description as HTML: the schema's descriptions are one-line Markdown with inline code and links. Everything is
 * escaped first; only `code` spans and [text](http…) links become markup.
 */
export function descriptionHtml(text: string): string {
  const out: string[] = [];
  const pattern = /`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    out.push(escapeHtml(text.slice(last, m.index)));
    if (m[1] !== undefined) out.push(`<code>${escapeHtml(m[1])}</code>`);
    else out.push(`<a href="${escapeHtml(m[3]!)}">${escapeHtml(m[2]!)}</a>`);
    last = m.index! + m[0].length;
  }
  out.push(escapeHtml(text.slice(last)));
  return out.join("");
}

/** The text a reader sees for a description (what descriptionHtml shows, without markup). */
export function descriptionText(text: string): string {
  return text.replace(/`([^`]+)`/g, "$1").replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, "$1");
}

const BUILT_IN_SCALARS = new Set(["String", "Int", "Float", "Boolean", "ID"]);

/** Which reference page a named type is defined on. */
export function pageOf(schema: GraphQLSchema, type: GraphQLNamedType): PageKind {
  if (type === schema.getQueryType()) return "queries";
  if (type === schema.getMutationType()) return "mutations";
  if (isInputObjectType(type)) return "inputs";
  if (isEnumType(type)) return "enums";
  if (isScalarType(type)) return "scalars";
  return "objects";
}

/** The anchor of a definition: the type's name in lower case, then field and argument: `campaign-performance-from`. */
export const anchor = (...parts: string[]) => parts.map((p) => p.toLowerCase()).join("-");

/** The named types the reference documents: every type of the schema but introspection's own. */
export function documentedTypes(schema: GraphQLSchema): GraphQLNamedType[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith("__"))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
}

export function buildReference(sdl: string, lang: Lang, examples: readonly ExampleOperation[] = []): ReferencePage[] {
  const schema = buildSchema(sdl);
  const w = WORDS[lang];
  const prefix = lang === "en" ? "" : "zh-tw/";
  const pageUrl = (kind: PageKind) => `/${prefix}reference/${kind}/`;
  const typeUrl = (t: GraphQLNamedType) => `${pageUrl(pageOf(schema, t))}#${anchor(t.name)}`;

  const typeHtml = (t: GraphQLType): string => {
    if (isNonNullType(t)) return `${typeHtml(t.ofType)}!`;
    if (isListType(t)) return `[${typeHtml(t.ofType)}]`;
    return `<a href="${typeUrl(t)}">${t.name}</a>`;
  };
  const doc = (description: string | null | undefined) =>
    description ? `<span class="ig-doc">${descriptionHtml(description)}</span>` : `<span class="ig-doc ig-none">${w.noDescription}</span>`;
  const deprecation = (reason: string | null | undefined) =>
    reason ? ` <strong class="ig-deprecated">${w.deprecated}: ${descriptionHtml(reason)}</strong>` : "";
  const defaultValue = (a: GraphQLArgument | GraphQLInputField) => {
    if (a.defaultValue === undefined) return "";
    const ast = astFromValue(a.defaultValue, a.type);
    return ast ? ` = <code>${escapeHtml(print(ast))}</code>` : "";
  };

  /** Which example operations select a root field (by the operation type and top-level field names). */
  const examplesOf = (operation: "query" | "mutation", field: string) =>
    examples.filter((e) =>
      parse(e.source).definitions.some(
        (d) =>
          d.kind === Kind.OPERATION_DEFINITION &&
          d.operation === operation &&
          d.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === field),
      ),
    );

  const argumentsHtml = (owner: string, field: string, args: readonly GraphQLArgument[]) =>
    args.length === 0
      ? ""
      : `<p class="ig-label">${w.arguments}</p><ul class="ig-args">${args
          .map(
            (a) =>
              `<li id="${anchor(owner, field, a.name)}" data-ref="${owner}.${field}(${a.name}:)"><code><a href="#${anchor(owner, field, a.name)}">${a.name}</a>: ${typeHtml(a.type)}${defaultValue(a)}</code> ${doc(a.description)}${deprecation(a.deprecationReason)}</li>`,
          )
          .join("")}</ul>`;

  const fieldEntry = (owner: string, f: GraphQLField<unknown, unknown> | GraphQLInputField, withArgs: boolean) => {
    const args = withArgs && "args" in f ? f.args : [];
    const signatureArgs = args.length ? `(${args.map((a) => a.name).join(", ")})` : "";
    return (
      `<dt id="${anchor(owner, f.name)}" data-ref="${owner}.${f.name}"><code><a href="#${anchor(owner, f.name)}">${f.name}</a>${signatureArgs}: ${typeHtml(f.type)}${"args" in f ? "" : defaultValue(f)}</code></dt>` +
      `<dd>${doc(f.description)}${deprecation(f.deprecationReason)}${argumentsHtml(owner, f.name, args)}</dd>`
    );
  };

  const headings: Record<PageKind, Heading[]> = { queries: [], mutations: [], objects: [], inputs: [], enums: [], scalars: [] };
  const bodies: Record<PageKind, string[]> = { queries: [], mutations: [], objects: [], inputs: [], enums: [], scalars: [] };
  const seen = new Map<string, string>();
  const claim = (id: string, what: string) => {
    const previous = seen.get(id);
    if (previous) throw new Error(`reference anchors collide: "${id}" for ${previous} and ${what}`);
    seen.set(id, what);
  };

  // Root operations: one section per field.
  for (const [kind, root, operation] of [
    ["queries", schema.getQueryType(), "query"],
    ["mutations", schema.getMutationType(), "mutation"],
  ] as const) {
    if (!root) continue;
    const fields = Object.values(root.getFields()).sort((a, b) => a.name.localeCompare(b.name, "en"));
    bodies[kind].push(`<div data-ref="${root.name}" id="${anchor(root.name)}"><p>${doc(root.description)}</p></div>`);
    claim(anchor(root.name), root.name);
    for (const f of fields) {
      const id = anchor(root.name, f.name);
      claim(id, `${root.name}.${f.name}`);
      headings[kind].push({ depth: 2, slug: id, text: f.name });
      const shown = examplesOf(operation, f.name)
        .map((e) => `<figure class="ig-example"><figcaption>${w.examples}: <code>${escapeHtml(e.path)}</code></figcaption><pre tabindex="0"><code>${escapeHtml(e.source.trimEnd())}</code></pre></figure>`)
        .join("");
      bodies[kind].push(
        `<section class="ig-entry" data-ref="${root.name}.${f.name}">` +
          `<h2 id="${id}">${f.name}</h2>` +
          `<p><code>${f.name}${f.args.length ? `(${f.args.map((a) => `${a.name}: ${typeHtml(a.type)}`).join(", ")})` : ""}: ${typeHtml(f.type)}</code></p>` +
          `<p>${doc(f.description)}${deprecation(f.deprecationReason)}</p>` +
          argumentsHtml(root.name, f.name, f.args) +
          `<p class="ig-label">${w.returns}: <code>${typeHtml(f.type)}</code></p>` +
          shown +
          `</section>`,
      );
      for (const a of f.args) claim(anchor(root.name, f.name, a.name), `${root.name}.${f.name}(${a.name}:)`);
    }
  }

  const implementations = (name: string) =>
    Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === name));

  for (const t of documentedTypes(schema)) {
    const kind = pageOf(schema, t);
    if (kind === "queries" || kind === "mutations") continue;
    const id = anchor(t.name);
    claim(id, t.name);
    headings[kind].push({ depth: 2, slug: id, text: t.name });
    const kindWord = isInterfaceType(t) ? w.kind.interface : isUnionType(t) ? w.kind.union : isInputObjectType(t) ? w.kind.input : isEnumType(t) ? w.kind.enum : isScalarType(t) ? w.kind.scalar : w.kind.object;
    const parts = [`<h2 id="${id}">${t.name}</h2>`, `<p class="ig-kind">${kindWord}</p>`];
    parts.push(`<p>${t.description ? doc(t.description) : BUILT_IN_SCALARS.has(t.name) ? `<span class="ig-doc">${w.builtIn}</span>` : doc(null)}</p>`);
    if (isObjectType(t) || isInterfaceType(t)) {
      const interfaces = t.getInterfaces();
      if (interfaces.length) parts.push(`<p>${w.implements}: ${interfaces.map((i) => typeHtml(i)).join(", ")}</p>`);
      if (isInterfaceType(t)) parts.push(`<p>${w.implementedBy}: ${implementations(t.name).map((i) => typeHtml(i)).join(", ")}</p>`);
      const fields = Object.values(t.getFields());
      parts.push(`<p class="ig-label">${w.fields}</p><dl class="ig-fields">${fields.map((f) => fieldEntry(t.name, f, true)).join("")}</dl>`);
      for (const f of fields) {
        claim(anchor(t.name, f.name), `${t.name}.${f.name}`);
        for (const a of f.args) claim(anchor(t.name, f.name, a.name), `${t.name}.${f.name}(${a.name}:)`);
      }
    } else if (isInputObjectType(t)) {
      const fields = Object.values(t.getFields());
      parts.push(`<p class="ig-label">${w.fields}</p><dl class="ig-fields">${fields.map((f) => fieldEntry(t.name, f, false)).join("")}</dl>`);
      for (const f of fields) claim(anchor(t.name, f.name), `${t.name}.${f.name}`);
    } else if (isUnionType(t)) {
      parts.push(`<p>${w.members}: ${t.getTypes().map((m) => typeHtml(m)).join(" | ")}</p>`);
    } else if (isEnumType(t)) {
      parts.push(
        `<p class="ig-label">${w.values}</p><dl class="ig-fields">${t
          .getValues()
          .map((v) => {
            claim(anchor(t.name, v.name), `${t.name}.${v.name}`);
            return `<dt id="${anchor(t.name, v.name)}" data-ref="${t.name}.${v.name}"><code><a href="#${anchor(t.name, v.name)}">${v.name}</a></code></dt><dd>${doc(v.description)}${deprecation(v.deprecationReason)}</dd>`;
          })
          .join("")}</dl>`,
      );
    }
    bodies[kind].push(`<section class="ig-entry" data-ref="${t.name}">${parts.join("")}</section>`);
  }

  const counts = Object.fromEntries(PAGE_KINDS.map((k) => [k, headings[k].length])) as Record<PageKind, number>;
  const overviewRows = documentedTypes(schema)
    .map((t) => {
      const kind = pageOf(schema, t);
      return `<tr><td><code>${typeHtml(t)}</code></td><td>${w.pages[kind].title}</td><td>${t.description ? descriptionHtml(t.description) : BUILT_IN_SCALARS.has(t.name) ? w.builtIn : ""}</td></tr>`;
    })
    .join("");
  const index: ReferencePage = {
    id: `${prefix}reference`,
    title: w.pages.index.title,
    description: w.pages.index.description,
    order: 0,
    html:
      w.index(counts, pageUrl) +
      w.descriptionsNote +
      `<table tabindex="0"><thead><tr><th scope="col">${w.typeTable.name}</th><th scope="col">${w.typeTable.kind}</th><th scope="col">${w.typeTable.description}</th></tr></thead><tbody>${overviewRows}</tbody></table>`,
    headings: [],
  };
  return [
    index,
    ...PAGE_KINDS.map((kind, i) => ({
      id: `${prefix}reference/${kind}`,
      title: w.pages[kind].title,
      description: w.pages[kind].description,
      order: i + 1,
      html: w.descriptionsNote + bodies[kind].join(""),
      headings: headings[kind],
    })),
  ];
}
